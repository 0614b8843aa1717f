"""Assessing submitted referrals: the queue, allocation, further information, and the decision.

A referral waits for its assessor while SUBMITTED. Asking the offender manager a question makes it
AWAITING_INFORMATION, which stops its clock (app/services/assessment_deadlines.py) until their answer makes it
SUBMITTED again. Only a SUBMITTED referral can be accepted: its answers are complete and no question is open.
Accepting creates the placement request that the optimiser will match, with the requirements the assessor
confirmed; rejecting records a reason from the national list. Either decision is final, and can be made once.

Every action takes the referral's write lock before it checks the status, so that two assessors pressing
"Accept" at once make one placement request, and an answer arriving while the assessor rejects is not lost.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from app import clock
from app.extensions import db
from app.models import (
    Assessment,
    PlacementRequest,
    Referral,
    ReferralEvent,
    ReferralEventKind,
    Region,
    User,
    UserRole,
)
from app.permissions import ROLE_PERMISSIONS, Permission
from app.services import (
    access,
    audit,
    length_of_stay,
    notifications,
    referral_timeline,
    referrals,
    requirements,
)
from app.services.assessment_deadlines import Deadline, Pause, due
from app.services.locking import write_transaction
from app.services.requirements import Requirements
from app.services.validation import Refused, refuse_if_any, text_problem
from vocabulary import APType, Notice, ReferralStatus, RejectionReason

MAX_TEXT_LENGTH = 2000
ASSESSOR_ROLES = [role for role, permissions in ROLE_PERMISSIONS.items() if Permission.ASSESS_REFERRALS in permissions]


# --- reading --------------------------------------------------------------------------------------------------------


def notice_of(referral: Referral) -> Notice:
    """The notice the referral was submitted at, which sets its deadline whatever day it is now."""
    return referrals.notice_for(referral.arrival_date, referral.is_emergency, referrals.judged_on(referral))


def pauses_of(referral: Referral) -> list[Pause]:
    """Each question asked and when it was answered, from the referral's events."""
    pauses = []
    for event in referral.events:
        if event.kind is ReferralEventKind.INFORMATION_REQUESTED:
            pauses.append(Pause(clock.in_london(event.at), None))
        elif event.kind is ReferralEventKind.INFORMATION_PROVIDED and pauses:
            pauses[-1] = pauses[-1]._replace(ended=clock.in_london(event.at))
    return pauses


def deadline_of(referral: Referral) -> Deadline | None:
    """When the assessment is due; None while the clock is stopped for an answer."""
    return due(notice_of(referral), clock.in_london(referral.submitted_at), pauses_of(referral))


def is_risk_review_overdue(referral: Referral, today: date | None = None) -> bool:
    """Whether the risk of serious harm assessment is older than the date it was to be reviewed by."""
    return referral.rosh_review_due_on is not None and referral.rosh_review_due_on < (today or clock.today())


def questions_and_answers(referral: Referral) -> list[ReferralEvent]:
    """The questions asked about the referral and the answers given, oldest first."""
    exchanged = (ReferralEventKind.INFORMATION_REQUESTED, ReferralEventKind.INFORMATION_PROVIDED)
    return [event for event in referral.events if event.kind in exchanged]


def open_question(referral: Referral) -> ReferralEvent | None:
    """The question waiting for the offender manager's answer, if there is one."""
    if referral.status is not ReferralStatus.AWAITING_INFORMATION:
        return None
    return next(event for event in reversed(referral.events) if event.kind is ReferralEventKind.INFORMATION_REQUESTED)


def decision(referral: Referral) -> ReferralEvent | None:
    """The acceptance or rejection, once there is one."""
    decided = (ReferralEventKind.ACCEPTED, ReferralEventKind.REJECTED)
    return next((event for event in reversed(referral.events) if event.kind in decided), None)


def placement_request_of(referral: Referral) -> PlacementRequest | None:
    return db.session.scalar(sa.select(PlacementRequest).where(PlacementRequest.referral_id == referral.id))


@dataclass(frozen=True)
class Progress:
    """Where the assessment of a referral has got to, as its author and its assessor read it."""

    open_question: ReferralEvent | None
    questions_and_answers: list[ReferralEvent]
    decision: ReferralEvent | None
    placement_request: PlacementRequest | None


def progress(referral: Referral) -> Progress:
    return Progress(open_question(referral), questions_and_answers(referral), decision(referral),
                    placement_request_of(referral))


@dataclass(frozen=True)
class QueueFilters:
    area_id: int | None = None
    region_id: int | None = None
    ap_type: APType | None = None
    notice: Notice | None = None


@dataclass(frozen=True)
class QueueEntry:
    referral: Referral
    notice: Notice
    ap_type: APType
    deadline: Deadline | None


def queue(user: User, filters: QueueFilters = QueueFilters()) -> list[QueueEntry]:
    """The referrals waiting for a decision that the user may assess, the soonest due first and those whose clock
    is stopped last. Deadlines come from each referral's events, so they are worked out here rather than in SQL;
    a queue holds the few hundred undecided referrals of a region or the country."""
    query = (
        sa.select(Referral)
        .join(Referral.region)
        .where(access.visible(user, Referral, Permission.ASSESS_REFERRALS), Referral.status.in_(_UNDECIDED))
        .options(joinedload(Referral.person), joinedload(Referral.region), selectinload(Referral.events),
                 selectinload(Referral.assessment).joinedload(Assessment.assessor))
    )
    if filters.region_id is not None:
        query = query.where(Referral.region_id == filters.region_id)
    if filters.area_id is not None:
        query = query.where(Region.area_id == filters.area_id)
    entries = [QueueEntry(referral, notice_of(referral), requirements.derived(referral).ap_type, deadline_of(referral))
               for referral in db.session.scalars(query)]
    entries = [entry for entry in entries if filters.ap_type in (None, entry.ap_type)
               and filters.notice in (None, entry.notice)]
    return sorted(entries, key=lambda entry: (entry.deadline is None, entry.deadline and entry.deadline.at,
                                              entry.referral.id))


def assessors_for(referral: Referral) -> list[User]:
    """The active users who may assess this referral: those it can be allocated to."""
    candidates = db.session.scalars(
        sa.select(User).join(User.role_rows).where(User.is_active, UserRole.role.in_(ASSESSOR_ROLES))
        .distinct().order_by(User.name, User.id))
    return [user for user in candidates if access.can(user, referral, Permission.ASSESS_REFERRALS)]


_UNDECIDED = (ReferralStatus.SUBMITTED, ReferralStatus.AWAITING_INFORMATION)


# --- acting ---------------------------------------------------------------------------------------------------------


def allocation_problems(referral: Referral, assessor_id: int | None) -> dict[str, str]:
    if _assessor(referral, assessor_id) is None:
        return {"assessor": "Select an assessor who can assess this referral"}
    return {}


def allocate(user: User, referral: Referral, assessor_id: int | None) -> User:
    """Give the referral to an assessor (the user themself, or a colleague who may assess it)."""
    with _undecided(user, referral) as referral:
        refuse_if_any(allocation_problems(referral, assessor_id))
        assessor = _assessor(referral, assessor_id)
        _assessment(referral).assessor = assessor
        referral_timeline.record(referral, ReferralEventKind.ALLOCATED, user, note=assessor.name)
        audit.record("referral_allocated", referral, user=user, assessor_id=assessor.id)
    return assessor


def question_problems(question: str | None) -> dict[str, str]:
    problem = text_problem(question, missing="Enter your question", max_length=MAX_TEXT_LENGTH, what="Your question")
    return {"question": problem} if problem else {}


def request_information(user: User, referral: Referral, question: str) -> None:
    """Ask the offender manager a question; the assessment's clock stops until they answer."""
    with _undecided(user, referral) as referral:
        if referral.status is ReferralStatus.AWAITING_INFORMATION:
            raise Refused("A question is already waiting for its answer: ask again once it is answered")
        refuse_if_any(question_problems(question))
        referral.status = ReferralStatus.AWAITING_INFORMATION
        referral_timeline.record(referral, ReferralEventKind.INFORMATION_REQUESTED, user, note=question.strip())
        audit.record("further_information_requested", referral, user=user)


def answer_problems(answer: str | None) -> dict[str, str]:
    problem = text_problem(answer, missing="Enter your answer", max_length=MAX_TEXT_LENGTH, what="Your answer")
    return {"answer": problem} if problem else {}


def provide_information(user: User, referral: Referral, answer: str) -> None:
    """The offender manager's answer: the referral goes back to its assessor, and its clock starts again."""
    access.require(user, referral, Permission.MANAGE_REFERRALS)
    with write_transaction(Referral, referral.id) as referral:
        if referral.status is not ReferralStatus.AWAITING_INFORMATION:
            raise Refused("No question is waiting for an answer on this referral")
        refuse_if_any(answer_problems(answer))
        referral.status = ReferralStatus.SUBMITTED
        referral_timeline.record(referral, ReferralEventKind.INFORMATION_PROVIDED, user, note=answer.strip())
        audit.record("further_information_provided", referral, user=user)


@dataclass(frozen=True)
class Acceptance:
    requirements: Requirements
    length_of_stay_weeks: int | None


def acceptance_problems(acceptance: Acceptance) -> dict[str, str]:
    problems = requirements.problems(acceptance.requirements)
    if weeks_problem := length_of_stay.weeks_problem(acceptance.length_of_stay_weeks):
        problems["length_of_stay_weeks"] = weeks_problem
    return problems


def proposed_acceptance(referral: Referral) -> Acceptance:
    """What the assessor starts from: the requirements derived from the answers and the policy's length of stay."""
    derived = requirements.derived(referral)
    return Acceptance(derived, length_of_stay.default_weeks(derived.ap_type, referral))


def default_weeks_by_ap_type(referral: Referral) -> dict[APType, int | None]:
    """The policy's length of stay for each AP type the assessor might choose."""
    return {ap_type: length_of_stay.default_weeks(ap_type, referral) for ap_type in APType}


def accept(user: User, referral: Referral, acceptance: Acceptance, *, link: str) -> PlacementRequest:
    """Accept the referral into a placement request with the requirements the assessor confirmed, and email its
    author, whose referral page (`link`) shows the decision."""
    with _undecided(user, referral) as referral:
        if referral.status is ReferralStatus.AWAITING_INFORMATION:
            raise Refused("This referral is waiting for further information: accept it once the answer has arrived")
        refuse_if_any(acceptance_problems(acceptance))
        confirmed = acceptance.requirements
        placement_request = PlacementRequest(
            referral=referral, person=referral.person, region=referral.region, gender=confirmed.gender,
            ap_type=confirmed.ap_type, essential_characteristics=sorted(confirmed.essential),
            desirable_characteristics=sorted(confirmed.desirable), notice=notice_of(referral),
            expected_arrival=referral.arrival_date, length_of_stay_weeks=acceptance.length_of_stay_weeks,
            created_by=user)
        db.session.add(placement_request)
        referral.status = ReferralStatus.ACCEPTED
        db.session.flush()
        referral_timeline.record(referral, ReferralEventKind.ACCEPTED, user)
        audit.record("referral_accepted", referral, user=user, placement_request_id=placement_request.id,
                     ap_type=confirmed.ap_type.value, gender=confirmed.gender.value,
                     essential=sorted(confirmed.essential), desirable=sorted(confirmed.desirable),
                     length_of_stay_weeks=acceptance.length_of_stay_weeks)
        email = _tell_the_author(referral, "accepted", None, link)
    notifications.send([email])
    return placement_request


def rejection_problems(reason: RejectionReason | None, detail: str | None) -> dict[str, str]:
    problems = {}
    if reason is None:
        problems["reason"] = "Select why the referral is rejected"
    if (detail or "").strip() and (problem := text_problem(detail, missing="", max_length=MAX_TEXT_LENGTH,
                                                           what="The detail")):
        problems["detail"] = problem
    return problems


def reject(user: User, referral: Referral, reason: RejectionReason | None, detail: str | None, *, link: str) -> None:
    """Reject the referral with a reason from the list, and email its author; also while a question waits for an
    answer that may never come ("information not provided")."""
    with _undecided(user, referral) as referral:
        refuse_if_any(rejection_problems(reason, detail))
        detail = (detail or "").strip() or None
        assessment = _assessment(referral)
        assessment.rejection_reason, assessment.rejection_detail = reason, detail
        referral.status = ReferralStatus.REJECTED
        note = f"{reason.label}: {detail}" if detail else reason.label
        referral_timeline.record(referral, ReferralEventKind.REJECTED, user, note=note)
        audit.record("referral_rejected", referral, user=user, rejection_reason=reason.value)
        email = _tell_the_author(referral, "rejected", note, link)
    notifications.send([email])


def _tell_the_author(referral: Referral, decision: str, reason: str | None, link: str):
    author = referral.created_by
    return notifications.notify(author.email, "Referral assessed", "referral_assessed", recipient_name=author.name,
                                person_name=referral.person.name, crn=referral.person.crn, decision=decision,
                                reason=reason, link=link)


@contextmanager
def _undecided(user: User, referral: Referral) -> Iterator[Referral]:
    """The referral's write transaction, refused unless the user may assess it and it is still undecided."""
    access.require(user, referral, Permission.ASSESS_REFERRALS)
    with write_transaction(Referral, referral.id) as locked:
        if locked.status not in _UNDECIDED:
            raise Refused(f"This referral has been {locked.status.label.lower()}: it can no longer be assessed")
        yield locked


def _assessor(referral: Referral, assessor_id: int | None) -> User | None:
    return next((candidate for candidate in assessors_for(referral) if candidate.id == assessor_id), None)


def _assessment(referral: Referral) -> Assessment:
    if referral.assessment is None:
        referral.assessment = Assessment()
    return referral.assessment
