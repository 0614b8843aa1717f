"""A premises' occupancy day by day: beds in service against people placed, in total and per room characteristic.

Counted as everywhere else (app/services/estate.py): a bed is in service on a day when it is in use and no
uncancelled out-of-service period covers it; a placement occupies its bed from its arrival up to, not including,
its departure. A room characteristic's count is the beds in service in rooms with it against the people placed in
those beds; a placement with no bed yet counts in the total only. Three grouped queries read the beds with their
characteristics, the out-of-service periods and the placements of the whole range; the days are counted in
Python by bisection, so six months cost little more than a day, and the whole estate's week little more than one
premises'.
"""

import calendar
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Collection, Iterable
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
    out_of_service: int = 0  # beds in use but out of service on the day


@dataclass(frozen=True)
class _Stay:
    bed_id: int | None
    first: date
    last: date


@dataclass
class _Beds:
    """One premises' beds: when each is in use, and its room's characteristics."""

    in_use: dict[int, tuple[date, date | None]]
    characteristics_of: dict[int, set[str]]


def occupancy(premises: Premises, first: date, last: date) -> list[Day]:
    """Each day from `first` to `last` inclusive."""
    return occupancy_of_many([premises.id], days_from(first, last))[premises.id]


def occupancy_of_many(premises_ids: list[int], days: list[date], *, codes: Collection[str] | None = None
                      ) -> dict[int, list[Day]]:
    """Each of the days (in order) of each premises, counted from the same three queries: in total and for each
    room characteristic of its rooms, or only for those of `codes` when given (none: the totals only)."""
    first, last = days[0], days[-1]
    beds: dict[int, _Beds] = {premises_id: _Beds({}, defaultdict(set)) for premises_id in premises_ids}
    in_use = (sa.select(Room.premises_id, Bed.id, Bed.active_from, Bed.active_to).join(Bed.room)
              .where(Room.premises_id.in_(premises_ids)))  # every bed: the same characteristics are counted every month
    if codes is None or codes:  # the totals alone need no characteristics
        in_use = (in_use.add_columns(Characteristic.code)
                  .outerjoin(room_characteristics, room_characteristics.c.room_id == Room.id)
                  .outerjoin(Characteristic, Characteristic.id == room_characteristics.c.characteristic_id))
    for premises_id, bed_id, active_from, active_to, *code in db.session.execute(in_use):
        beds[premises_id].in_use[bed_id] = (active_from, active_to)
        if code and code[0] is not None:
            beds[premises_id].characteristics_of[bed_id].add(code[0])
    out_of_service = _stays(
        sa.select(Room.premises_id, OutOfServiceBed.bed_id, OutOfServiceBed.start_date, OutOfServiceBed.end_date)
        .join(OutOfServiceBed.bed).join(Bed.room)
        .where(Room.premises_id.in_(premises_ids), OutOfServiceBed.cancelled_at.is_(None),
               dates_overlap(OutOfServiceBed.start_date, OutOfServiceBed.end_date, first, last, end_included=True)),
        end_included=True,
    )
    arrival = sa.func.coalesce(Placement.actual_arrival, Placement.expected_arrival)
    departure = sa.func.coalesce(Placement.actual_departure, Placement.expected_departure)
    placed = _stays(
        sa.select(Placement.premises_id, Placement.bed_id, arrival, departure)
        .where(Placement.premises_id.in_(premises_ids), estate.occupying_during(first, last + timedelta(days=1))),
        end_included=False,
    )
    counted = {}
    for premises_id, its_beds in beds.items():
        present = {code for of_bed in its_beds.characteristics_of.values() for code in of_bed}
        counting = sorted(present if codes is None else present & set(codes), key=ORDER.index)
        its_out, its_placed = out_of_service.get(premises_id, []), placed.get(premises_id, [])
        count = _counter(its_beds, its_out, its_placed, counting)
        counted[premises_id] = [count(day) for day in days]
    return counted


def _stays(query: sa.Select, *, end_included: bool) -> dict[int, list[_Stay]]:
    """The query's periods by premises: its rows are a premises id, a bed id and the period's two ends."""
    stays = defaultdict(list)
    for premises_id, bed_id, start, end in db.session.execute(query):
        stays[premises_id].append(_Stay(bed_id, start, end if end_included else day_before(end)))
    return stays


class _Covering:
    """How many of some periods cover a day: those begun by then, less those over before it. Sorted once and
    bisected, so a day costs the same however many periods there are."""

    def __init__(self, periods: Iterable[tuple[date, date | None]]):  # first and last day; None: no end
        periods = [(first, last) for first, last in periods if last is None or first <= last]
        self.firsts = sorted(first for first, _ in periods)
        self.lasts = sorted(last for _, last in periods if last is not None)

    def on(self, day: date) -> int:
        return bisect_right(self.firsts, day) - bisect_left(self.lasts, day)


def _counter(beds: _Beds, out_of_service: list[_Stay], placed: list[_Stay], codes: list[str]):
    """A function counting one premises' day, in total and for each of the codes."""

    def having(code: str | None):
        def has(bed_id: int | None) -> bool:  # a placement with no bed yet counts in the total only
            return code is None or (bed_id is not None and code in beds.characteristics_of.get(bed_id, ()))

        return (has, _Covering(period for bed_id, period in beds.in_use.items() if has(bed_id)),
                _Covering((stay.first, stay.last) for stay in placed if has(stay.bed_id)))

    total, *by_code = [having(None), *(having(code) for code in codes)]

    def in_use(bed_id: int, day: date) -> bool:
        start, end = beds.in_use[bed_id]  # the out-of-service periods are of the premises' own beds
        return start <= day and (end is None or day <= end)

    def count(day: date) -> Day:
        out = {stay.bed_id for stay in out_of_service if stay.first <= day <= stay.last and in_use(stay.bed_id, day)}

        def of(has, serving: _Covering, occupying: _Covering) -> Count:
            return Count(serving.on(day) - sum(1 for bed_id in out if has(bed_id)), occupying.on(day))

        return Day(day, of(*total), {code: of(*counting) for code, counting in zip(codes, by_code)},
                   out_of_service=len(out))

    return count


def days_from(first: date, last: date) -> list[date]:
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
