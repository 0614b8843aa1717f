"""Booking, moving and cancelling placements, each safe against every hard rule and against each other.

Every action is one write transaction that locks what it is about before it reads anything: the placement request
(or the placement), then the premises whose beds it takes, in order of id, so two bookings for the last bed wait
for each other and the second sees the first. Under the lock it builds the premises as it now stands with the stay
to check (app/services/matching.py) and asks the optimiser's own validator, so a booking obeys exactly the rules a
proposal does: gender, AP type, essential characteristics, exclusion zones and their buffer, the maximum radius,
non-associates, and a bed with every needed room characteristic each night after beds out of service. Its
findings are put into sentences that name the rule, the person (by CRN) and the date.

Beyond capacity a manager may overbook, giving a reason that the audit keeps; no other rule can be overridden.
"""

import re
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app import clock
from app.extensions import db
from app.filters import govuk_date
from app.models import (
    OutboxMessage,
    Placement,
    PlacementRequest,
    PlacementRequestStatus,
    PlacementStatus,
    Premises,
    Referral,
    ReferralEventKind,
    User,
)
from app.permissions import Permission
from app.services import access, audit, matching, notifications, referral_timeline
from app.services.locking import write_transaction
from app.services.validation import NotInScope, Refused
from optimizer.schema import Assignment, Instance, SolverParams
from optimizer.validator import validate
from vocabulary import CHARACTERISTICS, KM_PER_MILE, APType, CancellationReason, Gender

PARAMS = SolverParams()  # the optimiser's defaults: its exclusion-zone buffer above all
# The validator's codes in the words people read: characteristics, genders of AP and AP types.
WORDS = (
    {characteristic.code: characteristic.label.lower().removeprefix("is ") for characteristic in CHARACTERISTICS}
    | {gender.value: gender.label.lower() for gender in Gender}
    | {ap_type.value: ap_type.label[0].lower() + ap_type.label[1:] for ap_type in APType}
)
MAX_REASON = 500
CHANGEABLE = (PlacementStatus.UPCOMING, PlacementStatus.ARRIVED)


# What the offender manager reads of each action, and whether the premises is told too (of bookings made or changed).
ANNOUNCED = {
    ReferralEventKind.BOOKED: ("A placement has been booked.", True),
    ReferralEventKind.BOOKING_CHANGED: ("The dates of a placement have changed.", True),
    ReferralEventKind.TRANSFERRED: ("A placement has moved to another approved premises.", True),
    ReferralEventKind.BOOKING_CANCELLED: ("A placement has been cancelled.", False),
}


class BookingRefused(Refused):
    """The booking breaks a rule; `problems` are sentences for a GOV.UK error summary, one per rule broken."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


# --- the rules, in the validator's words turned into sentences -------------------------------------------------

_WHERE = r"(?P<who>\S+) at (?P<where>\S+): "
_SENTENCES = (
    (re.compile(_WHERE + r"a (?P<has>male|female) AP for a (?P<needs>\w+) referral$"),
     "Wrong gender of AP: {where} is an AP for {has} and {who} needs an AP for {needs}"),
    (re.compile(_WHERE + r"a (?P<has>\w+) AP for a (?P<needs>\w+) referral$"),
     "Wrong type of AP: {where} is of the type {has}, and {who} needs the type {needs}"),
    (re.compile(_WHERE + r"lacks essential (?P<code>\w+)$"),
     "Essential characteristic missing: {who} needs {code} and {where} has none"),
    (re.compile(_WHERE + r"inside or within (?P<km>[\d.]+) km of an exclusion zone$"),
     "Exclusion zone: {where} is inside or within {km} km of an exclusion zone of {who}"),
    (re.compile(_WHERE + r"beyond the maximum radius of (?P<km>[\d.]+) km$"),
     "Too far from home: {where} is more than the {miles} miles from the home area of {who} that they would go"),
    (re.compile(r"(?P<who>\S+) and (?P<other>\S+): non-associates both at (?P<where>\S+) on (?P<day>day \d+)$"),
     "Non-associates: {who} and {other} must never share an AP, and would both be at {where} from {day}"),
)
_CAPACITY = re.compile(r"(?P<where>\S+): no bed for (?P<who>\S+) on (?P<rest>.*)$")


def _sentence(violation: str, translation: matching.Translation) -> str:
    """A validator's line as a sentence naming the rule; one the table does not know keeps the validator's words."""
    for pattern, sentence in _SENTENCES:
        if found := pattern.fullmatch(violation):
            parts = {name: WORDS.get(value) or translation.words(value) for name, value in found.groupdict().items()}
            if "km" in parts:
                parts["miles"] = f"{float(parts['km']) / KM_PER_MILE:.0f}"
            return sentence.format(**parts)
    if found := _CAPACITY.fullmatch(violation):
        return f"No bed free: {translation.words(found['where'])} has no bed for " \
               f"{translation.words(found['who'])} on {translation.words(found['rest'])}"
    return translation.words(violation)


class _Checker:
    """The premises of some stays as they stand: each stay is validated together with those accepted before it at
    the same premises (capacity and non-associates are rules within one premises), on an instance of that premises
    alone, so that checking a hundred stays costs a hundred small validations."""

    def __init__(self, stays: list[matching.Stay]):
        self.translation = matching.stays_instance(stays)
        self.premises_of = {stay.referral_id: matching.optimiser_id(matching.PREMISES, stay.premises_id)
                            for stay in stays}
        self.accepted: dict[str, list[Assignment]] = defaultdict(list)
        self.instances: dict[str, Instance] = {}

    def problems(self, stay: matching.Stay) -> tuple[list[str], list[str]]:
        """(sentences for the rules that can never be broken, sentences for nights without a bed, which a
        manager may overbook)."""
        assignment = self._assignment(stay)
        plan = [*self.accepted[assignment.premises_id], assignment]
        violations = validate(self._instance_of(assignment.premises_id), PARAMS, plan).violations
        sentences = {violation: _sentence(violation, self.translation) for violation in violations}
        return ([sentences[v] for v in violations if not _CAPACITY.fullmatch(v)],
                [sentences[v] for v in violations if _CAPACITY.fullmatch(v)])

    def accept(self, stay: matching.Stay) -> None:
        assignment = self._assignment(stay)
        self.accepted[assignment.premises_id].append(assignment)

    def _assignment(self, stay: matching.Stay) -> Assignment:
        return Assignment(stay.referral_id, matching.optimiser_id(matching.PREMISES, stay.premises_id),
                          self.translation.day_of(stay.arrival), None)

    def _instance_of(self, premises_id: str) -> Instance:
        if premises_id not in self.instances:
            instance = self.translation.instance
            self.instances[premises_id] = replace(
                instance, premises=tuple(p for p in instance.premises if p.id == premises_id),
                residents=tuple(r for r in instance.residents if r.premises_id == premises_id),
                referrals=tuple(r for r in instance.referrals if self.premises_of[r.id] == premises_id))
        return self.instances[premises_id]


def stay_problems(stay: matching.Stay, premises: Premises) -> tuple[list[str], list[str]]:
    """What stops the stay at the premises, as `_Checker.problems` says, after the checks of its dates."""
    if problem := _date_problem(stay, premises):
        return [problem], []
    return _Checker([stay]).problems(stay)


def later_departure_problems(placement: Placement, departure: date) -> list[str]:
    """What staying on to `departure` breaks at the placement's premises (a night without a bed that fits, a
    non-associate booked in): the rules of a booking, with the premises locked as every booking locks it. Staying
    longer never overbooks: a manager books that."""
    _lock_premises(placement.premises_id)
    rules, capacity = stay_problems(matching.Stay(placement.premises_id, placement.arrival, departure,
                                                  placement.placement_request, placement), placement.premises)
    return rules + capacity


def _date_problem(stay: matching.Stay, premises: Premises) -> str | None:
    if stay.departure <= stay.arrival:
        return f"The departure date must be after the arrival date, {govuk_date(stay.arrival)}"
    if not premises.is_active:
        return f"{premises.name} is closed: choose another AP"
    return None


def _refuse_unless_allowed(user: User, problems: tuple[list[str], list[str]], overbook_reason: str | None) -> bool:
    """Raise for any problem the booking may not have; whether it overbooks (allowed to managers, with a reason)."""
    rules, capacity = problems
    reason = (overbook_reason or "").strip()
    if capacity and not reason:
        rules = [*rules, *capacity]
    elif capacity and not user.can(Permission.OVERBOOK):
        rules = [*rules, *capacity, "You cannot overbook an AP: ask a regional or national manager"]
    elif capacity and len(reason) > MAX_REASON:
        rules = [*rules, f"The reason for overbooking must be {MAX_REASON} characters or fewer"]
    if rules:
        raise BookingRefused(rules)
    return bool(capacity)


# --- locking -----------------------------------------------------------------------------------------------------


def _lock_premises(*premises_ids: int) -> None:
    """Lock the premises rows, in order of id so that two transactions never wait for each other."""
    db.session.scalars(sa.select(Premises).where(Premises.id.in_(premises_ids)).order_by(Premises.id)
                       .with_for_update().execution_options(populate_existing=True)).all()


@contextmanager
def _placing(user: User, placement_request: PlacementRequest, premises: Premises) -> Iterator[PlacementRequest]:
    access.require(user, placement_request, Permission.PLACE_PEOPLE)
    with write_transaction(PlacementRequest, placement_request.id) as locked:
        _lock_premises(premises.id)
        yield locked


@contextmanager
def _changing(user: User, placement: Placement, *premises_ids: int) -> Iterator[Placement]:
    _require_placing(user, placement)
    with write_transaction(Placement, placement.id) as locked:
        _lock_premises(locked.premises_id, *premises_ids)
        if locked.status not in CHANGEABLE:
            raise BookingRefused([f"This placement for {locked.person.crn} is {locked.status.label.lower()}: "
                                  "it can no longer be changed"])
        yield locked


def _require_placing(user: User, placement: Placement) -> None:
    """People who place people act on the placements of the requests in their scope; a placement booked without
    a request, through its premises."""
    access.require(user, placement.placement_request or placement, Permission.PLACE_PEOPLE)


def _announce(user: User, placement: Placement, premises: Premises, kind: ReferralEventKind,
              reason: str | None = None) -> list[OutboxMessage]:
    """The event on the person's timeline (the referral behind the request) and the emails: to the offender manager
    who wrote that referral, and to the premises when a booking is made or changed there. A placement booked without
    a request has neither referral nor offender manager: only the premises hears of it."""
    headline, premises_told = ANNOUNCED[kind]
    dates = f"{govuk_date(placement.expected_arrival)} to {govuk_date(placement.expected_departure)}"
    context = {"headline": headline, "person_name": placement.person.name, "crn": placement.person.crn,
               "premises_name": premises.name, "arrival": govuk_date(placement.expected_arrival),
               "departure": govuk_date(placement.expected_departure), "reason": reason}
    messages = []
    if placement.placement_request is not None:
        referral = placement.placement_request.referral
        referral_timeline.record(referral, kind, user, note=f"{premises.name}, {dates}" + (f". {reason}" if reason
                                                                                            else ""))
        author = referral.created_by
        messages.append(notifications.notify(author.email, kind.label, "placement", recipient_name=author.name,
                                             **context))
    if premises_told and premises.email:
        messages.append(notifications.notify(premises.email, kind.label, "placement", recipient_name=premises.name,
                                             **context))
    return messages


# --- the actions -------------------------------------------------------------------------------------------------


def default_departure(placement_request: PlacementRequest, arrival: date) -> date:
    return arrival + timedelta(weeks=placement_request.length_of_stay_weeks)


def book(user: User, placement_request: PlacementRequest, premises: Premises, arrival: date, *,
         departure: date | None = None, overbook_reason: str | None = None) -> Placement:
    """Book the person of the request into the premises from `arrival` (for the authorised length of stay unless
    `departure` is given); the request becomes BOOKED."""
    with _placing(user, placement_request, premises) as placement_request:
        stay = _new_stay(placement_request, premises, arrival, departure)
        overbooked = _refuse_unless_allowed(user, stay_problems(stay, premises), overbook_reason)
        placement = _booked(stay)
        db.session.flush()
        emails = _recorded(user, placement, premises, _overbooking(overbooked, overbook_reason))
    notifications.send(emails)
    return placement


def _new_stay(placement_request: PlacementRequest, premises: Premises, arrival: date,
              departure: date | None) -> matching.Stay:
    """The stay a booking asks for, once the request is known to be waiting and the arrival not past."""
    if placement_request.status not in matching.OPEN_STATUSES:
        raise BookingRefused([f"{placement_request.person.crn} is already booked: change or cancel that booking "
                              "instead"])
    if arrival < clock.today():
        raise BookingRefused([f"The arrival date must be today or later, {govuk_date(clock.today())} or after"])
    return matching.Stay(premises.id, arrival, departure or default_departure(placement_request, arrival),
                         placement_request)


def _booked(stay: matching.Stay) -> Placement:
    placement_request = stay.placement_request
    placement = Placement(person=placement_request.person, premises_id=stay.premises_id,
                          placement_request=placement_request, expected_arrival=stay.arrival,
                          expected_departure=stay.departure, status=PlacementStatus.UPCOMING)
    db.session.add(placement)
    placement_request.status = PlacementRequestStatus.BOOKED
    return placement


def _recorded(user: User, placement: Placement, premises: Premises, overbooking: dict) -> list[OutboxMessage]:
    """The audit event, timeline event and emails of a booking, once a flush has given it its id."""
    audit.record("placement_booked", placement, user=user, placement_request_id=placement.placement_request.id,
                 premises_id=premises.id, expected_arrival=placement.expected_arrival.isoformat(),
                 expected_departure=placement.expected_departure.isoformat(), **overbooking)
    return _announce(user, placement, premises, ReferralEventKind.BOOKED)


def _overbooking(overbooked: bool, reason: str | None) -> dict:
    return {"overbooked": True, "overbook_reason": reason.strip()} if overbooked else {}


@dataclass(frozen=True)
class Choice:
    """One proposal to accept: this request at this premises from this arrival (and to this departure)."""

    placement_request: PlacementRequest
    premises: Premises
    arrival: date
    departure: date | None = None


@dataclass(frozen=True)
class Outcome:
    choice: Choice
    placement: Placement | None  # None when refused
    problems: list[str]


def book_many(user: User, choices: list[Choice]) -> list[Outcome]:
    """Accept many proposals in one transaction: each is checked against the live data and the bookings accepted
    before it, and one that breaks a rule is left out with its problems (none is ever overbooked). The premises are
    read once for all of them, so a hundred cost little more than one."""
    if not choices:
        return []
    request_ids = sorted({choice.placement_request.id for choice in choices})
    premises_ids = {choice.premises.id for choice in choices}  # read before the transaction expires them
    in_scope = db.session.scalars(sa.select(PlacementRequest.id).where(
        PlacementRequest.id.in_(request_ids), access.visible(user, PlacementRequest, Permission.PLACE_PEOPLE)))
    if not user.can(Permission.PLACE_PEOPLE) or set(in_scope) != set(request_ids):
        raise NotInScope(f"Placement requests {request_ids} are not all in scope for user {user.id}")
    with write_transaction(PlacementRequest, request_ids[0]):
        # The others locked too, in order of id, with what the emails and timeline read of each, in one query.
        db.session.scalars(
            sa.select(PlacementRequest).where(PlacementRequest.id.in_(request_ids)).order_by(PlacementRequest.id)
            .options(joinedload(PlacementRequest.person),
                     joinedload(PlacementRequest.referral).joinedload(Referral.created_by))
            .with_for_update(of=PlacementRequest).execution_options(populate_existing=True)
        ).unique().all()
        _lock_premises(*premises_ids)
        stays, problems = {}, {}
        for number, choice in enumerate(choices):
            try:
                stays[number] = _new_stay(choice.placement_request, choice.premises, choice.arrival, choice.departure)
            except BookingRefused as refusal:
                problems[number] = refusal.problems
            else:
                if problem := _date_problem(stays[number], choice.premises) or _chosen_before(stays, number):
                    problems[number] = [problem]
                    del stays[number]
        checker = _Checker(list(stays.values())) if stays else None
        outcomes = []
        for number, choice in enumerate(choices):
            if number in stays:
                rules, capacity = checker.problems(stays[number])
                problems[number] = rules + capacity
            if problems[number]:
                outcomes.append(Outcome(choice, None, problems[number]))
                continue
            checker.accept(stays[number])
            outcomes.append(Outcome(choice, _booked(stays[number]), []))
        db.session.flush()  # once for all: the checker judged each against the others, never the database
        emails = [email for outcome in outcomes if outcome.placement
                  for email in _recorded(user, outcome.placement, outcome.choice.premises, {})]
    notifications.send(emails)
    return outcomes


def _chosen_before(stays: dict[int, matching.Stay], number: int) -> str | None:
    request = stays[number].placement_request
    if any(stay.placement_request is request for earlier, stay in stays.items() if earlier < number):
        return f"{request.person.crn} was chosen twice: each person is booked once"
    return None


def change_dates(user: User, placement: Placement, *, arrival: date | None = None, departure: date | None = None,
                 overbook_reason: str | None = None) -> Placement:
    """New expected dates for a booking, or a new expected departure for a resident."""
    with _changing(user, placement) as placement:
        if placement.status is PlacementStatus.ARRIVED and arrival not in (None, placement.expected_arrival):
            raise BookingRefused([f"{placement.person.crn} arrived on {govuk_date(placement.arrival)}: only the "
                                  "departure date can change"])
        if placement.status is PlacementStatus.UPCOMING and arrival is not None and arrival < clock.today():
            raise BookingRefused([f"The arrival date must be today or later, {govuk_date(clock.today())} or after"])
        arrival = arrival or placement.expected_arrival
        departure = departure or placement.expected_departure
        stay = matching.Stay(placement.premises_id, placement.actual_arrival or arrival, departure,
                             placement.placement_request, placement)
        overbooked = _refuse_unless_allowed(user, stay_problems(stay, placement.premises), overbook_reason)
        before = _dates(placement)
        placement.expected_arrival, placement.expected_departure = arrival, departure
        audit.record_changes("placement_dates_changed", placement, before, _dates(placement), user=user,
                             **_overbooking(overbooked, overbook_reason))
        emails = _announce(user, placement, placement.premises, ReferralEventKind.BOOKING_CHANGED)
    notifications.send(emails)
    return placement


def _dates(placement: Placement) -> dict:
    return {"expected_arrival": placement.expected_arrival.isoformat(),
            "expected_departure": placement.expected_departure.isoformat()}


def transfer(user: User, placement: Placement, premises: Premises, on: date, *,
             overbook_reason: str | None = None) -> Placement:
    """Move a placement to another AP from `on` until its expected departure. A booking moves whole (arriving
    there on `on`); a resident leaves on `on` and a new booking there takes over. Returns the booking there."""
    with _changing(user, placement, premises.id) as placement:
        if premises.id == placement.premises_id:
            raise BookingRefused([f"{placement.person.crn} is already placed at {premises.name}"])
        if on < clock.today():
            raise BookingRefused([f"The transfer date must be today or later, {govuk_date(clock.today())} or after"])
        stay = matching.Stay(premises.id, on, placement.expected_departure, placement.placement_request, placement)
        overbooked = _refuse_unless_allowed(user, stay_problems(stay, premises), overbook_reason)
        moved = placement
        if placement.status is PlacementStatus.ARRIVED:
            moved = Placement(person_id=placement.person_id, premises_id=premises.id,
                              placement_request_id=placement.placement_request_id,
                              expected_departure=placement.expected_departure, status=PlacementStatus.UPCOMING)
            db.session.add(moved)
            placement.expected_departure = on
        moved.premises, moved.bed, moved.expected_arrival = premises, None, on
        db.session.flush()
        audit.record("placement_transferred", moved, user=user, premises_id=premises.id, from_placement=placement.id,
                     expected_arrival=on.isoformat(), **_overbooking(overbooked, overbook_reason))
        emails = _announce(user, moved, premises, ReferralEventKind.TRANSFERRED)
    notifications.send(emails)
    return moved


def cancel(user: User, placement: Placement, reason: CancellationReason, detail: str | None = None) -> Placement:
    """Cancel a booking before arrival; its request is ready to match again."""
    with _changing(user, placement) as placement:
        if placement.status is not PlacementStatus.UPCOMING:
            raise BookingRefused([f"{placement.person.crn} has arrived: record their departure instead"])
        detail = (detail or "").strip() or None
        if reason is CancellationReason.OTHER and not detail:
            raise BookingRefused(["Enter why the placement is cancelled"])
        if detail and len(detail) > MAX_REASON:
            raise BookingRefused([f"The reason must be {MAX_REASON} characters or fewer"])
        placement.status = PlacementStatus.CANCELLED
        placement.cancellation_reason, placement.cancellation_detail = reason, detail
        if placement.placement_request is not None:
            placement.placement_request.status = PlacementRequestStatus.READY_TO_MATCH
        audit.record("placement_cancelled", placement, user=user, cancellation_reason=reason.value,
                     **({"detail": detail} if detail else {}))
        emails = _announce(user, placement, placement.premises, ReferralEventKind.BOOKING_CANCELLED,
                           reason=detail or reason.label)
    notifications.send(emails)
    return placement

