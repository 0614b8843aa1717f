"""Periods of whole days, and the one test of whether two of them share a day, in SQL and in Python alike.

Periods are kept in two ways. An out-of-service period names its last day (`end_date`, included). A stay names
its departure, the day the bed is free again, so its last night is the day before. `dates_overlap` takes both
ends of the same kind; where the kinds meet, the Python side is moved to the database's way (`day_after`), so
out-of-service periods, residents and bookings all meet the same test.
"""

from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


def dates_overlap(start, end, other_start, other_end, *, end_included: bool):
    """Whether two periods share a day: dates give a bool, SQL columns a condition (`&` is "and" for both).

    With `end_included` each end is the period's last day; without, the first day after it.
    """
    if end_included:
        return (start <= other_end) & (other_start <= end)
    return (start < other_end) & (other_start < end)


def day_after(day: date) -> date:
    return day + timedelta(days=1)


def day_before(day: date) -> date:
    return day - timedelta(days=1)


def years_after(day: date, years: int) -> date:
    """The same date `years` later; 29 February becomes 28 February in a year that has none."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


# --- day arithmetic in SQL, the same on SQLite and PostgreSQL, so sums over many rows are done by the database ------


class days_between(FunctionElement):  # noqa: N801 - used like sa.func's functions
    """Whole days from a date to a later one (negative when it is earlier)."""

    type = sa.Integer()
    inherit_cache = True


class later(FunctionElement):  # noqa: N801
    """The later of two dates (or the larger of two numbers); neither may be NULL."""

    inherit_cache = True

    def __init__(self, *clauses):
        super().__init__(*clauses)
        self.type = self.clauses.clauses[0].type  # its arguments', so that SQLite's text comes back as a date


class earlier(FunctionElement):  # noqa: N801
    """The earlier of two dates (or the smaller of two numbers); neither may be NULL."""

    inherit_cache = True

    def __init__(self, *clauses):
        super().__init__(*clauses)
        self.type = self.clauses.clauses[0].type


def nights(first, last):
    """SQL for the days from `first` to `last` inclusive, none when `last` comes first."""
    return later(days_between(first, last) + 1, 0)


@compiles(days_between)
def _days_between(element, compiler, **kw):  # PostgreSQL: a date minus a date is a number of days
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(CAST({end} AS DATE) - CAST({start} AS DATE))"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):  # SQLite keeps dates as ISO text
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)"


@compiles(later)
def _later(element, compiler, **kw):
    return f"GREATEST({compiler.process(element.clauses, **kw)})"


@compiles(later, "sqlite")
def _later_sqlite(element, compiler, **kw):  # SQLite's max() of several arguments is GREATEST
    return f"max({compiler.process(element.clauses, **kw)})"


@compiles(earlier)
def _earlier(element, compiler, **kw):
    return f"LEAST({compiler.process(element.clauses, **kw)})"


@compiles(earlier, "sqlite")
def _earlier_sqlite(element, compiler, **kw):
    return f"min({compiler.process(element.clauses, **kw)})"
