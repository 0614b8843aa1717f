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
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from optimizer import constraints, objectives
from optimizer.capacity import base_capacity, plan_days
from optimizer.candidates import Candidate
from optimizer.costs import mix_counts
from optimizer.schema import Assignment, Instance, MoveOnProvider, Premises, Referral, SolverParams

Value = Callable[[cp_model.IntVar], int]


@dataclass
class Fixed:
    """What the model cannot change: free beds, mix counts and move-on places left by fixed people.

    Built from the instance (beds out of service and residents) and, in the local search, from the
    placements of every referral outside the neighbourhood.
    """

    days: int
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
        return cls(days, dict(capacity.index), free, mix_counts(instance, held, days), dict(used),
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
    wall_s: float
    settled: bool = False  # nothing better exists in this model under its policy (lexicographic or not)


class PlacementModel:
    """Builds the CP-SAT model of placing ``candidates`` around ``fixed``; ``solve`` returns assignments."""

    def __init__(
        self,
        instance: Instance,
        params: SolverParams,
        candidates: Mapping[str, Sequence[Candidate]],
        fixed: Fixed | None = None,
        keep: Mapping[str, Assignment] | None = None,
        providers_per_place: int = 4,
        families: Sequence = constraints.FAMILIES,
    ):
        self.instance = instance
        self.params = params
        self.fixed = fixed if fixed is not None else Fixed.around(instance)
        self.keep = keep or {}  # a plan the model must be able to express (the hint)
        self.providers_per_place = providers_per_place
        self.premises = {p.id: p for p in instance.premises}
        self.providers = {p.id: p for p in instance.providers}
        referrals = {r.id: r for r in instance.referrals}
        self.referrals = [referrals[rid] for rid in candidates]
        self.model = cp_model.CpModel()
        self.vars = Variables()
        self.soft: list[tuple[cp_model.IntVar, int]] = []  # (variable, cost per unit) beyond the choices
        self.offset = 0
        self._add_choices(candidates)
        self.secures_move_on = constraints.move_on in families
        for family in families:
            family.add(self)
        objectives.minimise_objective(self)

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
            choice = next((c for c in self.vars.by_referral[referral.id] if value(c.var)), None)
            if choice is None:
                chosen[referral.id] = Assignment(referral.id, None, None, None)
            else:
                provider = provider_of.get((referral.id, choice.premises.id, choice.departure // 7))
                chosen[referral.id] = Assignment(referral.id, choice.premises.id, choice.arrival, provider)
        return chosen

    def solve(
        self,
        time_limit_s: float,
        on_solution: Callable[[float, int], None] | None = None,
        deterministic: bool = False,
        first_share: float = 0.5,
        prove: bool = False,
    ) -> Outcome:
        """Solve within ``time_limit_s``; ``on_solution(seconds, objective)`` hears of each improvement.

        When the weights make the objective lexicographic, first place as many people as possible (weighted
        by urgency and waiting) within ``first_share`` of the time, then hold that level and minimise the
        rest. Holding the level is a policy, not a proof; with ``prove`` and time left, the plan found is
        then handed to the plain weighted model to prove it optimal (or improve it). ``deterministic``
        bounds the search by deterministic time rather than the clock, so that one worker with a fixed seed
        gives the same plan however busy the machine is.
        """
        start = time.perf_counter()
        if not objectives.is_lexicographic(self):
            return self._run(self.model, time_limit_s, on_solution, deterministic, start, full=True)
        weighted = self.model.clone() if prove else None
        shortfall = objectives.placement_shortfall(self)
        self.model.minimize(shortfall)
        first = self._run(self.model, first_share * time_limit_s, on_solution, deterministic, start, full=False)
        if first.status in ("infeasible", "unknown"):
            return first
        self.model.add(shortfall <= first.objective)
        self.hint(first.assignments)
        objectives.minimise_objective(self)
        second = self._run(self.model, self._left(start, time_limit_s), on_solution, deterministic, start, full=True)
        if second.status in ("infeasible", "unknown"):
            second = Outcome("feasible", first.assignments, self.objective_of(first.assignments), None, 0.0)
        second.settled = first.status == "optimal" and second.status == "optimal"
        second.bound = first.bound + objectives.secondary_floor(self)
        second.status = "optimal" if second.objective <= second.bound else "feasible"
        if weighted is not None and second.status != "optimal" and self._left(start, time_limit_s) > 0.05:
            self.hint(second.assignments, weighted)
            third = self._run(weighted, self._left(start, time_limit_s), on_solution, deterministic, start, full=True)
            if third.objective is not None and third.objective <= second.objective:
                third.bound = max(third.bound, second.bound)
                third.settled = third.settled or second.settled
                second = third
        second.wall_s = time.perf_counter() - start
        return second

    @staticmethod
    def _left(start: float, time_limit_s: float) -> float:
        return max(0.0, time_limit_s - (time.perf_counter() - start))

    def _run(
        self,
        model: cp_model.CpModel,
        time_limit_s: float,
        on_solution: Callable[[float, int], None] | None,
        deterministic: bool,
        start: float,
        full: bool,
    ) -> Outcome:
        solver = cp_model.CpSolver()
        limit = max(time_limit_s, 0.01)
        solver.parameters.max_time_in_seconds = 3 * limit if deterministic else limit
        if deterministic:
            solver.parameters.max_deterministic_time = limit
        solver.parameters.num_workers = max(1, self.params.workers)
        solver.parameters.random_seed = self.params.seed
        solver.parameters.relative_gap_limit = self.params.target_gap
        solver.parameters.cp_model_probing_level = 0  # probing the chains costs seconds and finds little
        callback = _Progress(self, on_solution, start, full) if on_solution else None
        status = solver.solve(model, callback)
        wall = time.perf_counter() - start
        name = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible",
                cp_model.INFEASIBLE: "infeasible"}.get(status, "unknown")
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return Outcome(name, {}, None, None, wall)
        assignments = self.assignments_from(solver.value)
        if callback is not None:
            callback.flush()
        return Outcome(name, assignments, round(solver.objective_value), solver.best_objective_bound, wall,
                       settled=status == cp_model.OPTIMAL)


class _Progress(cp_model.CpSolverSolutionCallback):
    """Tells ``report`` the full objective of each improving solution, seconds counted from ``start``.

    While only placements are being maximised the full objective is recomputed from the solution, at most
    every quarter of a second (and once more at the end) because that costs a pass over every variable.
    """

    def __init__(self, pm: PlacementModel, report: Callable[[float, int], None], start: float, full: bool):
        super().__init__()
        self.pm, self.report, self.start, self.full = pm, report, start, full
        self.last = -1.0
        self.pending: list[int] | None = None

    def on_solution_callback(self) -> None:
        now = time.perf_counter() - self.start
        if self.full:
            self.report(now, round(self.objective_value))
            return
        self.pending = list(self.response_proto.solution)
        if now - self.last >= 0.25:
            self.flush()

    def flush(self) -> None:
        if self.pending is not None:
            solution, self.pending = self.pending, None
            self.last = time.perf_counter() - self.start
            self.report(self.last, objectives.evaluate(self.pm, lambda v: solution[v.index]))


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
