"""Assessment deadlines: exact dates over bank holidays, weekends and changes of clocks, and the rules as properties."""

from datetime import UTC, date, datetime, timedelta

import pytest
from govuk_bank_holidays.bank_holidays import BankHolidays
from hypothesis import given
from hypothesis import strategies as st

from app.clock import LONDON
from app.services.assessment_deadlines import (
    Deadline,
    Pause,
    add_working_days,
    due,
    is_working_day,
    working_days_after,
)
from vocabulary import Notice


def london(*parts, fold=0) -> datetime:
    return datetime(*parts, tzinfo=LONDON, fold=fold)


def due_day(notice: Notice, submitted_at: datetime, pauses=()) -> date:
    deadline = due(notice, submitted_at, pauses)
    assert deadline.whole_day
    return deadline.at.date()


def test_the_bank_holidays_are_those_gov_uk_publishes_for_england_and_wales():
    published = BankHolidays(use_cached_holidays=True).get_holidays(BankHolidays.ENGLAND_AND_WALES)
    assert published, "the bundled copy of GOV.UK's list is there"
    first, last = published[0]["date"], published[-1]["date"]
    weekdays = [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
    holidays_on_weekdays = {day for day in weekdays if day.weekday() < 5 and not is_working_day(day)}
    assert holidays_on_weekdays == {holiday["date"] for holiday in published}


@pytest.mark.parametrize(("notice", "submitted_at", "expected"), [
    # Christmas 2026: Boxing Day falls on a Saturday, so Monday 28 December is its substitute; New Year's Day is Friday
    (Notice.STANDARD, london(2026, 12, 23, 10), date(2027, 1, 11)),
    (Notice.SHORT_NOTICE, london(2026, 12, 23, 10), date(2027, 1, 4)),
    (Notice.SHORT_NOTICE, london(2026, 12, 24, 16), date(2027, 1, 5)),
    # Easter 2027: Good Friday 26 March and Easter Monday 29 March
    (Notice.SHORT_NOTICE, london(2027, 3, 25, 9), date(2027, 4, 5)),
    (Notice.STANDARD, london(2027, 3, 25, 9), date(2027, 4, 12)),
    # An ordinary fortnight with two weekends
    (Notice.STANDARD, london(2026, 6, 1, 9), date(2026, 6, 15)),
    # Submitted at the weekend or on a bank holiday: due as if submitted on the working day before
    (Notice.STANDARD, london(2026, 6, 5, 17), date(2026, 6, 19)),
    (Notice.STANDARD, london(2026, 6, 6, 11), date(2026, 6, 19)),
    (Notice.STANDARD, london(2026, 6, 7, 23, 30), date(2026, 6, 19)),
    (Notice.SHORT_NOTICE, london(2027, 3, 29, 8), date(2027, 4, 5)),
    # Half past midnight on a Monday in London is still Sunday in UTC: it is London's day that counts
    (Notice.STANDARD, datetime(2026, 6, 7, 23, 30, tzinfo=UTC).astimezone(LONDON), date(2026, 6, 22)),
])
def test_working_day_deadlines_fall_on_exact_dates(notice, submitted_at, expected):
    assert due_day(notice, submitted_at) == expected


def test_a_working_day_deadline_is_the_end_of_its_day():
    deadline = due(Notice.STANDARD, london(2026, 6, 1, 9))
    assert deadline.is_due_today(london(2026, 6, 15, 23, 59))
    assert not deadline.is_overdue(london(2026, 6, 15, 23, 59))
    assert deadline.is_overdue(london(2026, 6, 16, 0, 0))
    assert not deadline.is_due_today(london(2026, 6, 14, 12))


@pytest.mark.parametrize(("submitted_at", "expected"), [
    (london(2026, 12, 25, 22, 30), london(2026, 12, 26, 0, 30)),  # over midnight on Christmas Day: time, not days
    (london(2027, 3, 28, 0, 30), london(2027, 3, 28, 3, 30)),  # clocks go forward at 1am: two hours are still two
    (london(2027, 10, 31, 0, 30), london(2027, 10, 31, 1, 30, fold=1)),  # clocks go back: 1:30am the second time
])
def test_an_emergency_is_due_two_hours_after_submission(submitted_at, expected):
    deadline = due(Notice.EMERGENCY, submitted_at)
    assert deadline == Deadline(expected, whole_day=False)
    assert deadline.at.astimezone(UTC) - submitted_at.astimezone(UTC) == timedelta(hours=2)


@pytest.mark.parametrize(("pause", "days_later"), [
    (Pause(london(2026, 6, 2, 10), london(2026, 6, 2, 15)), 0),  # answered the same day
    (Pause(london(2026, 6, 2, 10), london(2026, 6, 4, 9)), 2),  # Wednesday and Thursday
    (Pause(london(2026, 6, 5, 16), london(2026, 6, 8, 9)), 1),  # Friday to Monday: only Monday counts
    (Pause(london(2026, 6, 6, 10), london(2026, 6, 7, 10)), 0),  # wholly at the weekend
])
def test_a_pause_moves_the_deadline_on_by_the_working_days_it_lasted(pause, days_later):
    submitted_at = london(2026, 6, 1, 9)
    assert due_day(Notice.STANDARD, submitted_at, [pause]) == add_working_days(date(2026, 6, 15), days_later)


def test_an_emergency_pause_moves_the_deadline_on_by_its_time():
    submitted_at = london(2026, 6, 1, 9)
    pause = Pause(london(2026, 6, 1, 9, 30), london(2026, 6, 1, 10, 15))
    assert due(Notice.EMERGENCY, submitted_at, [pause]).at == london(2026, 6, 1, 11, 45)


@pytest.mark.parametrize("notice", list(Notice))
def test_there_is_no_deadline_while_a_question_waits_for_its_answer(notice):
    answered = Pause(london(2026, 6, 2, 10), london(2026, 6, 3, 10))
    assert due(notice, london(2026, 6, 1, 9), [answered, Pause(london(2026, 6, 4, 10), None)]) is None


# --- the rules as properties ---------------------------------------------------------------------------------------

WORKING_DAY_NOTICES = st.sampled_from([Notice.STANDARD, Notice.SHORT_NOTICE])
# Naive times made London times: hypothesis's aware datetimes would include the hour that a change of clocks skips.
TIMES = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31)).map(
    lambda naive: naive.replace(tzinfo=UTC).astimezone(LONDON))
GAPS = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=30))


@given(notice=WORKING_DAY_NOTICES, submitted_at=TIMES)
def test_a_working_day_deadline_is_a_working_day_that_many_working_days_on(notice, submitted_at):
    day = due_day(notice, submitted_at)
    assert is_working_day(day)
    assert working_days_after(submitted_at.date(), day) == {Notice.STANDARD: 10, Notice.SHORT_NOTICE: 5}[notice]


@given(notice=st.sampled_from(list(Notice)), submitted_at=TIMES, later_by=GAPS)
def test_submitting_later_never_makes_the_deadline_earlier(notice, submitted_at, later_by):
    later = (submitted_at.astimezone(UTC) + later_by).astimezone(LONDON)
    assert due(notice, submitted_at).at <= due(notice, later).at


@given(notice=st.sampled_from(list(Notice)), submitted_at=TIMES, starts_after=GAPS, lasts=GAPS)
def test_a_pause_never_brings_the_deadline_forward_and_never_moves_it_more_than_it_lasted(
        notice, submitted_at, starts_after, lasts):
    started = (submitted_at.astimezone(UTC) + starts_after).astimezone(LONDON)
    ended = (started.astimezone(UTC) + lasts).astimezone(LONDON)
    unpaused, paused = due(notice, submitted_at), due(notice, submitted_at, [Pause(started, ended)])
    assert unpaused.at <= paused.at
    if notice is Notice.EMERGENCY:
        assert paused.at.astimezone(UTC) - unpaused.at.astimezone(UTC) == lasts
    else:
        assert working_days_after(unpaused.at.date(), paused.at.date()) == working_days_after(started.date(), ended.date())
