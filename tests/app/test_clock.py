"""One clock for the whole app: London dates, frozen in tests, and no other way of asking the date."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from app import clock
from app.filters import govuk_datetime
from app.permissions import Role

APP_DIR = Path(__file__).resolve().parents[2] / "app"
OTHER_CLOCKS = re.compile(r"\b(date\.today|datetime\.(now|utcnow|today))\(")


@pytest.mark.parametrize(
    ("utc", "london_date"),
    [
        (datetime(2030, 6, 30, 23, 30, tzinfo=UTC), date(2030, 7, 1)),  # British Summer Time: already tomorrow
        (datetime(2030, 12, 30, 23, 30, tzinfo=UTC), date(2030, 12, 30)),  # Greenwich Mean Time: still today
        (datetime(2030, 3, 31, 0, 30, tzinfo=UTC), date(2030, 3, 31)),  # the night the clocks go forward
    ],
)
def test_today_is_the_date_in_london(time_machine, utc, london_date):
    time_machine.move_to(utc, tick=False)
    assert clock.today() == london_date
    assert clock.utc_now() == utc.replace(tzinfo=None)


def test_pages_count_for_the_london_date(time_machine, client_request, make_user, make_premises):
    premises = make_premises()
    time_machine.move_to(datetime(2030, 6, 30, 23, 30, tzinfo=UTC), tick=False)
    client_request.sign_in(make_user(Role.ADMIN))
    page = client_request.get(f"/premises/{premises.id}")
    assert page.find("h2", string="Beds today, 1 July 2030")


def test_no_other_clock_is_read_in_the_app():
    readers = [
        f"{path.relative_to(APP_DIR.parent)}:{number}"
        for path in APP_DIR.rglob("*.py")
        if path != APP_DIR / "clock.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if OTHER_CLOCKS.search(line)
    ]
    assert readers == []


@pytest.mark.parametrize(
    ("stored_utc", "shown"),
    [
        (datetime(2030, 6, 30, 23, 30), "1 July 2030 at 12:30am"),  # British Summer Time: an hour ahead of UTC
        (datetime(2030, 12, 30, 13, 5), "30 December 2030 at 1:05pm"),  # Greenwich Mean Time: as stored
        (datetime(2030, 1, 1, 11, 59), "1 January 2030 at 11:59am"),
    ],
)
def test_stored_times_are_shown_as_uk_time(stored_utc, shown):
    assert govuk_datetime(stored_utc) == shown
