"""Assessing referrals: the assessor asks for more information, the offender manager answers, the assessor accepts
with changed requirements and the placement request exists; another referral is rejected with a reason; an
administrator adds a length-of-stay rule. Every page is checked with axe-core.

The journeys pick referrals from the demo queue: whatever the session's other journeys did, any undecided one will
do, and they check what must hold of the one they picked."""

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.extensions import db
from app.models import PlacementRequest
from vocabulary import APType

pytestmark = pytest.mark.browser

ASSESSOR = "assessor@demo.test"
OFFENDER_MANAGER = "offender.manager@demo.test"  # North West's
ADMIN = "admin@demo.test"


def _open_a_referral_to_assess(journey, page: Page, region: str | None = None) -> int:
    """Open the first referral in the queue whose clock is running, and return its id."""
    journey.navigate_to("Referrals to assess")
    if region:
        page.get_by_label("Probation region").select_option(label=region)
        journey.click("button", "Filter")
    page.locator("tbody tr").filter(has_not_text="Clock stopped").first.get_by_role("link").click()
    journey.check_accessibility()
    return int(page.url.rsplit("/", 1)[1])


def test_assessor_asks_for_more_information_then_accepts_with_changed_requirements(journey, live_app):
    page = journey.sign_in(ASSESSOR)
    journey.navigate_to("Referrals to assess")
    expect(page.locator("h1")).to_have_text("Referrals to assess")
    journey.screenshot("assess-queue")
    referral_id = _open_a_referral_to_assess(journey, page, region="North West")
    journey.click("button", "Allocate to me")
    journey.expect_success("Allocated to Adam Demo")
    journey.screenshot("assess-referral")

    journey.click("button", "Request further information")
    journey.click("button", "Send the question")
    journey.expect_error("question", "Enter your question")
    page.get_by_label("Request further information").fill("What is the address of the move-on accommodation?")
    journey.click("button", "Send the question")
    journey.expect_success("the clock has stopped until they answer")
    expect(page.locator(".govuk-summary-list").first).to_contain_text("Clock stopped")
    journey.sign_out()

    page = journey.sign_in(OFFENDER_MANAGER)
    journey.open(f"/referrals/{referral_id}")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("What is the address of the move-on")
    journey.click("link", "Answer the question")
    journey.click("button", "Send your answer")
    journey.expect_error("answer", "Enter your answer")
    page.get_by_label("Your answer").fill("Flat 2, 10 Fictional Road, Preston, from the end of the stay.")
    journey.click("button", "Send your answer")
    journey.expect_success("Answer sent")
    journey.sign_out()

    page = journey.sign_in(ASSESSOR)
    journey.open(f"/assess/referrals/{referral_id}")
    expect(page.locator("main")).to_contain_text("Flat 2, 10 Fictional Road")
    journey.click("button", "Accept", exact=True)
    page.get_by_label("Recovery-focused (RFAP)").check()
    page.locator("input[name=essential][value=has_lift]").check()
    page.locator("input[name=desirable][value=has_lift]").uncheck()  # a lift may have been only desirable
    page.locator("input[name=desirable][value=has_hearing_loop]").check()
    page.get_by_label("Authorised length of stay, in weeks").fill("0")
    journey.click("button", "Accept and request a placement")
    journey.expect_error("length_of_stay_weeks", "The length of stay must be from 1 to 104 weeks")
    page.get_by_label("Authorised length of stay, in weeks").fill("10")
    journey.screenshot("assess-accept")
    journey.click("button", "Accept and request a placement")
    journey.expect_success("Referral accepted")
    expect(page.locator("main")).to_contain_text("Recovery-focused (RFAP)")

    with live_app.app_context():
        placement_request = db.session.scalar(select(PlacementRequest).where(PlacementRequest.referral_id == referral_id))
        assert placement_request.ap_type is APType.RECOVERY_FOCUSED
        assert "has_lift" in placement_request.essential_characteristics
        assert "has_hearing_loop" in placement_request.desirable_characteristics
        assert placement_request.length_of_stay_weeks == 10
    journey.sign_out()

    page = journey.sign_in(OFFENDER_MANAGER)
    journey.open(f"/referrals/{referral_id}")
    expect(page.locator("main")).to_contain_text("Referral accepted")
    expect(page.locator("main")).to_contain_text("10 weeks")


def test_assessor_rejects_a_referral_with_a_reason(journey):
    page = journey.sign_in(ASSESSOR)
    _open_a_referral_to_assess(journey, page)
    journey.click("button", "Reject", exact=True)
    journey.click("button", "Reject the referral")
    journey.expect_error("reason", "Select why the referral is rejected")
    page.get_by_label("Insufficient move-on plan").check()
    page.get_by_label("Detail (optional)").fill("No move-on address has been found yet.")
    journey.click("button", "Reject the referral")
    journey.expect_success("Referral rejected")
    decision = page.locator(".govuk-summary-list").nth(1)
    expect(decision).to_contain_text("Referral rejected")
    expect(decision).to_contain_text("Insufficient move-on plan")


def test_administrator_adds_a_length_of_stay_rule(journey):
    page = journey.sign_in(ADMIN)
    journey.navigate_to("Length of stay")
    journey.click("button", "Add a rule")
    page.get_by_label("Sentence type").select_option(label="Extended determinate sentence")
    page.get_by_label("Gender").select_option(label="Women")
    journey.click("button", "Save the rule")
    journey.expect_error("weeks", "Enter the length of stay in weeks")
    page.get_by_label("Length of stay, in weeks").fill("20")
    journey.click("button", "Save the rule")
    journey.expect_success("Rule added: Extended determinate sentence, Women, 20 weeks")
