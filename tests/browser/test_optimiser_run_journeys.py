"""The referral unit runs the optimiser for their region, watches its progress, sees it finish and reads the
proposals. axe-core checks every page on the way, the progress page while the run is running too."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

REFERRAL_UNIT = "referral.unit@demo.test"


def test_the_referral_unit_runs_the_optimiser_watches_it_and_reads_the_proposals(journey):
    page = journey.sign_in(REFERRAL_UNIT)
    journey.navigate_to("Optimiser runs")
    journey.click("button", "Run the optimiser")  # a link that looks like a button
    expect(page.get_by_label("Which region's placement requests?")).to_have_value(
        page.locator("#region_id option").first.get_attribute("value"))
    page.get_by_label("Time limit, in seconds").fill("5")
    journey.click("button", "Run the optimiser")
    journey.expect_error("time_limit_s", "The time limit must be between 10 and 600 seconds")

    page.get_by_label("Time limit, in seconds").fill("10")
    journey.click("button", "Run the optimiser")
    # A region's run may be proved optimal within a second: whether the page shows it queued, running or finished
    # first depends on the machine. Nobody reloads it: it updates itself.
    expect(page.locator("#run-status")).to_have_text(re.compile(r"^(Waiting to start|Running|Finished)"))
    journey.screenshot("optimiser-run-started")
    expect(page.locator("#run-status")).to_contain_text("Finished", timeout=60_000)
    journey.check_accessibility()
    expect(page.locator(".app-run-chart svg")).to_be_visible()
    page.get_by_text("The progress as a table").click()
    expect(page.get_by_role("region", name="Progress of the run")).to_be_visible()
    journey.screenshot("optimiser-run-finished")

    journey.click("button", "See the proposals")
    expect(page.get_by_role("heading", level=1)).to_have_text("Review proposed placements")
    proposals = page.get_by_role("region", name="Proposed placements").locator("tbody tr")
    expect(proposals.first).to_be_visible()
    journey.screenshot("optimiser-run-proposals")

    journey.navigate_to("Optimiser runs")
    expect(page.get_by_role("region", name="Optimiser runs").locator("tbody tr").first).to_contain_text("Finished")


def test_a_national_manager_stops_a_long_run_and_keeps_its_best_plan_so_far(journey):
    page = journey.sign_in("national.manager@demo.test")
    journey.navigate_to("Optimiser runs")
    journey.click("button", "Run the optimiser")
    page.get_by_label("Which region's placement requests?").select_option(label="All regions (a national run)")
    page.get_by_label("Time limit, in seconds").fill("300")
    journey.click("button", "Run the optimiser")
    # The page updates itself: the button appears with the first complete plan, long before the time limit.
    stop = page.get_by_role("button", name="Stop and keep the best plan so far")
    expect(stop).to_be_visible(timeout=60_000)
    journey.screenshot("optimiser-run-with-a-plan-so-far")
    stop.click()
    journey.expect_success("The run is stopping: its best plan so far will be its proposals")
    expect(page.locator("#run-status")).to_contain_text("Finished", timeout=60_000)
    journey.click("button", "See the proposals")
    expect(page.get_by_role("region", name="Proposed placements").locator("tbody tr").first).to_be_visible()
