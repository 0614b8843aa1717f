"""The one clock: business dates are London dates, whatever time zone the server runs in.

A day in this service is a day in England and Wales, so just after midnight in London (still the previous
evening in UTC) is already tomorrow. Tests freeze this clock with time-machine.
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def now() -> datetime:
    """The current time in London, time-zone aware."""
    return datetime.now(LONDON)


def today() -> date:
    """Today's date in London: the date every business rule and count is for."""
    return now().date()


def in_london(stored: datetime) -> datetime:
    """A timestamp column's naive UTC value as London wall-clock time, the time people read."""
    return stored.replace(tzinfo=UTC).astimezone(LONDON)


def utc_now() -> datetime:
    """The current instant as naive UTC, the form in which timestamp columns store it."""
    return datetime.now(UTC).replace(tzinfo=None)
