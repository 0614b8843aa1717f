"""The length-of-stay policy: how many weeks an assessor authorises by default, rule by rule.

A rule names any of AP type, sentence type, likelihood-of-reoffending tier and gender, and leaves the others
open (None: any). app/services/length_of_stay.py picks the most specific rule that matches a referral.
"""

from sqlalchemy import SmallInteger
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import enum_type
from vocabulary import APType, Gender, ReoffendingTier, SentenceType

CRITERIA = ("ap_type", "sentence_type", "reoffending_tier", "gender")


class LengthOfStayRule(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    ap_type: Mapped[APType | None] = mapped_column(enum_type(APType))
    sentence_type: Mapped[SentenceType | None] = mapped_column(enum_type(SentenceType))
    reoffending_tier: Mapped[ReoffendingTier | None] = mapped_column(enum_type(ReoffendingTier))
    gender: Mapped[Gender | None] = mapped_column(enum_type(Gender))
    weeks: Mapped[int] = mapped_column(SmallInteger)

    @property
    def criteria(self) -> str:
        """Whom the rule is for, in words: "Psychologically informed planned environment (PIPE), Women"."""
        return ", ".join(getattr(self, criterion).label for criterion in CRITERIA
                         if getattr(self, criterion) is not None) or "Everyone"
