"""A premises' occupancy day by day: beds in service against people placed, in total and per room characteristic.

Counted as everywhere else (app/services/estate.py): a bed is in service on a day when it is in use and no
uncancelled out-of-service period covers it; a placement occupies its bed from its arrival up to, not including,
its departure. A room characteristic's count is the beds in service in rooms with it against the people placed in
those beds; a placement with no bed yet counts in the total only. Three grouped queries read the beds with their
characteristics, the out-of-service periods and the placements of the whole range; the days are counted in
Python, so a month costs what a day costs.
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import (
    Bed,
    Characteristic,
    OutOfServiceBed,
    Placement,
    Premises,
    Room,
    User,
)
from app.models.premises import natural_order, room_characteristics
from app.permissions import Permission
from app.services import access, estate
from app.services.periods import dates_overlap, day_before
from vocabulary import CHARACTERISTICS

LABELS = {characteristic.code: characteristic.label for characteristic in CHARACTERISTICS}
ORDER = [characteristic.code for characteristic in CHARACTERISTICS]


class Availability(str, Enum):
    AVAILABLE = "available"
    FULL = "full"
    OVERBOOKED = "overbooked"

    @property
    def label(self) -> str:
        return self.value.capitalize()


@dataclass(frozen=True)
class Count:
    in_service: int
    occupied: int

    @property
    def free(self) -> int:
        return max(self.in_service - self.occupied, 0)

    @property
    def availability(self) -> Availability:
        if self.occupied < self.in_service:
            return Availability.AVAILABLE
        return Availability.FULL if self.occupied == self.in_service else Availability.OVERBOOKED


@dataclass(frozen=True)
class Day:
    day: date
    total: Count
    by_characteristic: dict[str, Count]  # room characteristic code -> its count, in the vocabulary's order


@dataclass(frozen=True)
class _Stay:
    bed_id: int | None
    first: date
    last: date


def occupancy(premises: Premises, first: date, last: date) -> list[Day]:
    """Each day from `first` to `last` inclusive."""
    characteristics_of: dict[int, set[str]] = defaultdict(set)
    in_use: dict[int, tuple[date, date | None]] = {}
    for bed_id, active_from, active_to, code in db.session.execute(
        sa.select(Bed.id, Bed.active_from, Bed.active_to, Characteristic.code)
        .join(Bed.room)
        .outerjoin(room_characteristics, room_characteristics.c.room_id == Room.id)
        .outerjoin(Characteristic, Characteristic.id == room_characteristics.c.characteristic_id)
        .where(Room.premises_id == premises.id)  # every bed: the same characteristics are counted every month
    ):
        in_use[bed_id] = (active_from, active_to)
        if code is not None:
            characteristics_of[bed_id].add(code)
    out_of_service = _stays(
        sa.select(OutOfServiceBed.bed_id, OutOfServiceBed.start_date, OutOfServiceBed.end_date)
        .join(OutOfServiceBed.bed).join(Bed.room)
        .where(Room.premises_id == premises.id, OutOfServiceBed.cancelled_at.is_(None),
               dates_overlap(OutOfServiceBed.start_date, OutOfServiceBed.end_date, first, last, end_included=True)),
        end_included=True,
    )
    arrival = sa.func.coalesce(Placement.actual_arrival, Placement.expected_arrival)
    departure = sa.func.coalesce(Placement.actual_departure, Placement.expected_departure)
    placed = _stays(
        sa.select(Placement.bed_id, arrival, departure)
        .where(Placement.premises_id == premises.id, estate.occupying_during(first, last + timedelta(days=1))),
        end_included=False,
    )
    codes = sorted({code for codes in characteristics_of.values() for code in codes}, key=ORDER.index)
    return [_count(day, in_use, characteristics_of, out_of_service, placed, codes) for day in _days(first, last)]


def _stays(query: sa.Select, *, end_included: bool) -> list[_Stay]:
    return [_Stay(bed_id, start, end if end_included else day_before(end))
            for bed_id, start, end in db.session.execute(query)]


def _count(day: date, in_use, characteristics_of, out_of_service: list[_Stay], placed: list[_Stay],
           codes: list[str]) -> Day:
    out = {stay.bed_id for stay in out_of_service if stay.first <= day <= stay.last}
    serving = [bed_id for bed_id, (start, end) in in_use.items()
               if start <= day and (end is None or day <= end) and bed_id not in out]
    occupying = [stay.bed_id for stay in placed if stay.first <= day <= stay.last]

    def with_code(bed_ids, code):
        return sum(1 for bed_id in bed_ids if bed_id is not None and code in characteristics_of.get(bed_id, ()))

    return Day(
        day,
        Count(len(serving), len(occupying)),
        {code: Count(with_code(serving, code), with_code(occupying, code)) for code in codes},
    )


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


# --- the calendar and a day's detail ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Month:
    first: date

    @property
    def last(self) -> date:
        return self.first.replace(day=calendar.monthrange(self.first.year, self.first.month)[1])

    @property
    def previous(self) -> "Month":
        return Month(day_before(self.first).replace(day=1))

    @property
    def next(self) -> "Month":
        return Month(self.last + timedelta(days=1))

    @property
    def name(self) -> str:
        return f"{self.first:%B %Y}"

    @property
    def code(self) -> str:
        return f"{self.first:%Y-%m}"

    @classmethod
    def of(cls, day: date) -> "Month":
        return cls(day.replace(day=1))


def month_calendar(user: User, premises: Premises, month: Month) -> list[Day]:
    access.require(user, premises, Permission.VIEW_ARRIVALS)
    return occupancy(premises, month.first, month.last)


@dataclass(frozen=True)
class DayDetail:
    counts: Day
    arriving: list[Placement]
    leaving: list[Placement]
    out_of_service: list[OutOfServiceBed]


def day_detail(user: User, premises: Premises, day: date) -> DayDetail:
    """Who arrives and who leaves on the day (expected or recorded), and the beds out of service on it."""
    access.require(user, premises, Permission.VIEW_ARRIVALS)
    arrival = sa.func.coalesce(Placement.actual_arrival, Placement.expected_arrival)
    departure = sa.func.coalesce(Placement.actual_departure, Placement.expected_departure)
    moving = list(db.session.scalars(
        sa.select(Placement)
        .where(Placement.premises_id == premises.id, Placement.status.not_in(estate.NOT_OCCUPYING),
               sa.or_(arrival == day, departure == day))
        .options(joinedload(Placement.person), joinedload(Placement.bed).joinedload(Bed.room))
    ))
    moving.sort(key=lambda placement: (placement.person.name, placement.person.crn))
    out_of_service = list(db.session.scalars(
        sa.select(OutOfServiceBed)
        .join(OutOfServiceBed.bed).join(Bed.room)
        .where(Room.premises_id == premises.id, OutOfServiceBed.cancelled_at.is_(None),
               OutOfServiceBed.start_date <= day, OutOfServiceBed.end_date >= day)
        .options(joinedload(OutOfServiceBed.bed).joinedload(Bed.room))
        .order_by(*natural_order(Room.name, Bed.name))
    ))
    return DayDetail(
        counts=occupancy(premises, day, day)[0],
        arriving=[placement for placement in moving if placement.arrival == day],
        leaving=[placement for placement in moving if placement.departure == day],
        out_of_service=out_of_service,
    )
