"""The CP-SAT placement model: one boolean per candidate (referral, premises, arrival day).

Beds inside a premises are interchangeable, so capacity is counted per premises and day and rooms are
assigned after planning. Rules about one referral alone (gender, AP type, characteristics, zones, radius,
window, fixed non-associates) were already applied when candidates were built, so the model only holds the
rules that tie referrals together: one place each, shared capacity, non-associates among referrals,
move-on places and the resident mix. Each family lives in its own module under ``optimizer.constraints``.

The same class solves the whole instance and the neighbourhoods of the local search: there the placements
of everybody outside the neighbourhood are held in ``Fixed`` and simply use up beds and move-on places.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from ortools.sat.python import cp_model

from optimizer import constraints, objectives
from optimizer.candidates import Candidate, build_candidates
from optimizer.capacity import base_capacity, per_instance, plan_days
from optimizer.constraints.move_on import best_providers
from optimizer.costs import mix_counts
from optimizer.schema import Assignment, Instance, MoveOnProvider, Premises, Referral, SolverParams

Value = Callable[[cp_model.IntVar], int]


@dataclass
class Fixed:
    """What the model cannot change: free beds, mix counts and move-on places left by fixed people.

    Built from the instance (beds out of service and residents) and, in the local search, from the
    placements of every referral outside the neighbourhood.
    """

    row: dict[str, int]  # premises id -> row of the arrays
    free: dict[str | None, np.ndarray]  # None (all beds) or room characteristic -> (premises, days)
    mix: np.ndarray  # (premises, cap, days) fixed people counting towards each cap in MIX_CAPS order
    used: dict[tuple[str, int], int]  # (provider id, week) -> move-on places taken by held placements
    places_per_week: dict[str, int]

    def places(self, provider_id: str, week: int) -> int:
        """Move-on places still open at a provider in a week of departure."""
        return self.places_per_week[provider_id] - self.used.get((provider_id, week), 0)

    @classmethod
    def around(cls, instance: Instance, held: Sequence[Assignment] = ()) -> Fixed:
        capacity = base_capacity(instance)
        days = plan_days(instance)
        free = {None: capacity.total.copy(), **{c: a.copy() for c, a in capacity.by_characteristic.items()}}
        referrals = {r.id: r for r in instance.referrals}
        used: dict[tuple[str, int], int] = defaultdict(int)
        for a in held:
            if a.premises_id is None:
                continue
            referral = referrals[a.referral_id]
            end = a.arrival + referral.length_of_stay
            for key in (None, *referral.essential_room):
                free[key][capacity.index[a.premises_id], a.arrival:end] -= 1
            if a.provider_id is not None:
                used[(a.provider_id, end // 7)] += 1
        return cls(dict(capacity.index), free, mix_counts(instance, held, days), dict(used),
                   {p.id: p.places_per_week for p in instance.providers})


@dataclass(frozen=True)
class Choice:
    """One candidate as the model sees it."""

    referral: Referral
    premises: Premises
    arrival: int
    cost: int  # placement terms, plus move-on unsecured when a move-on place is sought
    var: cp_model.IntVar

    @property
    def departure(self) -> int:
        return self.arrival + self.referral.length_of_stay


@dataclass(frozen=True)
class MoveOn:
    """Securing ``provider`` for a referral placed at ``premises`` and leaving in ``week``."""

    referral: Referral
    premises: Premises
    week: int
    provider: MoveOnProvider
    saving: int  # negative: the provider's distance cost minus the unsecured penalty it avoids
    var: cp_model.IntVar


@dataclass
class Variables:
    """The variable container: decisions, and auxiliaries defined from them (hinted alongside)."""

    choices: list[Choice] = field(default_factory=list)
    by_referral: dict[str, list[Choice]] = field(default_factory=lambda: defaultdict(list))
    by_premises: dict[str, list[Choice]] = field(default_factory=lambda: defaultdict(list))
    move_ons: list[MoveOn] = field(default_factory=list)
    derived: list[tuple[cp_model.IntVar, Callable[[Value], int]]] = field(default_factory=list)


@dataclass
class Outcome:
    status: str  # "optimal", "feasible", "infeasible", "unknown"
    assignments: dict[str, Assignment]
    objective: int | None  # the model's objective, equal to costs.objective when nothing is held fixed
    bound: float | None
    settled: bool = False  # nothing better exists in this model under its policy (lexicographic or not)
    start_objective: int | None = None  # the objective of the plan the search started from


class PlacementModel:
    """The CP-SAT model of placing ``candidates`` around ``fixed``, with the variable container ``vars``.

    ``families`` are the constraint modules to add: all of them price the whole objective; the placement
    families alone are enough to decide who can be placed (the first lexicographic stage).
    """

    def __init__(
        self,
        instance: Instance,
        params: SolverParams,
        candidates: Mapping[str, Sequence[Candidate]],
        fixed: Fixed | None = None,
        keep: Mapping[str, Assignment] | None = None,
        families: Sequence = constraints.FAMILIES,
    ):
        self.instance = instance
        self.params = params
        self.fixed = fixed if fixed is not None else Fixed.around(instance)
        self.keep = keep or {}  # a plan the model must be able to express (the hint)
        self.premises = {p.id: p for p in instance.premises}
        referrals = {r.id: r for r in instance.referrals}
        self.referrals = [referrals[rid] for rid in candidates]
        self.model = cp_model.CpModel()
        self.vars = Variables()
        self.soft: list[tuple[cp_model.IntVar, int]] = []  # (variable, cost per unit) beyond the choices
        self.offset = 0
        self._add_choices(candidates)
        self.families: list = []
        self.extend(families)

    def extend(self, families: Sequence) -> None:
        """Add the constraint families not yet in the model, and minimise the objective they price."""
        for family in families:
            if family not in self.families:
                family.add(self)
                self.families.append(family)
        objectives.minimise_objective(self)

    @property
    def secures_move_on(self) -> bool:
        return constraints.move_on in self.families

    def _add_choices(self, candidates: Mapping[str, Sequence[Candidate]]) -> None:
        unsecured = self.instance.weights.move_on_unsecured
        for referral in self.referrals:
            extra = unsecured if referral.move_on_category is not None else 0
            for c in candidates[referral.id]:
                choice = Choice(referral, self.premises[c.premises_id], c.arrival, c.cost + extra,
                                self.model.new_bool_var(""))
                self.vars.choices.append(choice)
                self.vars.by_referral[referral.id].append(choice)
                self.vars.by_premises[c.premises_id].append(choice)

    def new_int(self, low: int, high: int) -> cp_model.IntVar:
        return self.model.new_int_var(low, high, "")

    def derive(self, var: cp_model.IntVar, value: Callable[[Value], int]) -> None:
        """Record how ``var`` follows from earlier variables, so that a hint can be completed."""
        self.vars.derived.append((var, value))

    def add_soft(self, var: cp_model.IntVar, cost: int) -> None:
        self.soft.append((var, cost))

    # -- hints and solutions ----------------------------------------------------------------------

    def hint(self, assignments: Mapping[str, Assignment], model: cp_model.CpModel | None = None) -> bool:
        """Hint a complete solution (to this model or a clone of it); False when an assignment is not among
        the model's choices."""
        values = self._values_of(assignments)
        if values is None:
            return False
        model = model if model is not None else self.model
        model.clear_hints()
        model.proto.solution_hint.vars.extend([var.index for var in values])
        model.proto.solution_hint.values.extend(values.values())
        return True

    def objective_of(self, assignments: Mapping[str, Assignment]) -> int | None:
        values = self._values_of(assignments)
        if values is None:
            return None
        return objectives.evaluate(self, values.__getitem__)

    def _values_of(self, assignments: Mapping[str, Assignment]) -> dict[cp_model.IntVar, int] | None:
        """Every variable's value under ``assignments``; None when the model cannot express them."""
        values: dict[cp_model.IntVar, int] = {}
        taken: dict[str, Choice] = {}
        for choice in self.vars.choices:
            a = assignments.get(choice.referral.id)
            hit = a is not None and (a.premises_id, a.arrival) == (choice.premises.id, choice.arrival)
            values[choice.var] = int(hit)
            if hit:
                taken[choice.referral.id] = choice
        secured = set()
        for m in self.vars.move_ons:
            choice = taken.get(m.referral.id)
            hit = (choice is not None and assignments[m.referral.id].provider_id == m.provider.id
                   and choice.premises is m.premises and choice.departure // 7 == m.week)
            values[m.var] = int(hit)
            if hit:
                secured.add(m.referral.id)
        for referral in self.referrals:
            a = assignments.get(referral.id)
            if a is None or a.premises_id is None:
                continue
            if referral.id not in taken or (
                self.secures_move_on and a.provider_id is not None and referral.id not in secured
            ):
                return None
        for var, value in self.vars.derived:
            values[var] = value(values.__getitem__)
        return values

    def assignments_from(self, value: Value) -> dict[str, Assignment]:
        provider_of = {(m.referral.id, m.premises.id, m.week): m.provider.id
                       for m in self.vars.move_ons if value(m.var)}
        chosen = {}
        for referral in self.referrals:
            choice = next((c for c in self.vars.by_referral.get(referral.id, ()) if value(c.var)), None)
            if choice is None:
                chosen[referral.id] = Assignment(referral.id, None, None, None)
            else:
                provider = provider_of.get((referral.id, choice.premises.id, choice.departure // 7))
                chosen[referral.id] = Assignment(referral.id, choice.premises.id, choice.arrival, provider)
        return chosen

    def solve(
        self,
        time_limit_s: float,
        on_solution: Callable[[int], None] | None = None,
        deterministic: bool = False,
        model: cp_model.CpModel | None = None,
    ) -> Outcome:
        """Solve (this model, or a clone of it) within ``time_limit_s``; ``on_solution(objective)`` hears of
        each improving solution. ``deterministic`` bounds the search by deterministic time rather than the clock, so that one worker
        with a fixed seed gives the same plan however busy the machine is.
        """
        solver = cp_model.CpSolver()
        limit = max(time_limit_s, 0.01)
        solver.parameters.max_time_in_seconds = 3 * limit if deterministic else limit
        if deterministic:
            solver.parameters.max_deterministic_time = limit
        solver.parameters.num_workers = max(1, self.params.workers)
        solver.parameters.random_seed = self.params.seed
        solver.parameters.relative_gap_limit = self.params.target_gap
        solver.parameters.cp_model_probing_level = 0  # probing these models costs seconds and finds little
        callback = _Progress(on_solution) if on_solution else None
        status = solver.solve(model if model is not None else self.model, callback)
        name = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible",
                cp_model.INFEASIBLE: "infeasible"}.get(status, "unknown")
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return Outcome(name, {}, None, None)
        return Outcome(name, self.assignments_from(solver.value), round(solver.objective_value),
                       solver.best_objective_bound, settled=status == cp_model.OPTIMAL)


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, report: Callable[[int], None]):
        super().__init__()
        self.report = report

    def on_solution_callback(self) -> None:
        self.report(round(self.objective_value))


def solve_placements(
    instance: Instance,
    params: SolverParams,
    candidates: Mapping[str, Sequence[Candidate]],
    time_limit_s: float,
    fixed: Fixed | None = None,
    start_from: Mapping[str, Assignment] | None = None,
    on_solution: Callable[[float, int], None] | None = None,
    deterministic: bool = False,
    first_share: float = 0.5,
    prove: bool = False,
) -> Outcome:
    """Best plan for ``candidates`` around ``fixed``, starting from the complete plan ``start_from``.

    When the weights make the objective lexicographic (see ``objectives.is_lexicographic``), first place as
    many people as possible, weighted by urgency and waiting, on the placement rules alone (within
    ``first_share`` of the time); then add move-on and the resident mix to the same model, hold the
    placement level and minimise everything. Holding the level is the policy "place people first", not a
    proof: the bound reported is the first stage's bound plus the least the rest could cost. With ``prove``
    and time left, the plan is then handed to the plain weighted model to prove it optimal or improve it.

    ``on_solution(seconds, objective)`` hears of each improving solution of the full objective (first
    stage solutions say nothing of it).
    """
    start = time.perf_counter()
    fixed = fixed if fixed is not None else Fixed.around(instance)
    start_from = start_from or {}
    pm = PlacementModel(instance, params, candidates, fixed, keep=start_from, families=constraints.PLACEMENT_FAMILIES)

    def left() -> float:
        return max(0.0, time_limit_s - (time.perf_counter() - start))

    def report(objective: int) -> None:
        if on_solution is not None:
            on_solution(time.perf_counter() - start, objective)

    if not objectives.is_lexicographic(pm):
        pm.extend(constraints.FAMILIES)
        hinted = pm.hint(start_from)
        outcome = pm.solve(time_limit_s, report, deterministic)
    else:
        hinted = pm.hint(start_from)
        outcome = _lexicographic(pm, fixed, start_from, time_limit_s * first_share, left, report, deterministic,
                                 prove)
    outcome.start_objective = pm.objective_of(start_from) if hinted else None
    if outcome.objective is None and outcome.start_objective is not None:
        outcome = replace(outcome, status="feasible", assignments=dict(start_from), objective=outcome.start_objective)
    return outcome


def _lexicographic(
    pm: PlacementModel,
    fixed: Fixed,
    start_from: Mapping[str, Assignment],
    first_s: float,
    left: Callable[[], float],
    report: Callable[[int], None],
    deterministic: bool,
    prove: bool,
) -> Outcome:
    pm.model.minimize(objectives.placement_shortfall(pm))
    first = pm.solve(first_s, None, deterministic)
    pm.extend(constraints.FAMILIES)
    if first.objective is None:
        pm.hint(start_from)
        return pm.solve(left(), report, deterministic)
    weighted = pm.model.clone() if prove else None
    pm.model.add(objectives.placement_shortfall(pm) <= first.objective)
    level_plan = best_providers(pm.instance, fixed, first.assignments)
    pm.hint(level_plan)
    second = pm.solve(left(), report, deterministic)
    if second.objective is None:
        second = Outcome("feasible", level_plan, pm.objective_of(level_plan), None)
    second.settled = first.settled and second.settled
    second.bound = first.bound + objectives.secondary_floor(pm)
    second.status = "optimal" if second.objective <= second.bound else "feasible"
    if weighted is not None and second.status != "optimal" and left() > 0.05:
        pm.hint(second.assignments, weighted)
        third = pm.solve(left(), report, deterministic, model=weighted)
        if third.objective is not None and third.objective <= second.objective:
            third.bound = max(third.bound, second.bound)
            third.settled = third.settled or second.settled
            second = third
    return second


def candidates_for(instance: Instance, params: SolverParams) -> dict[str, list[Candidate]]:
    """Candidates, built once per instance and exclusion buffer (the rounding, the model, the search and
    the explanations share them)."""
    return per_instance(instance, f"candidates@{params.exclusion_buffer_km}", lambda: build_candidates(instance, params))


def shortlist(
    candidates: Mapping[str, Sequence[Candidate]], most: int | None, keep: Mapping[str, Assignment] | None = None
) -> tuple[dict[str, list[Candidate]], bool]:
    """At most ``most`` (None: all) cheapest candidates per referral (lists come cheapest first), keeping the
    one ``keep`` uses so that a hint stays expressible. Also says whether anything was left out: only an
    unpruned model's bound bounds the real problem."""
    keep = keep or {}
    if most is None:
        return {rid: list(options) for rid, options in candidates.items()}, False
    kept: dict[str, list[Candidate]] = {}
    pruned = False
    for rid, options in candidates.items():
        head = list(options[:most])
        pruned |= len(options) > most
        a = keep.get(rid)
        if a is not None and a.premises_id is not None and all(
            (c.premises_id, c.arrival) != (a.premises_id, a.arrival) for c in head
        ):
            head += [c for c in options[most:] if (c.premises_id, c.arrival) == (a.premises_id, a.arrival)]
        kept[rid] = head
    return kept, pruned
