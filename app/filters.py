"""Template filters for dates and distances in the GOV.UK style."""

from datetime import date, datetime

from vocabulary import km_to_miles


def govuk_date(value: date | datetime | None) -> str:
    """'5 January 2027', as the GOV.UK style guide writes dates."""
    return f"{value.day} {value:%B %Y}" if value else ""


def govuk_datetime(value: datetime | None) -> str:
    return f"{govuk_date(value)} at {value:%H:%M}" if value else ""


def distance(km: float | None) -> str:
    """Kilometres with miles beside them, because practitioners think in miles."""
    return "" if km is None else f"{km:.0f} km ({km_to_miles(km):.0f} miles)"


def register(app) -> None:
    app.add_template_filter(govuk_date)
    app.add_template_filter(govuk_datetime)
    app.add_template_filter(distance)
