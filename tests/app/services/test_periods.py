"""The one overlap test: in Python it agrees with counting shared days, and the database agrees with Python."""

from datetime import date, timedelta

import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from app.extensions import db
from app.services.periods import dates_overlap, years_after

days = st.dates(min_value=date(2030, 1, 1), max_value=date(2030, 3, 1))


def _days(start: date, end: date, end_included: bool) -> set[date]:
    length = (end - start).days + (1 if end_included else 0)
    return {start + timedelta(days=n) for n in range(length)}


@given(days, days, days, days, st.booleans())
def test_periods_overlap_when_they_share_a_day(start, end, other_start, other_end, end_included):
    shared = _days(start, end, end_included) & _days(other_start, other_end, end_included)
    empty = not _days(start, end, end_included) or not _days(other_start, other_end, end_included)
    if not empty:  # an empty period (end before start) shares nothing, and no caller asks about one
        assert dates_overlap(start, end, other_start, other_end, end_included=end_included) == bool(shared)


@settings(max_examples=40, deadline=None)
@given(days, days, days, days, st.booleans())
def test_the_database_answers_as_python_does(app, start, end, other_start, other_end, end_included):
    in_sql = dates_overlap(sa.literal(start, sa.Date), sa.literal(end, sa.Date), other_start, other_end,
                           end_included=end_included)
    assert db.session.scalar(sa.select(in_sql)) == dates_overlap(start, end, other_start, other_end,
                                                                 end_included=end_included)


def test_years_after_keeps_the_date_or_the_last_of_february():
    assert years_after(date(2030, 6, 15), 2) == date(2032, 6, 15)
    assert years_after(date(2028, 2, 29), 2) == date(2030, 2, 28)
