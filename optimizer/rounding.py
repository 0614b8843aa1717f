"""A good complete plan quickly: the LP relaxation of who gets a bed, rounded.

Who gets a bed, where and from which day is a packing problem whose LP relaxation is nearly integral, and
the LP shares beds out between competing referrals far better than placing people one at a time. So:
solve the LP (GLOP) of placing as many people as possible, weighted by their unplaced cost, over each
referral's cheapest candidates; book every candidate the LP takes whole; solve the LP again for the
referrals still waiting, in the beds still free, and so on for a few rounds; then book what is left in
order of LP value, cheapest first, each only if it still has a free bed every night and meets no
non-associate. Finally the placed referrals get the cheapest move-on places the providers' weekly places
allow (a min-cost flow). Distances, the resident mix and move-on are CP-SAT's to improve from there.

In the LP, capacity is counted with running totals per premises and Hall set (see ``optimizer.capacity``;
each candidate appears in two rows per Hall set it counts in): the same polytope as one row per day, and
a much smaller LP.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from ortools.linear_solver import pywraplp

from optimizer.candidates import Candidate
from optimizer.capacity import Beds, by_hall_set
from optimizer.constraints.move_on import best_providers, providers_by_cost
from optimizer.costs import mix_overflow, unplaced_cost
from optimizer.greedy import Booking
from optimizer.schema import Assignment, Instance, Referral
from optimizer.variables import Fixed

ROUNDS = 4
WHOLE = 0.999  # an LP value at least this is a placement the LP takes whole


@dataclass(frozen=True)
class Rounded:
    plan: dict[str, Assignment]
    lower_bound: float  # bounds every plan's objective when no candidate was left out of the LP


def rounded_plan(
    instance: Instance, candidates: Mapping[str, Sequence[Candidate]], time_limit_s: float
) -> Rounded | None:
    """A complete plan from the LP, rounded in rounds; None when the first LP is not solved in time."""
    deadline = time.perf_counter() + time_limit_s
    referrals = {r.id: r for r in instance.referrals}
    booking = _Booking(instance, referrals)
    waiting = dict(candidates)
    first_value = None
    values: list[tuple[Candidate, float]] = []
    for _ in range(ROUNDS):
        solved = _lp_values(instance, referrals, waiting, booking.beds, deadline - time.perf_counter())
        if solved is None:
            break
        values, value = solved
        first_value = value if first_value is None else first_value
        for c, v in values:
            if v >= WHOLE:
                booking.book_candidate(c)
        if all(v < 1e-6 or v >= WHOLE for _, v in values):
            break
        waiting = {rid: options for rid, options in waiting.items() if rid not in booking.plan}
    if first_value is None:
        return None
    for _, c in sorted(((v, c) for c, v in values), key=lambda pair: (-pair[0], pair[1].cost, pair[1].referral_id,
                                                                       pair[1].premises_id, pair[1].arrival)):
        booking.book_candidate(c)
    for options in candidates.values():  # whoever the LP never considered, in the beds still free
        for c in options:
            if booking.book_candidate(c):
                break
    plan = {r.id: booking.plan.get(r.id, Assignment(r.id, None, None, None)) for r in instance.referrals}
    return Rounded(best_providers(instance, Fixed.around(instance), plan),
                   _lower_bound(instance, referrals, candidates, first_value))


def _lower_bound(
    instance: Instance, referrals: Mapping[str, Referral], candidates: Mapping[str, Sequence[Candidate]], lp: float
) -> float:
    """The LP bounds the unplaced costs (it leaves out non-associates); each placed referral costs at least
    its cheapest candidate with its cheapest move-on, and the residents' own mix overflow is always paid."""
    premises = {p.id: p for p in instance.premises}
    weights = instance.weights
    floor = 0
    for rid, options in candidates.items():
        referral = referrals[rid]
        cheapest_move_on = 0
        if referral.move_on_category is not None:
            cheapest_move_on = weights.move_on_unsecured
            for c in options:
                offers = providers_by_cost(instance, referral, premises[c.premises_id])
                if offers:
                    cheapest_move_on = min(cheapest_move_on, offers[0][1])
        floor += min(0, min((c.cost for c in options), default=0) + cheapest_move_on)
    return sum(unplaced_cost(r, weights) for r in instance.referrals) + lp + floor + mix_overflow(instance, {})


class _Booking(Booking):
    """The plan so far: each candidate is booked only when it fits (see ``Booking.fits``)."""

    def __init__(self, instance: Instance, referrals: Mapping[str, Referral]):
        super().__init__(instance)
        self.referrals = referrals
        self.plan: dict[str, Assignment] = {}

    def book_candidate(self, c: Candidate) -> bool:
        referral = self.referrals[c.referral_id]
        if referral.id in self.plan or not self.fits(referral, c.premises_id, c.arrival):
            return False
        self.book(referral, c.premises_id, c.arrival)
        self.plan[referral.id] = Assignment(referral.id, c.premises_id, c.arrival, None)
        return True


def _lp_values(
    instance: Instance,
    referrals: Mapping[str, Referral],
    candidates: Mapping[str, Sequence[Candidate]],
    beds: Beds,
    time_limit_s: float,
) -> tuple[list[tuple[Candidate, float]], float] | None:
    """LP values of the candidates when placing as many as possible (weighted by unplaced cost) in the free
    ``beds``, and the LP's value (minus the unplaced costs it avoids); None if not solved in time."""
    if time_limit_s <= 0:
        return None
    solver = pywraplp.Solver.CreateSolver("GLOP")
    solver.SetTimeLimit(max(1, int(time_limit_s * 1000)))
    objective = solver.Objective()
    columns: list[tuple[Candidate, pywraplp.Variable]] = []
    stays: dict[str, list[tuple[Referral, Candidate, pywraplp.Variable]]] = defaultdict(list)  # by premises
    for rid, options in candidates.items():
        referral = referrals[rid]
        saving = -unplaced_cost(referral, instance.weights)
        once = solver.Constraint(0, 1)
        for c in options:
            x = solver.NumVar(0, 1, "")
            columns.append((c, x))
            once.SetCoefficient(x, 1)
            objective.SetCoefficient(x, saving)
            stays[c.premises_id].append((referral, c, x))
    for premises_id, here in stays.items():
        row = beds.index[premises_id]
        for s, group in by_hall_set(beds.layouts[row], here, lambda stay: stay[0].essential_room).items():
            _running_count(solver, group, beds.free[row][s])
    objective.SetMinimization()
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    return [(c, x.solution_value()) for c, x in columns], objective.Value()


def _running_count(
    solver: pywraplp.Solver, stays: Sequence[tuple[Referral, Candidate, pywraplp.Variable]], free: np.ndarray
) -> None:
    """How many of ``stays`` are present, kept from one arrival or departure day to the next and never
    above the ``free`` beds on any day until the next."""
    moves: dict[int, tuple[list, list]] = defaultdict(lambda: ([], []))  # day -> (arriving, leaving) columns
    for referral, c, x in stays:
        moves[c.arrival][0].append(x)
        moves[c.arrival + referral.length_of_stay][1].append(x)
    days = sorted(moves)
    previous = None
    for day, following in zip(days, [*days[1:], None]):
        arriving, leaving = moves[day]
        limit = int(free[day:following].min()) if following is not None else 0
        count = solver.NumVar(0, max(0, limit), "")
        balance = solver.Constraint(0, 0)
        balance.SetCoefficient(count, 1)
        if previous is not None:
            balance.SetCoefficient(previous, -1)
        for x in arriving:
            balance.SetCoefficient(x, -1)
        for x in leaving:
            balance.SetCoefficient(x, 1)
        previous = count
