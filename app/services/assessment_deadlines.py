"""When an assessment is due: 10 working days after submission, 5 at short notice, 2 hours in an emergency.

Working days are London's weekdays that are not bank holidays in England and Wales. A working-day deadline is
the end of its day, counted from the day of submission: the first working day after it is day one, so a
referral submitted at the weekend or on a bank holiday is due on the same day as one submitted on the working
day before. An emergency is due two hours after submission, whatever the day or hour.

The clock stops while the assessor waits for further information. Each pause moves the deadline on by the
working time it lasted: for working-day deadlines the working days from the day after the question up to and
including the day of the answer (a question answered the same day costs nothing), for an emergency the time
itself. While a question waits for its answer there is no deadline.

Bank holidays come from the `holidays` package, which derives them from the statutory rules and the announced
one-off days for any year, offline. GOV.UK's own list (the govuk-bank-holidays package bundles a copy) only
reaches two or three years ahead, 2028 in its 0.19 release, after which every deadline would silently ignore
bank holidays; the tests hold the two lists against each other for every weekday GOV.UK publishes.
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import NamedTuple

import holidays

from app.clock import LONDON
from vocabulary import Notice

WORKING_DAYS_TO_ASSESS = {Notice.STANDARD: 10, Notice.SHORT_NOTICE: 5}
EMERGENCY_TIME_TO_ASSESS = timedelta(hours=2)
ONE_DAY = timedelta(days=1)


class Pause(NamedTuple):
    """From a question to its answer, London times; `ended` is None while the answer is awaited."""

    started: datetime
    ended: datetime | None


class Deadline(NamedTuple):
    """The last moment at which an assessment is on time, in London; `whole_day` when it is the end of a day."""

    at: datetime
    whole_day: bool

    def is_overdue(self, now: datetime) -> bool:
        return now > self.at

    def is_due_today(self, now: datetime) -> bool:
        return not self.is_overdue(now) and self.at.date() == now.date()


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    # England's and Wales's bank holidays are the same days; Scotland and Northern Ireland have others.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(day: date, count: int) -> date:
    """The `count`th working day after `day` (which need not be a working day itself)."""
    while count > 0:
        day += ONE_DAY
        count -= is_working_day(day)
    return day


def working_days_after(start: date, end: date) -> int:
    """How many working days there are after `start` up to and including `end`."""
    return sum(is_working_day(start + ONE_DAY * offset) for offset in range(1, (end - start).days + 1))


def due(notice: Notice, submitted_at: datetime, pauses: Iterable[Pause] = ()) -> Deadline | None:
    """When the assessment of a referral submitted at `submitted_at` (London time) is due, or None while a
    question waits for its answer."""
    pauses = list(pauses)
    if any(pause.ended is None for pause in pauses):
        return None
    if notice is Notice.EMERGENCY:
        # In UTC, because London's clocks change: two hours are two hours across a change of clocks too.
        paused = sum((pause.ended.astimezone(UTC) - pause.started.astimezone(UTC) for pause in pauses), timedelta())
        at = submitted_at.astimezone(UTC) + EMERGENCY_TIME_TO_ASSESS + paused
        return Deadline(at.astimezone(LONDON), whole_day=False)
    paused_days = sum(working_days_after(pause.started.date(), pause.ended.date()) for pause in pauses)
    day = add_working_days(submitted_at.date(), WORKING_DAYS_TO_ASSESS[notice] + paused_days)
    return Deadline(datetime.combine(day, time.max, tzinfo=LONDON), whole_day=True)
