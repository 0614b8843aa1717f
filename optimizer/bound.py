"""A lower bound on every plan's objective from prices on beds: a Lagrangian relaxation, cheap and exact.

Put a price of at least nought on each free bed of each Hall set (see ``optimizer.capacity``) each night,
and let everybody pay for the beds they would take instead of having to fit. Then each referral chooses
alone: its cheapest candidate (placement terms, its cheapest move-on option and the beds of its stay at
their prices) or staying unplaced, whichever costs less; and every priced bed is credited back. For any
prices this is at most the cost of every plan, because a plan pays every term at least as much (move-on
places are only fewer, mix overflow is at least the residents' own), fits its beds, and so owes no more
for them than the credit. So the bound holds whatever the prices; good prices (the rounded LP's bed duals)
make it as tight as the LP whenever no candidate left out of the LP would have been cheaper at those prices,
and it is summed over every candidate, so a short list can weaken it but never make it wrong.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from optimizer.candidates import Candidate, move_on_options
from optimizer.capacity import base_capacity, per_instance
from optimizer.costs import mix_overflow, unplaced_cost
from optimizer.schema import Instance, Referral

# Whole-number objectives: a bound a hair below an integer (floating-point sums of prices, relative error
# far below this) still rounds up to it, while one clearly below does not.
ROUNDING_SLACK = 1e-12

BedPrices = Mapping[tuple[str, int], np.ndarray]  # (premises id, Hall set index) -> price per night, >= 0


def lagrangian_bound(
    instance: Instance, candidates: Mapping[str, Sequence[Candidate]], prices: BedPrices
) -> float:
    """The bound above for bed ``prices`` (any Hall set and night left out costs nothing), over every one of
    ``candidates``, which must be every candidate of every referral for the bound to be valid."""
    return Relaxation(instance, candidates).bound(prices)


class Relaxation:
    """Every candidate as arrays (premises rows, arrivals, terms with the cheapest move-on less the unplaced
    cost they avoid), priced at bed prices by numpy rather than one candidate at a time."""

    def __init__(self, instance: Instance, candidates: Mapping[str, Sequence[Candidate]]):
        self.instance = instance
        self.beds = base_capacity(instance)
        self.constant = float(mix_overflow(instance, {}))
        self.columns = []
        for referral in instance.referrals:
            unplaced = unplaced_cost(referral, instance.weights)
            self.constant += unplaced
            options = candidates.get(referral.id, ())
            if not options:
                continue
            rows = np.fromiter((self.beds.index[c.premises_id] for c in options), dtype=np.int64, count=len(options))
            arrivals = np.fromiter((c.arrival for c in options), dtype=np.int64, count=len(options))
            costs = np.fromiter((c.cost for c in options), dtype=np.float64, count=len(options))
            self.columns.append((referral, rows, arrivals, costs + least_move_on(instance, referral)[rows] - unplaced))

    def bound(self, prices: BedPrices) -> float:
        return self.priced(prices)[0]

    def priced(self, prices: BedPrices) -> tuple[float, list[np.ndarray]]:
        """The bound at ``prices`` and, per referral with candidates (in ``columns``' order), what each of its
        candidates costs at them less the unplaced cost it avoids (the reduced costs of column generation)."""
        charges = _StayCharges(self.instance, prices)
        total = self.constant - charges.credit
        priced = []
        for referral, rows, arrivals, costs in self.columns:
            prefix = charges.prefix_for(referral.essential_room)
            values = costs + prefix[rows, arrivals + referral.length_of_stay] - prefix[rows, arrivals]
            total += min(0.0, float(values.min()))
            priced.append(values)
        return total, priced


def least_move_on(instance: Instance, referral: Referral) -> np.ndarray:
    """Per premises row, the least a placement there owes for move-on: its cheapest provider of the
    referral's category, or going unsecured (nothing when no move-on place is sought)."""
    table = per_instance(instance, "least move-on", dict)
    if referral.move_on_category not in table:
        table[referral.move_on_category] = np.array(
            [move_on_options(instance, referral, p)[0][1] for p in instance.premises], dtype=np.int64)
    return table[referral.move_on_category]


class _StayCharges:
    """What a stay pays for its beds at ``prices``: running sums per premises and night of the prices of
    the Hall sets a person with given needs counts in; and the credit, every priced free bed."""

    def __init__(self, instance: Instance, prices: BedPrices):
        self.beds = base_capacity(instance)
        self.sets_prefix = []  # per premises row: (Hall sets, days + 1)
        self.credit = 0.0
        for row, premises_id in enumerate(self.beds.premises_ids):
            free = self.beds.free[row]
            priced = np.zeros(free.shape, dtype=np.float64)
            for s in range(free.shape[0]):
                price = prices.get((premises_id, s))
                if price is not None:
                    priced[s] = np.maximum(price, 0.0)  # a negative price would not bound anything
            self.credit += float((priced * free).sum())
            prefix = np.zeros((free.shape[0], free.shape[1] + 1))
            np.cumsum(priced, axis=1, out=prefix[:, 1:])
            self.sets_prefix.append(prefix)
        self.by_needs: dict[frozenset[str], np.ndarray] = {}

    def prefix_for(self, needs: frozenset[str]) -> np.ndarray:
        """(premises, days + 1) running sums of what one night costs somebody with ``needs``."""
        if needs not in self.by_needs:
            table = np.zeros((len(self.sets_prefix), self.beds.days + 1))
            for row, prefix in enumerate(self.sets_prefix):
                sets = list(self.beds.layouts[row].sets_for(needs))
                if sets:
                    table[row] = prefix[sets].sum(axis=0)
            self.by_needs[needs] = table
        return self.by_needs[needs]


def proves_optimal(bound: float | None, objective: int) -> bool:
    """Whether ``bound``, rounded up to the whole-number objective, reaches ``objective``."""
    return bound is not None and math.ceil(bound - ROUNDING_SLACK * max(1.0, abs(bound))) >= objective
