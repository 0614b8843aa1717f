"""Periods of whole days, and the one test of whether two of them share a day, in SQL and in Python alike.

Periods are kept in two ways. An out-of-service period names its last day (`end_date`, included). A stay names
its departure, the day the bed is free again, so its last night is the day before. `dates_overlap` takes both
ends of the same kind; where the kinds meet, the Python side is moved to the database's way (`day_after`), so
out-of-service periods, residents and bookings all meet the same test.
"""

from datetime import date, timedelta


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
