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
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from optimizer.bound import proves_optimal
from optimizer.candidates import CANDIDATES_PER_REFERRAL, Candidate, shortlist
from optimizer.capacity import free_every_night, full_night_prefix
from optimizer.constraints.non_associates import without_clashes
from optimizer.model import solve_placements
from optimizer.schema import DAYS_PER_WEEK, Assignment, Instance, Referral, SolverParams
from optimizer.variables import Fixed

MAX_REFERRALS = 150
FIRST_STAGE_SHARE = 0.25  # of each step: the rounded LP has mostly settled who is placed already
STEP_S = 3.0
BUILD_S_PER_CHOICE = 1.2e-5  # building a neighbourhood's model, counted by its size when counting work


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
    first: frozenset[str] | None = None,
    bound: float | None = None,
) -> tuple[dict[str, Assignment], int]:
    """Re-optimise neighbourhoods in a seeded order for ``budget_s`` seconds; returns the improved plan
    and its objective. Once no neighbourhood can improve any more, they widen (more referrals, longer short
    lists) and the search goes on, until the budget is spent or one neighbourhood holds the whole problem.
    ``deterministic`` counts CP-SAT's deterministic time instead of watching the clock. The referrals
    ``first`` (those an LP left undecided) are re-optimised first, region by region, over all their candidates. The search
    stops early once the plan reaches ``bound``, a lower bound: nothing better exists."""
    rng = random.Random(params.seed)
    referrals = {r.id: r for r in instance.referrals}
    plan = dict(plan)
    budget = Budget(budget_s, deterministic, params)
    for hood in undecided(instance, first or frozenset()):
        if not budget.left():
            break
        gain, better, _, work = reoptimise(instance, params, referrals, candidates, plan, hood,
                                           budget.step(step_s), deterministic, max(map(len, candidates.values())))
        budget.spend(work)
        if gain > 0:
            plan.update(better)
            objective -= gain
            if on_improve is not None:
                on_improve(objective, None, plan)
    for most, per_referral in widening(instance, candidates):
        hoods = neighbourhoods(instance, most)
        queue: list[Neighbourhood] = []
        settled = 0  # neighbourhoods in a row proven unable to improve
        while hoods and settled < len(hoods) and budget.left() and not proves_optimal(bound, objective):
            if not queue:
                queue = rng.sample(hoods, len(hoods))
            hood = queue.pop()
            gain, better, proven, work = reoptimise(instance, params, referrals, candidates, plan, hood,
                                                    budget.step(step_s), deterministic, per_referral)
            budget.spend(work)
            settled = settled + 1 if proven and gain == 0 else 0
            if gain > 0:
                plan.update(better)
                objective -= gain
                if on_improve is not None:
                    on_improve(objective, None, plan)
        if not budget.left() or proves_optimal(bound, objective):
            break
    return plan, objective


def undecided(instance: Instance, first: frozenset[str], most: int = MAX_REFERRALS) -> list[Neighbourhood]:
    """The referrals ``first`` (an LP left them fractional: they compete for the same beds) by region, in
    parts of at most ``most`` so that each solves within a step."""
    by_region: dict[str, list[str]] = defaultdict(list)
    for r in instance.referrals:
        if r.id in first:
            by_region[r.region].append(r.id)
    hoods = []
    for region, members in sorted(by_region.items()):
        parts = -(-len(members) // most)
        for i in range(parts):
            part = members[i * len(members) // parts:(i + 1) * len(members) // parts]
            if len(part) > 1:
                hoods.append(Neighbourhood(f"undecided in {region}", frozenset(part)))
    return hoods


def widening(instance: Instance, candidates: Mapping[str, Sequence[Candidate]]) -> Iterator[tuple[int, int]]:
    """Neighbourhood sizes and short-list lengths, doubling, up to the whole problem with every candidate."""
    longest = max(map(len, candidates.values()), default=0)
    most, per_referral = MAX_REFERRALS, CANDIDATES_PER_REFERRAL
    while True:
        yield most, per_referral
        if most >= len(instance.referrals) and per_referral >= longest:
            return
        most, per_referral = 2 * most, 2 * per_referral


class Budget:
    """Time left for the search: wall-clock seconds, or with ``deterministic`` the work done (CP-SAT's
    deterministic time and the size of the models built), so that one worker with a fixed seed gives the
    same plan however busy the machine is."""

    def __init__(self, seconds: float, deterministic: bool, params: SolverParams):
        self.deterministic = deterministic
        self.watch = params.watch
        self.deadline = time.perf_counter() + seconds
        self.work_left = seconds

    def left(self) -> bool:
        if self.watch.stopped():
            return False
        if self.deterministic:
            return self.work_left > 0
        return time.perf_counter() + 0.5 < self.deadline

    def step(self, most_s: float) -> float:
        if self.deterministic:
            return min(most_s, self.work_left)
        return min(most_s, self.deadline - time.perf_counter())

    def spend(self, work_s: float) -> None:
        self.work_left -= work_s


def reoptimise(
    instance: Instance,
    params: SolverParams,
    referrals: Mapping[str, Referral],
    candidates: Mapping[str, Sequence[Candidate]],
    plan: Mapping[str, Assignment],
    hood: Neighbourhood,
    time_limit_s: float,
    deterministic: bool = False,
    per_referral: int = CANDIDATES_PER_REFERRAL,
) -> tuple[int, dict[str, Assignment], bool, float]:
    """Solve ``hood`` with everybody else held where ``plan`` puts them, over each referral's
    ``per_referral`` cheapest candidates; returns the gain, the new assignments, whether the neighbourhood
    was solved to optimality and the deterministic time it took."""
    held = [a for rid, a in plan.items() if rid not in hood.referral_ids]
    fixed = Fixed.around(instance, held)
    current = {rid: plan[rid] for rid in hood.referral_ids if rid in plan}
    open_ = fitting(fixed, referrals, {rid: candidates[rid] for rid in hood.referral_ids})
    open_ = without_clashes(referrals, open_, held)
    options, _ = shortlist(open_, per_referral, current)
    options = {rid: with_every_week(options[rid], open_[rid]) for rid in options}
    outcome = solve_placements(instance, params, options, time_limit_s, fixed, current, deterministic=deterministic,
                               first_share=FIRST_STAGE_SHARE)
    work_s = outcome.work_s + BUILD_S_PER_CHOICE * sum(map(len, options.values()))
    before = outcome.start_objective
    if before is None or outcome.objective is None or outcome.objective >= before:
        return 0, {}, outcome.settled, work_s
    return before - outcome.objective, outcome.assignments, outcome.settled, work_s


def with_every_week(short: list[Candidate], options: Sequence[Candidate]) -> list[Candidate]:
    """The short list and the cheapest candidate of every premises and week of arrival it leaves out: the
    cheapest are mostly the nearest premises on the first days, while a move-on place or a quieter resident
    mix may only be found a week or a premises further on."""
    seen = {(c.premises_id, c.arrival // DAYS_PER_WEEK) for c in short}
    extra = []
    for c in options:
        key = (c.premises_id, c.arrival // DAYS_PER_WEEK)
        if key not in seen:
            seen.add(key)
            extra.append(c)
    return short + extra


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
