"""What keeps victims and others safe from the person: exclusion zones and non-associates, many per referral.

Only users with the victim-details permission see them, and every view is audited (app/services/victim_details.py).
"""

import json

from sqlalchemy import Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import enum_type
from vocabulary import KM_PER_MILE, ExclusionZoneSource, NonAssociateReason

SQUARE_KM_PER_SQUARE_MILE = KM_PER_MILE**2


def _amount(value: float) -> str:
    """A measure as people say it: one decimal place below 10 ("0.5", "1.6"), whole numbers above ("16")."""
    return f"{value:.1f}".removesuffix(".0") if value < 10 else f"{value:,.0f}"


class ExclusionZone(db.Model):
    """An area the person's licence forbids them to enter, never named by the victim's address.

    `geometry` is a GeoJSON Polygon or MultiPolygon in WGS84 longitude and latitude, checked by
    app/services/exclusion_zones.py, which the optimiser reads whatever the source. A circle is kept as that polygon
    too, and also as its centre and radius, which are exact and how people describe it. Zones are added and removed,
    never edited, so their area is worked out once.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id"), index=True)
    label: Mapped[str] = mapped_column(String(60))
    source: Mapped[ExclusionZoneSource] = mapped_column(enum_type(ExclusionZoneSource))
    geometry: Mapped[str] = mapped_column(Text)
    area_km2: Mapped[float] = mapped_column(Float)
    centre_name: Mapped[str | None] = mapped_column(String(60))
    centre_longitude: Mapped[float | None] = mapped_column(Float)
    centre_latitude: Mapped[float | None] = mapped_column(Float)
    radius_km: Mapped[float | None] = mapped_column(Float)

    @property
    def where(self) -> str:
        """Where the zone is in words, for people who cannot see the map: its centre town and size, no closer."""
        if self.radius_km is not None:
            miles = self.radius_km / KM_PER_MILE
            return (f"{_amount(miles)} {'mile' if miles == 1 else 'miles'} ({_amount(self.radius_km)} km) "
                    f"around {self.centre_name}")
        return (f"{_amount(self.area_km2 / SQUARE_KM_PER_SQUARE_MILE)} square miles ({_amount(self.area_km2)} km²) "
                f"near {self.centre_name}")

    @property
    def feature(self) -> dict:
        """The zone as a GeoJSON feature for the map, labelled and nothing more."""
        return {"type": "Feature", "properties": {"label": self.label}, "geometry": json.loads(self.geometry)}


class NonAssociate(db.Model):
    """Someone the person must never share an AP with at the same time, known by their CRN."""

    __table_args__ = (UniqueConstraint("referral_id", "crn"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id"), index=True)
    crn: Mapped[str] = mapped_column(String(7))
    name: Mapped[str] = mapped_column(String(120))
    reason: Mapped[NonAssociateReason] = mapped_column(enum_type(NonAssociateReason))
    reason_detail: Mapped[str | None] = mapped_column(String(200))
