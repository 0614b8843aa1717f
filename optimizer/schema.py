"""Typed input and output of the placement optimiser.

Days are whole numbers counted from the first day of the plan (day 0); a stay occupies the nights
``arrival .. arrival + length_of_stay - 1`` and the bed is free again on ``arrival + length_of_stay``.
Points are (longitude, latitude) in degrees; distances are great-circle kilometres.
Nothing here imports flask, sqlalchemy or app: the web application translates its rows into these. The shared
terms (genders, AP types, risk levels, characteristics, which AP types take which referrals, points) come from
the vocabulary package, which the app imports too, so both sides speak of the same things.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

# Re-exported: the optimiser's modules and its callers find every term of the input here.
from vocabulary import (  # noqa: F401
    ACCEPTED_AP_TYPES,
    PREMISES_CHARACTERISTICS,
    ROOM_CHARACTERISTICS,
    APType,
    Gender,
    MappaLevel,
    MoveOnCategory,
    Notice,
    Point,
    RiskLevel,
)


@dataclass(frozen=True)
class Risk:
    """Risk of serious harm overall and per group at risk, kept apart from likelihood of reoffending."""

    overall: RiskLevel = RiskLevel.MEDIUM
    children: RiskLevel = RiskLevel.LOW
    public: RiskLevel = RiskLevel.MEDIUM
    known_adult: RiskLevel = RiskLevel.LOW
    staff: RiskLevel = RiskLevel.LOW
    mappa_level: MappaLevel | None = None  # None when not a MAPPA case


@dataclass(frozen=True)
class ExclusionZone:
    """A licence condition area: either a polygon (lon/lat ring) or a centre with a radius."""

    polygon: tuple[Point, ...] | None = None
    centre: Point | None = None
    radius_km: float | None = None


@dataclass(frozen=True)
class BedGroup:
    """Beds that share the same room characteristics (the group's signature): interchangeable with each other."""

    characteristics: frozenset[str]
    beds: int


@dataclass(frozen=True)
class BedsOut:
    """Beds of the bed group with these ``characteristics`` out of service from ``start`` up to but not
    including ``end``."""

    characteristics: frozenset[str]
    start: int
    end: int
    beds: int = 1


@dataclass(frozen=True)
class MixCaps:
    """Soft caps on the resident mix per premises and day; None means no cap."""

    very_high_rosh: int | None = None
    mappa_level_3: int | None = None
    high_risk_to_staff: int | None = None


@dataclass(frozen=True)
class Premises:
    id: str
    gender: Gender
    location: Point
    ap_type: APType
    characteristics: frozenset[str]
    bed_groups: tuple[BedGroup, ...]
    beds_out: tuple[BedsOut, ...] = ()
    caps: MixCaps = MixCaps()
    region: str = ""


@dataclass(frozen=True)
class Resident:
    """Somebody already in or booked into a premises; fixed, but counts for capacity, mix and non-associates.

    They hold a bed of the group they are in: ``bed_characteristics`` is its signature (the room
    characteristics of their bed, those of one of the premises' bed groups).
    """

    id: str
    premises_id: str
    arrival: int
    departure: int  # exclusive: first day the bed is free again
    risk: Risk = Risk()
    bed_characteristics: frozenset[str] = frozenset()
    non_associates: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PreviousProposal:
    premises_id: str
    arrival: int


@dataclass(frozen=True)
class Referral:
    """An accepted placement request waiting for a place."""

    id: str
    gender: Gender
    home: Point
    earliest_arrival: int
    latest_arrival: int
    length_of_stay: int
    ap_type: APType = APType.STANDARD
    move_on_category: MoveOnCategory | None = None
    relocation: Point | None = None
    essential_premises: frozenset[str] = frozenset()
    essential_room: frozenset[str] = frozenset()
    desirable_premises: frozenset[str] = frozenset()
    desirable_room: frozenset[str] = frozenset()
    preferred_premises: tuple[str, ...] = ()
    max_radius_km: float | None = None
    risk: Risk = Risk()
    notice: Notice = Notice.STANDARD
    days_waiting: int = 0
    exclusion_zones: tuple[ExclusionZone, ...] = ()
    non_associates: frozenset[str] = frozenset()
    previous: PreviousProposal | None = None
    region: str = ""
    rejected_premises: frozenset[str] = frozenset()  # premises a placer has already turned down for this referral


@dataclass(frozen=True)
class MoveOnProvider:
    """Places that open each week (weeks are ``day // 7``) in one move-on category."""

    id: str
    category: MoveOnCategory
    location: Point
    places_per_week: int


@dataclass(frozen=True)
class Weights:
    """Integer weights of the soft rules. Defaults make the order lexicographic: placing people comes first.

    Every cost is a whole number so that CP-SAT, HiGHS, greedy and the validator share one scale.
    """

    unplaced: int = 1_000_000  # per referral left unplaced, times the urgency multiplier below
    urgency_standard: int = 1
    urgency_short_notice: int = 2
    urgency_emergency: int = 4
    unplaced_per_day_waiting: int = 2_000  # older requests are placed first
    distance_home_per_km: int = 10
    distance_relocation_per_km: int = 5
    distance_move_on_per_km: int = 2
    mix_overflow_per_resident_day: int = 400  # each resident above a premises mix cap, each day
    desirable_missing: int = 300  # per desirable characteristic the premises or room lacks
    preferred_bonus: int = 500  # subtracted cost if the premises is one of the preferred (first best)
    move_on_unsecured: int = 20_000  # placed but no move-on place secured
    change_from_previous: int = 5_000  # re-planning: moving somebody from their previous proposal
    late_arrival_per_day: int = 20  # each day after the earliest arrival


@dataclass(frozen=True)
class Progress:
    """A better plan found while solving: when, its objective, the best bound then, how many it places and, when
    known, the plan (complete, and valid by the hard rules: every method keeps its plans feasible)."""

    seconds: float
    objective: int
    bound: float | None
    placed: int | None  # None when the search reported only the objective
    plan: dict[str, Assignment] | None = None  # the plan itself when the search has it (not the solver's callbacks)


class Watch:
    """How a caller follows a solve and ends it early (a progress page, a cancel button).

    ``improved`` hears of every better plan; ``stopped`` is asked between and during searches, and once it
    says True the solve returns its best plan so far. This base class follows nothing and never stops.
    """

    def improved(self, progress: Progress) -> None:
        pass

    def stopped(self) -> bool:
        return False


@dataclass(frozen=True)
class SolverParams:
    time_limit_s: float = 60.0
    workers: int = 2
    seed: int = 0
    target_gap: float = 0.0
    exclusion_buffer_km: float = 2.0
    watch: Watch = field(default_factory=Watch, compare=False, repr=False)


@dataclass(frozen=True)
class Instance:
    """Everything to plan. Every referral arrives within the horizon (days 0 .. horizon_days-1); stays may
    run past it. ``first_day`` is the date of day 0, for explanations in calendar dates."""

    horizon_days: int
    premises: tuple[Premises, ...]
    residents: tuple[Resident, ...] = ()
    referrals: tuple[Referral, ...] = ()
    providers: tuple[MoveOnProvider, ...] = ()
    weights: Weights = Weights()
    first_day: date | None = None


@dataclass(frozen=True)
class Assignment:
    referral_id: str
    premises_id: str | None  # None: unplaced
    arrival: int | None
    provider_id: str | None  # None: move-on unsecured
    terms: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Alternative:
    premises_id: str
    arrival: int
    extra_cost: int


@dataclass(frozen=True)
class Explanation:
    referral_id: str
    terms: dict[str, int]
    alternatives: tuple[Alternative, ...]  # the two best other placements and what they would add
    ruled_out: dict[str, str]  # premises id -> first rule that ruled it out, in plain words
    unplaced_reason: str | None = None


@dataclass
class Result:
    method: str  # "cpsat", "greedy" or "highs"
    status: str  # "optimal", "feasible", "infeasible", "unknown"
    assignments: dict[str, Assignment]
    objective: int
    best_bound: float | None
    timings: dict[str, float] = field(default_factory=dict)
    progress: list[tuple[float, float, float | None]] = field(default_factory=list)  # (seconds, objective, bound)
    explanations: dict[str, Explanation] = field(default_factory=dict)

    @property
    def gap(self) -> float | None:
        if self.best_bound is None or self.objective == 0:
            return None if self.best_bound is None else 0.0
        return max(0.0, (self.objective - self.best_bound) / abs(self.objective))

    @property
    def placed(self) -> int:
        return placed_in(self.assignments)


# -- the definitions every rule restates: small pure helpers shared by the models and the validator --------

DAYS_PER_WEEK = 7


def departure_week(departure: int) -> int:
    """The week a stay counts in for move-on places: the week of its departure day (weeks are ``day // 7``)."""
    return departure // DAYS_PER_WEEK


def stays_overlap(start, end, other_start, other_end):
    """Whether stays over days ``start .. end-1`` and ``other_start .. other_end-1`` share a night.

    Written with ``&`` so that it also answers for numpy arrays of days, element by element.
    """
    return (start < other_end) & (other_start < end)


def calendar_day(instance: Instance, day: int) -> str:
    """'14 March 2026' for day 14 of a plan whose day 0 is 1 March 2026; 'day 14' when the plan has no date."""
    if instance.first_day is None:
        return f"day {day}"
    when = instance.first_day + timedelta(days=day)
    return f"{when.day} {when:%B %Y}"


def non_associate_pairs(people: tuple[Referral | Resident, ...]) -> set[tuple[str, str]]:
    """Pairs (sorted ids) of ``people`` who must never share a premises, whichever of the two named the other."""
    ids = {person.id for person in people}
    return {
        (min(person.id, other), max(person.id, other))
        for person in people
        for other in person.non_associates
        if other in ids and other != person.id
    }


def placed_in(plan: dict[str, Assignment]) -> int:
    """How many of ``plan``'s referrals have a place."""
    return sum(1 for a in plan.values() if a.premises_id is not None)
