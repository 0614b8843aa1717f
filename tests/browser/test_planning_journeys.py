"""A regional manager plans their region's capacity: the week's occupancy across premises, the forecast, a CSV."""

import csv
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_regional_manager_reads_the_occupancy_grid_and_the_forecast_and_downloads_a_csv(journey):
    journey.sign_in("referral.unit@demo.test")
    page = journey.navigate_to("Capacity planning")
    expect(page.locator("h1")).to_have_text("Occupancy across premises")
    expect(page.locator("tbody tr").first).to_contain_text("free")
    assert set(page.locator("tbody th .govuk-body-s").all_inner_texts()) == {"North West"}
    journey.click("link", "Next week")
    expect(page.locator("caption")).to_contain_text("Week of")
    journey.click("link", "Forecast")
    expect(page.locator("h1")).to_have_text("Forecast of beds and demand")
    expect(page.locator("svg.app-chart title")).to_contain_text("Beds in service and expected demand")
    expect(page.locator("table").first.locator("tbody tr")).to_have_count(26)
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").first.click()
    header, *rows = list(csv.reader(open(download.value.path(), newline="", encoding="utf-8")))
    assert header[:2] == ["Week starting", "Beds in service"] and len(rows) == 26


def test_a_regional_manager_closes_an_ap_in_a_scenario_runs_it_and_reads_the_comparison(journey):
    journey.sign_in("referral.unit@demo.test")
    journey.navigate_to("Capacity planning")
    page = journey.click("link", "What-if scenarios")
    page.get_by_label("Name").fill("Ribble House closed")
    journey.click("button", "Create the scenario")
    journey.expect_success("Scenario ‘Ribble House closed’ created")

    page.get_by_label("Add beds at an AP").check()
    page.get_by_label("AP", exact=True).select_option(label="Ribble House")
    page.get_by_label("Number of beds or referrals").fill("-2")
    journey.click("button", "Add the change")
    journey.expect_error("number", "Enter a number of beds from 1 to 100")

    page.get_by_label("Close an AP").check()
    expect(page.get_by_label("Number of beds or referrals")).to_be_hidden()  # only a closure's questions show
    page.get_by_label("AP", exact=True).select_option(label="Ribble House")
    journey.click("button", "Add the change")
    journey.expect_success("Change added")
    expect(page.locator("ul.govuk-list li")).to_have_text(re.compile(r"^\s*Close Ribble House"))

    page.get_by_label("Open a new AP").check()
    expect(page.get_by_label("AP", exact=True)).to_be_hidden()
    page.get_by_label("Town or postcode district of the new AP").fill("Atlantis")
    page.get_by_label("Men or women").select_option(label="Men")
    page.get_by_label("AP type", exact=True).select_option(label="Standard")
    page.get_by_label("Number of beds or referrals").fill("12")
    journey.click("button", "Add the change")
    journey.expect_error("place", "Enter a town or postcode district in England or Wales, like Leeds or LS1")
    page.get_by_label("Town or postcode district of the new AP").fill("Blackpool")
    journey.click("button", "Add the change")
    expect(page.locator("ul.govuk-list li").nth(1)).to_contain_text("Open a new Standard AP for men in Blackpool")

    page.get_by_label("Time limit for each plan, in seconds").fill("10")
    journey.click("button", "Run the scenario")
    comparison = page.locator("table", has_text="Today and the scenario, side by side")
    expect(comparison).to_be_visible(timeout=180_000)  # the page refreshes itself until the run ends
    journey.check_accessibility()
    placed = comparison.locator("tr").filter(has=page.get_by_role("rowheader", name="Placed", exact=True))
    placed = placed.locator("td").all_inner_texts()
    assert len(placed) == 2 and all(text.replace(",", "").isdigit() for text in placed)
    expect(comparison.locator("tr", has_text="Occupancy of the next 4 weeks")).to_be_visible()
    journey.screenshot("scenario-comparison")

    journey.click("link", "Back to your scenarios")
    page.get_by_label("Name").fill("Nothing changed")
    journey.click("button", "Create the scenario")
    journey.click("link", "Back to your scenarios")
    page.get_by_label("Compare Ribble House closed").check()
    journey.click("button", "Compare the selected scenarios")
    journey.expect_error("scenario", "Select from 2 to 6 scenarios to compare")
    journey.check_accessibility()
    page.get_by_label("Compare Nothing changed").check()
    journey.click("button", "Compare the selected scenarios")
    expect(page.locator("h1")).to_have_text("Scenarios compared")
    expect(page.locator("thead th").nth(2)).to_have_text("Ribble House closed: changed")
    expect(page.locator(".govuk-inset-text")).to_contain_text("Not run yet, so not shown: Nothing changed.")
    journey.check_accessibility()
    journey.screenshot("scenarios-compared")
