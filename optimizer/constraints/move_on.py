"""Move-on places: a provider of the referral's category, at most ``places_per_week`` departures a week.

The cost of a move-on place depends on the premises (distance to the provider) and its capacity on the
week of departure, so a move-on variable belongs to a group of choices at one premises leaving in one week.
Only the nearest few providers per premises are offered: each one further away costs more, and a hinted
provider is always offered so that a complete hint stays complete.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from optimizer.candidates import move_on_options
from optimizer.capacity import per_instance
from optimizer.schema import MoveOnProvider, Premises, Referral

if TYPE_CHECKING:
    from optimizer.model import Choice, PlacementModel


def add(pm: PlacementModel) -> None:
    from optimizer.model import MoveOn

    unsecured = pm.instance.weights.move_on_unsecured
    options_at = _options_cache(pm)
    demand: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
    for referral in pm.referrals:
        if referral.move_on_category is None:
            continue
        groups: dict[tuple[str, int], list[Choice]] = defaultdict(list)
        for choice in pm.vars.by_referral.get(referral.id, ()):
            groups[(choice.premises.id, choice.departure // 7)].append(choice)
        hinted = pm.keep.get(referral.id)
        for (premises_id, week), choices in groups.items():
            offered = _offered(pm, options_at(referral, pm.premises[premises_id]), week,
                               hinted.provider_id if hinted is not None else None)
            if not offered:
                continue
            move_vars = []
            for provider, cost in offered:
                var = pm.model.new_bool_var("")
                pm.vars.move_ons.append(MoveOn(referral, pm.premises[premises_id], week, provider,
                                               cost - unsecured, var))
                pm.add_soft(var, cost - unsecured)
                demand[(provider.id, week)].append(var)
                move_vars.append(var)
            pm.model.add(cp_model.LinearExpr.sum(move_vars) <= cp_model.LinearExpr.sum([c.var for c in choices]))
    for key, move_vars in demand.items():
        places = pm.fixed.places(*key)
        if len(move_vars) > places:
            pm.model.add(cp_model.LinearExpr.sum(move_vars) <= places)


def _options_cache(pm: PlacementModel):
    """Provider costs depend only on the move-on category and the premises: compute each once per instance
    (the neighbourhood search builds many models of the same instance)."""
    cache: dict[tuple[str, str], list[tuple[MoveOnProvider, int]]] = per_instance(pm.instance, "move_on_options", dict)

    def options(referral: Referral, premises: Premises) -> list[tuple[MoveOnProvider, int]]:
        key = (referral.move_on_category, premises.id)
        if key not in cache:
            cache[key] = [(p, cost) for p, cost in move_on_options(pm.instance, referral, premises) if p is not None]
        return cache[key]

    return options


def _offered(
    pm: PlacementModel, options: list[tuple[MoveOnProvider, int]], week: int, hinted: str | None
) -> list[tuple[MoveOnProvider, int]]:
    """The nearest providers with a place that week and cheaper than going unsecured, plus the hinted one."""
    unsecured = pm.instance.weights.move_on_unsecured
    open_ = [(p, cost) for p, cost in options if cost < unsecured and pm.fixed.places(p.id, week) > 0]
    offered = open_[: pm.providers_per_place]
    if hinted is not None and all(p.id != hinted for p, _ in offered):
        offered += [(p, cost) for p, cost in open_ if p.id == hinted]
    return offered
