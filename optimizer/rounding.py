"""A good complete plan quickly: the LP relaxation of who gets a bed, rounded.

Who gets a bed, where and from which day is a packing problem whose LP relaxation is nearly integral, and
the LP shares beds out between competing referrals far better than placing people one at a time. So:
solve the LP (GLOP) of placing as many people as possible, weighted by their unplaced cost, at the least
cost (each candidate's terms and its cheapest move-on option), over the candidates given; book every candidate the LP takes whole; solve the LP again for the
referrals still waiting, in the beds still free, and so on for a few rounds; then book what is left in
order of LP value, cheapest first, each only if it still has a free bed every night and meets no
non-associate. Finally the placed referrals get the cheapest move-on places the providers' weekly places
allow (a min-cost flow). Distances, the resident mix and move-on are CP-SAT's to improve from there.

In the LP, capacity is counted with running totals per premises and Hall set (see ``optimizer.capacity``;
each candidate appears in two rows per Hall set it counts in): the same polytope as one row per day, and
a much smaller LP. The first LP's bed prices (the duals of its capacity rows) price beds for the
Lagrangian lower bound of ``optimizer.bound``.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from ortools.linear_solver import pywraplp

from optimizer.bound import BedPrices, least_move_on
from optimizer.candidates import Candidate
from optimizer.capacity import Beds, by_hall_set
from optimizer.constraints.move_on import best_providers
from optimizer.costs import unplaced_cost
from optimizer.greedy import Booking
from optimizer.schema import Assignment, Instance, Referral
from optimizer.variables import Fixed

ROUNDS = 4
WHOLE = 0.999  # an LP value at least this is a placement the LP takes whole


@dataclass(frozen=True)
class Rounded:
    plan: dict[str, Assignment]
    prices: BedPrices  # of the first LP's beds: the Lagrangian bound's prices


def rounded_plan(
    instance: Instance, candidates: Mapping[str, Sequence[Candidate]], time_limit_s: float
) -> Rounded | None:
    """A complete plan from the LP, rounded in rounds; None when the first LP is not solved in time."""
    deadline = time.perf_counter() + time_limit_s
    referrals = {r.id: r for r in instance.referrals}
    booking = _Booking(instance, referrals)
    waiting = dict(candidates)
    prices = None
    values: list[tuple[Candidate, float]] = []
    for _ in range(ROUNDS):
        solved = lp_values(instance, referrals, waiting, booking.beds, deadline - time.perf_counter())
        if solved is None:
            break
        values = solved.values
        prices = solved.prices if prices is None else prices
        for c, v in values:
            if v >= WHOLE:
                booking.book_candidate(c)
        if all(v < 1e-6 or v >= WHOLE for _, v in values):
            break
        waiting = {rid: options for rid, options in waiting.items() if rid not in booking.plan}
    if prices is None:
        return None
    return Rounded(_booked_by_value(instance, booking, candidates, values), prices)


def plan_from_values(
    instance: Instance, candidates: Mapping[str, Sequence[Candidate]], values: Sequence[tuple[Candidate, float]]
) -> dict[str, Assignment]:
    """A complete plan from one LP's values: candidates booked by value, highest first, each if it fits."""
    booking = _Booking(instance, {r.id: r for r in instance.referrals})
    return _booked_by_value(instance, booking, candidates, values)


def _booked_by_value(
    instance: Instance, booking: _Booking, candidates: Mapping[str, Sequence[Candidate]],
    values: Sequence[tuple[Candidate, float]],
) -> dict[str, Assignment]:
    for _, c in sorted(((v, c) for c, v in values), key=lambda pair: (-pair[0], pair[1].cost, pair[1].referral_id,
                                                                       pair[1].premises_id, pair[1].arrival)):
        booking.book_candidate(c)
    for options in candidates.values():  # whoever the LP never considered, in the beds still free
        for c in options:
            if booking.book_candidate(c):
                break
    plan = {r.id: booking.plan.get(r.id, Assignment(r.id, None, None, None)) for r in instance.referrals}
    return best_providers(instance, Fixed.around(instance), plan)


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


@dataclass(frozen=True)
class Relaxed:
    values: list[tuple[Candidate, float]]
    prices: BedPrices  # the duals of the beds, per night
    value: float  # the LP's objective: what placing costs less the unplaced costs it avoids


def lp_values(
    instance: Instance,
    referrals: Mapping[str, Referral],
    candidates: Mapping[str, Sequence[Candidate]],
    beds: Beds,
    time_limit_s: float,
) -> Relaxed | None:
    """LP values of the candidates when placing as many as possible (weighted by unplaced cost) at the least
    cost in the free ``beds``, and the prices of those beds; None if not solved in time."""
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
        move_on = least_move_on(instance, referral)
        once = solver.Constraint(0, 1)
        for c in options:
            x = solver.NumVar(0, 1, "")
            columns.append((c, x))
            once.SetCoefficient(x, 1)
            objective.SetCoefficient(x, saving + c.cost + int(move_on[beds.index[c.premises_id]]))
            stays[c.premises_id].append((referral, c, x))
    counts = {}
    for premises_id, here in stays.items():
        row = beds.index[premises_id]
        for s, group in by_hall_set(beds.layouts[row], beds.free[row], here,
                                   lambda stay: stay[0].essential_room).items():
            counts[premises_id, s] = _running_count(solver, group, beds.free[row][s])
    objective.SetMinimization()
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    prices = {key: bed_prices([(start, end, -count.reduced_cost()) for start, end, count in segments],
                              beds.free[beds.index[key[0]]][key[1]]) for key, segments in counts.items()}
    return Relaxed([(c, x.solution_value()) for c, x in columns], prices, objective.Value())


def bed_prices(segments: Sequence[tuple[int, int, float]], free: np.ndarray) -> np.ndarray:
    """The duals of the LP with one capacity row per night, from each running count's (first day, day after,
    value of one more bed, its reduced cost negated): a count held at its limit (the fewest free beds between
    two moves) has a negative reduced cost, the value of one more bed all that stretch, which is the dual of
    the row of its night with the fewest free beds (the others are slack). Every stay in the LP pays it
    whole, and the beds it prices are credited at that night's free beds, so the Lagrangian bound at these
    prices is the LP's value; a stay left out of the LP pays it only if it takes that night."""
    price = np.zeros(len(free))
    for start, end, value in segments:
        if value > 0:
            price[start + int(np.argmin(free[start:end]))] += value
    return price


def _running_count(
    solver: pywraplp.Solver, stays: Sequence[tuple[Referral, Candidate, pywraplp.Variable]], free: np.ndarray
) -> list[tuple[int, int, pywraplp.Variable]]:
    """How many of ``stays`` are present, kept from one arrival or departure day to the next and never
    above the ``free`` beds on any day until the next; returns each stretch (first day, day after, count)."""
    moves: dict[int, tuple[list, list]] = defaultdict(lambda: ([], []))  # day -> (arriving, leaving) columns
    for referral, c, x in stays:
        moves[c.arrival][0].append(x)
        moves[c.arrival + referral.length_of_stay][1].append(x)
    days = sorted(moves)
    previous = None
    segments = []
    for day, following in zip(days, [*days[1:], None]):
        arriving, leaving = moves[day]
        limit = int(free[day:following].min()) if following is not None else 0
        # No lower bound: stays present never count below none anyway, and without one the only duals are
        # the beds' prices (see bed_prices).
        count = solver.NumVar(-solver.infinity(), max(0, limit), "")
        balance = solver.Constraint(0, 0)
        balance.SetCoefficient(count, 1)
        if previous is not None:
            balance.SetCoefficient(previous, -1)
        for x in arriving:
            balance.SetCoefficient(x, -1)
        for x in leaving:
            balance.SetCoefficient(x, 1)
        if following is not None:
            segments.append((day, following, count))
        previous = count
    return segments
