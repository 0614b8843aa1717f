"""People on probation and their stays in approved premises."""

from datetime import date
from enum import Enum

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import NumberedEnum, enum_type
from vocabulary import Gender, MappaCategory, MappaLevel, RiskLevel


class PlacementStatus(str, Enum):
    UPCOMING = "upcoming"
    ARRIVED = "arrived"
    DEPARTED = "departed"
    NOT_ARRIVED = "not_arrived"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


def _risk_column():
    return mapped_column(enum_type(RiskLevel))


class Person(db.Model):
    """A person on probation; risk of serious harm is kept apart from likelihood of reoffending.

    Risk is optional here: a person added to start a referral has none until the referral's risk section records
    it, while the demo residents carry theirs.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    crn: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    gender: Mapped[Gender] = mapped_column(enum_type(Gender))
    date_of_birth: Mapped[date] = mapped_column(Date)
    gender_identity: Mapped[str | None] = mapped_column(String(60))
    nationality: Mapped[str | None] = mapped_column(String(60))
    rosh_overall: Mapped[RiskLevel | None] = _risk_column()
    rosh_children: Mapped[RiskLevel | None] = _risk_column()
    rosh_public: Mapped[RiskLevel | None] = _risk_column()
    rosh_known_adult: Mapped[RiskLevel | None] = _risk_column()
    rosh_staff: Mapped[RiskLevel | None] = _risk_column()
    risk_assessed_on: Mapped[date | None] = mapped_column(Date)
    mappa_category: Mapped[MappaCategory | None] = mapped_column(NumberedEnum(MappaCategory))
    mappa_level: Mapped[MappaLevel | None] = mapped_column(NumberedEnum(MappaLevel))
    reoffending_tier: Mapped[str | None] = mapped_column(String(2))


class Placement(db.Model):
    """A bed booked for a person at a premises; expected dates until arrival and departure are recorded."""

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    premises_id: Mapped[int] = mapped_column(ForeignKey("premises.id"), index=True)
    bed_id: Mapped[int | None] = mapped_column(ForeignKey("bed.id"), index=True)
    expected_arrival: Mapped[date] = mapped_column(Date)
    expected_departure: Mapped[date] = mapped_column(Date)
    actual_arrival: Mapped[date | None] = mapped_column(Date)
    actual_departure: Mapped[date | None] = mapped_column(Date)
    status: Mapped[PlacementStatus] = mapped_column(
        enum_type(PlacementStatus), index=True
    )

    person: Mapped[Person] = relationship()
    premises: Mapped["Premises"] = relationship()  # noqa: F821
    bed: Mapped["Bed | None"] = relationship()  # noqa: F821

    @property
    def arrival(self) -> date:
        return self.actual_arrival or self.expected_arrival

    @property
    def departure(self) -> date:
        return self.actual_departure or self.expected_departure
