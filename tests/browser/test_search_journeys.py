"""The referral unit searches the estate for a placement request, books a result, sees it booked, then changes
its dates and cancels it. axe-core checks every page on the way (tests/browser/conftest.py)."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from app.extensions import db
from app.models import PlacementRequest, User
from app.services import matching, placement_search

pytestmark = pytest.mark.browser

PLACER = "referral.unit@demo.test"


@pytest.fixture(scope="module")
def waiting(live_app) -> tuple[int, str]:
    """A request of the placer's region still to place (other journeys' runs may have proposed it a place) that some
    AP can take for its whole stay (which no page says: the dashboard links to the search); its id and name."""
    with live_app.app_context():
        placer = db.session.scalar(sa.select(User).where(User.email == PLACER))
        for placement_request in db.session.scalars(
            sa.select(PlacementRequest).where(PlacementRequest.region_id == placer.region_id,
                                              PlacementRequest.status.in_(matching.OPEN_STATUSES))
            .order_by(PlacementRequest.id)
        ):
            criteria = placement_search.default_criteria(placement_request)
            if placement_search.search(placer, placement_request, criteria).found:
                return placement_request.id, placement_request.person.name
    pytest.fail("no demo placement request of the placer's region has a place free")


def _fill_date(page: Page, field: str, day: date) -> None:
    page.locator(f"#{field}-day").fill(str(day.day))
    page.locator(f"#{field}-month").fill(str(day.month))
    page.locator(f"#{field}-year").fill(str(day.year))


def _date_in(page: Page, field: str) -> date:
    return date(*(int(page.locator(f"#{field}-{part}").input_value()) for part in ("year", "month", "day")))


def test_the_referral_unit_searches_books_changes_the_dates_and_cancels(journey, waiting):
    placement_request_id, name = waiting
    page = journey.sign_in(PLACER)
    journey.open(f"/placement-requests/{placement_request_id}/search")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search for a place")
    journey.click("button", "Search")
    expect(page.get_by_role("heading", level=2).first).to_contain_text("approved premises")
    journey.screenshot("search-results")
    premises = page.locator("table tbody tr").first.locator("td").first.inner_text().splitlines()[0]

    page.locator("table tbody tr").first.get_by_role("link", name="Book").click()
    journey.check_accessibility()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the booking")
    journey.click("button", "Book")
    journey.expect_success(f"{name} is booked into {premises}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Booking")
    expect(page.locator("main")).to_contain_text("Upcoming")
    journey.screenshot("booking")

    journey.click("button", "Change the dates")
    arrival = _date_in(page, "arrival")
    _fill_date(page, "departure", arrival - timedelta(days=1))
    journey.click("button", "Change dates")
    journey.expect_error("departure", "The departure date must be after the arrival date")
    _fill_date(page, "departure", arrival + timedelta(days=14))
    journey.click("button", "Change dates")
    journey.expect_success("The booking is now from")
    expect(page.locator("main")).to_contain_text(f"{arrival + timedelta(days=14):%B %Y}")

    journey.click("button", "Cancel the booking")
    page.get_by_label("Withdrawn by the probation practitioner").check()
    journey.click("button", "Cancel the placement")
    journey.expect_success(f"The booking of {name} at {premises} is cancelled")
    expect(page.locator("main")).to_contain_text("Cancelled")
    expect(page.get_by_role("button", name="Change the dates")).to_have_count(0)
