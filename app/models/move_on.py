"""Move-on providers: where people go when their AP stay ends, and how many places each opens a week.

The optimiser secures a place for each person it places (app/services/matching.py): an AP near a provider of the
kind of accommodation the person is expected to move on to, with a place free in the week the stay ends.
"""

from sqlalchemy import Float, ForeignKey, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import enum_type
from vocabulary import MoveOnCategory, Point


class MoveOnProvider(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    category: Mapped[MoveOnCategory] = mapped_column(enum_type(MoveOnCategory))
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    town: Mapped[str] = mapped_column(String(100))
    longitude: Mapped[float] = mapped_column(Float)
    latitude: Mapped[float] = mapped_column(Float)
    places_per_week: Mapped[int] = mapped_column(SmallInteger)
    is_active: Mapped[bool] = mapped_column(default=True)

    region: Mapped["Region"] = relationship()  # noqa: F821

    @property
    def location(self) -> Point:
        return Point(self.longitude, self.latitude)
