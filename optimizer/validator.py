"""The referee: re-checks every hard rule of a plan and prices it, without any solver.

It deliberately shares no code with the candidate filter or the models, so a bug there cannot hide itself
here: where the models count beds by Hall sets, it matches people to beds night by night. It reuses only
the geometry (distances, zone shapes), the schema's own definitions (when stays overlap, the week of a
departure, who are non-associates, calendar dates), the wording of characteristics and the one
definition of the objective.
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
    Assignment,
    Instance,
    Premises,
    SolverParams,
    calendar_day,
    departure_week,
    non_associate_pairs,
    stays_overlap,
)
from optimizer.words import a_bed, listed


@dataclass(frozen=True)
class Validation:
    ok: bool
    violations: list[str]
    objective: int
    terms: dict[str, dict[str, int]]


@dataclass(frozen=True)
class Occupancy:
    """Somebody in a premises over days ``start .. end-1``: a fixed resident in the bed group with signature
    ``room_characteristics``, or a placed referral who needs a bed with all of ``room_characteristics``."""

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
    """The rules one placement breaks on its own: a premises turned down, gender, AP type, characteristics, zones,
    radius, window."""
    referrals = {r.id: r for r in instance.referrals}
    premises = {p.id: p for p in instance.premises}
    found = []
    for a in placed:
        r, p = referrals[a.referral_id], premises[a.premises_id]
        where = f"{r.id} at {p.id}"
        if p.id in r.rejected_premises:
            found.append(f"{where}: a premises already turned down for this referral")
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
        Occupancy(s.id, s.premises_id, s.arrival, s.departure, s.bed_characteristics, placed=False)
        for s in instance.residents
    ]
    for a in placed:
        r = referrals[a.referral_id]
        people.append(
            Occupancy(r.id, a.premises_id, a.arrival, a.arrival + r.length_of_stay, r.essential_room, placed=True)
        )
    return people


def check_capacity(instance: Instance, occupancy: list[Occupancy]) -> list[str]:
    """Every night a placed referral sleeps at a premises, everybody placed there has a bed of their own
    with all their essential room characteristics: a matching of people to free beds, where a bed is free
    when in service and not held by a resident (residents keep the bed group they are in). Groups already
    over-full with residents alone are not the plan's fault; they simply have no bed free. One line per
    premises, naming the first night without a matching."""
    by_premises: dict[str, list[Occupancy]] = defaultdict(list)
    for o in occupancy:
        by_premises[o.premises_id].append(o)
    found = []
    for p in instance.premises:
        placed = [o for o in by_premises[p.id] if o.placed]
        if placed:
            problem = _first_night_without_beds(instance, p, placed, [o for o in by_premises[p.id] if not o.placed])
            if problem:
                found.append(problem)
    return found


def _free_beds(p: Premises, residents: list[Occupancy], first: int, last: int) -> dict[frozenset[str], np.ndarray]:
    """Per bed group (signature): beds in service and not held by a resident, on days ``first .. last-1``."""
    days = last - first
    beds: dict[frozenset[str], np.ndarray] = {}
    for g in p.bed_groups:
        beds.setdefault(g.characteristics, np.zeros(days, dtype=np.int64))
        beds[g.characteristics] += g.beds

    def take(signature: frozenset[str], start: int, end: int, count: int) -> None:
        if signature in beds:
            beds[signature][max(start - first, 0):max(end - first, 0)] -= count

    for out in p.beds_out:
        take(out.characteristics, out.start, out.end, out.beds)
    for resident in residents:
        take(resident.room_characteristics, resident.start, resident.end, 1)
    return {signature: np.maximum(free, 0) for signature, free in beds.items()}


class _Matching:
    """People matched to bed groups with a number of free beds each, kept from one night to the next and
    repaired by augmenting paths (Kuhn's algorithm, a group of beds being that many identical slots)."""

    def __init__(self, fits: dict[str, list[frozenset[str]]]):
        self.fits = fits  # person id -> bed groups whose beds have all the person's needs
        self.group_of: dict[str, frozenset[str]] = {}
        self.members: dict[frozenset[str], set[str]] = defaultdict(set)
        self.free: dict[frozenset[str], int] = {}

    def leave(self, person: str) -> None:
        group = self.group_of.pop(person, None)
        if group is not None:
            self.members[group].discard(person)

    def set_free(self, free: dict[frozenset[str], int]) -> list[str]:
        """New numbers of free beds; returns the people put out of a group that has shrunk."""
        self.free = free
        evicted = []
        for group, members in self.members.items():
            while len(members) > free.get(group, 0):
                person = max(members)
                self.leave(person)
                evicted.append(person)
        return evicted

    def place(self, person: str) -> tuple[set[str], set[frozenset[str]]] | None:
        """Find the person a bed, moving others along an augmenting path; when there is none, the people and
        groups the search reached: all those groups are full, and those people fit no other group."""
        seen_groups: set[frozenset[str]] = set()
        reached = {person}

        def take(who: str) -> bool:
            for group in self.fits[who]:
                if group in seen_groups:
                    continue
                seen_groups.add(group)
                if len(self.members[group]) < self.free.get(group, 0):
                    self._move(who, group)
                    return True
                for other in sorted(self.members[group]):
                    reached.add(other)
                    if take(other):
                        self._move(who, group)
                        return True
            return False

        return None if take(person) else (reached, seen_groups)

    def _move(self, person: str, group: frozenset[str]) -> None:
        self.leave(person)
        self.group_of[person] = group
        self.members[group].add(person)


def _first_night_without_beds(
    instance: Instance, p: Premises, placed: list[Occupancy], residents: list[Occupancy]
) -> str | None:
    first, last = min(o.start for o in placed), max(o.end for o in placed)
    free = _free_beds(p, residents, first, last)
    needs = {o.person_id: o.room_characteristics for o in placed}
    matching = _Matching({o.person_id: [g for g in sorted(free, key=sorted) if o.room_characteristics <= g]
                          for o in placed})
    changes = {first} | {o.start for o in placed} | {o.end for o in placed}
    for days in [(o.start, o.end) for o in residents] + [(out.start, out.end) for out in p.beds_out]:
        changes.update(days)
    arriving = defaultdict(list)
    for o in placed:
        arriving[o.start].append(o.person_id)
    leaving = defaultdict(list)
    for o in placed:
        leaving[o.end].append(o.person_id)
    for day in sorted(d for d in changes if first <= d < last):
        for person in leaving[day]:
            matching.leave(person)
        waiting = matching.set_free({g: int(n[day - first]) for g, n in free.items()})
        for person in sorted(waiting + arriving[day]):
            stuck = matching.place(person)
            if stuck is None:
                continue
            people, groups = stuck
            beds = sum(int(free[g][day - first]) for g in groups)
            kinds = listed([a_bed(n) for n in sorted({needs[q] for q in people}, key=sorted)], "or")
            such = {0: "no such bed is free", 1: "only 1 such bed is free"}.get(beds, f"only {beds} such beds are free")
            return (f"{p.id}: no bed for {person} on {calendar_day(instance, day)}: {listed(sorted(people))} "
                    f"{'needs' if len(people) == 1 else 'need'} {kinds} and {such}")
    return None


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
