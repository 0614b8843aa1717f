"""The national estate: which premises a user may see, their bed counts today, and beds out of service.

Definitions used everywhere a count is shown:
- a bed *exists* on a day when it is active then (active_from <= day <= active_to, open-ended when active_to
  is empty);
- a bed is *out of service* on a day when a period that is not cancelled covers it (start and end inclusive);
- a placement *occupies* a bed on a day when its status is not cancelled or not arrived and
  arrival <= day < departure, where arrival and departure are the actual dates once recorded and the
  expected dates until then. So an upcoming placement due today counts, and a departure day is free.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

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
from app.services import audit
from app.services.validation import InvalidInput, Refused
from vocabulary import APType, Gender

NOT_OCCUPYING = (PlacementStatus.CANCELLED, PlacementStatus.NOT_ARRIVED)


class NotInScope(LookupError):
    """The object does not exist or the user may not see it; views answer 404 either way."""


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


def scope_condition(user: User):
    """The premises a user may see: national users all of them, AP staff their own, regional users their region.

    An account with neither a premises nor a region recorded is not scoped, so it sees every premises.
    """
    if user.can(Permission.VIEW_ALL_REGIONS):
        return sa.true()
    if user.premises_id is not None:
        return Premises.id == user.premises_id
    if user.region_id is not None:
        return Premises.region_id == user.region_id
    return sa.true()


def premises_in_scope(user: User, premises_id: int) -> Premises:
    premises = db.session.scalar(
        sa.select(Premises)
        .where(Premises.id == premises_id, scope_condition(user))
        .options(joinedload(Premises.region), selectinload(Premises.characteristics))
    )
    if premises is None:
        raise NotInScope(f"No premises {premises_id} for this user")
    return premises


def regions_in_scope(user: User) -> list[Region]:
    """The regions worth offering as a filter: only those holding premises the user can see."""
    return list(
        db.session.scalars(
            sa.select(Region)
            .where(Region.id.in_(sa.select(Premises.region_id).where(scope_condition(user))))
            .order_by(Region.name)
        )
    )


def is_in_scope(user: User, premises: Premises) -> bool:
    return db.session.scalar(sa.select(sa.exists().where(Premises.id == premises.id, scope_condition(user))))


def can_manage_out_of_service_beds(user: User, premises: Premises) -> bool:
    return user.can(Permission.MANAGE_OUT_OF_SERVICE_BEDS) and is_in_scope(user, premises)


def _require_manager(user: User, premises: Premises) -> None:
    if not can_manage_out_of_service_beds(user, premises):
        raise NotInScope(f"{user.email} may not manage beds at premises {premises.id}")


# --- counts --------------------------------------------------------------------------------------------------


def _bed_exists_on(day: date):
    return sa.and_(Bed.active_from <= day, sa.or_(Bed.active_to.is_(None), Bed.active_to >= day))


def _out_of_service_on(day: date):
    return sa.and_(
        OutOfServiceBed.cancelled_at.is_(None), OutOfServiceBed.start_date <= day, OutOfServiceBed.end_date >= day
    )


def occupying_on(day: date):
    """SQL condition for a placement occupying a bed on `day` (see the module docstring)."""
    arrival = sa.func.coalesce(Placement.actual_arrival, Placement.expected_arrival)
    departure = sa.func.coalesce(Placement.actual_departure, Placement.expected_departure)
    return sa.and_(Placement.status.not_in(NOT_OCCUPYING), arrival <= day, departure > day)


def bed_counts(premises_ids: list[int], day: date) -> dict[int, BedCounts]:
    """Beds, beds out of service and beds occupied on `day` for many premises, in three grouped queries."""
    if not premises_ids:
        return {}
    beds = dict(
        db.session.execute(
            sa.select(Room.premises_id, sa.func.count(Bed.id))
            .join(Bed.room)
            .where(Room.premises_id.in_(premises_ids), _bed_exists_on(day))
            .group_by(Room.premises_id)
        ).all()
    )
    out_of_service = dict(
        db.session.execute(
            sa.select(Room.premises_id, sa.func.count(sa.distinct(Bed.id)))
            .select_from(OutOfServiceBed)
            .join(OutOfServiceBed.bed)
            .join(Bed.room)
            .where(Room.premises_id.in_(premises_ids), _bed_exists_on(day), _out_of_service_on(day))
            .group_by(Room.premises_id)
        ).all()
    )
    occupied = dict(
        db.session.execute(
            sa.select(Placement.premises_id, sa.func.count(Placement.id))
            .where(Placement.premises_id.in_(premises_ids), occupying_on(day))
            .group_by(Placement.premises_id)
        ).all()
    )
    return {
        premises_id: BedCounts(beds.get(premises_id, 0), out_of_service.get(premises_id, 0), occupied.get(premises_id, 0))
        for premises_id in premises_ids
    }


def list_premises(user: User, filters: EstateFilters = EstateFilters(), day: date | None = None) -> list[PremisesSummary]:
    """Active premises the user may see, filtered, by name, each with its bed counts on `day` (default today)."""
    day = day or date.today()
    query = (
        sa.select(Premises)
        .where(Premises.is_active, scope_condition(user))
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
    premises = list(db.session.scalars(query))
    counts = bed_counts([p.id for p in premises], day)
    return [PremisesSummary(p, counts[p.id]) for p in premises]


def total_counts(summaries: list[PremisesSummary]) -> BedCounts:
    return BedCounts(
        sum(s.counts.beds for s in summaries),
        sum(s.counts.out_of_service for s in summaries),
        sum(s.counts.occupied for s in summaries),
    )


# --- one premises --------------------------------------------------------------------------------------------


def rooms_with_beds(premises: Premises) -> list[Room]:
    return list(
        db.session.scalars(
            sa.select(Room)
            .where(Room.premises_id == premises.id)
            .options(selectinload(Room.beds), selectinload(Room.characteristics))
            .order_by(*natural_order(Room.name))
        )
    )


def _periods_at(premises: Premises, *columns):
    """A query of out-of-service periods (or of `columns` of them) for beds at the premises."""
    return (
        sa.select(*(columns or (OutOfServiceBed,)))
        .join(OutOfServiceBed.bed)
        .join(Bed.room)
        .where(Room.premises_id == premises.id)
    )


def out_of_service_bed_ids(premises: Premises, day: date) -> set[int]:
    return set(db.session.scalars(_periods_at(premises, OutOfServiceBed.bed_id).where(_out_of_service_on(day))))


def current_and_future_out_of_service_beds(premises: Premises, day: date | None = None) -> list[OutOfServiceBed]:
    """Periods that have not ended by `day`, cancelled ones included so that staff can see what changed."""
    day = day or date.today()
    return list(
        db.session.scalars(
            _periods_at(premises)
            .where(OutOfServiceBed.end_date >= day)
            .options(joinedload(OutOfServiceBed.bed).joinedload(Bed.room))
            .order_by(OutOfServiceBed.start_date, *natural_order(Room.name, Bed.name))
        )
    )


def current_residents(user: User, premises: Premises, day: date | None = None) -> list[Placement]:
    """Placements occupying a bed at the premises on `day`, for users allowed to see residents there."""
    if not (user.can(Permission.VIEW_RESIDENTS) and is_in_scope(user, premises)):
        raise NotInScope(f"{user.email} may not see residents at premises {premises.id}")
    return list(
        db.session.scalars(
            sa.select(Placement)
            .join(Placement.person)
            .where(Placement.premises_id == premises.id, occupying_on(day or date.today()))
            .options(joinedload(Placement.person))
            .order_by(Person.name)
        )
    )


def out_of_service_bed_in_scope(user: User, premises: Premises, out_of_service_bed_id: int) -> OutOfServiceBed:
    if not is_in_scope(user, premises):
        raise NotInScope(f"No premises {premises.id} for this user")
    period = db.session.scalar(_periods_at(premises).where(OutOfServiceBed.id == out_of_service_bed_id))
    if period is None:
        raise NotInScope(f"No out-of-service bed {out_of_service_bed_id} at premises {premises.id}")
    return period


# --- taking beds out of service ------------------------------------------------------------------------------


def bookable_beds(premises: Premises, day: date | None = None) -> list[Bed]:
    """Beds that exist today or later: the ones a period can still be recorded against."""
    day = day or date.today()
    return list(
        db.session.scalars(
            sa.select(Bed)
            .join(Bed.room)
            .where(Room.premises_id == premises.id, sa.or_(Bed.active_to.is_(None), Bed.active_to >= day))
            .options(joinedload(Bed.room))
            .order_by(*natural_order(Room.name, Bed.name))
        )
    )


def bed_name(bed: Bed) -> str:
    return f"{bed.room.name}, {bed.name}"


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
    """Record that a bed cannot be used from start_date to end_date inclusive; refuses overlaps."""
    _require_manager(user, premises)
    bed = db.session.get(Bed, bed_id, with_for_update=True)  # serialises concurrent overlapping requests
    if bed is None or bed.room.premises_id != premises.id:
        raise InvalidInput({"bed": f"Select a bed in {premises.name}"})
    if end_date < start_date:
        raise InvalidInput({"end_date": "The end date must be the same as or after the start date"})
    clash = db.session.scalar(
        sa.select(OutOfServiceBed)
        .where(
            OutOfServiceBed.bed_id == bed.id,
            OutOfServiceBed.cancelled_at.is_(None),
            OutOfServiceBed.start_date <= end_date,
            OutOfServiceBed.end_date >= start_date,
        )
        .order_by(OutOfServiceBed.start_date)
        .limit(1)
    )
    if clash is not None:
        overlap = f"from {govuk_date(clash.start_date)} to {govuk_date(clash.end_date)}"
        raise InvalidInput({"start_date": f"{bed_name(bed)} is already out of service {overlap}. Choose dates that do not overlap"})
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
    db.session.commit()
    return period


def cancellation_refusal(period: OutOfServiceBed, day: date | None = None) -> str | None:
    """Why a period can no longer be cancelled, or None when it can: history is kept as it happened."""
    if period.is_cancelled:
        return "This out-of-service period has already been cancelled"
    if period.end_date < (day or date.today()):
        return "This out-of-service period has already ended"
    return None


def cancel_out_of_service_bed(user: User, period: OutOfServiceBed, day: date | None = None) -> OutOfServiceBed:
    """Put the bed back in service; the record stays, marked cancelled, for the audit trail and reports."""
    premises = period.bed.room.premises
    _require_manager(user, premises)
    refusal = cancellation_refusal(period, day)
    if refusal:
        raise Refused(refusal)
    period.cancelled_at = datetime.now(UTC).replace(tzinfo=None)
    period.cancelled_by_id = user.id
    audit.record("out_of_service_bed_cancelled", period, user=user, premises_id=premises.id, bed_id=period.bed_id)
    db.session.commit()
    return period
