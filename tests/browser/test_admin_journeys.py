"""An administrator's work: accounts, the estate's premises and rooms, and the audit log that records both.

Everything made here has a unique name, and the premises changed is outside the North West, where the estate
journeys look, so that the journeys can run in any order on the same demo data."""

import uuid

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

ADMIN = "admin@demo.test"
REGION_OF_OTHER_JOURNEYS = "North West"


@pytest.fixture
def unique() -> str:
    return uuid.uuid4().hex[:6]


def _audit_row(page: Page, action: str, detail: str):
    return page.locator(".app-audit-log tbody tr", has_text=action).filter(has_text=detail)


def test_admin_creates_a_user_then_deactivates_them(journey, unique):
    name, email, password = f"Robin Tester {unique}", f"robin.{unique}@demo.test", f"long-password-{unique}"
    page = journey.sign_in(ADMIN)
    journey.navigate_to("Users")
    journey.click("button", "Add a user")
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("AP staff", exact=True).check()
    page.get_by_label("Initial password", exact=True).fill(password)
    journey.click("button", "Create account")
    journey.expect_error("premises", "Select a premises for AP staff and AP premises managers")
    expect(page.get_by_label("Full name")).to_have_value(name)
    expect(page.get_by_label("AP staff", exact=True)).to_be_checked()
    journey.screenshot("admin-user-error")

    page.get_by_label("Premises", exact=True).select_option(label="Ribble House")
    page.get_by_label("Initial password", exact=True).fill(password)
    journey.click("button", "Create account")
    journey.expect_success(f"Account created for {name}")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)

    journey.navigate_to("Users")
    page.get_by_label("Name or email address").fill(unique)
    journey.click("button", "Search")
    listed = page.locator(".govuk-table__body tr")
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text(email)
    expect(listed).to_contain_text("Ribble House")
    expect(listed.locator(".govuk-tag")).to_have_text("Active")
    journey.screenshot("admin-users-search")

    journey.click("link", name, exact=True)
    journey.click("button", "Deactivate account")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Deactivate {name}'s account?")
    journey.screenshot("admin-user-deactivate")
    journey.click("button", "Deactivate account")
    journey.expect_success(f"{name}'s account is deactivated")
    expect(page.locator(".govuk-summary-list__row", has_text="Status")).to_contain_text("Deactivated")

    journey.navigate_to("Audit log")
    expect(_audit_row(page, "User created", email)).to_have_count(1)
    expect(_audit_row(page, "User created", email)).to_contain_text("Roles: AP staff")  # labels, never codes
    expect(_audit_row(page, "User deactivated", email)).to_have_count(1)


def test_admin_changes_a_premises_and_adds_a_room(journey, unique):
    room = f"Garden annexe {unique}"
    page = journey.sign_in(ADMIN)
    journey.navigate_to("Manage premises")
    rows = page.locator(".govuk-table__body tr", has=page.locator(".govuk-tag", has_text="Active"))
    premises = rows.filter(has_not_text=REGION_OF_OTHER_JOURNEYS).first.locator("a").inner_text()
    journey.click("link", premises, exact=True)
    expect(page.get_by_role("heading", level=1)).to_have_text(premises)

    journey.click("link", "Change address")
    postcode = page.get_by_label("Postcode")
    old_postcode = postcode.input_value()
    outward_code = old_postcode.split()[0]
    new_postcode = f"{outward_code} 9ZZ" if not old_postcode.endswith("9ZZ") else f"{outward_code} 8YY"
    postcode.fill("Not a postcode")
    journey.click("button", "Save changes")
    journey.expect_error("postcode", "Enter a full UK postcode, like PR1 1AA")
    journey.screenshot("admin-premises-postcode-error")
    postcode.fill(new_postcode.replace(" ", "").lower())  # typed carelessly, stored in the standard form
    journey.click("button", "Save changes")
    journey.expect_success(f"{premises} updated")
    address = page.locator(".govuk-summary-list__row").filter(has=page.get_by_text("Address", exact=True))
    expect(address).to_contain_text(new_postcode)

    journey.click("button", "Add a room")
    page.get_by_label("Room name").fill(room)
    page.get_by_label("En-suite").check()
    page.get_by_label("Number of beds").fill("2")
    journey.click("button", "Add room")
    journey.expect_success(f"{room} added with 2 beds")
    card = page.locator(".govuk-summary-card", has_text=room)
    expect(card).to_contain_text("En-suite")
    expect(card.get_by_role("link", name="End bed")).to_have_count(2)
    journey.screenshot("admin-premises-with-new-room")

    journey.navigate_to("Audit log")
    expect(_audit_row(page, "Premises updated", f"Postcode: {old_postcode} → {new_postcode}")).to_have_count(1)
    expect(_audit_row(page, "Room added", room)).to_have_count(1)
    expect(_audit_row(page, "Room added", room)).to_contain_text(f"{room}, {premises}")
    expect(_audit_row(page, "Room added", room)).to_contain_text("Characteristics: En-suite")
    journey.screenshot("admin-audit-log")
