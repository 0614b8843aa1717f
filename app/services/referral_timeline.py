"""The events of a person's referrals, recorded as they happen and read back as one timeline."""

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Person, Referral, ReferralEvent, ReferralEventKind, User
from app.services import access


def record(referral: Referral, kind: ReferralEventKind, by: User | None, note: str | None = None) -> ReferralEvent:
    """Add an event to the caller's transaction, which commits it with the change it records."""
    event = ReferralEvent(referral=referral, kind=kind, by=by, note=note)
    db.session.add(event)
    return event


def timeline(user: User, person: Person) -> list[ReferralEvent]:
    """Every event on every referral of the person that the user may see, newest first."""
    query = (
        sa.select(ReferralEvent)
        .join(ReferralEvent.referral)
        .options(joinedload(ReferralEvent.by))
        .where(Referral.person_id == person.id, access.visible(user, Referral))
        .order_by(ReferralEvent.at.desc(), ReferralEvent.id.desc())
    )
    return list(db.session.scalars(query))
