"""Template filters for dates and distances in the GOV.UK style."""

from datetime import date, datetime

from app.clock import LONDON, in_london
from vocabulary import km_to_miles


def govuk_date(value: date | datetime | None) -> str:
    """'5 January 2027', as the GOV.UK style guide writes dates."""
    return f"{value.day} {value:%B %Y}" if value else ""


def govuk_datetime(stored: datetime | None) -> str:
    """A stored UTC timestamp, or a time-zone aware one, as UK time in the GOV.UK style: '6 January 2030 at 2:05pm'."""
    if stored is None:
        return ""
    local = stored.astimezone(LONDON) if stored.tzinfo else in_london(stored)
    return f"{govuk_date(local)} at {local.hour % 12 or 12}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


def distance(km: float | None) -> str:
    """Kilometres with miles beside them, because practitioners think in miles."""
    return "" if km is None else f"{km:.0f} km ({km_to_miles(km):.0f} miles)"


def register(app) -> None:
    app.add_template_filter(govuk_date)
    app.add_template_filter(govuk_datetime)
    app.add_template_filter(distance)
