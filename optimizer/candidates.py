"""Where and when each referral could go, judged on the rules that do not depend on other referrals.

A candidate is a (premises, arrival day) that passes gender, AP type, essential characteristics, exclusion
zones with their buffer, the maximum radius, the arrival window, non-associates among fixed residents and
a free bed with all its essential room characteristics every night of the stay, were it placed alone. Filtering these out before modelling is safe: no plan
can use a pair that breaks them. What remains to decide jointly is shared capacity, non-associates among
referrals, move-on places and the resident mix.

The filter is vectorised over premises (the national tier asks 3,000 referrals about 104 premises).
``first_rule_broken`` answers the same question for one pair in plain words.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from optimizer.capacity import Beds, base_capacity, base_full_prefix, free_every_night, per_instance
from optimizer.costs import change_from_previous, late_arrival, move_on_terms, placement_terms_many
from optimizer.geometry import ZoneIndex, distance_km, distances_km
from optimizer.schema import (
    ACCEPTED_AP_TYPES,
    PREMISES_CHARACTERISTICS,
    APType,
    Assignment,
    Gender,
    Instance,
    MoveOnCategory,
    MoveOnProvider,
    Premises,
    Referral,
    SolverParams,
    calendar_day,
    non_associate_pairs,
    stays_overlap,
)
from optimizer.words import bed_phrase, plain


class Candidate(NamedTuple):
    referral_id: str
    premises_id: str
    arrival: int
    cost: int  # sum of ``terms``; move-on is priced separately (see ``move_on_options``)
    terms: dict[str, int]


AP_TYPE_WORDS = {
    APType.STANDARD: "a standard AP",
    APType.PIPE: "a PIPE",
    APType.ESAP: "an enhanced security AP",
    APType.RECOVERY_FOCUSED: "a recovery-focused AP",
    APType.MENTAL_HEALTH: "a specialist mental health AP",
}


def first_full_night(
    instance: Instance, beds: Beds, row: int, referral: Referral, arrival: int
) -> tuple[int, str] | None:
    """The first night of the stay at premises ``row`` with no bed for the referral as ``beds`` stand, and
    why in words with its date; None when every night has one.

    Either no bed that fits them is free, or one is held by somebody who could move, but only to a bed of a
    Hall set whose people already fill it (they fit nothing outside it).
    """
    layout = beds.layouts[row]
    sets = layout.sets_for(referral.essential_room)
    free = beds.free[row][list(sets), arrival:arrival + referral.length_of_stay]
    full = np.flatnonzero(free.min(axis=0) < 1)
    if not full.size:
        return None
    night = int(full[0])
    day = arrival + night
    phrase = bed_phrase(referral.essential_room)
    own = layout.eligible(referral.essential_room)
    if any(layout.sets[s] == own and free[k, night] < 1 for k, s in enumerate(sets)):
        return day, f"no {phrase} is free on {calendar_day(instance, day)}"
    return day, f"no {phrase} can be freed on {calendar_day(instance, day)}: whoever is in one fits no other free bed"


def km(value: float) -> str:
    return f"{value:g} km"


@dataclass(frozen=True)
class Stay:
    """Somebody occupying a premises row over days ``start .. end-1``."""

    row: int
    start: int
    end: int


@dataclass
class PremisesTable:
    """Per-premises facts as arrays, so each referral is checked against all premises at once."""

    premises: tuple[Premises, ...]
    row: dict[str, int]
    lons: np.ndarray
    lats: np.ndarray
    is_female: np.ndarray
    type_ok: dict[APType, np.ndarray]
    premises_bits: np.ndarray
    resident_conflicts: dict[str, list[Stay]]  # referral id -> stays of residents who are its non-associates


PREMISES_BIT = {c: 1 << i for i, c in enumerate(sorted(PREMISES_CHARACTERISTICS))}


def bits(characteristics: frozenset[str], bit: dict[str, int]) -> int:
    return sum(bit[c] for c in characteristics)


def resident_conflicts(instance: Instance) -> dict[str, list[Stay]]:
    """Stays of fixed residents who must not meet each referral, whichever side named the other."""
    row = {p.id: i for i, p in enumerate(instance.premises)}
    stays = {r.id: Stay(row[r.premises_id], r.arrival, r.departure) for r in instance.residents}
    referral_ids = {r.id for r in instance.referrals}
    conflicts: dict[str, list[Stay]] = defaultdict(list)
    for first, second in sorted(non_associate_pairs((*instance.residents, *instance.referrals))):
        for referral_id, resident_id in ((first, second), (second, first)):
            if referral_id in referral_ids and resident_id in stays:
                conflicts[referral_id].append(stays[resident_id])
    return dict(conflicts)


def premises_table(instance: Instance) -> PremisesTable:
    def build() -> PremisesTable:
        premises = instance.premises
        return PremisesTable(
            premises=premises,
            row={p.id: i for i, p in enumerate(premises)},
            lons=np.array([p.location.lon for p in premises], dtype=float),
            lats=np.array([p.location.lat for p in premises], dtype=float),
            is_female=np.array([p.gender is Gender.FEMALE for p in premises], dtype=bool),
            type_ok={t: np.array([p.ap_type in ACCEPTED_AP_TYPES[t] for p in premises], dtype=bool) for t in APType},
            premises_bits=np.array([bits(p.characteristics, PREMISES_BIT) for p in premises], dtype=np.int64),
            resident_conflicts=resident_conflicts(instance),
        )

    return per_instance(instance, "premises_table", build)


def has_bed_for(instance: Instance, needs: frozenset[str]) -> np.ndarray:
    """Premises with a bed whose characteristics include all of ``needs`` (one bed with them all)."""
    found = per_instance(instance, "premises with a bed for", dict)
    if needs not in found:
        found[needs] = np.array([layout.eligible(needs) != 0 for layout in base_capacity(instance).layouts], dtype=bool)
    return found[needs]


def static_mask(instance: Instance, params: SolverParams, referral: Referral) -> np.ndarray:
    """Premises passing the day-independent rules: gender, AP type, characteristics, zones and radius, and not
    already turned down for the referral."""
    table = premises_table(instance)
    ok = table.is_female == (referral.gender is Gender.FEMALE)
    if referral.rejected_premises:
        ok[[table.row[p] for p in referral.rejected_premises]] = False
    ok &= table.type_ok[referral.ap_type]
    need = bits(referral.essential_premises, PREMISES_BIT)
    ok &= (table.premises_bits & need) == need
    ok &= has_bed_for(instance, referral.essential_room)
    if referral.max_radius_km is not None:
        ok &= distances_km(table.lons, table.lats, referral.home) <= referral.max_radius_km
    if referral.exclusion_zones and ok.any():
        rows = np.flatnonzero(ok)
        near = ZoneIndex(referral.exclusion_zones).near_mask(table.lons[rows], table.lats[rows],
                                                               params.exclusion_buffer_km)
        ok[rows[near]] = False
    return ok


def arrival_days(referral: Referral) -> np.ndarray:
    return np.arange(referral.earliest_arrival, referral.latest_arrival + 1)


def open_arrivals(
    instance: Instance, conflicts: list[Stay], referral: Referral, rows: np.ndarray
) -> np.ndarray:
    """(rows, arrival days) True where every night of the stay has a free bed that fits the referral and
    no non-associate resident is there."""
    arrivals = arrival_days(referral)
    ends = arrivals + referral.length_of_stay
    prefix = base_full_prefix(instance, referral.essential_room)
    ok = free_every_night(prefix, referral, rows[:, None], arrivals[None, :])
    for stay in conflicts:
        for i in np.flatnonzero(rows == stay.row):
            ok[i] &= ~stays_overlap(arrivals, ends, stay.start, stay.end)
    return ok


def open_premises(instance: Instance, params: SolverParams, referral: Referral) -> tuple[np.ndarray, np.ndarray]:
    """Premises rows passing the static rules, and for each of them which arrival days of the window have
    a bed for the referral alone every night and no non-associate resident: (rows, rows x arrival days)."""
    rows = np.flatnonzero(static_mask(instance, params, referral))
    conflicts = premises_table(instance).resident_conflicts.get(referral.id, [])
    return rows, open_arrivals(instance, conflicts, referral, rows)


def referral_candidates(instance: Instance, params: SolverParams, referral: Referral) -> list[Candidate]:
    """Every candidate of one referral, cheapest first (ties by premises order, then arrival)."""
    table = premises_table(instance)
    rows, ok = open_premises(instance, params, referral)
    open_rows = np.flatnonzero(ok.any(axis=1))
    premises = [table.premises[row] for row in rows[open_rows].tolist()]
    # Terms that do not depend on the day, priced together for every premises with an open day (at the
    # earliest arrival, so lateness is nought); the pairs below only add their day's terms.
    fixed = placement_terms_many(instance, referral, premises, referral.earliest_arrival)
    base = np.array([sum(t.values()) - t["change_from_previous"] for t in fixed], dtype=np.int64)
    which, day = np.nonzero(ok)
    which = np.searchsorted(open_rows, which)  # row of ``ok`` -> position in ``premises``
    arrivals = arrival_days(referral)[day]
    lateness = late_arrival(referral, arrivals, instance.weights)
    change = np.array(
        [change_from_previous(referral, premises[k].id, a, instance.weights)
         for k, a in zip(which.tolist(), arrivals.tolist())] if referral.previous else np.zeros(len(day)),
        dtype=np.int64,
    )
    cost = base[which] + lateness + change
    order = np.argsort(cost, kind="stable")
    return [
        Candidate(referral.id, premises[k].id, a, c, dict(fixed[k], late_arrival=late, change_from_previous=moved))
        for k, a, c, late, moved in zip(
            *(column[order].tolist() for column in (which, arrivals, cost, lateness, change))
        )
    ]


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Hundreds of thousands of small candidates, none in a cycle: the cyclic collector would only keep
    rescanning them while they are made (about a fifth of the time at national size)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build_candidates(instance: Instance, params: SolverParams) -> dict[str, list[Candidate]]:
    """Candidates per referral id (an empty list when nothing passes), each list cheapest first.

    Built once per instance and exclusion buffer, then shared by every caller (greedy, the models,
    explanations): treat the lists and their terms as read-only.
    """

    def build() -> dict[str, list[Candidate]]:
        with cyclic_gc_paused():
            return {r.id: referral_candidates(instance, params, r) for r in instance.referrals}

    return per_instance(instance, f"candidates within {params.exclusion_buffer_km} km", build)


# A model that cannot hold every candidate keeps each referral's cheapest few, one length for every such
# model: the neighbourhoods of the local search (at most 150 referrals, so at most 9,000 choices) and the
# MIP peer's whole problem (only past 40,000 candidates in all). Sixty is the length the local search was
# tuned with on the region tier; the MIP peer, which kept thirty, gets the longer list too: more choices
# can only keep or lower the best objective in the list, at the price of a bigger model.
CANDIDATES_PER_REFERRAL = 60


def shortlist(
    candidates: Mapping[str, Sequence[Candidate]], most: int | None, keep: Mapping[str, Assignment] | None = None
) -> tuple[dict[str, list[Candidate]], bool]:
    """At most ``most`` (None: all) cheapest candidates per referral (lists come cheapest first), keeping the
    one ``keep`` uses so that a hint stays expressible. Also says whether anything was left out: only an
    unpruned model's bound bounds the real problem."""
    keep = keep or {}
    if most is None:
        return {rid: list(options) for rid, options in candidates.items()}, False
    kept: dict[str, list[Candidate]] = {}
    pruned = False
    for rid, options in candidates.items():
        head = list(options[:most])
        pruned |= len(options) > most
        a = keep.get(rid)
        if a is not None and a.premises_id is not None and all(
            (c.premises_id, c.arrival) != (a.premises_id, a.arrival) for c in head
        ):
            head += [c for c in options[most:] if (c.premises_id, c.arrival) == (a.premises_id, a.arrival)]
        kept[rid] = head
    return kept, pruned

def first_rule_broken(
    instance: Instance, params: SolverParams, referral: Referral, premises: Premises
) -> str | None:
    """The first static rule that rules ``premises`` out for ``referral``, in plain words; None if it fits."""
    if premises.id in referral.rejected_premises:
        return "turned down for this person when proposed before"
    if premises.gender is not referral.gender:
        return "gender: a women's AP" if premises.gender is Gender.FEMALE else "gender: a men's AP"
    if premises.ap_type not in ACCEPTED_AP_TYPES[referral.ap_type]:
        return f"AP type: needs {AP_TYPE_WORDS[referral.ap_type]}, this is {AP_TYPE_WORDS[premises.ap_type]}"
    for characteristic in sorted(referral.essential_premises - premises.characteristics):
        return f"missing essential characteristic: {plain(characteristic)}"
    if not has_bed_for(instance, referral.essential_room)[premises_table(instance).row[premises.id]]:
        return f"essential room characteristics: no {bed_phrase(referral.essential_room)}"
    buffer = params.exclusion_buffer_km
    if referral.exclusion_zones and ZoneIndex(referral.exclusion_zones).near_mask(
        np.array([premises.location.lon]), np.array([premises.location.lat]), buffer
    )[0]:
        return f"inside or within {km(buffer)} of an exclusion zone" if buffer else "inside an exclusion zone"
    if referral.max_radius_km is not None and distance_km(premises.location, referral.home) > referral.max_radius_km:
        return f"beyond the {km(referral.max_radius_km)} maximum radius"
    return _first_day_blocked(instance, referral, premises)


def _first_day_blocked(instance: Instance, referral: Referral, premises: Premises) -> str | None:
    """Why no arrival day works, told for the earliest arrival: a non-associate or the first full night."""
    table = premises_table(instance)
    row = table.row[premises.id]
    conflicts = [s for s in table.resident_conflicts.get(referral.id, []) if s.row == row]
    if open_arrivals(instance, conflicts, referral, np.array([row])).any():
        return None
    start, end = referral.earliest_arrival, referral.earliest_arrival + referral.length_of_stay
    suffix = ""
    if referral.latest_arrival > referral.earliest_arrival:
        suffix = f" (no arrival up to {calendar_day(instance, referral.latest_arrival)} works either)"
    reasons = []
    for stay in conflicts:
        if stays_overlap(start, end, stay.start, stay.end):
            day = max(start, stay.start)
            reasons.append((day, f"a non-associate is resident on {calendar_day(instance, day)}"))
    full = first_full_night(instance, base_capacity(instance), row, referral, start)
    reasons += [full] if full else []
    return min(reasons)[1] + suffix


def move_on_options(
    instance: Instance, referral: Referral, premises: Premises
) -> list[tuple[MoveOnProvider | None, int]]:
    """Providers of the referral's move-on category and "unsecured" (None), each with its cost from this
    premises, cheapest first; only (None, 0) when no move-on place is sought. The costs depend on the
    referral only through its category, so each list is worked out once per instance: treat it as read-only."""
    weights = instance.weights
    if referral.move_on_category is None:
        return [(None, 0)]
    found = per_instance(instance, "move-on options", dict)
    key = (referral.move_on_category, premises.id)
    if key not in found:
        by_category = per_instance(instance, "providers by category", lambda: providers_by_category(instance))
        providers = by_category.get(referral.move_on_category, [])
        options = [(m, sum(move_on_terms(referral, premises, m, weights).values())) for m in [*providers, None]]
        options.sort(key=lambda option: (option[1], option[0] is None))
        found[key] = options
    return found[key]


def providers_by_category(instance: Instance) -> dict[MoveOnCategory, list[MoveOnProvider]]:
    found: dict[MoveOnCategory, list[MoveOnProvider]] = defaultdict(list)
    for provider in instance.providers:
        found[provider.category].append(provider)
    return dict(found)
