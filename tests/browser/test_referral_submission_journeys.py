"""A referral from the offender manager's first answer to a placement request: every section completed, a zone
drawn on the map and a non-associate added, the whole referral checked and submitted; the assessor reads it with its
map, asks for more information, the offender manager answers, the assessor accepts with changed requirements and
the placement request exists. Then a second referral is withdrawn with a reason and the person's timeline read.
axe-core checks every page on the way.

The live server runs on the real clock, so dates are counted from today; the CRN is random so that the journey can
run again on the same demo data."""

import random
import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.extensions import db
from app.models import PlacementRequest
from tests.browser.referral_steps import add_person, complete_every_section
from vocabulary import APType

pytestmark = pytest.mark.browser

OFFENDER_MANAGER = "offender.manager@demo.test"
ASSESSOR = "assessor@demo.test"


def _submit_a_complete_referral(journey, page: Page, crn: str) -> tuple[int, str]:
    """The referral's id and reference, once every section is complete and it is submitted."""
    today = date.today()
    add_person(journey, page, crn)
    journey.click("button", "Start a referral")
    expect(page.locator("main .govuk-tag").first).to_have_text("In progress")

    journey.click("button", "Check answers and submit")
    journey.click("button", "Submit referral")
    expect(page).to_have_title(re.compile(r"^Error: Check your answers before submitting"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Complete the sentence and release section")
    journey.click("link", "Back to the referral")

    complete_every_section(journey, page, today)
    referral_id = int(page.url.rsplit("/", 1)[1])
    journey.click("button", "Check answers and submit")
    summary = page.locator("main")
    expect(summary.locator("#section-risk + .govuk-summary-list")).to_contain_text("Very high")
    expect(summary).to_contain_text("Kit Fictional (A111111): Co-defendant")
    expect(summary.locator(".app-zone-map path.leaflet-interactive")).to_have_count(1)
    journey.screenshot("referral-check-your-answers")
    journey.click("button", "Submit referral")

    expect(page.locator(".govuk-panel__title")).to_have_text("Referral submitted")
    reference = page.locator(".govuk-panel__body strong").inner_text()
    assert reference.startswith(f"AP-{today:%y}-")
    journey.screenshot("referral-submitted")
    journey.click("link", "View the referral")
    expect(page.locator("main .govuk-tag").first).to_have_text("Submitted")
    expect(page.get_by_role("link", name="Change")).to_have_count(0)
    return referral_id, reference


def _assessor_asks_and_the_offender_manager_answers(journey, referral_id: int) -> None:
    page = journey.sign_in(ASSESSOR)
    journey.open(f"/assess/referrals/{referral_id}")
    expect(page.locator(".app-zone-map path.leaflet-interactive")).to_have_count(1)
    expect(page.locator("main")).to_contain_text("Around the victim's workplace")
    journey.click("button", "Allocate to me")
    journey.click("button", "Request further information")
    page.get_by_label("Request further information").fill("Where will the person live after the placement?")
    journey.click("button", "Send the question")
    journey.expect_success("the clock has stopped until they answer")
    journey.sign_out()

    page = journey.sign_in(OFFENDER_MANAGER)
    journey.open(f"/referrals/{referral_id}")
    expect(page.locator("main .govuk-tag").first).to_have_text("Further information requested")
    journey.click("link", "Answer the question")
    page.get_by_label("Your answer").fill("Supported housing in Preston, from the end of the stay.")
    journey.click("button", "Send your answer")
    journey.expect_success("Answer sent")
    journey.sign_out()


def _assessor_accepts_with_changed_requirements(journey, live_app, referral_id: int) -> None:
    page = journey.sign_in(ASSESSOR)
    journey.open(f"/assess/referrals/{referral_id}")
    expect(page.locator("main")).to_contain_text("Supported housing in Preston")
    journey.click("button", "Accept", exact=True)
    expect(page.locator("input[name=essential][value=is_arson_suitable]")).to_be_checked()  # derived: arson
    page.get_by_label("Recovery-focused (RFAP)").check()
    page.locator("input[name=desirable][value=is_catered]").check()
    page.get_by_label("Authorised length of stay, in weeks").fill("16")
    journey.click("button", "Accept and request a placement")
    journey.expect_success("Referral accepted")
    with live_app.app_context():
        request = db.session.scalar(select(PlacementRequest).where(PlacementRequest.referral_id == referral_id))
        assert (request.ap_type, request.length_of_stay_weeks) == (APType.RECOVERY_FOCUSED, 16)
        assert "is_arson_suitable" in request.essential_characteristics
        assert "is_catered" in request.desirable_characteristics
    journey.sign_out()


def test_a_referral_goes_from_its_first_answer_to_a_placement_request_and_another_is_withdrawn(journey, live_app):
    crn = f"Y{random.randint(0, 999_999):06d}"
    page = journey.sign_in(OFFENDER_MANAGER)
    referral_id, reference = _submit_a_complete_referral(journey, page, crn)
    journey.sign_out()
    _assessor_asks_and_the_offender_manager_answers(journey, referral_id)
    _assessor_accepts_with_changed_requirements(journey, live_app, referral_id)

    page = journey.sign_in(OFFENDER_MANAGER)
    journey.navigate_to("My referrals")
    row = page.locator("tbody tr", has_text=crn)
    expect(row.locator(".govuk-tag")).to_have_text("Accepted")
    expect(row).to_contain_text(reference)

    row.get_by_role("link", name="Sam Fictional").click()
    journey.check_accessibility()
    expect(page.locator("main")).to_contain_text("Referral accepted")
    journey.click("link", "See Sam Fictional's timeline")
    journey.click("button", "Start a referral")
    journey.click("link", "Withdraw this referral")
    journey.click("button", "Withdraw referral")
    journey.expect_error("reason", "Select why the referral is being withdrawn")
    page.get_by_label("Duplicate referral").check()
    page.get_by_label("Details").fill("Started by mistake")
    journey.click("button", "Withdraw referral")
    expect(page.locator(".govuk-panel__title")).to_have_text("Referral withdrawn")
    journey.click("link", "See Sam Fictional's timeline")

    events = page.locator(".app-timeline__item")
    expect(events.locator("h3")).to_have_text([
        "Referral withdrawn", "Referral started", "Referral accepted", "Further information provided",
        "Further information requested", "Allocated to an assessor", "Referral submitted", "Referral started"])
    expect(events.first).to_contain_text("Duplicate referral: Started by mistake")
    expect(events.first).to_contain_text("by Olivia Demo")
    expect(page.locator("tbody tr", has_text="Withdrawn")).to_have_count(1)
    expect(page.locator("tbody tr", has_text="Accepted")).to_have_count(1)
    journey.screenshot("person-timeline")
