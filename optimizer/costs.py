"""The one definition of the objective. Every method and the validator price a plan with these functions.

All costs are whole numbers on one scale, lower is better:
objective = sum over referrals of (placement terms + move-on term, or the unplaced cost) + mix overflow.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from optimizer.capacity import per_instance, plan_days
from optimizer.geometry import distance_km, distances_km
from optimizer.schema import (
    Assignment,
    Instance,
    MoveOnProvider,
    Notice,
    Premises,
    Referral,
    Risk,
    RiskLevel,
    Weights,
)

MAX_PREFERRED = 5

UNPLACED_TERM = "unplaced"
MIX_CAPS = ("very_high_rosh", "mappa_level_3", "high_risk_to_staff")


def per_km(km: float, weight: int) -> int:
    """Kilometres priced as a whole number, rounded to the nearest unit (halves to even, like numpy)."""
    return int(round(km * weight))


def per_km_many(km: np.ndarray, weight: int) -> list[int]:
    return np.rint(km * weight).astype(np.int64).tolist()


def urgency(referral: Referral, weights: Weights) -> int:
    return {
        Notice.EMERGENCY: weights.urgency_emergency,
        Notice.SHORT_NOTICE: weights.urgency_short_notice,
        Notice.STANDARD: weights.urgency_standard,
    }[referral.notice]


def unplaced_cost(referral: Referral, weights: Weights) -> int:
    """Leaving somebody unplaced: dominant, more for urgent cases and for those who have waited longer."""
    return weights.unplaced * urgency(referral, weights) + weights.unplaced_per_day_waiting * referral.days_waiting


def room_characteristics_available(premises: Premises) -> frozenset[str]:
    """Room characteristics of at least one bed of the premises."""
    return frozenset().union(*(g.characteristics for g in premises.bed_groups if g.beds > 0))


def rooms_of(instance: Instance, premises: Premises) -> frozenset[str]:
    """``room_characteristics_available``, worked out once per premises of the instance."""
    known = per_instance(
        instance, "rooms", lambda: {p.id: (p, room_characteristics_available(p)) for p in instance.premises}
    )
    entry = known.get(premises.id)
    return entry[1] if entry is not None and entry[0] is premises else room_characteristics_available(premises)


def desirable_missing(instance: Instance, referral: Referral, premises: Premises) -> int:
    """How many desirable premises or room characteristics the premises lacks."""
    if not referral.desirable_premises and not referral.desirable_room:
        return 0
    missing_room = referral.desirable_room - rooms_of(instance, premises)
    return len(referral.desirable_premises - premises.characteristics) + len(missing_room)


def preferred_bonus(referral: Referral, premises_id: str, weights: Weights) -> int:
    """Negative: the full bonus for the first preferred premises, a fifth less for each later one."""
    if premises_id not in referral.preferred_premises[:MAX_PREFERRED]:
        return 0
    rank = referral.preferred_premises.index(premises_id)
    return -((weights.preferred_bonus * (MAX_PREFERRED - rank)) // MAX_PREFERRED)


def change_from_previous(referral: Referral, premises_id: str, arrival: int, weights: Weights) -> int:
    """Re-planning: a different premises or arrival day from the earlier proposal costs a fixed amount,
    so proposals people have already seen only change when the change is worth it."""
    previous = referral.previous
    if previous is None or (previous.premises_id, previous.arrival) == (premises_id, arrival):
        return 0
    return weights.change_from_previous


def late_arrival(referral: Referral, arrival: int, weights: Weights) -> int:
    """Each day after the earliest arrival (works on a numpy array of days too)."""
    return weights.late_arrival_per_day * (arrival - referral.earliest_arrival)


def placement_terms(instance: Instance, referral: Referral, premises: Premises, arrival: int) -> dict[str, int]:
    """The soft-rule costs of placing ``referral`` at ``premises`` arriving on ``arrival`` (move-on apart)."""
    return placement_terms_many(instance, referral, [premises], arrival)[0]


def placement_terms_many(
    instance: Instance, referral: Referral, premises: Sequence[Premises], arrival: int
) -> list[dict[str, int]]:
    """``placement_terms`` for many premises at once: distances are worked out together with numpy."""
    weights = instance.weights
    lons = np.array([p.location.lon for p in premises], dtype=float)
    lats = np.array([p.location.lat for p in premises], dtype=float)
    home = per_km_many(distances_km(lons, lats, referral.home), weights.distance_home_per_km)
    relocation = [0] * len(premises)
    if referral.relocation is not None:
        relocation = per_km_many(distances_km(lons, lats, referral.relocation), weights.distance_relocation_per_km)
    late = late_arrival(referral, arrival, weights)
    return [
        {
            "distance_home": home[i],
            "distance_relocation": relocation[i],
            "desirable_missing": weights.desirable_missing * desirable_missing(instance, referral, p),
            "preferred_bonus": preferred_bonus(referral, p.id, weights),
            "change_from_previous": change_from_previous(referral, p.id, arrival, weights),
            "late_arrival": late,
        }
        for i, p in enumerate(premises)
    ]


def move_on_terms(
    referral: Referral, premises: Premises, provider: MoveOnProvider | None, weights: Weights
) -> dict[str, int]:
    """Distance from the AP to the move-on place, or the penalty for leaving move-on unsecured.

    Nothing is owed when the referral has no move-on category (no move-on place is being sought).
    """
    if referral.move_on_category is None:
        return {"distance_move_on": 0, "move_on_unsecured": 0}
    if provider is None:
        return {"distance_move_on": 0, "move_on_unsecured": weights.move_on_unsecured}
    km = distance_km(premises.location, provider.location)
    return {"distance_move_on": per_km(km, weights.distance_move_on_per_km), "move_on_unsecured": 0}


def mix_flags(risk: Risk) -> tuple[bool, bool, bool]:
    """Whether a person counts towards each cap in ``MIX_CAPS`` order."""
    return (
        risk.overall >= RiskLevel.VERY_HIGH,
        risk.mappa_level == 3,
        risk.staff >= RiskLevel.HIGH,
    )


def mix_cap_values(premises: Premises) -> tuple[int | None, int | None, int | None]:
    caps = premises.caps
    return (caps.very_high_rosh, caps.mappa_level_3, caps.high_risk_to_staff)


def _assignment_list(assignments: Mapping[str, Assignment] | Iterable[Assignment]) -> list[Assignment]:
    return list(assignments.values() if isinstance(assignments, Mapping) else assignments)


def mix_counts(
    instance: Instance, assignments: Mapping[str, Assignment] | Iterable[Assignment], days: int
) -> np.ndarray:
    """(premises, cap, day) number of residents and placed people counting towards each mix cap."""
    row = {p.id: i for i, p in enumerate(instance.premises)}
    diff = np.zeros((len(instance.premises), len(MIX_CAPS), days + 1), dtype=np.int32)

    def add(premises_id: str, risk: Risk, start: int, end: int) -> None:
        start, end = max(start, 0), min(end, days)
        if start >= end:
            return
        for k, counts in enumerate(mix_flags(risk)):
            if counts:
                diff[row[premises_id], k, start] += 1
                diff[row[premises_id], k, end] -= 1

    for resident in instance.residents:
        add(resident.premises_id, resident.risk, resident.arrival, resident.departure)
    referrals = {r.id: r for r in instance.referrals}
    for a in _assignment_list(assignments):
        if a.premises_id is not None:
            referral = referrals[a.referral_id]
            add(a.premises_id, referral.risk, a.arrival, a.arrival + referral.length_of_stay)
    return np.cumsum(diff, axis=2)[:, :, :days]


def mix_overflow(instance: Instance, assignments: Mapping[str, Assignment] | Iterable[Assignment]) -> int:
    """Residents and placed people above each premises' mix caps, summed over days, times the weight."""
    counts = mix_counts(instance, assignments, plan_days(instance))
    over = 0
    for i, premises in enumerate(instance.premises):
        for k, cap in enumerate(mix_cap_values(premises)):
            if cap is not None:
                over += int(np.maximum(counts[i, k] - cap, 0).sum())
    return over * instance.weights.mix_overflow_per_resident_day


def referral_terms(
    instance: Instance,
    referral: Referral,
    premises: Premises | None,
    arrival: int | None,
    provider: MoveOnProvider | None,
) -> dict[str, int]:
    """Every term one referral owes: placement and move-on terms, or the unplaced cost (premises None)."""
    if premises is None:
        return {UNPLACED_TERM: unplaced_cost(referral, instance.weights)}
    return {
        **placement_terms(instance, referral, premises, arrival),
        **move_on_terms(referral, premises, provider, instance.weights),
    }


def plan_terms(
    instance: Instance, assignments: Mapping[str, Assignment] | Iterable[Assignment]
) -> dict[str, dict[str, int]]:
    """Terms per referral id; a referral without an assignment counts as unplaced."""
    premises = {p.id: p for p in instance.premises}
    providers = {m.id: m for m in instance.providers}
    by_referral = {a.referral_id: a for a in _assignment_list(assignments)}
    terms = {}
    for referral in instance.referrals:
        a = by_referral.get(referral.id)
        placed = a is not None and a.premises_id is not None
        terms[referral.id] = referral_terms(
            instance,
            referral,
            premises[a.premises_id] if placed else None,
            a.arrival if placed else None,
            providers.get(a.provider_id) if placed and a.provider_id is not None else None,
        )
    return terms


def objective(instance: Instance, assignments: Mapping[str, Assignment] | Iterable[Assignment]) -> int:
    """The number every method minimises: all referral terms plus mix overflow."""
    plan = _assignment_list(assignments)
    return sum(sum(t.values()) for t in plan_terms(instance, plan).values()) + mix_overflow(instance, plan)
