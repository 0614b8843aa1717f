"""A third peer: Timefold Solver, the local-search planner (successor of OptaPlanner) that a planning team
would pick instead of CP-SAT, on the same hard and soft rules written as constraint streams.

A bench extra, never a dependency of the app: it needs the ``timefold`` package (``pip install -e
.[timefold]``) and Java 17 or later on the PATH. Like every method it starts from the input checks and its
plan is refereed by the validator (``solve.refereed``), so a plan breaking a hard rule is a bug, never shown.

The model: one planning entity per referral whose variable is one of its candidates (which already respect
every rule about one referral alone) or none (unplaced). Hard: on every night each Hall set of bed groups
of a premises (see ``optimizer.capacity``) holds at most its free beds; non-associates among referrals
never share a premises on the same night. Soft, the objective of ``optimizer.costs`` on one scale: each
candidate's terms and its cheapest move-on option, the unplaced cost, and the resident mix above the
caps. Move-on places are then shared out by the same min-cost flow the rounded LP uses. It starts from
greedy's plan (today's practice), as CP-SAT does, and searches until its time limit.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import count
from typing import Annotated

import numpy as np
from timefold.solver import SolverFactory
from timefold.solver.config import (
    Duration,
    EnvironmentMode,
    ScoreDirectorFactoryConfig,
    SolverConfig,
    SolverConfigOverride,
    TerminationConfig,
)
from timefold.solver.domain import (
    PlanningEntityCollectionProperty,
    PlanningId,
    PlanningScore,
    PlanningVariable,
    ProblemFactCollectionProperty,
    ValueRangeProvider,
    planning_entity,
    planning_solution,
)
from timefold.solver.score import ConstraintCollectors, ConstraintFactory, HardSoftScore, Joiners, constraint_provider

from optimizer.bound import least_move_on
from optimizer.candidates import build_candidates
from optimizer.capacity import base_capacity, plan_days
from optimizer.checks import validate_instance
from optimizer.constraints.move_on import best_providers
from optimizer.costs import mix_cap_values, mix_counts, mix_flags, objective, unplaced_cost
from optimizer.greedy import greedy
from optimizer.schema import Assignment, Instance, Result, SolverParams, non_associate_pairs
from optimizer.variables import Fixed


@dataclass(frozen=True)
class Option:
    """One candidate: where and when, the nights it takes, the Hall sets and mix caps it counts in."""

    id: int
    referral_id: str
    premises_id: str
    arrival: int
    departure: int
    cost: int  # its terms and its cheapest move-on option
    sets: tuple[int, ...]
    caps: tuple[int, ...]


@dataclass(frozen=True)
class Night:
    """Free beds of one Hall set of a premises on one night."""

    id: int
    premises_id: str
    hall_set: int
    day: int
    free: int


@dataclass(frozen=True)
class MixNight:
    """One mix cap of a premises on one night: the cap and the residents already counting towards it."""

    id: int
    premises_id: str
    cap: int
    day: int
    limit: int
    residents: int


@dataclass(frozen=True)
class Apart:
    """Two referrals who must never share a premises on the same night."""

    id: int
    first: str
    second: str


@planning_entity
@dataclass
class Placement:
    referral_id: Annotated[str, PlanningId]
    unplaced: int
    options: Annotated[list[Option], ValueRangeProvider(id="options"), field(default_factory=list)]
    option: Annotated[Option | None, PlanningVariable(value_range_provider_refs=["options"],
                                                      allows_unassigned=True)] = None


@planning_solution
@dataclass
class Plan:
    nights: Annotated[list[Night], ProblemFactCollectionProperty]
    mix_nights: Annotated[list[MixNight], ProblemFactCollectionProperty]
    apart: Annotated[list[Apart], ProblemFactCollectionProperty]
    placements: Annotated[list[Placement], PlanningEntityCollectionProperty]
    score: Annotated[HardSoftScore | None, PlanningScore] = None


# ---------------------------------------------------------------- the rules as constraint streams


@constraint_provider
def rules(factory: ConstraintFactory):
    return [beds(factory), non_associates(factory), unplaced(factory), placement_costs(factory), resident_mix(factory)]


def beds(factory: ConstraintFactory):
    """Hard: no Hall set of a premises holds more people than its free beds on any night."""
    return (factory.for_each(Placement)
            .join(Night, Joiners.equal(lambda p: p.option.premises_id, lambda n: n.premises_id),
                  Joiners.overlapping(lambda p: p.option.arrival, lambda p: p.option.departure,
                                      lambda n: n.day, lambda n: n.day + 1))
            .filter(lambda p, n: n.hall_set in p.option.sets)
            .group_by(lambda p, n: n, ConstraintCollectors.count_bi())
            .filter(lambda n, count: count > n.free)
            .penalize(HardSoftScore.ONE_HARD, lambda n, count: count - n.free)
            .as_constraint("a bed for everybody every night"))


def non_associates(factory: ConstraintFactory):
    """Hard: two non-associates never at one premises on the same night."""
    return (factory.for_each(Apart)
            .join(Placement, Joiners.equal(lambda a: a.first, lambda p: p.referral_id))
            .join(Placement, Joiners.equal(lambda a, p: a.second, lambda q: q.referral_id))
            .filter(lambda a, p, q: p.option.premises_id == q.option.premises_id
                    and p.option.arrival < q.option.departure and q.option.arrival < p.option.departure)
            .penalize(HardSoftScore.ONE_HARD)
            .as_constraint("non-associates apart"))


def unplaced(factory: ConstraintFactory):
    return (factory.for_each_including_unassigned(Placement)
            .filter(lambda p: p.option is None)
            .penalize(HardSoftScore.ONE_SOFT, lambda p: p.unplaced)
            .as_constraint("unplaced"))


def placement_costs(factory: ConstraintFactory):
    return (factory.for_each(Placement)
            .impact(HardSoftScore.ONE_SOFT, lambda p: -p.option.cost)
            .as_constraint("placement terms and move-on"))


def resident_mix(factory: ConstraintFactory):
    """Soft: each resident above a mix cap, each night, beyond what the residents alone already overflow."""
    return (factory.for_each(Placement)
            .join(MixNight, Joiners.equal(lambda p: p.option.premises_id, lambda n: n.premises_id),
                  Joiners.overlapping(lambda p: p.option.arrival, lambda p: p.option.departure,
                                      lambda n: n.day, lambda n: n.day + 1))
            .filter(lambda p, n: n.cap in p.option.caps)
            .group_by(lambda p, n: n, ConstraintCollectors.count_bi())
            .filter(lambda n, count: count + n.residents > n.limit)
            .penalize(HardSoftScore.ONE_SOFT,
                      lambda n, count: MIX_WEIGHT[0] * (count + min(0, n.residents - n.limit)))
            .as_constraint("resident mix"))


MIX_WEIGHT = [0]  # the instance's weight of mix overflow, set before solving (streams see module globals)


# ---------------------------------------------------------------- the problem and the solve


def _problem(instance: Instance, params: SolverParams, start: dict[str, Assignment]) -> Plan:
    candidates = build_candidates(instance, params)
    beds = base_capacity(instance)
    days = plan_days(instance)
    premises = {p.id: p for p in instance.premises}
    # How many referrals could be there, per (premises, Hall set) and per (premises, mix cap), night by night:
    # a night that can never hold more than it has room for needs no fact (joining every night is Timefold's
    # slowest part).
    could_be_there: dict[tuple[str, str, int], np.ndarray] = defaultdict(lambda: np.zeros(days + 1, dtype=np.int64))
    placements, numbers = [], count()
    for referral in instance.referrals:
        move_on = least_move_on(instance, referral)
        flags = mix_flags(referral.risk)
        options, counted = [], set()
        for c in candidates[referral.id]:
            row = beds.index[c.premises_id]
            sets = beds.layouts[row].sets_for(referral.essential_room)
            caps = tuple(k for k, (counts, cap) in enumerate(zip(flags, mix_cap_values(premises[c.premises_id])))
                         if counts and cap is not None)
            departure = c.arrival + referral.length_of_stay
            options.append(Option(next(numbers), referral.id, c.premises_id, c.arrival, departure,
                                  c.cost + int(move_on[row]), tuple(sets), caps))
            for key in [("beds", c.premises_id, s) for s in sets] + [("mix", c.premises_id, k) for k in caps]:
                if (key, c.arrival) not in counted:  # once per referral and day is enough for an upper count
                    counted.add((key, c.arrival))
                    could_be_there[key][c.arrival] += 1
                    could_be_there[key][departure] -= 1
        chosen = start.get(referral.id)
        option = next((o for o in options if chosen is not None
                       and (o.premises_id, o.arrival) == (chosen.premises_id, chosen.arrival)), None)
        placements.append(Placement(referral.id, unplaced_cost(referral, instance.weights), options, option))
    mix_residents = mix_counts(instance, (), days)
    nights, mix_nights = [], []
    for (kind, premises_id, index), diff in sorted(could_be_there.items()):
        most = np.cumsum(diff)[:days]
        if kind == "beds":
            free = beds.free[beds.index[premises_id]][index]
            nights += [Night(len(nights), premises_id, index, int(d), int(free[d])) for d in np.flatnonzero(most > free)]
        else:
            row = beds.index[premises_id]
            cap = mix_cap_values(premises[premises_id])[index]
            residents = mix_residents[row, index]
            mix_nights += [MixNight(len(mix_nights), premises_id, index, int(d), cap, int(residents[d]))
                           for d in np.flatnonzero(most + residents > cap)]
    apart = [Apart(i, a, b) for i, (a, b) in enumerate(sorted(non_associate_pairs(instance.referrals)))]
    return Plan(nights, mix_nights, apart, placements)


def solve_timefold(instance: Instance, params: SolverParams) -> Result:
    """Timefold's plan within ``params.time_limit_s``, starting from greedy's; Java's start-up included."""
    started = time.perf_counter()
    validate_instance(instance, params)
    start = greedy(instance, params)
    progress = [(time.perf_counter() - started, float(start.objective), None)]
    MIX_WEIGHT[0] = instance.weights.mix_overflow_per_resident_day
    problem = _problem(instance, params, start.assignments)
    config = SolverConfig(
        solution_class=Plan,
        entity_class_list=[Placement],
        score_director_factory_config=ScoreDirectorFactoryConfig(constraint_provider_function=rules),
        environment_mode=EnvironmentMode.NO_ASSERT,
        random_seed=params.seed,
    )
    factory = SolverFactory.create(config)  # starts Java and compiles the streams: counted in the time limit
    left_ms = max(1, int(1000 * (params.time_limit_s - (time.perf_counter() - started))))
    solver = factory.build_solver(
        SolverConfigOverride(termination_config=TerminationConfig(spent_limit=Duration(milliseconds=left_ms))))
    best = solver.solve(problem)
    plan = {p.referral_id: (Assignment(p.referral_id, p.option.premises_id, p.option.arrival, None)
                            if p.option is not None else Assignment(p.referral_id, None, None, None))
            for p in best.placements}
    plan = best_providers(instance, Fixed.around(instance), plan)
    value = objective(instance, plan)
    if best.score is None or best.score.hard_score < 0 or value > start.objective:
        plan, value = start.assignments, start.objective  # a plan breaking a hard rule is never proposed
    progress.append((time.perf_counter() - started, float(value), None))
    return Result("timefold", "feasible", plan, value, None, timings={"total_s": time.perf_counter() - started},
                  progress=progress)

