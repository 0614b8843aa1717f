"""The national estate: the premises a user may see, their bed counts today, their residents, and beds out of
service.

Definitions used everywhere a count is shown:
- a bed *exists* on a day when it is active then (active_from <= day <= active_to, open-ended when active_to
  is empty);
- a bed is *out of service* on a day when a period that is not cancelled covers it (start and end inclusive);
- a placement *occupies* a bed on a day when its status is not cancelled or not arrived and
  arrival <= day < departure, where arrival and departure are the actual dates once recorded and the
  expected dates until then. So an upcoming placement due today counts, and a departure day is free.

A bed cannot be out of service twice at once, nor while a resident occupies it; the database enforces the first
on PostgreSQL too (an exclusion constraint), and a write transaction keeps the checks free of races.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload

from app import clock
from app.extensions import db
from app.filters import govuk_date
from app.models import (
    Bed,
    Characteristic,
    OutOfServiceBed,
    OutOfServiceReason,
    Person,
    Placement,
    PlacementStatus,
    Premises,
    Region,
    Room,
    User,
)
from app.models.premises import natural_order
from app.permissions import Permission
from app.services import access, audit, exports
from app.services.locking import write_transaction
from app.services.periods import dates_overlap, day_after, day_before, years_after
from app.services.validation import InvalidInput, Refused
from vocabulary import APType, Gender

NOT_OCCUPYING = (PlacementStatus.CANCELLED, PlacementStatus.NOT_ARRIVED)
# What a premises page reads of the premises itself, loaded with it in one query.
PREMISES_PAGE_LOADS = (joinedload(Premises.region), joinedload(Premises.characteristics))
MAX_YEARS_OUT_OF_SERVICE_AHEAD = 2


@dataclass(frozen=True)
class EstateFilters:
    region_id: int | None = None
    gender: Gender | None = None
    ap_type: APType | None = None
    characteristic: str | None = None


@dataclass(frozen=True)
class BedCounts:
    beds: int = 0
    out_of_service: int = 0
    occupied: int = 0

    @property
    def in_service(self) -> int:
        return self.beds - self.out_of_service

    @property
    def free(self) -> int:
        """Beds in service with nobody in them; an overbooked premises has none free, not a negative number."""
        return max(self.in_service - self.occupied, 0)


@dataclass(frozen=True)
class PremisesSummary:
    premises: Premises
    counts: BedCounts


# --- who sees what -------------------------------------------------------------------------------------------


def regions_in_scope(user: User) -> list[Region]:
    """The regions worth offering as a filter: only those holding premises the user can see."""
    return list(
        db.session.scalars(
            sa.select(Region)
            .where(Region.id.in_(sa.select(Premises.region_id).where(access.visible_premises(user))))
            .order_by(Region.name)
        )
    )


# --- counts --------------------------------------------------------------------------------------------------


def _bed_exists_on(day: date):
    return sa.and_(Bed.active_from <= day, sa.or_(Bed.active_to.is_(None), Bed.active_to >= day))


def _out_of_service_during(start: date, end: date):
    """SQL condition for a period that is not cancelled and covers a day from `start` to `end` inclusive."""
    return sa.and_(
        OutOfServiceBed.cancelled_at.is_(None),
        dates_overlap(OutOfServiceBed.start_date, OutOfServiceBed.end_date, start, end, end_included=True),
    )


def occupying_during(start: date, end: date):
    """SQL condition for a placement occupying a bed on a day from `start` up to, not including, `end`."""
    arrival = sa.func.coalesce(Placement.actual_arrival, Placement.expected_arrival)
    departure = sa.func.coalesce(Placement.actual_departure, Placement.expected_departure)
    return sa.and_(Placement.status.not_in(NOT_OCCUPYING), dates_overlap(arrival, departure, start, end, end_included=False))


def occupying_on(day: date):
    """SQL condition for a placement occupying a bed on `day` (see the module docstring)."""
    return occupying_during(day, day_after(day))


# The counts' statements are built once with parameters: building them costs more than running them.
_COUNT_DAY = sa.bindparam("count_day", type_=sa.Date)
_COUNT_NEXT_DAY = sa.bindparam("count_next_day", type_=sa.Date)
_COUNTED_PREMISES = sa.bindparam("counted_premises", expanding=True)


@cache
def _bed_count_subqueries(of_some_premises: bool) -> tuple[sa.Subquery, ...]:
    """Beds, beds out of service and beds occupied on the count day, each grouped by premises; of the counted
    premises only, when given, rather than of the whole estate."""
    beds = (
        sa.select(Room.premises_id, sa.func.count(Bed.id).label("number"))
        .join(Bed.room)
        .where(_bed_exists_on(_COUNT_DAY))
        .group_by(Room.premises_id)
    )
    out_of_service = (
        sa.select(Room.premises_id, sa.func.count(sa.distinct(Bed.id)).label("number"))
        .select_from(OutOfServiceBed)
        .join(OutOfServiceBed.bed)
        .join(Bed.room)
        .where(_bed_exists_on(_COUNT_DAY), _out_of_service_during(_COUNT_DAY, _COUNT_DAY))
        .group_by(Room.premises_id)
    )
    occupied = (
        sa.select(Placement.premises_id, sa.func.count(Placement.id).label("number"))
        .where(occupying_during(_COUNT_DAY, _COUNT_NEXT_DAY))
        .group_by(Placement.premises_id)
    )
    if of_some_premises:
        beds, out_of_service = (count.where(Room.premises_id.in_(_COUNTED_PREMISES)) for count in (beds, out_of_service))
        occupied = occupied.where(Placement.premises_id.in_(_COUNTED_PREMISES))
    return tuple(count.subquery() for count in (beds, out_of_service, occupied))


def _with_bed_counts(query: sa.Select, day: date, premises_ids: list[int] | None = None) -> Iterable[sa.Row]:
    """The rows of a query of premises with three more columns: its beds, beds out of service and beds occupied
    on `day`. Each count is grouped by premises once for the whole query, never run again for each premises."""
    for count in _bed_count_subqueries(of_some_premises=premises_ids is not None):
        query = query.outerjoin(count, count.c.premises_id == Premises.id).add_columns(sa.func.coalesce(count.c.number, 0))
    parameters = {"count_day": day, "count_next_day": day_after(day), "counted_premises": premises_ids or []}
    return db.session.execute(query, parameters)


def bed_counts(premises_ids: list[int], day: date) -> dict[int, BedCounts]:
    """Beds, beds out of service and beds occupied on `day` for many premises, in one query."""
    rows = _with_bed_counts(sa.select(Premises.id).where(Premises.id.in_(premises_ids)), day, premises_ids)
    return {premises_id: BedCounts(*numbers) for premises_id, *numbers in rows}


def premises_in_scope(user: User, filters: EstateFilters = EstateFilters()) -> sa.Select:
    """Active premises the user may see, filtered, by name, with their regions."""
    query = (
        sa.select(Premises)
        .where(Premises.is_active, access.visible_premises(user))
        .options(joinedload(Premises.region))
        .order_by(Premises.name)
    )
    if filters.region_id is not None:
        query = query.where(Premises.region_id == filters.region_id)
    if filters.gender is not None:
        query = query.where(Premises.gender == filters.gender)
    if filters.ap_type is not None:
        query = query.where(Premises.ap_type == filters.ap_type)
    if filters.characteristic is not None:
        query = query.where(Premises.characteristics.any(Characteristic.code == filters.characteristic))
    return query


def list_premises(user: User, filters: EstateFilters = EstateFilters(), day: date | None = None) -> list[PremisesSummary]:
    """Active premises the user may see, filtered, by name, each with its bed counts on `day` (default today)."""
    rows = _with_bed_counts(premises_in_scope(user, filters), day or clock.today())
    return [PremisesSummary(premises, BedCounts(*numbers)) for premises, *numbers in rows]


def premises_table(summaries: list[PremisesSummary], day: date) -> exports.Table:
    """The premises list as a download: what the page shows, with each premises' code and postcode."""
    return exports.Table(
        title="Approved premises",
        header=("Name", "Code", "Town", "Postcode", "Region", "Gender", "AP type", "Beds",
                f"In service on {day.isoformat()}", f"Occupied on {day.isoformat()}", f"Free on {day.isoformat()}"),
        rows=((s.premises.name, s.premises.code, s.premises.town, s.premises.postcode, s.premises.region.name,
               s.premises.gender.label, s.premises.ap_type.label, s.counts.beds, s.counts.in_service,
               s.counts.occupied, s.counts.free) for s in summaries),
    )


def total_counts(summaries: list[PremisesSummary]) -> BedCounts:
    return BedCounts(
        sum(s.counts.beds for s in summaries),
        sum(s.counts.out_of_service for s in summaries),
        sum(s.counts.occupied for s in summaries),
    )


# --- one premises --------------------------------------------------------------------------------------------


def rooms_with_beds(premises: Premises) -> list[Room]:
    """Rooms in natural order, each with its beds and characteristics, all in one query: a room has a few of each."""
    return list(
        db.session.scalars(
            sa.select(Room)
            .where(Room.premises_id == premises.id)
            .options(joinedload(Room.beds), joinedload(Room.characteristics))
            .order_by(*natural_order(Room.name))
        ).unique()
    )


@dataclass(frozen=True)
class OutOfServicePeriods:
    """Every period ever saved for a premises, cancelled ones included, so staff can see and correct them all."""

    current_and_planned: list[OutOfServiceBed]
    past: list[OutOfServiceBed]
    bed_ids_out_today: set[int]  # beds out of service on the day the periods are split by


def out_of_service_periods(premises: Premises, day: date) -> OutOfServicePeriods:
    """Periods not ended by `day` in the order they start, then ended ones, the latest first."""
    periods = list(
        db.session.scalars(
            sa.select(OutOfServiceBed)
            .join(OutOfServiceBed.bed)
            .join(Bed.room)
            .where(Room.premises_id == premises.id)
            .options(contains_eager(OutOfServiceBed.bed).contains_eager(Bed.room))
            .order_by(OutOfServiceBed.start_date, *natural_order(Room.name, Bed.name))
        )
    )
    return OutOfServicePeriods(
        current_and_planned=[period for period in periods if period.end_date >= day],
        past=[period for period in reversed(periods) if period.end_date < day],
        bed_ids_out_today={period.bed_id for period in periods if period.covers(day)},
    )


def current_residents(user: User, premises: Premises, day: date | None = None) -> list[Placement]:
    """Placements occupying a bed at the premises on `day`, for users allowed to see residents there."""
    access.require(user, premises, Permission.VIEW_RESIDENTS)
    return list(
        db.session.scalars(
            sa.select(Placement)
            .join(Placement.person)
            .where(Placement.premises_id == premises.id, occupying_on(day or clock.today()))
            .options(joinedload(Placement.person), joinedload(Placement.bed).joinedload(Bed.room))
            .order_by(Person.name)
        )
    )


def residents_in_bed(bed: Bed, start: date, end: date) -> list[Placement]:
    """Placements occupying the bed on a day from `start` up to, not including, `end`, in order of arrival.

    The one rule for making a bed unusable: ending it and taking it out of service both refuse what this finds.
    """
    return list(
        db.session.scalars(
            sa.select(Placement)
            .where(Placement.bed_id == bed.id, occupying_during(start, end))
            .options(joinedload(Placement.person))
            .order_by(sa.func.coalesce(Placement.actual_arrival, Placement.expected_arrival))
        )
    )


def resident_description(placement: Placement) -> str:
    """A resident as staff recognise them without a name on an error message: CRN and the dates of their stay."""
    return f"{placement.person.crn} (from {govuk_date(placement.arrival)} to {govuk_date(placement.departure)})"


# --- taking beds out of service ------------------------------------------------------------------------------


def bookable_beds(premises: Premises, day: date | None = None) -> list[Bed]:
    """Beds that exist today or later: the ones a period can still be recorded against."""
    day = day or clock.today()
    return list(
        db.session.scalars(
            sa.select(Bed)
            .join(Bed.room)
            .where(Room.premises_id == premises.id, sa.or_(Bed.active_to.is_(None), Bed.active_to >= day))
            .options(joinedload(Bed.room))
            .order_by(*natural_order(Room.name, Bed.name))
        )
    )



def latest_out_of_service_end(day: date) -> date:
    """Periods are planned at most two years ahead: further out, a bed is better ended than held."""
    return years_after(day, MAX_YEARS_OUT_OF_SERVICE_AHEAD)


def _date_problems(start_date: date, end_date: date) -> dict[str, str]:
    if end_date < start_date:
        return {"end_date": "The end date must be the same as or after the start date"}
    latest = latest_out_of_service_end(clock.today())
    if end_date > latest:
        return {"end_date": f"The end date must be no more than {MAX_YEARS_OUT_OF_SERVICE_AHEAD} years from today, "
                            f"on or before {govuk_date(latest)}"}
    return {}


def _days(first: date, last: date) -> str:
    return f"on {govuk_date(first)}" if first == last else f"from {govuk_date(first)} to {govuk_date(last)}"


def _clash_problems(bed: Bed, start_date: date, end_date: date) -> dict[str, str]:
    """What stops the bed being out of service over these dates: another period, or a resident in it."""
    problems = {}
    clash = db.session.scalar(
        sa.select(OutOfServiceBed)
        .where(OutOfServiceBed.bed_id == bed.id, _out_of_service_during(start_date, end_date))
        .order_by(OutOfServiceBed.start_date)
        .limit(1)
    )
    if clash is not None:
        overlap = f"from {govuk_date(clash.start_date)} to {govuk_date(clash.end_date)}"
        problems["start_date"] = f"{bed.label} is already out of service {overlap}. Choose dates that do not overlap"
    if residents := residents_in_bed(bed, start_date, day_after(end_date)):
        resident = residents[0]
        first_clash = max(start_date, resident.arrival)
        last_clash = min(end_date, day_before(resident.departure))
        problems["bed"] = (
            f"{bed.label} is occupied by {resident_description(resident)}, which clashes "
            f"{_days(first_clash, last_clash)}. Choose other dates, or move them to another bed first"
        )
    return problems


def take_bed_out_of_service(
    user: User,
    premises: Premises,
    *,
    bed_id: int,
    reason: OutOfServiceReason,
    start_date: date,
    end_date: date,
    reference: str = "",
    notes: str = "",
) -> OutOfServiceBed:
    """Record that a bed cannot be used from start_date to end_date inclusive; refuses overlaps and residents."""
    access.require(user, premises, Permission.MANAGE_OUT_OF_SERVICE_BEDS)
    try:
        with write_transaction(Bed, bed_id) as bed:
            if bed is None or bed.room.premises_id != premises.id:
                raise InvalidInput({"bed": f"Select a bed in {premises.name}"})
            if problems := _date_problems(start_date, end_date) or _clash_problems(bed, start_date, end_date):
                raise InvalidInput(problems)
            period = OutOfServiceBed(
                bed=bed,
                reason=reason,
                start_date=start_date,
                end_date=end_date,
                reference=reference.strip(),
                notes=notes.strip(),
                created_by_id=user.id,
            )
            db.session.add(period)
            db.session.flush()
            audit.record(
                "out_of_service_bed_created",
                period,
                user=user,
                premises_id=premises.id,
                bed_id=bed.id,
                reason=reason.value,
                start_date=start_date.isoformat(),
                end_date=end_date.isoformat(),
                reference=period.reference,
            )
    except sa.exc.IntegrityError:
        # PostgreSQL's exclusion constraint caught an overlap that got past the check: say so in the same words.
        if problems := _clash_problems(db.session.get(Bed, bed_id), start_date, end_date):
            raise InvalidInput(problems) from None
        raise
    return period


def cancellation_refusal(period: OutOfServiceBed) -> str | None:
    """Why a period cannot be cancelled, or None when it can; past periods can, to correct the record."""
    return "This out-of-service period has already been cancelled" if period.is_cancelled else None


def cancel_out_of_service_bed(user: User, period: OutOfServiceBed) -> OutOfServiceBed:
    """Put the bed back in service; the record stays, marked cancelled, for the audit trail and reports."""
    premises = period.bed.room.premises
    access.require(user, premises, Permission.MANAGE_OUT_OF_SERVICE_BEDS)
    with write_transaction(OutOfServiceBed, period.id) as period:
        if refusal := cancellation_refusal(period):
            raise Refused(refusal)
        period.cancelled_at = clock.utc_now()
        period.cancelled_by_id = user.id
        audit.record("out_of_service_bed_cancelled", period, user=user, premises_id=premises.id, bed_id=period.bed_id)
    return period
