"""A regional manager plans their region's capacity: the week's occupancy across premises, the forecast, a CSV."""

import csv

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
