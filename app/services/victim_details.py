"""Reading a referral's exclusion zones and non-associates: only with the victim-details permission, and never
without leaving an audit event that names who saw which referral's details, and where."""

from dataclasses import dataclass

from app.extensions import db
from app.models import ExclusionZone, NonAssociate, Referral, User
from app.permissions import Permission
from app.services import access, audit
from app.services.validation import NotInScope


@dataclass(frozen=True)
class VictimDetails:
    zones: list[ExclusionZone]
    non_associates: list[NonAssociate]


def reveal(user: User, referral: Referral, *, seen_on: str) -> VictimDetails:
    """The referral's zones and non-associates for a user who may see them; `seen_on` names the page, for the log."""
    if not user.can(Permission.VIEW_VICTIM_DETAILS):
        raise NotInScope(f"User {user.id} may not see victim details")
    access.require(user, referral)
    audit.record("victim_details_viewed", referral, user=user, seen_on=seen_on)
    db.session.commit()
    return VictimDetails(zones=list(referral.exclusion_zones), non_associates=list(referral.non_associates))
