"""Non-associates: people the referred person must never share an AP with at the same time, known by their CRN."""

from dataclasses import dataclass

from app.extensions import db
from app.models import NonAssociate, Referral, User
from app.services import audit
from app.services.people import CRN_FORMAT, normalised_crn
from app.services.referrals import require_draft
from app.services.validation import NotInScope, refuse_if_any, text_problem
from vocabulary import NonAssociateReason

MAX_NAME_LENGTH = 120
MAX_DETAIL_LENGTH = 200


@dataclass(frozen=True)
class NonAssociateDetails:
    crn: str
    name: str
    reason: NonAssociateReason | None
    reason_detail: str = ""


def non_associate_problems(referral: Referral, details: NonAssociateDetails) -> dict[str, str]:
    problems = {
        "crn": _crn_problem(referral, normalised_crn(details.crn)),
        "name": text_problem(details.name, missing="Enter the non-associate's full name", max_length=MAX_NAME_LENGTH,
                             what="Full name"),
        "reason": None if details.reason else "Select why they must not be placed together",
        "reason_detail": text_problem(details.reason_detail, missing="Describe the reason", what="The reason",
                                      max_length=MAX_DETAIL_LENGTH)
        if details.reason is NonAssociateReason.OTHER else None,
    }
    return {field: problem for field, problem in problems.items() if problem}


def _crn_problem(referral: Referral, crn: str) -> str | None:
    if not crn:
        return "Enter the non-associate's CRN"
    if not CRN_FORMAT.fullmatch(crn):
        return "Enter a CRN in the correct format: one letter and six numbers, like X123456"
    if crn == referral.person.crn:
        return f"{crn} is the CRN of {referral.person.name}, who is being referred: enter the non-associate's CRN"
    if any(other.crn == crn for other in referral.non_associates):
        return f"{crn} is already a non-associate on this referral"
    return None


def add_non_associate(user: User, referral: Referral, details: NonAssociateDetails) -> NonAssociate:
    require_draft(user, referral)
    refuse_if_any(non_associate_problems(referral, details))
    other = details.reason is NonAssociateReason.OTHER
    non_associate = NonAssociate(crn=normalised_crn(details.crn), name=details.name.strip(), reason=details.reason,
                                 reason_detail=details.reason_detail.strip() if other else None)
    referral.non_associates.append(non_associate)
    db.session.flush()
    audit.record("non_associate_added", referral, user=user, non_associate=non_associate.crn,
                 non_associate_reason=non_associate.reason.value)
    db.session.commit()
    return non_associate


def remove_non_associate(user: User, referral: Referral, non_associate_id: int) -> NonAssociate:
    require_draft(user, referral)
    found = next((other for other in referral.non_associates if other.id == non_associate_id), None)
    if found is None:
        raise NotInScope(f"Non-associate {non_associate_id} is not on referral {referral.id}")
    referral.non_associates.remove(found)
    audit.record("non_associate_removed", referral, user=user, non_associate=found.crn)
    db.session.commit()
    return found
