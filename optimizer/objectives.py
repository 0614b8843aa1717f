"""The model's objective, term for term the one in ``optimizer.costs`` (which the validator recomputes).

objective = sum of unplaced costs + for each choice taken (its placement terms + move-on unsecured, less
the unplaced cost it avoids) + for each move-on place secured (its distance cost - the unsecured penalty)
+ mix overflow. Constants go into the offset so that the model's number is the validator's number.

Placing people comes first: when every referral's unplaced cost outweighs anything its placement could
cost, solving is lexicographic (see ``placement_shortfall``).
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from optimizer.costs import unplaced_cost
from optimizer.variables import ModelParts, Value


def _linear_terms(pm: ModelParts) -> tuple[list[cp_model.IntVar], list[int], int]:
    weights = pm.instance.weights
    unplaced = {r.id: unplaced_cost(r, weights) for r in pm.referrals}
    variables = [c.var for c in pm.vars.choices] + [v for v, _ in pm.soft]
    coefficients = [c.cost - unplaced[c.referral.id] for c in pm.vars.choices] + [cost for _, cost in pm.soft]
    return variables, coefficients, pm.offset + sum(unplaced.values())


def minimise_objective(pm: ModelParts) -> None:
    variables, coefficients, offset = _linear_terms(pm)
    pm.model.minimize(cp_model.LinearExpr.weighted_sum(variables, coefficients) + offset)


def evaluate(pm: ModelParts, value: Value) -> int:
    variables, coefficients, offset = _linear_terms(pm)
    return offset + sum(c * value(v) for v, c in zip(variables, coefficients))


def placement_shortfall(pm: ModelParts) -> cp_model.LinearExpr:
    """Sum of the unplaced costs of the referrals left unplaced: the first level of the objective."""
    weights = pm.instance.weights
    return cp_model.LinearExpr.weighted_sum(
        [c.var for c in pm.vars.choices], [-unplaced_cost(c.referral, weights) for c in pm.vars.choices]
    ) + sum(unplaced_cost(r, weights) for r in pm.referrals)


def secondary_floor(pm: ModelParts) -> int:
    """A lower bound on everything but the unplaced costs: each referral at its cheapest, or nothing when
    even that costs more than zero; added to a bound on the unplaced costs it bounds the whole objective."""
    cheapest_move_on: dict[str, int] = {}
    for m in pm.vars.move_ons:
        cheapest_move_on[m.referral.id] = min(cheapest_move_on.get(m.referral.id, 0), m.saving)
    floor = pm.offset
    for rid, choices in pm.vars.by_referral.items():
        if choices:
            floor += min(0, min(c.cost for c in choices) + cheapest_move_on.get(rid, 0))
    return floor


def is_lexicographic(pm: ModelParts) -> bool:
    """True when placing any referral anywhere it may go costs less than leaving it unplaced, even with
    every extra it could bring (no move-on place, a full stay of mix overflow on all three caps).

    Then maximising placements first loses nothing a person would trade for: it is the policy "place
    people first" that the default weights express.
    """
    weights = pm.instance.weights
    for referral in pm.referrals:
        choices = pm.vars.by_referral.get(referral.id, ())
        if not choices:
            continue
        worst_mix = 3 * weights.mix_overflow_per_resident_day * referral.length_of_stay
        if max(c.cost for c in choices) + worst_mix >= unplaced_cost(referral, weights):
            return False
    return True
