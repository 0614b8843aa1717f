"""A tight lower bound without the whole LP: column generation, each round's bed prices giving a valid bound.

The LP of who gets a bed (``optimizer.rounding``) over every national candidate takes minutes; over a short
list it is quick, but its bed prices then bound badly, because the candidates left out are cheap at those
prices. So: solve the LP over a short list (the restricted master); price every candidate at its bed duals
(numpy, as the Lagrangian bound of ``optimizer.bound`` does anyway); add, per referral, the few that would
lower the LP (a reduced cost below the referral's best listed one, or below staying unplaced); solve again.

Each master is solved by HiGHS's interior point method, then crossover to a vertex (values booked in order
make plans, as GLOP's vertex did): the stress tier's first master (30,000 candidates) takes 8 s where GLOP's
dual simplex took 19, its later ones 40 to 100 s, where GLOP finished no more than two rounds in five minutes.

Whatever round it stops in, the Lagrangian bound at that round's prices holds for every plan (it is summed
over every candidate); when no candidate is left to add, the restricted LP's value is the full LP's, and
the bound at its duals equals it. So stopping early costs tightness, never validity.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import highspy
import numpy as np

from optimizer.bound import BedPrices, Relaxation
from optimizer.candidates import Candidate
from optimizer.rounding import bed_prices
from optimizer.schema import Instance

FIRST_PER_REFERRAL = 4  # cheapest candidates of each referral in the first restricted LP
ADDED_PER_REFERRAL = 6  # most candidates a referral gains in one round (the lowest reduced costs)
# A reduced cost must be below the referral's best by this much (relative to the costs, ~1e5) to count:
# The duals carry tolerances of about 1e-7 and a column that cannot really lower the LP only costs time.
REDUCED_COST_TOLERANCE = 1e-6


@dataclass
class Priced:
    bound: float  # the best Lagrangian bound of any round: valid for every plan
    converged: bool = False  # no candidate left out could lower the LP: the bound is the full LP's value
    rounds: int = 0
    columns: int = 0  # candidates in the last restricted LP
    lp_value: float | None = None  # the last restricted LP's value (an upper bound on the full LP's)
    values: list[tuple[Candidate, float]] = field(default_factory=list)  # the last restricted LP's candidates, valued
    trace: list[tuple[float, float]] = field(default_factory=list)  # (seconds, bound so far)


def priced_bound(
    instance: Instance,
    candidates: Mapping[str, Sequence[Candidate]],
    time_limit_s: float,
    first: Mapping[str, Sequence[Candidate]] | None = None,
    on_bound: Callable[[float, float], None] | None = None,
    close_enough: float = 0.0,
) -> Priced:
    """The LP bound of the placement problem over every one of ``candidates`` by column generation, within
    ``time_limit_s`` (a round's LP left unfinished is given up and the best bound so far returned).

    ``first`` is the first restricted LP's short list (by default each referral's cheapest few);
    ``on_bound(seconds, bound)`` hears of each improvement. It stops once the bound is within
    ``close_enough`` (relative) of the restricted LP's value, which the full LP's value lies between.
    """
    started = time.perf_counter()
    relaxation = Relaxation(instance, candidates)
    working = _first_columns(relaxation, candidates, first)
    result = Priced(relaxation.bound({}))
    while True:
        solved = _restricted_lp(relaxation, working, time_limit_s - (time.perf_counter() - started))
        if solved is None:
            return result
        listed = [candidates[referral.id][j]
                  for (referral, *_), here in zip(relaxation.columns, working) for j in np.flatnonzero(here)]
        result.rounds += 1
        result.columns = len(listed)
        result.lp_value = relaxation.constant + solved.value
        result.values = [(c, float(v)) for c, v in zip(listed, solved.values)]
        bound, reduced = relaxation.priced(solved.prices)
        if bound > result.bound:
            result.bound = bound
            result.trace.append((time.perf_counter() - started, bound))
            if on_bound is not None:
                on_bound(*result.trace[-1])
        if not _add_columns(working, reduced):
            # Nothing can lower the LP: its value is the full LP's, and so (up to the tolerances) the bound.
            result.converged = True
            return result
        if result.lp_value - result.bound <= close_enough * abs(result.lp_value):
            return result


@dataclass(frozen=True)
class _Solved:
    value: float  # the restricted LP's objective, less the relaxation's constant
    values: np.ndarray  # of the listed candidates, referral by referral, in list order
    prices: BedPrices  # the duals of the beds


def _restricted_lp(relaxation: Relaxation, working: list[np.ndarray], time_limit_s: float) -> _Solved | None:
    """The LP of who gets a bed over the candidates ``working`` lists, built as arrays and solved by HiGHS;
    None when not solved in time. Capacity is counted with running totals per premises and Hall set from
    one arrival or departure day to the next, as in ``optimizer.rounding``."""
    if time_limit_s <= 0:
        return None
    beds = relaxation.beds
    costs: list[float] = []
    entries: list[tuple[int, int, float]] = []  # (row, column, coefficient)
    moves: dict[tuple[int, int], list[tuple[int, int, float]]] = defaultdict(list)  # (premises row, Hall set)
    for i, ((referral, rows, arrivals, terms), listed) in enumerate(zip(relaxation.columns, working)):
        for j in np.flatnonzero(listed):
            column = len(costs)
            costs.append(float(terms[j]))
            entries.append((i, column, 1.0))  # placed at most once
            p, arrival = int(rows[j]), int(arrivals[j])
            for s in beds.layouts[p].sets_for(referral.essential_room):
                moves[p, s] += ((arrival, column, -1.0), (arrival + referral.length_of_stay, column, 1.0))
    placements = len(costs)
    if not placements:
        return _Solved(0.0, np.zeros(0), {})
    row_upper = [1.0] * len(relaxation.columns)
    count_upper: list[float] = []
    segments: list[tuple[int, int, int, int | None]] = []  # per count: premises row, Hall set, first day, day after
    for (p, s), here in moves.items():
        days = sorted({day for day, _, _ in here})
        balance = {day: len(row_upper) + k for k, day in enumerate(days)}
        row_upper += [0.0] * len(days)
        entries += [(balance[day], column, sign) for day, column, sign in here]
        for day, following in zip(days, [*days[1:], None]):
            column = placements + len(count_upper)
            entries.append((balance[day], column, 1.0))
            segments.append((p, s, day, following))
            if following is None:
                count_upper.append(0.0)  # everybody has left
            else:
                entries.append((balance[following], column, -1.0))
                count_upper.append(float(max(0, beds.free[p][s, day:following].min())))
    solved = _solve(costs, count_upper, row_upper, entries, time_limit_s)
    if solved is None:
        return None
    value, column_values, reduced = solved
    grouped: dict[tuple[int, int], list[tuple[int, int, float]]] = defaultdict(list)
    for (p, s, day, following), rc in zip(segments, reduced[placements:]):
        if following is not None:
            grouped[p, s].append((day, following, -rc))
    prices = {(beds.premises_ids[p], s): bed_prices(here, beds.free[p][s]) for (p, s), here in grouped.items()}
    return _Solved(value, column_values[:placements], prices)


def _solve(
    costs: list[float], count_upper: list[float], row_upper: list[float], entries: list[tuple[int, int, float]],
    time_limit_s: float,
) -> tuple[float, np.ndarray, np.ndarray] | None:
    """Minimise over placements in [0, 1] (``costs``) and running counts at most ``count_upper`` (no lower
    bound: see ``optimizer.rounding``), each row between nought and ``row_upper``; the objective, column
    values and reduced costs, or None."""
    rows, columns, coefficients = (np.array(a) for a in zip(*entries))
    order = np.lexsort((rows, columns))
    n = len(costs) + len(count_upper)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, len(row_upper)
    lp.col_cost_ = np.concatenate([costs, np.zeros(len(count_upper))])
    lp.col_lower_ = np.concatenate([np.zeros(len(costs)), np.full(len(count_upper), -highspy.kHighsInf)])
    lp.col_upper_ = np.concatenate([np.ones(len(costs)), count_upper])
    lp.row_lower_, lp.row_upper_ = np.zeros(len(row_upper)), np.array(row_upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.concatenate([[0], np.cumsum(np.bincount(columns, minlength=n))]).astype(np.int32)
    lp.a_matrix_.index_ = rows[order].astype(np.int32)
    lp.a_matrix_.value_ = coefficients[order].astype(np.float64)
    highs = highspy.Highs()
    for option, value in (("output_flag", False), ("solver", "ipm"), ("run_crossover", "on"),
                          ("time_limit", float(time_limit_s))):
        highs.setOptionValue(option, value)
    highs.passModel(lp)
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    solution = highs.getSolution()
    return highs.getInfo().objective_function_value, np.array(solution.col_value), np.array(solution.col_dual)


def _first_columns(
    relaxation: Relaxation, candidates: Mapping[str, Sequence[Candidate]],
    first: Mapping[str, Sequence[Candidate]] | None,
) -> list[np.ndarray]:
    """Per referral (in ``relaxation.columns``' order), which of its candidates the first LP lists."""
    working = []
    for referral, *_ in relaxation.columns:
        options = candidates[referral.id]
        listed = np.zeros(len(options), dtype=bool)
        if first is None:
            listed[:FIRST_PER_REFERRAL] = True  # lists come cheapest first
        else:
            wanted = {(c.premises_id, c.arrival) for c in first.get(referral.id, ())}
            listed[[i for i, c in enumerate(options) if (c.premises_id, c.arrival) in wanted]] = True
        working.append(listed)
    return working


def _add_columns(working: list[np.ndarray], reduced: Sequence[np.ndarray]) -> bool:
    """List each referral's few candidates whose reduced cost is below its best listed one (or below
    staying unplaced, nought); whether any was added."""
    added = False
    for listed, values in zip(working, reduced):
        best = min(0.0, float(values[listed].min())) if listed.any() else 0.0
        better = np.flatnonzero(~listed & (values < best - REDUCED_COST_TOLERANCE * max(1.0, abs(best))))
        if better.size:
            listed[better[np.argsort(values[better], kind="stable")[:ADDED_PER_REFERRAL]]] = True
            added = True
    return added
