"""Manual search for one placement request: which premises pass every hard rule for a stay, how far each is from
home, and how many beds are free each night of it; and, for the others, the first rule that rules each out.

The rules are the optimiser's own (optimizer/candidates.py), asked of an instance that matching builds with the
whole estate as it stands and the request as one referral arriving on day 0: the search shows exactly what a
booking (app/services/bookings.py, the optimiser's validator) would accept. Free beds are the optimiser's count
too (optimizer/capacity.py): beds in service, less beds out of service and the beds residents and bookings hold,
per bed group; a night has a bed for the person when a group with every room characteristic they need has one.

A premises without a free bed every night is ruled out, unless the search asks to include them, for a manager who
may overbook; a non-associate resident, like every other rule, can never be overridden.
"""

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app import clock
from app.extensions import db
from app.filters import govuk_date
from app.models import Placement, PlacementRequest, Premises, User
from app.permissions import Permission
from app.services import access, matching
from app.services.bookings import PARAMS
from app.services.validation import NotInScope, existing
from optimizer.candidates import first_rule_broken, open_arrivals, premises_table, static_mask
from optimizer.capacity import BedLayout, free_by_group
from optimizer.geometry import distance_km
from optimizer.schema import stays_overlap
from optimizer.words import bed_phrase
from vocabulary import CHARACTERISTICS, KM_PER_MILE, ROOM_CHARACTERISTICS, CancellationReason

LABELS = {characteristic.code: characteristic.label for characteristic in CHARACTERISTICS}
LONGEST_STAY_WEEKS = 104  # an ESAP stay is about a year: twice that is a typing mistake
FURTHEST_MILES = 1000  # further than anywhere in England and Wales from anywhere else


@dataclass(frozen=True)
class Criteria:
    """What a search asks: a stay from `arrival` up to `departure`, within `max_radius_miles` of home when given
    (else the referral's own maximum), and whether premises without a free bed every night are shown."""

    arrival: date
    departure: date
    max_radius_miles: int | None = None
    include_full: bool = False


@dataclass(frozen=True)
class Night:
    day: date
    free: int  # beds free in total
    fitting: int  # beds free with every room characteristic the person needs
    by_characteristic: dict[str, int]  # beds free with each room characteristic needed, in the vocabulary's order


@dataclass(frozen=True)
class Found:
    premises: Premises
    distance_km: float
    nights: list[Night]

    @property
    def first_full_night(self) -> date | None:
        return next((night.day for night in self.nights if night.fitting < 1), None)


@dataclass(frozen=True)
class RuledOut:
    premises: Premises
    reason: str


@dataclass(frozen=True)
class Search:
    criteria: Criteria
    needs: list[str]  # room characteristics the person needs, as codes
    found: list[Found]  # nearest first
    ruled_out: list[RuledOut]  # by name

    @property
    def bed_needed(self) -> str:
        return bed_phrase(frozenset(self.needs))


def default_criteria(placement_request: PlacementRequest) -> Criteria:
    arrival = max(placement_request.expected_arrival, clock.today())
    return Criteria(arrival, arrival + timedelta(weeks=placement_request.length_of_stay_weeks))


def criteria_problems(arrival: date | None, weeks: int | None, max_radius_miles: int | None, *,
                      today: date) -> dict[str, str]:
    """Problems with a search's answers, by field (a date that did not parse is the form's to report)."""
    problems = {}
    if arrival is not None and arrival < today:
        problems["arrival"] = "The arrival date must be today or in the future"
    if weeks is None:
        problems["length_of_stay_weeks"] = "Enter the length of stay in weeks"
    elif not 1 <= weeks <= LONGEST_STAY_WEEKS:
        problems["length_of_stay_weeks"] = f"The length of stay must be between 1 and {LONGEST_STAY_WEEKS} weeks"
    if max_radius_miles is not None and not 1 <= max_radius_miles <= FURTHEST_MILES:
        problems["max_radius_miles"] = f"The distance must be between 1 and {FURTHEST_MILES} miles"
    return problems


def search(user: User, placement_request: PlacementRequest, criteria: Criteria, *,
           moving: Placement | None = None) -> Search:
    """Every open premises for the person of the request over the stay, passing or ruled out; for a placement
    `moving` elsewhere, its own stay no longer counts where it is."""
    access.require(user, placement_request, Permission.PLACE_PEOPLE)
    translation = _instance(placement_request, criteria, moving)
    instance = translation.instance
    referral = instance.referrals[0]
    if criteria.max_radius_miles is not None:
        referral = replace(referral, max_radius_km=criteria.max_radius_miles * KM_PER_MILE)
    rows = {premises.id: premises for premises in db.session.scalars(
        sa.select(Premises).where(Premises.is_active).options(joinedload(Premises.region)))}
    passing = static_mask(instance, PARAMS, referral)
    conflicts = premises_table(instance).resident_conflicts.get(referral.id, [])
    residents = defaultdict(list)
    for resident in instance.residents:
        residents[resident.premises_id].append(resident)
    needs = sorted(referral.essential_room, key=list(LABELS).index)
    found, ruled_out = [], []
    for row, premises in enumerate(instance.premises):
        here = [stay for stay in conflicts if stay.row == row]
        has_bed = passing[row] and bool(open_arrivals(instance, here, referral, np.array([row]))[0, 0])
        meets_non_associate = passing[row] and not any(
            stays_overlap(0, referral.length_of_stay, stay.start, stay.end) for stay in here)
        saved = rows[translation.premises_id(premises.id)]
        if has_bed or (meets_non_associate and criteria.include_full):
            found.append(Found(saved, distance_km(premises.location, referral.home),
                               _nights(translation, premises, residents[premises.id], referral, needs)))
        else:
            ruled_out.append(RuledOut(saved, first_rule_broken(instance, PARAMS, referral, premises)))
    found.sort(key=lambda result: (result.distance_km, result.premises.name))
    ruled_out.sort(key=lambda out: out.premises.name)
    return Search(criteria, needs, found, ruled_out)


def _instance(placement_request: PlacementRequest, criteria: Criteria,
              moving: Placement | None) -> matching.Translation:
    """The whole estate from the arrival to the departure, with the request as the one referral arriving on day 0."""
    return matching.stays_instance([matching.Stay(None, criteria.arrival, criteria.departure, placement_request,
                                                  moving)], everywhere=True)


def _nights(translation: matching.Translation, premises, residents, referral, needs: list[str]) -> list[Night]:
    """Beds free each night of the stay: in total, with everything needed, and with each room characteristic."""
    layout = BedLayout.of(premises, ())
    free = free_by_group(premises, residents, layout, referral.length_of_stay)

    def with_all(codes: frozenset[str]) -> np.ndarray:
        rows = [g for g, signature in enumerate(layout.groups) if codes <= signature]
        return free[rows].sum(axis=0) if rows else np.zeros(referral.length_of_stay, dtype=int)

    fitting = with_all(referral.essential_room)
    each = {code: with_all(frozenset({code})) for code in needs}
    return [Night(translation.date_of(day), int(free[:, day].sum()), int(fitting[day]),
                  {code: int(counts[day]) for code, counts in each.items()})
            for day in range(referral.length_of_stay)]


# --- what the booking pages load -------------------------------------------------------------------------------


def bookable_premises(premises_id: int) -> Premises:
    """An open premises anywhere (APs are a national resource, whoever may see its daily work); NotInScope for
    any other id."""
    premises = existing(Premises, premises_id)
    if premises is None or not premises.is_active:
        raise NotInScope(f"Premises {premises_id} is not open for booking")
    return premises


def placement_of(user: User, placement_request: PlacementRequest, placement_id: int) -> Placement:
    """A placement booked for the request, to manage it; NotInScope for a placement of any other request."""
    access.require(user, placement_request, Permission.PLACE_PEOPLE)
    placement = existing(Placement, placement_id)
    if placement is None or placement.placement_request_id != placement_request.id:
        raise NotInScope(f"Placement {placement_id} is not of placement request {placement_request.id}")
    return placement


def placements_of(placement_request: PlacementRequest) -> list[Placement]:
    """The request's placements, latest first: what its booking page lists."""
    return list(db.session.scalars(sa.select(Placement).where(Placement.placement_request_id == placement_request.id)
                                   .order_by(Placement.id.desc())))


def room_needs(placement_request: PlacementRequest) -> list[str]:
    """Labels of the room characteristics the person's bed must have."""
    return [LABELS[code] for code in LABELS
            if code in ROOM_CHARACTERISTICS and code in placement_request.essential_characteristics]


# --- what changing a booking asks, by field (the bookings service re-checks every rule under its lock) ----------


def date_problems(placement: Placement, arrival: date | None, departure: date | None, *, today: date) -> dict[str, str]:
    problems = {}
    if arrival is not None and arrival < today:
        problems["arrival"] = "The arrival date must be today or in the future"
    start = arrival or placement.arrival
    if departure is not None and start is not None and departure <= start:
        problems["departure"] = f"The departure date must be after the arrival date, {govuk_date(start)}"
    return problems


def transfer_problems(placement: Placement, on: date | None, *, today: date) -> dict[str, str]:
    if on is None:
        return {}
    if on < today:
        return {"on": "The date of the move must be today or in the future"}
    if on >= placement.expected_departure:
        return {"on": f"The date of the move must be before the expected departure, "
                      f"{govuk_date(placement.expected_departure)}"}
    return {}


def cancel_problems(reason: CancellationReason | None) -> dict[str, str]:
    return {} if reason is not None else {"reason": "Select why the placement is cancelled"}
