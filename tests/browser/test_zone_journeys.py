"""An offender manager completes Location and Victims and exclusion zones: draws a zone on the map with the mouse,
adds a zone by its centre and radius, and a non-associate after being refused the person's own CRN; axe-core checks
every page, the map pages included. With scripts off, the same page takes a centre and a radius.

The CRN is random so that the journey can run again on the same demo data."""

import json
import random

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Journey
from tests.browser.referral_steps import draw_on_map

pytestmark = pytest.mark.browser

OFFENDER_MANAGER = "offender.manager@demo.test"


def _status_of(page: Page, section: str):
    return page.locator(".govuk-task-list__item", has_text=section).locator(".govuk-task-list__status")


def _start_referral(journey, crn: str) -> Page:
    page = journey.sign_in(OFFENDER_MANAGER)
    journey.open("/people/new")
    page.get_by_label("CRN (case reference number)").fill(crn)
    page.get_by_label("Full name").fill("Robin Fictional")
    for part, value in (("day", "12"), ("month", "4"), ("year", "1988")):
        page.locator(f"#date_of_birth-{part}").fill(value)
    page.get_by_label("Male", exact=True).check()
    page.get_by_label("Nationality").fill("British")
    journey.click("button", "Add person")
    journey.click("button", "Start a referral")
    return page


def test_offender_manager_draws_a_zone_adds_a_circle_and_a_non_associate(journey):
    crn = f"Z{random.randint(0, 999_999):06d}"
    page = _start_referral(journey, crn)

    journey.click("link", "Location")
    page.get_by_label("Home area").fill("Leeds")
    page.get_by_label("What ties the person to this area?").fill("Family nearby")
    journey.click("button", "Save and continue")
    page.get_by_label("Furthest distance, in miles").fill("0")
    journey.click("button", "Save and continue")
    journey.expect_error("max_distance_miles", "The distance must be more than 0 miles")
    page.get_by_label("Furthest distance, in miles").fill("60")
    journey.click("button", "Save and continue")
    page.get_by_label("No", exact=True).check()
    journey.click("button", "Save and continue")
    expect(page.locator(".govuk-summary-list")).to_contain_text("60 miles (97 km)")
    journey.click("link", "Back to the referral")
    expect(_status_of(page, "Location")).to_have_text("Completed")

    journey.click("link", "Victims and exclusion zones")
    page.get_by_label("Yes, a victim has opted in to the victim contact scheme").check()
    journey.click("button", "Save and continue")
    page.get_by_label("Yes", exact=True).check()
    journey.click("button", "Save and continue")
    expect(page.locator("h1")).to_have_text("Exclusion zones")
    journey.click("button", "Add an exclusion zone")

    page.get_by_label("Label").fill("Zone 1: town centre")
    page.get_by_label("Drawn on a map").check()
    expect(page.locator(".app-zone-map--drawing")).to_be_visible()
    expect(page.locator(".app-zone-map__town").first).to_be_visible()  # the offline base layer has loaded
    journey.check_accessibility()
    draw_on_map(page)
    drawn = json.loads(page.locator("#drawn").input_value())
    assert drawn["type"] == "Polygon" and len(drawn["coordinates"][0]) == 5
    journey.screenshot("zone-drawn")
    journey.click("button", "Add zone")
    journey.expect_success("Exclusion zone ‘Zone 1: town centre’ added")
    expect(page.locator("tbody")).to_contain_text("Drawn on a map")
    expect(page.locator(".app-zone-map path.leaflet-interactive")).to_have_count(1)

    journey.click("button", "Add an exclusion zone")
    page.get_by_label("Label").fill("Zone 2: school")
    page.get_by_label("A centre and a radius").check()
    page.get_by_label("Centre of the zone").fill("Leeds")
    page.get_by_label("Radius, in miles").fill("0")
    journey.click("button", "Add zone")
    journey.expect_error("radius_miles", "The radius must be more than 0 miles")
    page.get_by_label("Radius, in miles").fill("0.5")
    journey.click("button", "Add zone")
    expect(page.locator("tbody")).to_contain_text("0.5 miles (0.8 km) around Leeds")
    expect(page.locator(".app-zone-map path.leaflet-interactive")).to_have_count(2)
    journey.screenshot("zones")
    journey.click("button", "Continue")

    page.get_by_label("Yes", exact=True).check()
    journey.click("button", "Save and continue")
    journey.click("button", "Add a non-associate")
    page.get_by_label("CRN (case reference number)").fill(crn)
    page.get_by_label("Full name").fill("Robin Fictional")
    page.get_by_label("Co-defendant").check()
    journey.click("button", "Add non-associate")
    journey.expect_error("crn", f"{crn} is the CRN of Robin Fictional, who is being referred")
    page.get_by_label("CRN (case reference number)").fill("A111111")
    page.get_by_label("Full name").fill("Sam Fictional")
    journey.click("button", "Add non-associate")
    journey.expect_success("Sam Fictional (A111111) added as a non-associate")
    journey.click("button", "Continue")

    expect(page.locator("h1")).to_have_text("Check your answers: victims and exclusion zones")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Sam Fictional (A111111): Co-defendant")
    expect(page.locator(".app-zone-map path.leaflet-interactive")).to_have_count(2)
    journey.screenshot("victims-check-answers")
    journey.click("link", "Back to the referral")
    expect(_status_of(page, "Victims and exclusion zones")).to_have_text("Completed")


def test_with_javascript_off_a_zone_is_given_by_its_centre_and_radius(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(10_000)
    journey = Journey(context.new_page(), live_server)
    journey.check_accessibility = lambda: None  # axe-core needs scripts; the journey above checks these pages
    page = _start_referral(journey, f"Z{random.randint(0, 999_999):06d}")
    referral_path = page.url.removeprefix(live_server)
    journey.open(f"{referral_path}/victims/has-zones")
    page.get_by_label("Yes", exact=True).check()
    journey.click("button", "Save and continue")
    journey.click("button", "Add an exclusion zone")
    expect(page.get_by_label("Drawn on a map")).to_be_hidden()
    expect(page.locator(".app-zone-form__drawing")).to_be_hidden()
    page.get_by_label("Label").fill("Zone 1: park")
    page.get_by_label("A centre and a radius").check()
    page.get_by_label("Centre of the zone").fill("Preston")
    page.get_by_label("Radius, in miles").fill("1.5")
    journey.click("button", "Add zone")
    expect(page.locator("tbody")).to_contain_text("1.5 miles (2.4 km) around Preston")
    expect(page.locator("[data-zone-map]")).to_be_hidden()
    context.close()
