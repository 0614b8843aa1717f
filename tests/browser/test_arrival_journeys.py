"""AP staff prepare an arrival on the arrivals board, record it, and later record the departure with a move-on
category; then read the occupancy calendar. axe-core checks every page on the way (tests/browser/conftest.py)."""

from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from app import clock
from app.extensions import db
from app.filters import govuk_date
from app.models import Placement, PlacementStatus, User
from app.services import arrivals

pytestmark = pytest.mark.browser

STAFF = "ap.staff@demo.test"


@pytest.fixture(scope="module")
def arriving_today(live_app) -> str:
    """The name of someone on the board whose bed is free from today, so that they can arrive early: which one no
    page says, and the session's other journeys change the same demo data."""
    with live_app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == STAFF))
        today = clock.today()
        on_the_board = today + timedelta(days=arrivals.ARRIVALS_WITHIN_DAYS)
        for placement in db.session.scalars(
            sa.select(Placement)
            .where(Placement.premises_id == user.premises_id, Placement.status == PlacementStatus.UPCOMING,
                   Placement.expected_arrival <= on_the_board)
            .order_by(Placement.expected_arrival)
        ):
            if not arrivals.arrival_problems(user, placement, arrivals.Moment(today, time(0, 0))):
                return placement.person.name
    pytest.fail("no arrival on the demo board can arrive today")


def _fill_date(page: Page, field: str, day: date) -> None:
    page.locator(f"#{field}-day").fill(str(day.day))
    page.locator(f"#{field}-month").fill(str(day.month))
    page.locator(f"#{field}-year").fill(str(day.year))


def _now() -> str:
    return f"{clock.now():%H:%M}"


def test_ap_staff_prepare_an_arrival_record_it_and_later_the_departure(journey, arriving_today):
    page = journey.sign_in(STAFF)
    journey.navigate_to("Arrivals and departures")
    expect(page.get_by_role("heading", level=1)).to_have_text("Arrivals and departures")
    journey.screenshot("arrivals-board")

    journey.click("link", arriving_today, exact=True)
    expect(page.get_by_role("heading", level=1)).to_have_text(arriving_today)
    journey.click("link", "Assign key worker")
    page.get_by_label("Member of staff").select_option(label="Sam Demo")
    journey.click("button", "Assign key worker")
    journey.expect_success(f"Sam Demo is the key worker of {arriving_today}")

    journey.click("link", "Risk summary and risk management plan read")
    for box in page.locator("input[name=items]").all():
        box.check()
    journey.click("button", "Save checklist")
    journey.expect_error("police_notified_on", "Enter the date the police were told", summary_link_focuses_field=False)
    _fill_date(page, "police_notified_on", clock.today())
    page.get_by_label("Telephone").check()
    journey.click("button", "Save checklist")
    journey.expect_success("Checklist saved")
    expect(page.get_by_text("7 of 7 done")).to_be_visible()
    journey.screenshot("arrival-prepared")

    journey.click("button", "Record arrival")
    _fill_date(page, "arrival_date", clock.today())
    journey.click("button", "Record arrival")
    journey.expect_error("arrival_time", "Enter the arrival time")
    page.get_by_label("Time of arrival").fill(_now())
    journey.click("button", "Record arrival")
    journey.expect_success(f"Arrival of {arriving_today} recorded")
    expect(page.locator(".govuk-tag", has_text="Arrived")).to_be_visible()

    journey.click("button", "Record departure")
    _fill_date(page, "departure_date", clock.today())
    page.get_by_label("Time of departure").fill(_now())
    page.get_by_label("Planned move-on").check()
    journey.click("button", "Record departure")
    journey.expect_error("move_on_category", "Select where the person has moved on to")
    page.get_by_label("Supported housing").check()
    journey.click("button", "Record departure")
    journey.expect_success(f"Departure of {arriving_today} recorded")
    summary = page.locator(".govuk-summary-list").first
    expect(summary).to_contain_text("Moved on to")
    expect(summary).to_contain_text("Supported housing")
    journey.screenshot("departure-recorded")


def test_ap_staff_read_the_occupancy_calendar_and_a_day(journey):
    page = journey.sign_in(STAFF)
    journey.navigate_to("Arrivals and departures")
    journey.click("link", "Occupancy calendar")
    today = clock.today()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Occupancy in {today:%B %Y}")
    journey.screenshot("occupancy-calendar")
    journey.click("link", f"{today:%a} {today.day}", exact=True)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Occupancy on {govuk_date(today)}")
    journey.click("link", f"Occupancy in {today:%B %Y}")
    journey.click("link", "Next page")
    expect(page.get_by_role("heading", level=1)).not_to_have_text(f"Occupancy in {today:%B %Y}")
