"""A tight lower bound without the whole LP: column generation, each round's bed prices giving a valid bound.

The LP of who gets a bed (``optimizer.rounding``) over every national candidate takes minutes; over a short
list it is quick, but its bed prices then bound badly, because the candidates left out are cheap at those
prices. So: solve the LP over a short list (the restricted master); price every candidate at its bed duals
(numpy, as the Lagrangian bound of ``optimizer.bound`` does anyway); add, per referral, the few that would
lower the LP (a reduced cost below the referral's best listed one, or below staying unplaced); solve again.

Whatever round it stops in, the Lagrangian bound at that round's prices holds for every plan (it is summed
over every candidate); when no candidate is left to add, the restricted LP's value is the full LP's, and
the bound at its duals equals it. So stopping early costs tightness, never validity.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from optimizer.bound import Relaxation
from optimizer.candidates import Candidate
from optimizer.capacity import base_capacity
from optimizer.rounding import lp_values
from optimizer.schema import Instance

FIRST_PER_REFERRAL = 4  # cheapest candidates of each referral in the first restricted LP
ADDED_PER_REFERRAL = 6  # most candidates a referral gains in one round (the lowest reduced costs)
# A reduced cost must be below the referral's best by this much (relative to the costs, ~1e5) to count:
# GLOP's duals carry tolerances of about 1e-7 and a column that cannot really lower the LP only costs time.
REDUCED_COST_TOLERANCE = 1e-6


@dataclass
class Priced:
    bound: float  # the best Lagrangian bound of any round: valid for every plan
    converged: bool = False  # no candidate left out could lower the LP: the bound is the full LP's value
    rounds: int = 0
    columns: int = 0  # candidates in the last restricted LP
    lp_value: float | None = None  # the last restricted LP's value (an upper bound on the full LP's)
    listed: dict[str, list[Candidate]] = field(default_factory=dict)  # the last restricted LP's candidates
    values: list[tuple[Candidate, float]] = field(default_factory=list)  # and their values in it
    trace: list[tuple[float, float]] = field(default_factory=list)  # (seconds, bound so far)


def priced_bound(
    instance: Instance,
    candidates: Mapping[str, Sequence[Candidate]],
    time_limit_s: float,
    first: Mapping[str, Sequence[Candidate]] | None = None,
    on_bound: Callable[[float, float], None] | None = None,
    close_enough: float = 0.0,
    dual_simplex: bool = False,
) -> Priced:
    """The LP bound of the placement problem over every one of ``candidates`` by column generation, within
    ``time_limit_s`` (a round's LP left unfinished is given up and the best bound so far returned).

    ``first`` is the first restricted LP's short list (by default each referral's cheapest few);
    ``on_bound(seconds, bound)`` hears of each improvement. It stops once the bound is within
    ``close_enough`` (relative) of the restricted LP's value, which the full LP's value lies between.
    ``dual_simplex`` solves each round faster when only the bound is wanted (see ``lp_values``).
    """
    started = time.perf_counter()
    relaxation = Relaxation(instance, candidates)
    referrals = {r.id: r for r in instance.referrals}
    beds = base_capacity(instance)
    working = _first_columns(relaxation, candidates, first)
    result = Priced(relaxation.bound({}))
    while True:
        listed = {referral.id: [candidates[referral.id][i] for i in np.flatnonzero(listed_here)]
                  for (referral, *_), listed_here in zip(relaxation.columns, working)}
        solved = lp_values(instance, referrals, listed, beds, time_limit_s - (time.perf_counter() - started),
                           dual_simplex)
        if solved is None:
            return result
        result.rounds += 1
        result.columns = int(sum(w.sum() for w in working))
        result.lp_value = relaxation.constant + solved.value
        result.listed, result.values = listed, solved.values
        bound, reduced = relaxation.priced(solved.prices)
        if bound > result.bound:
            result.bound = bound
            result.trace.append((time.perf_counter() - started, bound))
            if on_bound is not None:
                on_bound(*result.trace[-1])
        if not _add_columns(working, reduced):
            # Nothing can lower the LP: its value is the full LP's, and so (up to GLOP's tolerances) the bound.
            result.converged = True
            return result
        if result.lp_value - result.bound <= close_enough * abs(result.lp_value):
            return result


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
