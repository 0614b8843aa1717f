"""Move-on places: a provider of the referral's category, at most ``places_per_week`` departures a week.

The cost of a move-on place depends on the premises (distance to the provider) and its capacity on the
week of departure, so a move-on variable belongs to a group of choices at one premises leaving in one week.
Only the nearest ``PROVIDERS_PER_PLACE`` providers per premises are offered (every one when the model says
``every_provider``): each one further away costs more, and a hinted provider is always offered so that a
complete hint stays complete.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace

from ortools.graph.python import min_cost_flow
from ortools.sat.python import cp_model

from optimizer.candidates import move_on_options
from optimizer.capacity import per_instance
from optimizer.schema import Assignment, Instance, MoveOnProvider, Premises, Referral, departure_week
from optimizer.variables import Choice, ModelParts, MoveOn

PROVIDERS_PER_PLACE = 4


def add(pm: ModelParts) -> None:
    unsecured = pm.instance.weights.move_on_unsecured
    demand: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
    for referral in pm.referrals:
        if referral.move_on_category is None:
            continue
        groups: dict[tuple[str, int], list[Choice]] = defaultdict(list)
        for choice in pm.vars.by_referral.get(referral.id, ()):
            groups[(choice.premises.id, departure_week(choice.departure))].append(choice)
        hinted = pm.keep.get(referral.id)
        for (premises_id, week), choices in groups.items():
            options = offered(pm.fixed, pm.instance, referral, pm.premises[premises_id], week,
                              hinted.provider_id if hinted is not None else None,
                              None if pm.every_provider else PROVIDERS_PER_PLACE)
            if not options:
                continue
            move_vars = []
            for provider, cost in options:
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


def providers_by_cost(instance: Instance, referral: Referral, premises: Premises) -> list[tuple[MoveOnProvider, int]]:
    """Providers of the referral's category with their cost from ``premises``, cheapest first. The costs
    depend only on the category and the premises, so each list is computed once per instance (the search
    builds many models of the same instance)."""
    cache = per_instance(instance, "providers_by_cost", dict)
    key = (referral.move_on_category, premises.id)
    if key not in cache:
        cache[key] = [(p, cost) for p, cost in move_on_options(instance, referral, premises) if p is not None]
    return cache[key]


def offered(
    fixed, instance: Instance, referral: Referral, premises: Premises, week: int, hinted: str | None = None,
    most: int | None = PROVIDERS_PER_PLACE,
) -> list[tuple[MoveOnProvider, int]]:
    """The nearest ``most`` (None: all) providers with a place that week (as ``fixed`` leaves them) and
    cheaper than going unsecured, plus the hinted one."""
    unsecured = instance.weights.move_on_unsecured
    open_ = [(p, cost) for p, cost in providers_by_cost(instance, referral, premises)
             if cost < unsecured and fixed.places(p.id, week) > 0]
    chosen = open_[:most]
    if hinted is not None and all(p.id != hinted for p, _ in chosen):
        chosen += [(p, cost) for p, cost in open_ if p.id == hinted]
    return chosen


def best_providers(instance: Instance, fixed, plan: Mapping[str, Assignment]) -> dict[str, Assignment]:
    """``plan`` with the cheapest move-on places its placements allow: a min-cost flow from placed
    referrals to (provider, week of departure) with the places ``fixed`` leaves, among the providers the
    model would offer; whoever gets none goes unsecured."""
    referrals = {r.id: r for r in instance.referrals}
    premises = {p.id: p for p in instance.premises}
    unsecured = instance.weights.move_on_unsecured
    flow = min_cost_flow.SimpleMinCostFlow()
    seekers = [rid for rid, a in plan.items() if a.premises_id is not None
               and referrals[rid].move_on_category is not None]
    source, sink = 0, 1
    slots: dict[tuple[str, int], int] = {}
    arcs: list[tuple[int, str, str]] = []  # (arc, referral id, provider id)
    for i, rid in enumerate(seekers):
        node = 2 + i
        a = plan[rid]
        week = departure_week(a.arrival + referrals[rid].length_of_stay)
        flow.add_arc_with_capacity_and_unit_cost(source, node, 1, 0)
        flow.add_arc_with_capacity_and_unit_cost(node, sink, 1, 0)
        for provider, cost in offered(fixed, instance, referrals[rid], premises[a.premises_id], week):
            if (provider.id, week) not in slots:
                slots[(provider.id, week)] = 2 + len(seekers) + len(slots)
                flow.add_arc_with_capacity_and_unit_cost(slots[(provider.id, week)], sink,
                                                         fixed.places(provider.id, week), 0)
            arc = flow.add_arc_with_capacity_and_unit_cost(node, slots[(provider.id, week)], 1, cost - unsecured)
            arcs.append((arc, rid, provider.id))
    flow.set_node_supply(source, len(seekers))
    flow.set_node_supply(sink, -len(seekers))
    chosen = dict(plan)
    for rid in seekers:
        chosen[rid] = replace(plan[rid], provider_id=None)
    if seekers and flow.solve() == flow.OPTIMAL:
        for arc, rid, provider_id in arcs:
            if flow.flow(arc):
                chosen[rid] = replace(plan[rid], provider_id=provider_id)
    return chosen
