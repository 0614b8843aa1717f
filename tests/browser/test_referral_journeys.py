"""An offender manager's referral: find nobody, add the person, start a referral, complete Sentence and release
page by page, leave, resume it from My referrals and complete Risk of serious harm.

The live server runs on the real clock, so dates are counted from today; the CRN is random so that the journey can
run again on the same demo data."""

import random
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

OFFENDER_MANAGER = "offender.manager@demo.test"


def _fill_date(page: Page, field: str, day: date) -> None:
    page.locator(f"#{field}-day").fill(str(day.day))
    page.locator(f"#{field}-month").fill(str(day.month))
    page.locator(f"#{field}-year").fill(str(day.year))


def _status_of(page: Page, section: str):
    return page.locator(".govuk-task-list__item", has_text=section).locator(".govuk-task-list__status")


def test_offender_manager_adds_a_person_and_completes_sentence_and_release_then_risk(journey):
    crn = f"Z{random.randint(0, 999_999):06d}"
    today = date.today()
    page = journey.sign_in(OFFENDER_MANAGER)
    journey.navigate_to("Find a person")
    page.get_by_label("CRN or name").fill(crn)
    journey.click("button", "Search")
    expect(page.locator("main")).to_contain_text(f"Nobody matches ‘{crn}’")
    journey.click("link", "add them")

    page.get_by_label("CRN (case reference number)").fill(crn.lower())
    page.get_by_label("Full name").fill("Robin Fictional")
    _fill_date(page, "date_of_birth", date(1988, 4, 12))
    page.get_by_label("Male", exact=True).check()
    page.get_by_label("Nationality").fill("British")
    journey.click("button", "Add person")
    journey.expect_success(f"Robin Fictional ({crn}) added")
    journey.screenshot("referral-person")

    journey.click("button", "Start a referral")
    expect(_status_of(page, "Sentence and release")).to_have_text("Not started")
    expect(_status_of(page, "Location")).to_have_text("Not started")
    journey.screenshot("referral-task-list")
    journey.click("link", "Sentence and release")

    page.get_by_label("Standard determinate custody").check()
    journey.click("button", "Save and continue")
    page.get_by_label("Licence", exact=True).check()
    journey.click("button", "Save and continue")

    _fill_date(page, "arrival_date", today - timedelta(days=1))
    journey.click("button", "Save and continue")
    journey.expect_error("arrival_date", "The date of release or arrival must be today or in the future")
    _fill_date(page, "arrival_date", today + timedelta(days=60))
    journey.click("button", "Save and continue")

    _fill_date(page, "licence_expiry_date", today + timedelta(days=700))
    journey.click("button", "Save and continue")
    page.get_by_label("Not a MAPPA case").check()
    page.get_by_label("No level").check()
    journey.click("button", "Save and continue")
    page.get_by_label("Public protection").check()
    journey.click("button", "Save and continue")
    page.get_by_label("Standard", exact=True).check()
    journey.click("button", "Save and continue")

    expect(page.locator("h1")).to_have_text("Check your answers: sentence and release")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Standard")
    journey.screenshot("referral-check-answers")
    journey.click("link", "Back to the referral")
    expect(_status_of(page, "Sentence and release")).to_have_text("Completed")

    journey.navigate_to("Home")
    journey.navigate_to("My referrals")
    row = page.locator("tbody tr", has_text=crn)
    expect(row).to_contain_text("1 of 10 sections completed")
    row.get_by_role("link", name="Robin Fictional").click()
    journey.check_accessibility()
    expect(_status_of(page, "Sentence and release")).to_have_text("Completed")

    journey.click("link", "Risk of serious harm")
    journey.check_accessibility()
    for group, level in (("overall", "high"), ("children", "low"), ("public", "high"), ("known_adult", "very_high"),
                         ("staff", "medium")):
        page.locator(f"input[name=rosh_{group}][value={level}]").check()
    _fill_date(page, "rosh_assessed_on", today - timedelta(days=7))
    journey.click("button", "Save and continue")
    _fill_date(page, "rosh_review_due_on", today - timedelta(days=7) + timedelta(weeks=17))
    journey.click("button", "Save and continue")
    journey.expect_error("rosh_review_due_on", "The review date must be within 16 weeks of the assessment date")
    _fill_date(page, "rosh_review_due_on", today - timedelta(days=7) + timedelta(weeks=16))
    journey.click("button", "Save and continue")
    journey.check_accessibility()
    page.get_by_label("Weapons").check()
    journey.click("button", "Save and continue")
    expect(page.locator("h1")).to_have_text("Check your answers: risk of serious harm")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Very high")
    journey.check_accessibility()
    journey.click("link", "Back to the referral")
    expect(_status_of(page, "Risk of serious harm")).to_have_text("Completed")
