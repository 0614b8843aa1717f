"""Why the plan is what it is, in words a placement manager can check.

For each placed referral: its objective terms and the two best other premises it could have gone to with
everybody else left where they are, with what each would add to the objective. For each premises not
used: the first rule that ruled it out (the candidate filter's static rules first, then the plan: a full
night or a non-associate placed there), or what it would have added when nothing ruled it out. For each
unplaced referral: the binding reason.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import partial

import numpy as np

from optimizer.candidates import Candidate, build_candidates, first_full_night, first_rule_broken, move_on_options
from optimizer.costs import mix_cap_values, mix_flags, referral_terms, unplaced_cost
from optimizer.greedy import Stays, non_associate_map, non_associate_met
from optimizer.schema import (
    Alternative,
    Assignment,
    Explanation,
    Instance,
    MoveOnProvider,
    Premises,
    Referral,
    Result,
    SolverParams,
    calendar_day,
    departure_week,
)
from optimizer.variables import Fixed

ALTERNATIVES = 2


@dataclass
class PlanState:
    """Beds, move-on places and mix counts left by the whole plan, and where everybody is."""

    instance: Instance
    fixed: Fixed
    stays: Stays
    premises: dict[str, Premises]
    providers: dict[str, MoveOnProvider]
    mates: dict[str, set[str]]  # referral id -> non-associates among referrals (either side named)


class Explanations(Mapping[str, Explanation]):
    """The explanations of a plan, by referral id, each worked out when first read: a national plan has
    thousands and a person reads a few (reading them all costs seconds, not the solve)."""

    def __init__(self, instance: Instance, params: SolverParams, plan: Mapping[str, Assignment]):
        self.instance, self.params, self.plan = instance, params, plan
        self.referrals = {r.id: r for r in instance.referrals}
        self._state: PlanState | None = None
        self._found: dict[str, Explanation] = {}

    def __getitem__(self, referral_id: str) -> Explanation:
        if referral_id not in self._found:
            referral = self.referrals[referral_id]
            if self._state is None:
                self._state = _plan_state(self.instance, self.plan)
            a = self.plan.get(referral_id) or Assignment(referral_id, None, None, None)
            options = build_candidates(self.instance, self.params)[referral_id]
            self._found[referral_id] = _explain_one(self.instance, self.params, self._state, referral, a, options)
        return self._found[referral_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self.referrals)

    def __len__(self) -> int:
        return len(self.referrals)


def explain(instance: Instance, params: SolverParams, result: Result) -> Explanations:
    return Explanations(instance, params, result.assignments)


def _plan_state(instance: Instance, plan: Mapping[str, Assignment]) -> PlanState:
    referrals = {r.id: r for r in instance.referrals}
    stays = {a.referral_id: (a.premises_id, a.arrival, a.arrival + referrals[a.referral_id].length_of_stay)
             for a in plan.values() if a.premises_id is not None}
    return PlanState(instance, Fixed.around(instance, list(plan.values())), stays,
                     {p.id: p for p in instance.premises}, {m.id: m for m in instance.providers},
                     non_associate_map(instance))


def _explain_one(
    instance: Instance,
    params: SolverParams,
    state: PlanState,
    referral: Referral,
    assignment: Assignment,
    candidates: list[Candidate],
) -> Explanation:
    here = assignment.premises_id
    current = _cost_of_current(state, referral, assignment) if here is not None else None
    best_elsewhere: dict[str, tuple[int, Candidate]] = {}
    blocked: dict[str, tuple[int, str]] = {}  # premises id -> (arrival, why) for the earliest arrival tried
    for c in candidates:
        if c.premises_id == here or c.premises_id in best_elsewhere:
            continue
        why = _blocked_by_plan(state, referral, c)
        if why is None:
            best_elsewhere[c.premises_id] = (_cost_of(state, referral, c, assignment), c)
        elif c.premises_id not in blocked or c.arrival < blocked[c.premises_id][0]:
            blocked[c.premises_id] = (c.arrival, why)
    ruled_out = {}
    for premises in instance.premises:
        if premises.id == here:
            continue
        if premises.id in best_elsewhere:
            extra = best_elsewhere[premises.id][0] - (current if current is not None else 0)
            ruled_out[premises.id] = (f"not ruled out: it would add {extra:,} to the objective" if current is not None
                                      else "not ruled out")
        elif premises.id in blocked:
            ruled_out[premises.id] = blocked[premises.id][1]
        else:
            ruled_out[premises.id] = first_rule_broken(instance, params, referral, premises) or "no candidate arrival day"
    if here is None:
        cheapest = min(best_elsewhere.values(), key=lambda pair: (pair[0], pair[1].premises_id), default=None)
        return Explanation(referral.id, dict(assignment.terms), (), ruled_out,
                           _unplaced_reason(instance, referral, candidates, ruled_out, cheapest))
    ranked = sorted(best_elsewhere.values(), key=lambda pair: (pair[0], pair[1].premises_id))
    alternatives = tuple(Alternative(c.premises_id, c.arrival, cost - current) for cost, c in ranked[:ALTERNATIVES])
    return Explanation(referral.id, dict(assignment.terms), alternatives, ruled_out)


def _blocked_by_plan(state: PlanState, referral: Referral, c: Candidate) -> str | None:
    """The first night without a free bed once the plan is booked, or a non-associate placed there."""
    mate = non_associate_met(state.mates, state.stays, referral, c.premises_id, c.arrival)
    if mate is not None:
        _, start, leaves = state.stays[mate]
        day = partial(calendar_day, state.instance)
        return f"non-associate {mate} is placed there from {day(start)} to {day(leaves)}"
    full = first_full_night(state.instance, state.fixed.beds, state.fixed.row[c.premises_id], referral, c.arrival)
    return None if full is None else f"{full[1]} with the proposed placements"


def _cost_of(state: PlanState, referral: Referral, c: Candidate, own: Assignment) -> int:
    """What placing ``referral`` at candidate ``c`` costs: placement terms, the best move-on place still open
    in the week of departure, and the mix overflow it adds (``own`` is the referral's current assignment,
    whose move-on place and mix counts it would give up)."""
    premises = state.premises[c.premises_id]
    end = c.arrival + referral.length_of_stay
    return (c.cost + _move_on_cost(state, referral, premises, departure_week(end), own)
            + _mix_added(state, referral, premises, c.arrival, end, own))


def _cost_of_current(state: PlanState, referral: Referral, a: Assignment) -> int:
    premises = state.premises[a.premises_id]
    terms = referral_terms(state.instance, referral, premises, a.arrival, state.providers.get(a.provider_id))
    return sum(terms.values()) + _mix_added(state, referral, premises, a.arrival, a.arrival + referral.length_of_stay, a)


def _move_on_cost(state: PlanState, referral: Referral, premises: Premises, week: int, own: Assignment) -> int:
    for provider, cost in move_on_options(state.instance, referral, premises):
        if provider is None:
            return cost
        places = state.fixed.places(provider.id, week)
        if own.provider_id == provider.id and own.arrival is not None \
                and departure_week(own.arrival + referral.length_of_stay) == week:
            places += 1
        if places > 0:
            return cost
    return 0


def _mix_added(
    state: PlanState, referral: Referral, premises: Premises, start: int, end: int, own: Assignment
) -> int:
    """Overflow person-days this stay adds above each cap, the referral's own current stay left out."""
    flags = mix_flags(referral.risk)
    row = state.fixed.row[premises.id]
    weight = state.instance.weights.mix_overflow_per_resident_day
    added = 0
    for k, cap in enumerate(mix_cap_values(premises)):
        if cap is None or not flags[k]:
            continue
        counts = state.fixed.mix[row, k, start:end].astype(np.int64)
        if own.premises_id == premises.id:
            own_end = own.arrival + referral.length_of_stay
            lo, hi = max(start, own.arrival), min(end, own_end)
            if lo < hi:
                counts[lo - start:hi - start] -= 1
        added += int((counts + 1 > cap).sum()) * weight  # each day at or above the cap, one more is over
    return added


def _unplaced_reason(
    instance: Instance,
    referral: Referral,
    candidates: list[Candidate],
    ruled_out: Mapping[str, str],
    cheapest: tuple[int, Candidate] | None,
) -> str:
    left_out = unplaced_cost(referral, instance.weights)
    if cheapest is not None:
        cost, c = cheapest
        free = f"a bed is free at {c.premises_id} from {calendar_day(instance, c.arrival)}"
        if cost >= left_out:
            return (f"{free}, but placing them there would cost {cost:,}, no less than the {left_out:,} of "
                    "leaving them unplaced")
        return (f"{free} and placing them there would lower the objective by {left_out - cost:,}: the search "
                "stopped before finding it")
    first, last = (calendar_day(instance, day) for day in (referral.earliest_arrival, referral.latest_arrival))
    window = f"on {first}" if first == last else f"from {first} to {last}"
    if not candidates:
        kinds = Counter(re.split(r":| on ", reason)[0] for reason in ruled_out.values())
        common, count = kinds.most_common(1)[0]
        return (f"no premises meets the hard rules for an arrival {window}; "
                f"the commonest reason ({count} of {len(ruled_out)} premises): {common}")
    fitting = {c.premises_id for c in candidates}
    nearest = min(candidates, key=lambda c: (c.terms.get("distance_home", 0), c.arrival)).premises_id
    return (f"each of the {len(fitting)} premises that meet the hard rules is full on some night for every "
            f"arrival {window} once the proposed placements are booked; at the nearest, {nearest}: "
            f"{ruled_out[nearest]} (leaving them unplaced costs {left_out:,})")
