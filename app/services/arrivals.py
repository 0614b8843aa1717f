"""What AP staff do around a stay: the arrivals board, the preparation checklist, and recording an arrival, a
non-arrival, a departure, a new expected departure date, a key worker and a bed.

Every action is one write transaction that locks the placement before it reads it, so an arrival cannot be
recorded twice, and then locks the bed whose nights the placement may take, so two requests cannot both take a
bed's last free night (taking a bed out of service takes the same bed lock). Placement before bed, always, so
no two transactions wait for each other. The rules are `*_problems` functions, keyed by field: views call them
to show every problem at once, and the actions call them again under the lock.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from app import clock
from app.extensions import db
from app.filters import govuk_date
from app.models import (
    Bed,
    Person,
    Placement,
    PlacementStatus,
    Premises,
    PreparationCheck,
    ReferralEventKind,
    Room,
    User,
    UserRole,
)
from app.models.premises import natural_order
from app.permissions import Permission, Role
from app.services import access, audit, bookings, estate, referral_timeline
from app.services.locking import write_transaction
from app.services.periods import dates_overlap, day_before, years_after
from app.services.referrals import ROSH_REVIEW_WITHIN
from app.services.validation import Refused, refuse_if_any, text_problem
from vocabulary import (
    TICKED_ITEMS,
    BreachOrRecallReason,
    DepartureReason,
    MoveOnCategory,
    NonArrivalReason,
    PoliceNotificationMethod,
    PreparationItem,
)

ARRIVALS_WITHIN_DAYS = 14
DEPARTURES_WITHIN_DAYS = 14
# Preparation left undone this close to an arrival stands out on the board and the checklist.
URGENT_WITHIN_DAYS = 2
BACKDATE_DAYS = 7
MAX_STAY_YEARS = 2  # ESAP stays are about a year: a later expected departure is a typing mistake
MAX_TEXT = 2000
STAFF_ROLES = (Role.AP_STAFF, Role.AP_MANAGER)
CHANGEABLE = (PlacementStatus.UPCOMING, PlacementStatus.ARRIVED)
MOVE_FIRST = "Allocate another bed to one of them first"

# What the board, the placement page and the checklist read of a placement, loaded with it. Of the staff named,
# only the name is read: not the roles that an account otherwise loads with it.
PLACEMENT_LOADS = (
    joinedload(Placement.person),
    joinedload(Placement.premises),
    joinedload(Placement.bed).joinedload(Bed.room),
    joinedload(Placement.key_worker_account).lazyload(User.role_rows),
    selectinload(Placement.checks).joinedload(PreparationCheck.checked_by).lazyload(User.role_rows),
)


# --- risk ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RiskReview:
    """When a person's risk of serious harm is next to be reviewed: 16 weeks after it was assessed at the latest.

    Placements do not yet know the referral that led to them; once they do, its own review date is the better
    source.
    """

    due_on: date | None
    is_overdue: bool


def risk_review(person: Person, today: date) -> RiskReview:
    due_on = person.risk_assessed_on + ROSH_REVIEW_WITHIN if person.risk_assessed_on else None
    return RiskReview(due_on, due_on is not None and due_on < today)


def risk_review_overdue(risk_assessed_on, today: date):
    """`risk_review`'s rule as an SQL condition on a column of assessment dates, for counting many people."""
    return risk_assessed_on < today - ROSH_REVIEW_WITHIN


# --- the preparation checklist ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistItem:
    item: PreparationItem
    is_done: bool
    check: PreparationCheck | None  # who ticked it and when; None for allocations and for items not done


@dataclass(frozen=True)
class Checklist:
    items: list[ChecklistItem]
    is_urgent: bool  # the arrival is close and something is still to do

    @property
    def done(self) -> int:
        return sum(item.is_done for item in self.items)

    @property
    def is_complete(self) -> bool:
        return self.done == len(self.items)


def checklist(placement: Placement, today: date) -> Checklist:
    ticked = {check.item: check for check in placement.checks}
    done = {
        PreparationItem.BED_ALLOCATED: placement.bed_id is not None,
        PreparationItem.KEY_WORKER_ASSIGNED: placement.key_worker is not None,
    } | {item: item in ticked for item in TICKED_ITEMS}
    items = [ChecklistItem(item, done[item], ticked.get(item)) for item in PreparationItem]
    arriving_soon = placement.status is PlacementStatus.UPCOMING and (
        placement.expected_arrival <= today + timedelta(days=URGENT_WITHIN_DAYS)
    )
    return Checklist(items, arriving_soon and not all(done.values()))


@dataclass(frozen=True)
class Preparation:
    """What the checklist form sends: the items ticked, and when and how the police were told."""

    ticked: frozenset[PreparationItem]
    police_notified_on: date | None = None
    police_notified_by: PoliceNotificationMethod | None = None


def preparation_problems(preparation: Preparation, today: date) -> dict[str, str]:
    police = PreparationItem.POLICE_NOTIFIED in preparation.ticked
    told = preparation.police_notified_on is not None or preparation.police_notified_by is not None
    checks = {
        "items": "Select ‘Police notified of the licence conditions’ to record when and how they were told"
        if told and not police else None,
        "police_notified_on": _police_date_problem(preparation.police_notified_on, today) if police else None,
        "police_notified_by": "Select how the police were told"
        if police and preparation.police_notified_by is None else None,
    }
    return {field: message for field, message in checks.items() if message}


def _police_date_problem(day: date | None, today: date) -> str | None:
    if day is None:
        return "Enter the date the police were told"
    if day > today:
        return "The date the police were told must be today or in the past"
    return None


def save_preparation(user: User, placement: Placement, preparation: Preparation) -> bool:
    """Tick and untick checklist items; a tick keeps who made it and when. Whether anything changed."""
    with _changing(user, placement) as placement:
        refuse_if_any(preparation_problems(preparation, clock.today()))
        ticked = {check.item: check for check in placement.checks}
        added = [item for item in TICKED_ITEMS if item in preparation.ticked and item not in ticked]
        removed = [item for item in TICKED_ITEMS if item in ticked and item not in preparation.ticked]
        for item in added:
            placement.checks.append(PreparationCheck(item=item, checked_at=clock.utc_now(), checked_by_id=user.id))
        for item in removed:
            placement.checks.remove(ticked[item])
        police = next((check for check in placement.checks if check.item is PreparationItem.POLICE_NOTIFIED), None)
        police_before = (police.police_notified_on, police.police_notified_by) if police else (None, None)
        if police is not None:
            police.police_notified_on = preparation.police_notified_on
            police.police_notified_by = preparation.police_notified_by
        police_changed = police is not None and police_before != (police.police_notified_on, police.police_notified_by)
        if not (added or removed or police_changed):
            return False
        details = {"ticked": [item.value for item in added], "unticked": [item.value for item in removed]}
        if police is not None:
            details |= {"police_notified_on": police.police_notified_on.isoformat(),
                        "police_notified_by": police.police_notified_by.value}
        audit.record("preparation_updated", placement, user=user, **details)
    return True


# --- the arrivals board ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Board:
    arrivals: list[Placement]  # upcoming, expected within the next 14 days or already overdue
    departures_overdue: list[Placement]
    departures_today: list[Placement]
    departures_soon: list[Placement]  # within the next 14 days


def board(user: User, premises: Premises, today: date) -> Board:
    """Arrivals and departures due at the premises, each in the order they are due, then by name."""
    access.require(user, premises, Permission.VIEW_ARRIVALS)
    horizon = today + timedelta(days=max(ARRIVALS_WITHIN_DAYS, DEPARTURES_WITHIN_DAYS))
    placements = db.session.scalars(
        sa.select(Placement)
        .where(
            Placement.premises_id == premises.id,
            sa.or_(
                (Placement.status == PlacementStatus.UPCOMING) & (Placement.expected_arrival <= horizon),
                (Placement.status == PlacementStatus.ARRIVED) & (Placement.expected_departure <= horizon),
            ),
        )
        .options(*PLACEMENT_LOADS)
    ).unique()
    arrivals, departures = [], []
    for placement in sorted(placements, key=lambda p: (p.person.name, p.person.crn)):
        (arrivals if placement.status is PlacementStatus.UPCOMING else departures).append(placement)
    arrivals = sorted((p for p in arrivals if p.expected_arrival <= today + timedelta(days=ARRIVALS_WITHIN_DAYS)),
                      key=lambda p: p.expected_arrival)
    departures.sort(key=lambda p: p.expected_departure)
    return Board(
        arrivals=arrivals,
        departures_overdue=[p for p in departures if p.expected_departure < today],
        departures_today=[p for p in departures if p.expected_departure == today],
        departures_soon=[p for p in departures if p.expected_departure > today],
    )


# --- recording arrivals, non-arrivals and departures -----------------------------------------------------------


@dataclass(frozen=True)
class Moment:
    """A date and time typed by staff, London time; either is None when it was left out or could not be read."""

    on: date | None
    at: time | None

    def problems(self, what: str, now: datetime) -> dict[str, str]:
        checks = {
            f"{what}_date": f"Enter the {what} date" if self.on is None else
            f"The {what} date must be today or in the past" if self.on > now.date() else None,
            f"{what}_time": f"Enter the {what} time" if self.at is None else
            f"The {what} time must not be in the future"
            if self.on == now.date() and self.at > now.time().replace(tzinfo=None) else None,
        }
        return {field: message for field, message in checks.items() if message}

    def __str__(self) -> str:
        return f"{govuk_date(self.on)} at {self.at:%H:%M}" if self.at else govuk_date(self.on)


def _status_refusal(placement: Placement, action: str, allowed: tuple[PlacementStatus, ...]) -> str | None:
    """Why the placement's status stops an action, in words that say what happened instead."""
    if placement.status in allowed:
        return None
    name = placement.person.name
    reasons = {
        PlacementStatus.UPCOMING: f"{name} has not arrived yet: record the arrival first",
        PlacementStatus.ARRIVED: f"The arrival of {name} was already recorded, on "
                                 f"{Moment(placement.actual_arrival, placement.actual_arrival_time)}",
        PlacementStatus.DEPARTED: f"The departure of {name} was already recorded, on "
                                  f"{Moment(placement.actual_departure, placement.actual_departure_time)}",
        PlacementStatus.NOT_ARRIVED: f"{name} was recorded as not arriving",
        PlacementStatus.CANCELLED: f"This placement for {name} was cancelled",
    }
    return f"You cannot {action}. {reasons[placement.status]}"


def arrival_refusal(placement: Placement) -> str | None:
    """Why no arrival can be recorded for the placement, whatever the date; None when one can."""
    if refusal := _status_refusal(placement, "record an arrival", (PlacementStatus.UPCOMING,)):
        return refusal
    if placement.bed_id is None:
        return f"You cannot record an arrival yet. Allocate a bed to {placement.person.name} first"
    return None


def earliest_arrival_allowed(user: User, today: date) -> date | None:
    """Arrivals are recorded within a week; a premises manager may record an older one (None: no limit)."""
    return None if user.can(Permission.BACKDATE_ARRIVALS) else today - timedelta(days=BACKDATE_DAYS)


def arrival_problems(user: User, placement: Placement, arrival: Moment) -> dict[str, str]:
    now = clock.now()
    problems = arrival.problems("arrival", now)
    if "arrival_date" in problems or arrival.on is None:
        return problems
    earliest = earliest_arrival_allowed(user, now.date())
    if earliest is not None and arrival.on < earliest:
        problems["arrival_date"] = (f"The arrival date must be within the last {BACKDATE_DAYS} days, on or after "
                                    f"{govuk_date(earliest)}. Ask a premises manager to record an earlier arrival")
    elif arrival.on >= placement.expected_departure:
        problems["arrival_date"] = (f"The arrival date must be before the expected departure date, "
                                    f"{govuk_date(placement.expected_departure)}. Change that date first")
    elif problem := _bed_problem(placement, placement.bed, arrival.on, placement.expected_arrival, MOVE_FIRST):
        problems["arrival_date"] = problem
    return problems


def record_arrival(user: User, placement: Placement, arrival: Moment) -> Placement:
    with _changing(user, placement) as placement:
        if refusal := arrival_refusal(placement):
            raise Refused(refusal)
        refuse_if_any(arrival_problems(user, placement, arrival))
        placement.actual_arrival, placement.actual_arrival_time = arrival.on, arrival.at
        placement.status = PlacementStatus.ARRIVED
        audit.record("arrival_recorded", placement, user=user, arrived_on=arrival.on.isoformat(),
                     arrived_at=arrival.at.isoformat("minutes"), expected_arrival=placement.expected_arrival.isoformat())
        _on_timeline(placement, ReferralEventKind.ARRIVED, user, f"on {govuk_date(arrival.on)}")
    return placement


@dataclass(frozen=True)
class NonArrival:
    reason: NonArrivalReason | None
    detail: str = ""


def non_arrival_refusal(placement: Placement) -> str | None:
    return _status_refusal(placement, "record a non-arrival", (PlacementStatus.UPCOMING,))


def non_arrival_problems(non_arrival: NonArrival) -> dict[str, str]:
    checks = {
        "reason": "Select why the person did not arrive" if non_arrival.reason is None else None,
        "detail": text_problem(non_arrival.detail, missing="Enter the reason the person did not arrive",
                               max_length=MAX_TEXT, what="The reason")
        if non_arrival.reason is NonArrivalReason.OTHER else _too_long(non_arrival.detail, "The detail"),
    }
    return {field: message for field, message in checks.items() if message}


def record_non_arrival(user: User, placement: Placement, non_arrival: NonArrival) -> Placement:
    """The person will not come: the bed is free again from the expected arrival."""
    with _changing(user, placement) as placement:
        if refusal := non_arrival_refusal(placement):
            raise Refused(refusal)
        refuse_if_any(non_arrival_problems(non_arrival))
        placement.status = PlacementStatus.NOT_ARRIVED
        placement.non_arrival_reason = non_arrival.reason
        placement.non_arrival_detail = non_arrival.detail.strip() or None
        audit.record("non_arrival_recorded", placement, user=user,
                     **_given(non_arrival_reason=non_arrival.reason.value, detail=placement.non_arrival_detail))
        _on_timeline(placement, ReferralEventKind.NOT_ARRIVED, user, non_arrival.reason.label)
    return placement


@dataclass(frozen=True)
class Departure:
    moment: Moment
    reason: DepartureReason | None
    breach_or_recall_reason: BreachOrRecallReason | None = None
    move_on_category: MoveOnCategory | None = None
    notes: str = ""


def departure_refusal(placement: Placement) -> str | None:
    return _status_refusal(placement, "record a departure", (PlacementStatus.ARRIVED,))


def departure_problems(placement: Placement, departure: Departure) -> dict[str, str]:
    moment, arrival = departure.moment, Moment(placement.actual_arrival, placement.actual_arrival_time)
    problems = moment.problems("departure", clock.now())
    if "departure_date" not in problems and moment.on is not None:
        if moment.on < arrival.on:
            problems["departure_date"] = f"The departure date must be on or after the arrival date, {govuk_date(arrival.on)}"
        elif moment.on == arrival.on and None not in (moment.at, arrival.at) and moment.at < arrival.at:
            problems["departure_time"] = f"The departure time must be after the arrival time, {arrival.at:%H:%M}"
        elif problem := _bed_problem(placement, placement.bed, placement.expected_departure, moment.on, MOVE_FIRST):
            problems["departure_date"] = problem
    breach = departure.reason is DepartureReason.BREACH_OR_RECALL
    checks = {
        "reason": "Select the reason for the departure" if departure.reason is None else None,
        "breach_or_recall_reason": "Select the breach or recall reason"
        if breach and departure.breach_or_recall_reason is None else None,
        # Nobody moves on after dying; everyone else goes somewhere, if only into custody or no fixed abode.
        "move_on_category": "Select where the person has moved on to"
        if departure.move_on_category is None and departure.reason is not DepartureReason.DIED else None,
        "notes": _too_long(departure.notes, "Notes"),
    }
    return problems | {field: message for field, message in checks.items() if message}


def record_departure(user: User, placement: Placement, departure: Departure) -> Placement:
    with _changing(user, placement) as placement:
        if refusal := departure_refusal(placement):
            raise Refused(refusal)
        refuse_if_any(departure_problems(placement, departure))
        breach = departure.reason is DepartureReason.BREACH_OR_RECALL
        placement.actual_departure, placement.actual_departure_time = departure.moment.on, departure.moment.at
        placement.status = PlacementStatus.DEPARTED
        placement.departure_reason = departure.reason
        placement.breach_or_recall_reason = departure.breach_or_recall_reason if breach else None
        placement.move_on_category = departure.move_on_category
        placement.departure_notes = departure.notes.strip() or None
        audit.record("departure_recorded", placement, user=user, **_given(
            departed_on=departure.moment.on.isoformat(), departed_at=departure.moment.at.isoformat("minutes"),
            departure_reason=departure.reason.value,
            breach_or_recall_reason=placement.breach_or_recall_reason,
            move_on_category=placement.move_on_category,
            notes=placement.departure_notes,
        ))
        _on_timeline(placement, ReferralEventKind.DEPARTED, user,
                     f"on {govuk_date(departure.moment.on)}: {departure.reason.label}")
    return placement


def _on_timeline(placement: Placement, kind: ReferralEventKind, user: User, note: str) -> None:
    """The event on the person's timeline, under the referral the placement was booked from (if it was)."""
    if placement.placement_request is not None:
        referral_timeline.record(placement.placement_request.referral, kind, user,
                                 note=f"{placement.premises.name}, {note}")


# --- changing dates, key worker and bed ------------------------------------------------------------------------


def change_refusal(placement: Placement) -> str | None:
    return _status_refusal(placement, "change this placement", CHANGEABLE)


def expected_departure_problems(placement: Placement, new_departure: date | None) -> dict[str, str]:
    today, latest = clock.today(), years_after(placement.arrival, MAX_STAY_YEARS)
    if new_departure is None:
        problem = "Enter the expected departure date"
    elif new_departure <= placement.arrival:
        problem = f"The expected departure date must be after the arrival date, {govuk_date(placement.arrival)}"
    elif placement.status is PlacementStatus.ARRIVED and new_departure < today:
        problem = "The expected departure date must be today or in the future. If the person has left, record their departure"
    elif new_departure > latest:
        problem = f"The expected departure date must be within {MAX_STAY_YEARS} years of the arrival, on or before {govuk_date(latest)}"
    else:
        problem = _bed_problem(placement, placement.bed, placement.expected_departure, new_departure,
                               f"{MOVE_FIRST}, or choose an earlier date")
    return {"expected_departure": problem} if problem else {}


def change_expected_departure(user: User, placement: Placement, new_departure: date | None) -> Placement:
    with _changing(user, placement) as placement:
        if refusal := change_refusal(placement):
            raise Refused(refusal)
        problems = expected_departure_problems(placement, new_departure)
        if not problems and new_departure > placement.expected_departure:
            if refused := bookings.later_departure_problems(placement, new_departure):
                problems = {"expected_departure": " ".join(refused)}
        refuse_if_any(problems)
        before = placement.expected_departure
        placement.expected_departure = new_departure
        audit.record_changes("expected_departure_changed", placement,
                             {"expected_departure": before.isoformat()},
                             {"expected_departure": new_departure.isoformat()}, user=user)
    return placement


def key_worker_choices(premises: Premises) -> list[User]:
    """Active staff accounts of the premises, by name: the people who can be key workers there."""
    return list(db.session.scalars(
        sa.select(User)
        .where(User.premises_id == premises.id, User.is_active, User.role_rows.any(UserRole.role.in_(STAFF_ROLES)))
        .order_by(User.name)
    ))


@dataclass(frozen=True)
class KeyWorker:
    user_id: int | None
    name: str = ""


def key_worker_problems(placement: Placement, key_worker: KeyWorker) -> dict[str, str]:
    name = key_worker.name.strip()
    if key_worker.user_id is not None and name:
        return {"key_worker_name": "Select a key worker or enter a name, not both"}
    if key_worker.user_id is not None:
        staff = {user.id for user in key_worker_choices(placement.premises)}
        return {} if key_worker.user_id in staff else {"key_worker": f"Select a member of staff at {placement.premises.name}"}
    problem = text_problem(name, missing="Select a key worker or enter their name", max_length=120, what="The name")
    return {"key_worker": problem} if problem else {}


def assign_key_worker(user: User, placement: Placement, key_worker: KeyWorker) -> Placement:
    with _changing(user, placement) as placement:
        if refusal := change_refusal(placement):
            raise Refused(refusal)
        refuse_if_any(key_worker_problems(placement, key_worker))
        before = placement.key_worker
        placement.key_worker_account = db.session.get(User, key_worker.user_id) if key_worker.user_id else None
        placement.key_worker_name = key_worker.name.strip() or None
        audit.record_changes("key_worker_assigned", placement, {"key_worker": before},
                             {"key_worker": placement.key_worker}, user=user)
    return placement


def nights_to_come(placement: Placement, today: date) -> tuple[date, date]:
    """The nights a new bed must be free for: the whole stay before arrival, what is left of it afterwards."""
    start = placement.arrival if placement.status is PlacementStatus.UPCOMING else max(placement.arrival, today)
    return start, placement.departure


def bed_choices(placement: Placement, today: date) -> list[Bed]:
    """Beds of the premises in use, in service and free for the nights to come, with their room's characteristics;
    the placement's own bed among them. A few grouped queries, whatever the number of beds."""
    start, end = nights_to_come(placement, today)
    beds = db.session.scalars(
        sa.select(Bed)
        .join(Bed.room)
        .where(Room.premises_id == placement.premises_id, Bed.active_from <= start,
               sa.or_(Bed.active_to.is_(None), Bed.active_to >= day_before(end)))
        .options(joinedload(Bed.room).selectinload(Room.characteristics), selectinload(Bed.out_of_service))
        .order_by(*natural_order(Room.name, Bed.name))
    ).all()
    taken = set(db.session.scalars(
        sa.select(Placement.bed_id).where(Placement.premises_id == placement.premises_id, Placement.id != placement.id,
                                          Placement.bed_id.is_not(None), estate.occupying_during(start, end))
    ))
    return [bed for bed in beds if bed.id not in taken and not _out_of_service_between(bed, start, end)]


def bed_problems(placement: Placement, bed_id: int | None, today: date) -> dict[str, str]:
    bed = db.session.get(Bed, bed_id) if bed_id is not None else None
    if bed is None or bed.room.premises_id != placement.premises_id:
        return {"bed": f"Select a bed in {placement.premises.name}"}
    problem = _bed_problem(placement, bed, *nights_to_come(placement, today), "Choose another bed")
    return {"bed": problem} if problem else {}


def assign_bed(user: User, placement: Placement, bed_id: int | None) -> Placement:
    with _changing(user, placement, bed_id=bed_id) as placement:
        if refusal := change_refusal(placement):
            raise Refused(refusal)
        refuse_if_any(bed_problems(placement, bed_id, clock.today()))
        before = placement.bed_id
        placement.bed_id = bed_id
        audit.record_changes("bed_assigned", placement, {"bed_id": before}, {"bed_id": bed_id}, user=user)
    return placement


# --- shared rules ----------------------------------------------------------------------------------------------


def _bed_problem(placement: Placement, bed: Bed | None, start: date, end: date, remedy: str) -> str | None:
    """Why the bed cannot take the placement for the nights from `start` up to, not including, `end`: not in use
    then, out of service, or someone else's; `remedy` says what to do about it. Nothing to check when there are no
    such nights (a shorter stay)."""
    if bed is None or start >= end:
        return None
    last = day_before(end)
    if not (bed.is_active_on(start) and bed.is_active_on(last)):
        return f"{bed.label} is not in use {_nights(start, last)}. {remedy}"
    if period := _out_of_service_between(bed, start, end):
        return (f"{bed.label} is out of service from {govuk_date(period.start_date)} to {govuk_date(period.end_date)}. "
                f"{remedy}")
    others = [other for other in estate.residents_in_bed(bed, start, end) if other.id != placement.id]
    if others:
        clash = _nights(max(start, others[0].arrival), min(last, day_before(others[0].departure)))
        return f"{bed.label} is booked for {estate.resident_description(others[0])}, which clashes {clash}. {remedy}"
    return None


def _nights(first: date, last: date) -> str:
    return f"from {govuk_date(first)} to {govuk_date(last)}" if first < last else f"on {govuk_date(first)}"


def _out_of_service_between(bed: Bed, start: date, end: date):
    """The bed's first period out of service on a night from `start` up to, not including, `end`, if any."""
    return next((period for period in bed.out_of_service if not period.is_cancelled and dates_overlap(
        period.start_date, period.end_date, start, day_before(end), end_included=True)), None)


def _given(**details) -> dict:
    """Audit details without the ones left empty; codes rather than members, which JSON cannot hold."""
    return {key: getattr(value, "value", value) for key, value in details.items() if value is not None}


def _too_long(text: str, what: str) -> str | None:
    return f"{what} must be {MAX_TEXT:,} characters or fewer" if len(text.strip()) > MAX_TEXT else None


@contextmanager
def _changing(user: User, placement: Placement, *, bed_id: int | None = None) -> Iterator[Placement]:
    """The write transaction of an action on a placement: the user may record there, the placement is locked, then
    the bed it is to be in (`bed_id`, by default its own)."""
    access.require(user, placement.premises, Permission.RECORD_ARRIVALS)
    with write_transaction(Placement, placement.id) as locked:
        bed_id = bed_id if bed_id is not None else locked.bed_id
        if bed_id is not None:
            db.session.get(Bed, bed_id, with_for_update=True, populate_existing=True)
        yield locked
