"""An offender manager completes every section a referral has today, checks the whole referral, submits it and
reads its reference and status; then starts a second referral, withdraws it with a reason and reads the person's
timeline. axe-core checks every page on the way.

The live server runs on the real clock, so dates are counted from today; the CRN is random so that the journey can
run again on the same demo data."""

import random
import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

OFFENDER_MANAGER = "offender.manager@demo.test"


def _fill_date(page: Page, field: str, day: date) -> None:
    for part, value in (("day", day.day), ("month", day.month), ("year", day.year)):
        page.locator(f"#{field}-{part}").fill(str(value))


def _choose(page: Page, **answers: str) -> None:
    """Tick each named radio (or checkbox) with the given value."""
    for name, value in answers.items():
        page.locator(f"input[name={name}][value='{value}']").check()


def _section(journey, title: str) -> Page:
    """From a section's answers back to the task list, and into the next section."""
    journey.click("link", "Back to the referral")
    return journey.click("link", title, exact=True)


def _save(journey) -> Page:
    return journey.click("button", "Save and continue")


def _complete_every_section(journey, page: Page, today: date) -> None:
    journey.click("link", "Sentence and release")
    _choose(page, sentence_type="standard_determinate")
    _save(journey)
    _choose(page, release_type="licence")
    _save(journey)
    _fill_date(page, "arrival_date", today + timedelta(days=60))
    _save(journey)
    _fill_date(page, "licence_expiry_date", today + timedelta(days=700))
    _save(journey)
    _choose(page, mappa_category="2", mappa_level="2")
    _save(journey)
    _choose(page, placement_purpose="public_protection")
    _save(journey)

    _section(journey, "Risk of serious harm")
    _choose(page, rosh_overall="high", rosh_children="low", rosh_public="high", rosh_known_adult="very_high",
            rosh_staff="medium")
    _fill_date(page, "rosh_assessed_on", today - timedelta(days=7))
    _save(journey)
    _fill_date(page, "rosh_review_due_on", today + timedelta(weeks=12))
    _save(journey)
    _choose(page, risk_flags="weapons")
    _save(journey)

    _section(journey, "Likelihood of reoffending")
    page.get_by_label("OGRS score (optional)").fill("42")
    _save(journey)

    _section(journey, "Offences")
    _choose(page, arson_offence="previous", sexual_offence_against_adults="none",
            contact_sexual_offence_against_children="none", non_contact_sexual_offence_against_children="none",
            non_sexual_offence_against_children="none", hate_crime_offence="none")
    _save(journey)

    _section(journey, "Needs")
    _choose(page, needs="none")
    _save(journey)

    _section(journey, "Licence conditions")
    _choose(page, has_standard_licence_conditions="yes", has_electronic_monitoring="no")
    _save(journey)
    _choose(page, has_curfew="no")
    _save(journey)

    _section(journey, "Move-on")
    _choose(page, move_on_category="supported_housing")
    _save(journey)
    _choose(page, has_move_on_plans="yes", has_immigration_issues="no")
    _save(journey)

    _section(journey, "Contingency plan and arrival information")
    page.get_by_label("What is the contingency plan?").fill("Call the duty officer and return to the office.")
    _save(journey)
    journey.click("link", "Back to the referral")


def _add_person(journey, page: Page, crn: str) -> None:
    journey.navigate_to("Find a person")
    page.get_by_label("CRN or name").fill(crn)
    journey.click("button", "Search")
    journey.click("link", "add them")
    page.get_by_label("CRN (case reference number)").fill(crn)
    page.get_by_label("Full name").fill("Sam Fictional")
    _fill_date(page, "date_of_birth", date(1985, 2, 3))
    page.get_by_label("Male", exact=True).check()
    page.get_by_label("Nationality").fill("British")
    journey.click("button", "Add person")


def test_offender_manager_submits_one_referral_and_withdraws_another(journey):
    crn = f"Y{random.randint(0, 999_999):06d}"
    today = date.today()
    page = journey.sign_in(OFFENDER_MANAGER)
    _add_person(journey, page, crn)
    journey.click("button", "Start a referral")
    expect(page.locator("main .govuk-tag").first).to_have_text("In progress")

    journey.click("button", "Check answers and submit")
    journey.click("button", "Submit referral")
    expect(page).to_have_title(re.compile(r"^Error: Check your answers before submitting"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Complete the sentence and release section")
    journey.click("link", "Back to the referral")

    _complete_every_section(journey, page, today)
    journey.click("button", "Check answers and submit")
    summary = page.locator("main")
    expect(summary.locator("#section-risk + .govuk-summary-list")).to_contain_text("Very high")
    expect(summary.locator("#section-location + p")).to_have_text("This section cannot be completed yet.")
    journey.screenshot("referral-check-your-answers")
    journey.click("button", "Submit referral")

    expect(page.locator(".govuk-panel__title")).to_have_text("Referral submitted")
    reference = page.locator(".govuk-panel__body strong").inner_text()
    assert reference.startswith(f"AP-{today:%y}-")
    journey.screenshot("referral-submitted")
    journey.click("link", "View the referral")
    expect(page.locator("main .govuk-tag").first).to_have_text("Submitted")
    expect(page.get_by_role("link", name="Change")).to_have_count(0)

    journey.navigate_to("My referrals")
    row = page.locator("tbody tr", has_text=crn)
    expect(row.locator(".govuk-tag")).to_have_text("Submitted")
    expect(row).to_contain_text(reference)

    row.get_by_role("link", name="Sam Fictional").click()
    journey.check_accessibility()
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
    expect(events.locator("h3")).to_have_text(
        ["Referral withdrawn", "Referral started", "Referral submitted", "Referral started"])
    expect(events.first).to_contain_text("Duplicate referral: Started by mistake")
    expect(events.first).to_contain_text("by Olivia Demo")
    expect(page.locator("tbody tr", has_text="Withdrawn")).to_have_count(1)
    expect(page.locator("tbody tr", has_text="Submitted")).to_have_count(1)
    journey.screenshot("person-timeline")
