"""Large neighbourhood search: re-optimise one region, or one week of arrivals, at a time while everybody
else keeps their place.

People mostly go to premises near home, so a region is nearly a problem of its own; a week of arrivals
competes for the beds that free up that week. Either way the neighbourhood is small enough for CP-SAT to
solve well in a few seconds, with a longer short list of candidates than the whole problem could afford,
and the rest of the plan simply uses up beds and move-on places (``Fixed``). Each neighbourhood is solved
lexicographically, but mostly for the second stage: the rounded LP has largely settled who is placed.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from optimizer.candidates import CANDIDATES_PER_REFERRAL, Candidate, shortlist
from optimizer.capacity import free_every_night, full_night_prefix
from optimizer.constraints.non_associates import without_clashes
from optimizer.model import solve_placements
from optimizer.schema import DAYS_PER_WEEK, Assignment, Instance, Referral, SolverParams
from optimizer.variables import Fixed

MAX_REFERRALS = 150
FIRST_STAGE_SHARE = 0.25  # of each step: the rounded LP has mostly settled who is placed already
STEP_S = 3.0


@dataclass(frozen=True)
class Neighbourhood:
    name: str
    referral_ids: frozenset[str]


def neighbourhoods(instance: Instance, most: int = MAX_REFERRALS) -> list[Neighbourhood]:
    """Each region and each week of earliest arrival, cut into parts of at most ``most`` referrals so that
    every part solves in a second or two: a region by runs of arrival, a week by region."""
    hoods = []
    for kind, key, order in (
        ("region", lambda r: r.region, lambda r: (r.earliest_arrival, r.id)),
        ("week", lambda r: str(r.earliest_arrival // DAYS_PER_WEEK), lambda r: (r.region, r.id)),
    ):
        groups: dict[str, list[Referral]] = defaultdict(list)
        for r in instance.referrals:
            groups[key(r)].append(r)
        for name, members in sorted(groups.items()):
            members.sort(key=order)
            parts = -(-len(members) // most)
            for i in range(parts):
                part = members[i * len(members) // parts:(i + 1) * len(members) // parts]
                label = f"{kind} {name}" + (f" part {i + 1} of {parts}" if parts > 1 else "")
                if len(part) > 1:
                    hoods.append(Neighbourhood(label, frozenset(r.id for r in part)))
    return hoods


def improve(
    instance: Instance,
    params: SolverParams,
    candidates: Mapping[str, Sequence[Candidate]],
    plan: dict[str, Assignment],
    objective: int,
    budget_s: float,
    on_improve: Callable[[int, int | None, dict[str, Assignment]], None] | None = None,
    step_s: float = STEP_S,
    deterministic: bool = False,
) -> tuple[dict[str, Assignment], int]:
    """Re-optimise neighbourhoods in a seeded order for ``budget_s`` seconds; returns the improved plan
    and its objective. ``deterministic`` counts steps instead of watching the clock."""
    hoods = neighbourhoods(instance)
    if not hoods:
        return plan, objective
    rng = random.Random(params.seed)
    referrals = {r.id: r for r in instance.referrals}
    plan = dict(plan)
    deadline = time.perf_counter() + budget_s
    steps = int(budget_s // step_s) if deterministic else None
    queue: list[Neighbourhood] = []
    done = settled = 0  # settled: neighbourhoods in a row proven unable to improve

    def time_for_more() -> bool:
        if params.watch.stopped():
            return False
        return done < steps if steps is not None else time.perf_counter() + 0.5 < deadline

    while settled < len(hoods) and time_for_more():
        if not queue:
            queue = rng.sample(hoods, len(hoods))
        hood = queue.pop()
        limit = step_s if steps is not None else min(step_s, deadline - time.perf_counter())
        gain, better, proven = reoptimise(instance, params, referrals, candidates, plan, hood, limit, deterministic)
        done += 1
        settled = settled + 1 if proven and gain == 0 else 0
        if gain > 0:
            plan.update(better)
            objective -= gain
            if on_improve is not None:
                on_improve(objective, None, plan)
    return plan, objective


def reoptimise(
    instance: Instance,
    params: SolverParams,
    referrals: Mapping[str, Referral],
    candidates: Mapping[str, Sequence[Candidate]],
    plan: Mapping[str, Assignment],
    hood: Neighbourhood,
    time_limit_s: float,
    deterministic: bool = False,
) -> tuple[int, dict[str, Assignment], bool]:
    """Solve ``hood`` with everybody else held where ``plan`` puts them; returns the gain, the new
    assignments and whether the neighbourhood was solved to optimality."""
    held = [a for rid, a in plan.items() if rid not in hood.referral_ids]
    fixed = Fixed.around(instance, held)
    current = {rid: plan[rid] for rid in hood.referral_ids if rid in plan}
    open_ = fitting(fixed, referrals, {rid: candidates[rid] for rid in hood.referral_ids})
    open_ = without_clashes(referrals, open_, held)
    options, _ = shortlist(open_, CANDIDATES_PER_REFERRAL, current)
    outcome = solve_placements(instance, params, options, time_limit_s, fixed, current, deterministic=deterministic,
                               first_share=FIRST_STAGE_SHARE)
    before = outcome.start_objective
    if before is None or outcome.objective is None or outcome.objective >= before:
        return 0, {}, outcome.settled
    return before - outcome.objective, outcome.assignments, outcome.settled


def fitting(
    fixed: Fixed, referrals: Mapping[str, Referral], candidates: Mapping[str, Sequence[Candidate]]
) -> dict[str, list[Candidate]]:
    """The candidates that still fit alone every night (a bed for them and everybody held) once the held
    placements are booked."""
    prefixes: dict[frozenset[str], np.ndarray] = {}
    kept = {}
    for rid, options in candidates.items():
        if not options:
            kept[rid] = []
            continue
        referral = referrals[rid]
        rows = np.array([fixed.row[c.premises_id] for c in options])
        needs = referral.essential_room
        if needs not in prefixes:
            prefixes[needs] = full_night_prefix(fixed.beds.room_for(needs))
        starts = np.array([c.arrival for c in options])
        ok = free_every_night(prefixes[needs], referral, rows, starts)
        kept[rid] = [c for c, fits in zip(options, ok) if fits]
    return kept
