"""The offender manager's side of a referral once its sections are written: submitting it to the assessors, and
withdrawing it while it is a draft or still waiting for a decision.

Both take the referral's write lock before reading its status, so that a double click, two tabs or two colleagues
acting at once make one submission or one withdrawal, never two.
"""

import secrets

import sqlalchemy as sa

from app import clock
from app.extensions import db
from app.models import Person, Referral, ReferralEventKind, User
from app.permissions import Permission
from app.services import access, audit, referral_timeline, referrals
from app.services.locking import write_transaction
from app.services.validation import Refused, refuse_if_any, text_problem
from vocabulary import ReferralStatus
from vocabulary.referrals import WithdrawalReason

# Letters and digits nobody confuses when reading a reference aloud or copying it (no 0 and O, 1, I and L, ...):
# six of them give about 887 million references a year, so they cannot be guessed one after another as a
# number would, and the year in front tells how old a referral is at a glance: "AP-30-K7M2QX".
REFERENCE_CHARACTERS = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 6
MAX_WITHDRAWAL_DETAIL_LENGTH = 500

RISK_COPIED_TO_PERSON = ("rosh_overall", "rosh_children", "rosh_public", "rosh_known_adult", "rosh_staff",
                         "mappa_category", "mappa_level")


def submit(user: User, referral: Referral) -> Referral:
    """Submit the referral for assessment, or raise InvalidInput naming each section still to complete (by slug).

    A referral submitted already is returned as it is: the second of two clicks shows the first one's reference.
    """
    access.require(user, referral, Permission.MANAGE_REFERRALS)
    with write_transaction(Referral, referral.id) as locked:
        if locked.submitted_at is not None:
            return locked
        if not locked.is_draft:
            raise Refused(f"This referral has been {locked.status.label.lower()} and can no longer be submitted")
        refuse_if_any({shown.section.slug: f"Complete the {shown.section.title.lower()} section"
                       for shown in referrals.sections_still_to_do(referrals.summary(locked))})
        locked.status = ReferralStatus.SUBMITTED
        locked.submitted_at = clock.utc_now()
        locked.reference = _new_reference()
        _record_risk_on_person(user, locked)
        referral_timeline.record(locked, ReferralEventKind.SUBMITTED, user)
        audit.record("referral_submitted", locked, user=user, reference=locked.reference)
    return locked


def _new_reference() -> str:
    """A reference no other referral has; the unique constraint stands behind this check."""
    while True:
        reference = f"AP-{clock.today():%y}-" + "".join(
            secrets.choice(REFERENCE_CHARACTERS) for _ in range(REFERENCE_LENGTH))
        if not db.session.scalar(sa.select(sa.exists().where(Referral.reference == reference))):
            return reference


def _record_risk_on_person(user: User, referral: Referral) -> None:
    """The referral's risk of serious harm and MAPPA become the person's current risk, unless the person already
    carries a more recent assessment (from a later referral): an older one never replaces it."""
    person: Person = referral.person
    if person.risk_assessed_on is not None and person.risk_assessed_on > referral.rosh_assessed_on:
        return
    before = _risk_of(person)
    for name in RISK_COPIED_TO_PERSON:
        setattr(person, name, getattr(referral, name))
    person.risk_assessed_on = referral.rosh_assessed_on
    audit.record_changes("person_risk_recorded", person, before, _risk_of(person), user=user,
                         reference=referral.reference)


def _risk_of(person: Person) -> dict:
    risk = {name: getattr(getattr(person, name), "value", None) for name in RISK_COPIED_TO_PERSON}
    return risk | {"risk_assessed_on": person.risk_assessed_on and person.risk_assessed_on.isoformat()}


def may_withdraw(referral: Referral) -> bool:
    """A referral can be withdrawn while it is written or waiting for the assessor, never once it is decided."""
    return referral.is_draft or referral.status.is_open


def withdrawal_problems(reason: WithdrawalReason | None, detail: str | None) -> dict[str, str]:
    if reason is None:
        return {"reason": "Select why the referral is being withdrawn"}
    if reason is WithdrawalReason.OTHER:
        problem = text_problem(detail, missing="Enter why the referral is being withdrawn",
                               max_length=MAX_WITHDRAWAL_DETAIL_LENGTH, what="The reason")
    elif len((detail or "").strip()) > MAX_WITHDRAWAL_DETAIL_LENGTH:
        problem = f"The details must be {MAX_WITHDRAWAL_DETAIL_LENGTH} characters or fewer"
    else:
        problem = None
    return {"detail": problem} if problem else {}


def withdraw(user: User, referral: Referral, reason: WithdrawalReason | None, detail: str | None) -> None:
    """Withdraw the referral with a reason, or raise InvalidInput (no reason) or Refused (it is decided).

    Withdrawing a referral withdrawn already changes nothing: the second of two clicks is not a second withdrawal.
    """
    access.require(user, referral, Permission.MANAGE_REFERRALS)
    refuse_if_any(withdrawal_problems(reason, detail))
    with write_transaction(Referral, referral.id) as locked:
        if locked.status is ReferralStatus.WITHDRAWN:
            return
        if not may_withdraw(locked):
            raise Refused(f"This referral has been {locked.status.label.lower()} and can no longer be withdrawn")
        detail = (detail or "").strip() or None
        locked.status = ReferralStatus.WITHDRAWN
        locked.withdrawn_at = clock.utc_now()
        locked.withdrawal_reason, locked.withdrawal_detail = reason, detail
        referral_timeline.record(locked, ReferralEventKind.WITHDRAWN, user,
                                 note=f"{reason.label}: {detail}" if detail else reason.label)
        audit.record("referral_withdrawn", locked, user=user, withdrawal_reason=reason.value,
                     withdrawal_detail=detail)
