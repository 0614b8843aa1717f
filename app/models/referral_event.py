"""What happened to a referral and when, for the person's timeline: one row per event, never changed."""

from datetime import datetime
from enum import Enum

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock
from app.extensions import db
from app.models.types import enum_type


class ReferralEventKind(str, Enum):
    STARTED = "started"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    ALLOCATED = "allocated"
    INFORMATION_REQUESTED = "information_requested"
    INFORMATION_PROVIDED = "information_provided"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    PROPOSAL_REJECTED = "proposal_rejected"
    UNABLE_TO_MATCH = "unable_to_match"
    MATCHING_REOPENED = "matching_reopened"
    BOOKED = "booked"
    BOOKING_CHANGED = "booking_changed"
    TRANSFERRED = "transferred"
    BOOKING_CANCELLED = "booking_cancelled"
    ARRIVED = "arrived"
    NOT_ARRIVED = "not_arrived"
    DEPARTED = "departed"

    @property
    def label(self) -> str:
        return REFERRAL_EVENT_LABELS[self]


REFERRAL_EVENT_LABELS = {
    ReferralEventKind.STARTED: "Referral started",
    ReferralEventKind.SUBMITTED: "Referral submitted",
    ReferralEventKind.WITHDRAWN: "Referral withdrawn",
    ReferralEventKind.ALLOCATED: "Allocated to an assessor",
    ReferralEventKind.INFORMATION_REQUESTED: "Further information requested",
    ReferralEventKind.INFORMATION_PROVIDED: "Further information provided",
    ReferralEventKind.ACCEPTED: "Referral accepted",
    ReferralEventKind.REJECTED: "Referral rejected",
    ReferralEventKind.PROPOSAL_REJECTED: "Proposed placement rejected",
    ReferralEventKind.UNABLE_TO_MATCH: "Unable to match",
    ReferralEventKind.MATCHING_REOPENED: "Ready to match again",
    ReferralEventKind.BOOKED: "Placement booked",
    ReferralEventKind.BOOKING_CHANGED: "Placement dates changed",
    ReferralEventKind.TRANSFERRED: "Placement transferred to another AP",
    ReferralEventKind.BOOKING_CANCELLED: "Placement cancelled",
    ReferralEventKind.ARRIVED: "Arrived at the AP",
    ReferralEventKind.NOT_ARRIVED: "Did not arrive at the AP",
    ReferralEventKind.DEPARTED: "Left the AP",
}


class ReferralEvent(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id"), index=True)
    kind: Mapped[ReferralEventKind] = mapped_column(enum_type(ReferralEventKind))
    at: Mapped[datetime] = mapped_column(default=clock.utc_now)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Words the person acting wrote: the withdrawal or rejection reason, the question asked, the answer given.
    note: Mapped[str | None] = mapped_column(Text)

    referral: Mapped["Referral"] = relationship(back_populates="events")  # noqa: F821
    by: Mapped["User | None"] = relationship()  # noqa: F821
