"""The referee: re-checks every hard rule of a plan and prices it, without any solver.

It deliberately shares no code with the candidate filter or the models, so a bug there cannot hide itself
here. It reuses only the geometry (distances, zone shapes), the schema's own definitions (when stays
overlap, the week of a departure, who are non-associates) and the one definition of the objective.
Each violation is one line in plain words naming the referral, premises, provider or day concerned.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from optimizer.costs import mix_overflow, plan_terms
from optimizer.geometry import distance_km, inside_or_near
from optimizer.schema import (
    ACCEPTED_AP_TYPES,
    ROOM_CHARACTERISTICS,
    Assignment,
    Instance,
    SolverParams,
    departure_week,
    non_associate_pairs,
    stays_overlap,
)


@dataclass(frozen=True)
class Validation:
    ok: bool
    violations: list[str]
    objective: int
    terms: dict[str, dict[str, int]]


@dataclass(frozen=True)
class Occupancy:
    """Somebody in a premises over days ``start .. end-1``: a fixed resident or a placed referral."""

    person_id: str
    premises_id: str
    start: int
    end: int
    room_characteristics: frozenset[str]
    placed: bool


def validate(
    instance: Instance, params: SolverParams, assignments: Mapping[str, Assignment] | Iterable[Assignment]
) -> Validation:
    plan = list(assignments.values() if isinstance(assignments, Mapping) else assignments)
    violations = check_references(instance, plan)
    if violations:  # nothing else can be judged on unknown ids
        return Validation(False, violations, 0, {})
    placed = [a for a in plan if a.premises_id is not None]
    violations += check_each_placement(instance, params, placed)
    occupancy = occupancies(instance, placed)
    violations += check_capacity(instance, occupancy)
    violations += check_non_associates(instance, occupancy)
    violations += check_move_on(instance, placed)
    terms = plan_terms(instance, plan)
    objective = sum(sum(t.values()) for t in terms.values()) + mix_overflow(instance, plan)
    return Validation(not violations, violations, objective, terms)


def check_references(instance: Instance, plan: list[Assignment]) -> list[str]:
    """Every id a plan names must exist, each referral appears once, and a placement has an arrival day."""
    referrals = {r.id for r in instance.referrals}
    premises = {p.id for p in instance.premises}
    providers = {m.id for m in instance.providers}
    found, seen = [], set()
    for a in plan:
        if a.referral_id not in referrals:
            found.append(f"{a.referral_id}: no such referral")
        if a.referral_id in seen:
            found.append(f"{a.referral_id}: assigned more than once")
        seen.add(a.referral_id)
        if a.premises_id is not None and a.premises_id not in premises:
            found.append(f"{a.referral_id}: no such premises {a.premises_id}")
        if a.premises_id is not None and a.arrival is None:
            found.append(f"{a.referral_id}: placed at {a.premises_id} without an arrival day")
        if a.provider_id is not None and a.provider_id not in providers:
            found.append(f"{a.referral_id}: no such move-on provider {a.provider_id}")
        if a.premises_id is None and a.provider_id is not None:
            found.append(f"{a.referral_id}: move-on place {a.provider_id} held for somebody not placed")
    return found


def check_each_placement(instance: Instance, params: SolverParams, placed: list[Assignment]) -> list[str]:
    """The rules one placement breaks on its own: gender, AP type, characteristics, zones, radius, window."""
    referrals = {r.id: r for r in instance.referrals}
    premises = {p.id: p for p in instance.premises}
    found = []
    for a in placed:
        r, p = referrals[a.referral_id], premises[a.premises_id]
        where = f"{r.id} at {p.id}"
        if p.gender is not r.gender:
            found.append(f"{where}: a {p.gender.value} AP for a {r.gender.value} referral")
        if p.ap_type not in ACCEPTED_AP_TYPES[r.ap_type]:
            found.append(f"{where}: a {p.ap_type.value} AP for a {r.ap_type.value} referral")
        for characteristic in sorted(r.essential_premises - p.characteristics):
            found.append(f"{where}: lacks essential {characteristic}")
        if r.exclusion_zones and inside_or_near(p.location, r.exclusion_zones, params.exclusion_buffer_km):
            found.append(f"{where}: inside or within {params.exclusion_buffer_km} km of an exclusion zone")
        if r.max_radius_km is not None and distance_km(p.location, r.home) > r.max_radius_km:
            found.append(f"{where}: beyond the maximum radius of {r.max_radius_km} km")
        if not r.earliest_arrival <= a.arrival <= r.latest_arrival:
            found.append(f"{where}: arrival day {a.arrival} outside {r.earliest_arrival}..{r.latest_arrival}")
    return found


def occupancies(instance: Instance, placed: list[Assignment]) -> list[Occupancy]:
    referrals = {r.id: r for r in instance.referrals}
    people = [
        Occupancy(s.id, s.premises_id, s.arrival, s.departure, s.room_characteristics, placed=False)
        for s in instance.residents
    ]
    for a in placed:
        r = referrals[a.referral_id]
        people.append(
            Occupancy(r.id, a.premises_id, a.arrival, a.arrival + r.length_of_stay, r.essential_room, placed=True)
        )
    return people


def check_capacity(instance: Instance, occupancy: list[Occupancy]) -> list[str]:
    """Per premises, day and room characteristic: the people needing a bed never outnumber the beds in
    service. Days already overfull with fixed residents alone are not the plan's fault: only days where a
    placed referral sleeps count. One line per premises and characteristic, naming the first bad day."""
    last_day = max([instance.horizon_days] + [o.end for o in occupancy])
    by_premises: dict[str, list[Occupancy]] = defaultdict(list)
    for o in occupancy:
        by_premises[o.premises_id].append(o)
    found = []
    for p in instance.premises:
        for key in (None, *sorted(ROOM_CHARACTERISTICS)):
            label = "beds" if key is None else f"{key} beds"
            beds = np.zeros(last_day, dtype=np.int64)
            beds += sum(g.beds for g in p.bed_groups if key is None or key in g.characteristics)
            for out in p.beds_out:
                if key is None or key in out.characteristics:
                    beds[max(out.start, 0) : max(out.end, 0)] -= out.beds
            used = np.zeros(last_day, dtype=np.int64)
            placed = np.zeros(last_day, dtype=np.int64)
            for o in by_premises[p.id]:
                if key is None or key in o.room_characteristics:
                    used[max(o.start, 0) : max(o.end, 0)] += 1
                    if o.placed:
                        placed[max(o.start, 0) : max(o.end, 0)] += 1
            bad = np.flatnonzero((placed > 0) & (used > beds))
            if bad.size:
                day = int(bad[0])
                people = "1 person needs" if used[day] == 1 else f"{used[day]} people need"
                found.append(f"{p.id}: {people} {label} on day {day} but {beds[day]} in service")
    return found


def check_non_associates(instance: Instance, occupancy: list[Occupancy]) -> list[str]:
    """No two people who named each other (either side naming is enough) share a premises on any day."""
    stays = {o.person_id: o for o in occupancy}
    found = []
    for first, second in sorted(non_associate_pairs((*instance.residents, *instance.referrals))):
        a, b = stays.get(first), stays.get(second)
        if a is None or b is None or not (a.placed or b.placed) or a.premises_id != b.premises_id:
            continue
        if stays_overlap(a.start, a.end, b.start, b.end):
            day = max(a.start, b.start)
            found.append(f"{first} and {second}: non-associates both at {a.premises_id} on day {day}")
    return found


def check_move_on(instance: Instance, placed: list[Assignment]) -> list[str]:
    """Move-on places match the referral's category and no provider gives more places in a week (of the
    departure day) than it has."""
    referrals = {r.id: r for r in instance.referrals}
    providers = {m.id: m for m in instance.providers}
    taken: dict[tuple[str, int], int] = defaultdict(int)
    found = []
    for a in placed:
        if a.provider_id is None:
            continue
        r, m = referrals[a.referral_id], providers[a.provider_id]
        if m.category != r.move_on_category:
            wanted = r.move_on_category.value if r.move_on_category else "no move-on"
            found.append(f"{r.id}: move-on provider {m.id} offers {m.category.value}, not {wanted}")
        taken[m.id, departure_week(a.arrival + r.length_of_stay)] += 1
    for (provider_id, week), count in sorted(taken.items()):
        if count > providers[provider_id].places_per_week:
            found.append(
                f"{provider_id}: {count} move-on places in week {week} but only "
                f"{providers[provider_id].places_per_week} a week"
            )
    return found
