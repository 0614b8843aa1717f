"""The CP-SAT placement model: one boolean per candidate (referral, premises, arrival day).

Beds with the same characteristics are interchangeable, so capacity is counted per premises, Hall set of
bed groups and day (see ``optimizer.capacity``), and beds are assigned after planning. Rules about one referral alone (gender, AP type, characteristics, zones, radius,
window, fixed non-associates) were already applied when candidates were built, so the model only holds the
rules that tie referrals together: one place each, shared capacity, non-associates among referrals,
move-on places and the resident mix. Each family lives in its own module under ``optimizer.constraints``.

The same class solves the whole instance and the neighbourhoods of the local search: there the placements
of everybody outside the neighbourhood are held in ``Fixed`` and simply use up beds and move-on places.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from optimizer import constraints, objectives
from optimizer.candidates import Candidate
from optimizer.constraints.move_on import best_providers
from optimizer.schema import Assignment, Instance, SolverParams, Watch, departure_week
from optimizer.variables import Choice, Fixed, ModelParts, Value

STOP_POLL_S = 0.2  # how often a running search asks whether it should stop
# A single worker on these models does about this much deterministic time a second (measured on the
# neighbourhoods of the mid and region tiers): one worker counts it, not the clock, so that its plan never
# depends on how busy the machine is, and still stops after about as long as it was given.
DETERMINISTIC_PER_SECOND = 0.15


@dataclass
class Outcome:
    status: str  # "optimal", "feasible", "infeasible", "unknown"
    assignments: dict[str, Assignment]
    objective: int | None  # the model's objective, equal to costs.objective when nothing is held fixed
    bound: float | None
    settled: bool = False  # nothing better exists in this model under its policy (lexicographic or not)
    start_objective: int | None = None  # the objective of the plan the search started from
    work_s: float = 0.0  # CP-SAT's deterministic time spent, in seconds of a single worker (see below)


class PlacementModel(ModelParts):
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
        every_provider: bool = False,
    ):
        super().__init__(instance, params, candidates, fixed, keep, every_provider)
        self.families: list = []
        self.work_s = 0.0  # deterministic time of every solve so far, in seconds of a single worker
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
                   and choice.premises is m.premises and departure_week(choice.departure) == m.week)
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
                provider = provider_of.get((referral.id, choice.premises.id, departure_week(choice.departure)))
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
            solver.parameters.max_deterministic_time = limit * DETERMINISTIC_PER_SECOND
        solver.parameters.num_workers = max(1, self.params.workers)
        solver.parameters.random_seed = self.params.seed
        solver.parameters.relative_gap_limit = self.params.target_gap
        solver.parameters.cp_model_probing_level = 0  # probing these models costs seconds and finds little
        # The LP of a placement model is nearly integral: its full linearisation proves most neighbourhoods
        # optimal in a fraction of a second where the default keeps searching for the whole step.
        solver.parameters.linearization_level = 2
        callback = _Progress(on_solution) if on_solution else None
        with stopped_on_request(self.params.watch, solver):
            status = solver.solve(model if model is not None else self.model, callback)
        self.work_s += solver.response_proto.deterministic_time / DETERMINISTIC_PER_SECOND
        name = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible",
                cp_model.INFEASIBLE: "infeasible"}.get(status, "unknown")
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return Outcome(name, {}, None, None)
        return Outcome(name, self.assignments_from(solver.value), round(solver.objective_value),
                       solver.best_objective_bound, settled=status == cp_model.OPTIMAL)


@contextmanager
def stopped_on_request(watch: Watch, solver: cp_model.CpSolver) -> Iterator[None]:
    """Stop ``solver`` within ``STOP_POLL_S`` of ``watch`` asking: CP-SAT calls back only on solutions."""
    if type(watch).stopped is Watch.stopped:  # a watch that never stops needs no poller
        yield
        return
    finished = threading.Event()

    def poll() -> None:
        while not finished.wait(STOP_POLL_S):
            if watch.stopped():
                solver.stop_search()
                return

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    try:
        yield
    finally:
        finished.set()
        poller.join()


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
    weighted: bool = False,
    every_provider: bool = False,
) -> Outcome:
    """Best plan for ``candidates`` around ``fixed``, starting from the complete plan ``start_from``.

    When the weights make the objective lexicographic (see ``objectives.is_lexicographic``), first place as
    many people as possible, weighted by urgency and waiting, on the placement rules alone (within
    ``first_share`` of the time); then add move-on and the resident mix to the same model, hold the
    placement level and minimise everything. Holding the level is the policy "place people first", not a
    proof: the bound reported is the first stage's bound plus the least the rest could cost. With ``prove``
    and time left, the plan is then handed to the plain weighted model to prove it optimal or improve it.
    ``weighted`` skips the stages and minimises the weighted objective at once. ``every_provider`` offers
    every move-on provider rather than the nearest few, so that an optimum of the model is one of its
    candidates' whole problem.

    ``on_solution(seconds, objective)`` hears of each improving solution of the full objective (first
    stage solutions say nothing of it).
    """
    start = time.perf_counter()
    fixed = fixed if fixed is not None else Fixed.around(instance)
    start_from = start_from or {}
    pm = PlacementModel(instance, params, candidates, fixed, keep=start_from, families=constraints.PLACEMENT_FAMILIES,
                        every_provider=every_provider)

    def left() -> float:
        return max(0.0, time_limit_s - (time.perf_counter() - start))

    def report(objective: int) -> None:
        if on_solution is not None:
            on_solution(time.perf_counter() - start, objective)

    if weighted or not objectives.is_lexicographic(pm):
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
    outcome.work_s = pm.work_s
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
