"""The assessor's side of a referral: who is assessing it, and why it was rejected when it was.

The referral's status says where it is (submitted, awaiting information, accepted, rejected) and its events say
who did what when; an accepted referral's confirmed requirements are its placement request's.
"""

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import enum_type
from vocabulary import RejectionReason


class Assessment(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id"), unique=True)
    assessor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    rejection_reason: Mapped[RejectionReason | None] = mapped_column(enum_type(RejectionReason))
    rejection_detail: Mapped[str | None] = mapped_column(Text)

    referral: Mapped["Referral"] = relationship(back_populates="assessment")  # noqa: F821
    assessor: Mapped["User | None"] = relationship()  # noqa: F821
