"""The approved premises a person would prefer, in order: up to five per referral."""

from sqlalchemy import CheckConstraint, ForeignKey, SmallInteger
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db

MAX_PREFERRED_PREMISES = 5


class PreferredPremises(db.Model):
    """One preferred AP of a referral, `rank` 1 the most preferred.

    No unique constraint on (referral, premises) or (referral, rank): a new order replaces the rows in one flush,
    which inserts before it deletes; the service refuses a premises chosen twice.
    """

    __table_args__ = (CheckConstraint(f"rank BETWEEN 1 AND {MAX_PREFERRED_PREMISES}", name="rank_in_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id"), index=True)
    premises_id: Mapped[int] = mapped_column(ForeignKey("premises.id"), index=True)
    rank: Mapped[int] = mapped_column(SmallInteger)

    premises: Mapped["Premises"] = relationship()  # noqa: F821
