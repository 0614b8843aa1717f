"""A good complete plan quickly: the LP relaxation of the placement problem, rounded.

Who gets a bed, where and from which day is a packing problem whose LP relaxation is nearly integral, and
the LP shares beds out between competing referrals far better than placing people one at a time. So:
solve the LP (GLOP) over each referral's cheapest candidates, book candidates in order of their LP value
(each only if it still has a free bed every night and meets no non-associate), then give the placed
referrals the cheapest move-on places the providers' weekly places allow (a min-cost flow). Move-on capacity and the
resident mix are left to CP-SAT, which starts from this plan.

In the LP, capacity is counted with running totals per premises (each candidate appears in two rows),
which is the same polytope as one row per day and keeps the national LP small.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ortools.linear_solver import pywraplp

from optimizer.candidates import Candidate
from optimizer.capacity import base_capacity
from optimizer.constraints.move_on import best_providers, providers_by_cost
from optimizer.costs import mix_overflow, unplaced_cost
from optimizer.greedy import Beds, non_associate_map
from optimizer.model import Fixed
from optimizer.schema import Assignment, Instance, Referral


@dataclass(frozen=True)
class Rounded:
    plan: dict[str, Assignment]
    lp_value: float  # a lower bound on every plan's objective when no candidate was left out


def rounded_plan(
    instance: Instance, candidates: Mapping[str, Sequence[Candidate]], time_limit_s: float
) -> Rounded | None:
    """A complete plan from the rounded LP; None when the LP is not solved in time.

    The LP leaves out move-on capacity, non-associates among referrals and the mix overflow that placed
    people add, and prices move-on at the cheapest provider: each only lowers it, so over every candidate
    its value (plus the unplaced costs and the residents' own mix overflow) bounds every plan.
    """
    referrals = {r.id: r for r in instance.referrals}
    solved = _lp_values(instance, referrals, candidates, time_limit_s)
    if solved is None:
        return None
    values, value = solved
    order = sorted(
        ((v, c) for c, v in values),
        key=lambda pair: (-pair[0], pair[1].cost, pair[1].referral_id, pair[1].premises_id, pair[1].arrival),
    )
    unplaced = sum(unplaced_cost(r, instance.weights) for r in instance.referrals)
    return Rounded(_book_in_order(instance, referrals, [c for _, c in order]),
                   value + unplaced + mix_overflow(instance, {}))


def _price(instance: Instance, referral: Referral, c: Candidate, premises) -> float:
    """The candidate's placement terms, its cheapest move-on, less the unplaced cost it saves."""
    move_on = 0
    if referral.move_on_category is not None:
        options = providers_by_cost(instance, referral, premises)
        unsecured = instance.weights.move_on_unsecured
        move_on = min(options[0][1], unsecured) if options else unsecured
    return c.cost + move_on - unplaced_cost(referral, instance.weights)


def _lp_values(
    instance: Instance,
    referrals: Mapping[str, Referral],
    candidates: Mapping[str, Sequence[Candidate]],
    time_limit_s: float,
) -> tuple[list[tuple[Candidate, float]], float] | None:
    solver = pywraplp.Solver.CreateSolver("GLOP")
    solver.SetTimeLimit(max(1, int(time_limit_s * 1000)))
    premises = {p.id: p for p in instance.premises}
    objective = solver.Objective()
    columns: list[tuple[Candidate, pywraplp.Variable]] = []
    # (premises, bed kind) -> day -> (arriving, leaving) columns
    moves: dict[tuple[str, str | None], dict[int, tuple[list, list]]] = defaultdict(lambda: defaultdict(lambda: ([], [])))
    for rid, options in candidates.items():
        referral = referrals[rid]
        once = solver.Constraint(0, 1)
        for c in options:
            x = solver.NumVar(0, 1, "")
            columns.append((c, x))
            once.SetCoefficient(x, 1)
            objective.SetCoefficient(x, _price(instance, referral, c, premises[c.premises_id]))
            for key in (None, *referral.essential_room):
                moves[(c.premises_id, key)][c.arrival][0].append(x)
                moves[(c.premises_id, key)][c.arrival + referral.length_of_stay][1].append(x)
    capacity = base_capacity(instance)
    for (premises_id, key), by_day in moves.items():
        free = capacity.free(key)[capacity.index[premises_id]]
        days = sorted(by_day)
        previous = None
        for day, following in zip(days, [*days[1:], None]):
            arriving, leaving = by_day[day]
            limit = int(free[day:following].min()) if following is not None else 0
            count = solver.NumVar(0, max(0, limit), "")
            row = solver.Constraint(0, 0)
            row.SetCoefficient(count, 1)
            if previous is not None:
                row.SetCoefficient(previous, -1)
            for x in arriving:
                row.SetCoefficient(x, -1)
            for x in leaving:
                row.SetCoefficient(x, 1)
            previous = count
    objective.SetMinimization()
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    return [(c, x.solution_value()) for c, x in columns], objective.Value()


def _book_in_order(
    instance: Instance, referrals: Mapping[str, Referral], order: Sequence[Candidate]
) -> dict[str, Assignment]:
    beds = Beds(base_capacity(instance))
    mates = non_associate_map(instance)
    stays: dict[str, tuple[str, int, int]] = {}
    plan: dict[str, Assignment] = {}
    for c in order:
        referral = referrals[c.referral_id]
        if referral.id in plan or not beds.fits(referral, c.premises_id, c.arrival):
            continue
        end = c.arrival + referral.length_of_stay
        if any(stays.get(m, ("", 0, 0))[0] == c.premises_id and stays[m][1] < end and c.arrival < stays[m][2]
               for m in mates.get(referral.id, ())):
            continue
        beds.book(referral, c.premises_id, c.arrival)
        stays[referral.id] = (c.premises_id, c.arrival, end)
        plan[referral.id] = Assignment(referral.id, c.premises_id, c.arrival, None)
    plan = {r.id: plan.get(r.id, Assignment(r.id, None, None, None)) for r in instance.referrals}
    return best_providers(instance, Fixed.around(instance), plan)
