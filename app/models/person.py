"""People on probation, their stays in approved premises and how staff prepared each arrival."""

from datetime import date, datetime, time
from enum import Enum

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text, Time, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import NumberedEnum, enum_type
from vocabulary import (
    BreachOrRecallReason,
    CancellationReason,
    DepartureReason,
    Gender,
    MappaCategory,
    MappaLevel,
    MoveOnCategory,
    NonArrivalReason,
    PoliceNotificationMethod,
    PreparationItem,
    RiskLevel,
)


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
    """A bed booked for a person at a premises; expected dates until arrival and departure are recorded.

    The actual dates stay dates, which every count reads; the times beside them are what staff recorded.
    """
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    premises_id: Mapped[int] = mapped_column(ForeignKey("premises.id"), index=True)
    bed_id: Mapped[int | None] = mapped_column(ForeignKey("bed.id"), index=True)
    # The request this placement was booked for, where the figures find its referral, assessment and the person's
    # home area; placements made before requests existed have none.
    placement_request_id: Mapped[int | None] = mapped_column(ForeignKey("placement_request.id"), index=True)
    # Indexed for the figures, which count the arrivals, departures and stays of a period among years of them.
    expected_arrival: Mapped[date] = mapped_column(Date, index=True)
    expected_departure: Mapped[date] = mapped_column(Date)
    actual_arrival: Mapped[date | None] = mapped_column(Date, index=True)
    actual_departure: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[PlacementStatus] = mapped_column(
        enum_type(PlacementStatus), index=True
    )
    actual_arrival_time: Mapped[time | None] = mapped_column(Time)
    actual_departure_time: Mapped[time | None] = mapped_column(Time)
    # A key worker is a staff account of the premises or, for someone without one (agency staff), a name.
    key_worker_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    key_worker_name: Mapped[str | None] = mapped_column(String(120))
    non_arrival_reason: Mapped[NonArrivalReason | None] = mapped_column(enum_type(NonArrivalReason))
    non_arrival_detail: Mapped[str | None] = mapped_column(Text)
    departure_reason: Mapped[DepartureReason | None] = mapped_column(enum_type(DepartureReason))
    breach_or_recall_reason: Mapped[BreachOrRecallReason | None] = mapped_column(enum_type(BreachOrRecallReason))
    move_on_category: Mapped[MoveOnCategory | None] = mapped_column(enum_type(MoveOnCategory))
    departure_notes: Mapped[str | None] = mapped_column(Text)
    cancellation_reason: Mapped[CancellationReason | None] = mapped_column(enum_type(CancellationReason))
    cancellation_detail: Mapped[str | None] = mapped_column(Text)

    person: Mapped[Person] = relationship()
    premises: Mapped["Premises"] = relationship()  # noqa: F821
    bed: Mapped["Bed | None"] = relationship()  # noqa: F821
    placement_request: Mapped["PlacementRequest | None"] = relationship()  # noqa: F821
    key_worker_account: Mapped["User | None"] = relationship()  # noqa: F821
    checks: Mapped[list["PreparationCheck"]] = relationship(
        back_populates="placement", cascade="all, delete-orphan", order_by="PreparationCheck.id"
    )

    @property
    def key_worker(self) -> str | None:
        return self.key_worker_account.name if self.key_worker_account else self.key_worker_name

    @property
    def arrival(self) -> date:
        return self.actual_arrival or self.expected_arrival

    @property
    def departure(self) -> date:
        return self.actual_departure or self.expected_departure


# Every count of who is in a bed today looks for stays departing after it: among years of past stays, this index
# finds the few thousand current ones without reading the rest.
Index("ix_placement_departure", func.coalesce(Placement.actual_departure, Placement.expected_departure))


class PreparationCheck(db.Model):
    """A ticked item of a placement's preparation checklist: who ticked it and when. Unticking deletes it."""

    __table_args__ = (UniqueConstraint("placement_id", "item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id", ondelete="CASCADE"), index=True)
    item: Mapped[PreparationItem] = mapped_column(enum_type(PreparationItem))
    checked_at: Mapped[datetime] = mapped_column(DateTime)
    checked_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    # Only for the police notification: the day they were told, and how.
    police_notified_on: Mapped[date | None] = mapped_column(Date)
    police_notified_by: Mapped[PoliceNotificationMethod | None] = mapped_column(enum_type(PoliceNotificationMethod))

    placement: Mapped[Placement] = relationship(back_populates="checks")
    checked_by: Mapped["User"] = relationship()  # noqa: F821
