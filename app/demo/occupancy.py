"""Who is in which bed, and which beds are out of service, without any bed ever being double-booked."""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from app.demo.data import OUT_OF_SERVICE_NOTES
from app.demo.estate import PlannedBed, PlannedPremises
from app.models import OutOfServiceReason

CURRENT_OUT_OF_SERVICE_SHARE = 0.008
DOUBLE_ROOM_KEPT_SINGLE_SHARE = 0.08
FUTURE_OUT_OF_SERVICE_SHARE = 0.2  # of premises, each with one bed planned out of service
CURRENT_REASONS = (
    OutOfServiceReason.REFURBISHMENT,
    OutOfServiceReason.UNPLANNED_WORKS,
    OutOfServiceReason.FLOOD_FIRE_REPAIR,
    OutOfServiceReason.DAMAGE_BY_RESIDENT,
    OutOfServiceReason.INCIDENT,
    OutOfServiceReason.STAFF_SHORTAGE,
)
FUTURE_REASONS = (
    OutOfServiceReason.PLANNED_WORKS,
    OutOfServiceReason.REFURBISHMENT,
    OutOfServiceReason.BED_ON_HOLD,
)
WORKS = {
    OutOfServiceReason.PLANNED_WORKS,
    OutOfServiceReason.REFURBISHMENT,
    OutOfServiceReason.UNPLANNED_WORKS,
    OutOfServiceReason.FLOOD_FIRE_REPAIR,
    OutOfServiceReason.DAMAGE_BY_RESIDENT,
}


@dataclass
class PlannedOutOfService:
    bed: PlannedBed
    reason: OutOfServiceReason
    start_date: date
    end_date: date
    reference: str
    notes: str


class BedCalendar:
    """The days each bed is taken, by a stay or by being out of service; both ends count as taken."""

    def __init__(self) -> None:
        self._taken: dict[PlannedBed, list[tuple[date, date]]] = defaultdict(list)

    def is_free(self, bed: PlannedBed, first_day: date, last_day: date) -> bool:
        return all(last_day < start or first_day > end for start, end in self._taken[bed])

    def take(self, bed: PlannedBed, first_day: date, last_day: date) -> None:
        if not self.is_free(bed, first_day, last_day):
            raise ValueError(f"{bed.name} is already taken between {first_day} and {last_day}")
        self._taken[bed].append((first_day, last_day))

    def first_taken_day(self, bed: PlannedBed) -> date | None:
        return min((start for start, _ in self._taken[bed]), default=None)

    def first_free_day(self, bed: PlannedBed, after: date) -> date:
        """The first day after `after` from which the bed is free for good."""
        return max([after, *(end for _, end in self._taken[bed])]) + timedelta(days=1)


def take_beds_out_of_service_now(
    rng: random.Random, estate: list[PlannedPremises], calendar: BedCalendar, today: date
) -> list[PlannedOutOfService]:
    """A few beds out of service today for the everyday reasons, and some double rooms kept single."""
    records = []
    for premises in estate:
        for room in premises.rooms:
            for bed in room.beds:
                if len(room.beds) == 2 and bed is room.beds[1] and rng.random() < DOUBLE_ROOM_KEPT_SINGLE_SHARE:
                    reason = OutOfServiceReason.DOUBLE_ROOM_KEPT_SINGLE
                elif rng.random() < CURRENT_OUT_OF_SERVICE_SHARE:
                    reason = rng.choice(CURRENT_REASONS)
                else:
                    continue
                start = today - timedelta(days=rng.randint(1, 45))
                end = today + timedelta(days=rng.randint(3, 60))
                records.append(_out_of_service(rng, calendar, bed, reason, start, end))
    return records


def plan_beds_out_of_service(
    rng: random.Random, estate: list[PlannedPremises], calendar: BedCalendar, today: date
) -> list[PlannedOutOfService]:
    """Planned works and holds in the coming weeks, on beds nobody is booked into then."""
    records = []
    for premises in estate:
        if rng.random() >= FUTURE_OUT_OF_SERVICE_SHARE:
            continue
        reason = rng.choice(FUTURE_REASONS)
        start = today + timedelta(days=rng.randint(14, 84))
        days = rng.randint(3, 14) if reason is OutOfServiceReason.BED_ON_HOLD else rng.randint(7, 42)
        end = start + timedelta(days=days)
        free_beds = [bed for bed in premises.beds if calendar.is_free(bed, start, end)]
        if free_beds:
            records.append(_out_of_service(rng, calendar, rng.choice(free_beds), reason, start, end))
    return records


def _out_of_service(
    rng: random.Random, calendar: BedCalendar, bed: PlannedBed, reason: OutOfServiceReason, start: date, end: date
) -> PlannedOutOfService:
    calendar.take(bed, start, end)
    reference = f"WO-{rng.randint(100000, 999999)}" if reason in WORKS else ""
    return PlannedOutOfService(bed, reason, start, end, reference, OUT_OF_SERVICE_NOTES[reason.value])
