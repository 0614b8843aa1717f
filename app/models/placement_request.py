"""Placement requests: accepted referrals waiting for a place, with what the place must offer.

What the optimiser matches: the assessor's confirmed AP type, the gender of AP, essential and desirable
characteristics (codes of vocabulary.CHARACTERISTICS, premises and room alike) and the authorised length of stay.
"""

from datetime import date, datetime
from enum import Enum

from sqlalchemy import JSON, Date, ForeignKey, SmallInteger, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock
from app.extensions import db
from app.models.types import enum_type
from vocabulary import CHARACTERISTICS, APType, Gender, Notice, UnableToMatchReason


class PlacementRequestStatus(str, Enum):
    READY_TO_MATCH = "ready_to_match"
    PROPOSED = "proposed"  # a finished optimiser run proposes a place for it
    BOOKED = "booked"
    # No premises can take the person under the rules: recorded with the binding reason, and reopened when that
    # changes (a bed frees up, a zone is redrawn).
    UNABLE_TO_MATCH = "unable_to_match"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class PlacementRequest(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique: a referral is accepted once, so it makes one placement request however often "Accept" is pressed.
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id"), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    gender: Mapped[Gender] = mapped_column(enum_type(Gender))
    ap_type: Mapped[APType] = mapped_column(enum_type(APType))
    essential_characteristics: Mapped[list[str]] = mapped_column(JSON)
    desirable_characteristics: Mapped[list[str]] = mapped_column(JSON)
    notice: Mapped[Notice] = mapped_column(enum_type(Notice))
    expected_arrival: Mapped[date] = mapped_column(Date)
    length_of_stay_weeks: Mapped[int] = mapped_column(SmallInteger)
    status: Mapped[PlacementRequestStatus] = mapped_column(
        enum_type(PlacementRequestStatus), default=PlacementRequestStatus.READY_TO_MATCH, index=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.utc_now)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    # Why it could not be matched, while UNABLE_TO_MATCH; the timeline keeps every earlier time.
    unable_to_match_reason: Mapped[UnableToMatchReason | None] = mapped_column(enum_type(UnableToMatchReason))
    unable_to_match_detail: Mapped[str | None] = mapped_column(Text)

    referral: Mapped["Referral"] = relationship()  # noqa: F821
    person: Mapped["Person"] = relationship()  # noqa: F821
    region: Mapped["Region"] = relationship()  # noqa: F821
    created_by: Mapped["User"] = relationship()  # noqa: F821

    @property
    def essential_labels(self) -> list[str]:
        return _labels(self.essential_characteristics)

    @property
    def desirable_labels(self) -> list[str]:
        return _labels(self.desirable_characteristics)


def _labels(codes: list[str]) -> list[str]:
    return [characteristic.label for characteristic in CHARACTERISTICS if characteristic.code in codes]
