"""The placement problem as a mixed-integer programme for HiGHS, and its LP relaxation as a lower bound.

HiGHS is a peer to CP-SAT: the same decisions (one binary per candidate placement, a move-on provider per
placement and departure week), the same hard rules and the same integer objective from costs.py, so results
compare directly. On large instances it gets CP-SAT's short list of candidates; the LP bound never does.

Capacity is written as running occupancy: per premises and Hall set (see ``optimizer.capacity``: the sets
of bed groups whose rows make "everybody has a bed that fits" exact), and per mix cap, one
variable per stretch of days between arrivals and departures, linked by "occupancy now = occupancy before +
arrivals - departures". It is the same polytope as one row per day listing every stay covering that day,
but each placement appears in two rows instead of one per night, and stretches where no bound or cost can
bite (more beds than referrals who could be there) get no row at all. Mix overflow on days when residents
alone fill a cap is priced on the placement itself, so only the other days need overflow rows.

Two quirks of HiGHS behind OR-Tools shape the code: it returns no solution when it stops at the time limit
(so the best one is read back from HiGHS's improving-solution file) and a solution hint crashes it (so
HiGHS starts cold, without greedy's plan). Its log, captured from stdout, gives the progress over time.
"""

from __future__ import annotations

import ctypes
import math
import mmap
import os
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
from ortools.linear_solver import pywraplp

from optimizer.candidates import CANDIDATES_PER_REFERRAL, Candidate, build_candidates, shortlist
from optimizer.capacity import base_capacity, by_hall_set, plan_days
from optimizer.checks import validate_instance
from optimizer.constraints.non_associates import clashes
from optimizer.costs import (
    MIX_CAPS,
    mix_cap_values,
    mix_counts,
    mix_flags,
    mix_overflow,
    move_on_terms,
    referral_terms,
    unplaced_cost,
)
from optimizer.schema import (
    Assignment,
    Instance,
    MoveOnCategory,
    MoveOnProvider,
    Referral,
    Result,
    SolverParams,
    departure_week,
    non_associate_pairs,
)

# Up to this many candidates in all the MIP holds every one of them; beyond, each referral's short list.
UNPRUNED_UP_TO = 40_000

# When the candidates are cut to a short list, like CP-SAT each placement is offered only its few nearest
# move-on providers (the unpruned model and the LP bound offer all of them).
PROVIDERS_PER_PLACE = 4

# Every plan's objective is a whole number, so the LP value may round up to one; this slack (absolute,
# relative) first absorbs HiGHS's tolerances, so a value a hair above an integral optimum is not rounded past it.
LP_SLACK = (1e-3, 1e-7)


@dataclass
class _Model:
    """The pywraplp model with the handles needed to read a plan back."""

    solver: pywraplp.Solver
    candidates: list[Candidate]
    chosen: list[pywraplp.Variable]
    move_on_group: list[tuple]  # per candidate: the key of its move-on group
    move_on: dict[tuple, list[tuple[str, pywraplp.Variable]]] = field(default_factory=dict)


Stay = tuple[int, int, str, pywraplp.Variable]  # arrival, departure, referral id, variable choosing it


def _placement_group(referral: Referral, candidate: Candidate) -> tuple:
    """Move-on is chosen per premises and departure week: the exact formulation."""
    return (candidate.referral_id, candidate.premises_id, departure_week(candidate.arrival + referral.length_of_stay))


def _week_group(referral: Referral, candidate: Candidate) -> tuple:
    """Move-on chosen per departure week only, priced from the nearest premises: a relaxation, far smaller."""
    return (candidate.referral_id, departure_week(candidate.arrival + referral.length_of_stay))


class _Builder:
    """Adds the rows and columns of one model; ``integral`` False gives the LP relaxation."""

    def __init__(self, instance: Instance, integral: bool, solver: str = "HIGHS"):
        self.instance = instance
        self.integral = integral
        self.solver = pywraplp.Solver.CreateSolver(solver)
        self.referrals = {r.id: r for r in instance.referrals}
        self.premises = {p.id: p for p in instance.premises}
        self.capacity = base_capacity(instance)
        self.days = plan_days(instance)
        self.move_on_tables: dict[MoveOnCategory, tuple[list[MoveOnProvider], dict[str, np.ndarray]]] = {}
        anywhere = next(iter(instance.premises), None)  # leaving move-on unsecured costs the same anywhere
        self.unsecured = {
            r.id: sum(move_on_terms(r, anywhere, None, instance.weights).values()) for r in instance.referrals
        }
        self.caps = {p.id: mix_cap_values(p) for p in instance.premises}
        self.flags = {r.id: mix_flags(r.risk) for r in instance.referrals}
        self.mix_residents = mix_counts(instance, (), self.days)  # (premises, cap, day), capacity's row order
        self.days_at_cap = self._days_at_cap()
        self.objective = self.solver.Objective()
        self.objective.SetMinimization()

    def _days_at_cap(self) -> np.ndarray:
        """(premises, cap, day+1) running count of days on which residents alone fill each mix cap."""
        caps = np.array([[-1 if cap is None else cap for cap in self.caps[pid]]
                         for pid in self.capacity.premises_ids]).reshape(-1, len(MIX_CAPS), 1)
        full = (caps >= 0) & (self.mix_residents >= caps)
        prefix = np.zeros(full.shape[:2] + (self.days + 1,), dtype=np.int32)
        np.cumsum(full, axis=2, out=prefix[:, :, 1:])
        return prefix

    def row(self, lower: float, upper: float, terms: Iterable[tuple[pywraplp.Variable, float]]) -> None:
        """A linear row built coefficient by coefficient: far faster than summing expressions in Python."""
        constraint = self.solver.Constraint(lower, upper)
        for variable, coefficient in terms:
            constraint.SetCoefficient(variable, coefficient)

    def cost(self, variable: pywraplp.Variable, cost: float) -> None:
        """Set a variable's objective coefficient (each variable is priced once)."""
        self.objective.SetCoefficient(variable, cost)

    def certain_overflow(self, c: Candidate) -> int:
        """Mix overflow a placement causes for sure: every day of its stay on which residents alone fill a cap
        it counts towards."""
        row = self.capacity.index[c.premises_id]
        departure = min(c.arrival + self.referrals[c.referral_id].length_of_stay, self.days)
        at_cap = self.days_at_cap[row, :, departure] - self.days_at_cap[row, :, c.arrival]
        days = sum(int(n) for n, counts in zip(at_cap, self.flags[c.referral_id]) if counts)
        return days * self.instance.weights.mix_overflow_per_resident_day

    def choices(self, candidates: list[Candidate]) -> list[pywraplp.Variable]:
        """One binary per candidate, at most one per referral, priced relative to staying unplaced."""
        weights = self.instance.weights
        placing = {r.id: self.unsecured[r.id] - unplaced_cost(r, weights) for r in self.instance.referrals}
        chosen = []
        per_referral = defaultdict(list)
        for c in candidates:
            x = self.solver.BoolVar("") if self.integral else self.solver.NumVar(0.0, 1.0, "")
            self.cost(x, c.cost + placing[c.referral_id] + self.certain_overflow(c))
            chosen.append(x)
            per_referral[c.referral_id].append(x)
        for xs in per_referral.values():
            self.row(-math.inf, 1, [(x, 1) for x in xs])
        offset = sum(unplaced_cost(r, weights) for r in self.instance.referrals)
        self.objective.SetOffset(offset + mix_overflow(self.instance, ()))
        return chosen

    def occupancy(
        self, stays: Sequence[Stay], needed: Callable[[int, int, int], bool]
    ) -> Iterator[tuple[int, int, pywraplp.Variable]]:
        """Running occupancy of ``stays`` on each stretch between arrivals and departures where
        ``needed(start, end, most)`` says a bound or a cost could bite (``most``: how many different referrals
        could be there); yields (start, end, occupancy variable).

        Each occupancy is the previous one plus the arrivals and minus the departures since, so skipped
        stretches cost nothing and a stay that begins and ends between two of them drops out.
        """
        change = defaultdict(list)
        for arrival, departure, referral_id, x in stays:
            change[arrival].append((1, referral_id, x))
            change[min(departure, self.days)].append((-1, referral_id, x))
        present: Counter[str] = Counter()  # stays present per referral
        most = 0  # referrals present
        since: dict[pywraplp.Variable, int] = defaultdict(int)
        previous = None
        events = sorted(change)
        for start, end in zip(events, events[1:]):
            for sign, referral_id, x in change[start]:
                most += (present[referral_id] + sign > 0) - (present[referral_id] > 0)
                present[referral_id] += sign
                since[x] += sign
            if not needed(start, end, most):
                continue
            level = self.solver.NumVar(0.0, most, "")
            carried = [(previous, 1)] if previous is not None else []
            self.row(0, 0, [(level, -1), *carried, *((x, n) for x, n in since.items() if n)])
            since.clear()
            previous = level
            yield start, end, level

    def capacity_rows(self, candidates: list[Candidate], chosen: list[pywraplp.Variable]) -> None:
        """Free beds per premises, Hall set and day (see ``optimizer.capacity``), wherever more referrals
        who fit only the beds of the set could be there than it has free."""
        stays = defaultdict(list)
        for c, x in zip(candidates, chosen):
            referral = self.referrals[c.referral_id]
            stays[c.premises_id].append((c.arrival, c.arrival + referral.length_of_stay, c.referral_id, x))

        def needs(stay: Stay) -> frozenset[str]:
            return self.referrals[stay[2]].essential_room

        for premises_id, here in stays.items():
            row = self.capacity.index[premises_id]
            for k, group in by_hall_set(self.capacity.layouts[row], self.capacity.free[row], here, needs).items():
                free = self.capacity.free[row][k]
                for start, end, level in self.occupancy(group, lambda s, e, most: free[s:e].min() < most):
                    level.SetUb(max(0, int(free[start:end].min())))

    def mix_rows(self, candidates: list[Candidate], chosen: list[pywraplp.Variable]) -> None:
        """Overflow above a mix cap on days when residents alone do not fill it but newcomers could.

        Days the residents already fill were priced per placement (``certain_overflow``); the overflow
        residents cause alone is in the objective's constant.
        """
        weight = self.instance.weights.mix_overflow_per_resident_day
        stays = defaultdict(list)
        for c, x in zip(candidates, chosen):
            for k, (counts, cap) in enumerate(zip(self.flags[c.referral_id], self.caps[c.premises_id])):
                if counts and cap is not None:
                    departure = c.arrival + self.referrals[c.referral_id].length_of_stay
                    stays[(c.premises_id, k)].append((c.arrival, departure, c.referral_id, x))
        for (premises_id, k), group in stays.items():
            cap = self.caps[premises_id][k]
            residents = self.mix_residents[self.capacity.index[premises_id], k]

            def room_left(start: int, end: int) -> Counter[int]:
                """Days of the stretch by how many more people fit under the cap (only where some do)."""
                return Counter(cap - n for n in residents[start:end].tolist() if n < cap)

            def needed(start: int, end: int, most: int) -> bool:
                return any(room < most for room in room_left(start, end))

            for start, end, level in self.occupancy(group, needed):
                for room, days in room_left(start, end).items():
                    excess = self.solver.NumVar(0.0, math.inf, "")
                    self.row(-math.inf, room, [(level, 1), (excess, -1)])
                    self.cost(excess, weight * days)

    def non_associate_rows(self, candidates: list[Candidate], chosen: list[pywraplp.Variable]) -> None:
        """Two referrals who must not meet never cover the same day at the same premises."""
        stays = defaultdict(list)
        for c, x in zip(candidates, chosen):
            length = self.referrals[c.referral_id].length_of_stay
            stays[(c.referral_id, c.premises_id)].append((c.arrival, c.arrival + length, x))
        premises_of = defaultdict(set)
        for referral_id, premises_id in stays:
            premises_of[referral_id].add(premises_id)
        for first, second in sorted(non_associate_pairs(self.instance.referrals)):
            for premises_id in sorted(premises_of[first] & premises_of[second]):
                for covering in clashes(stays[(first, premises_id)], stays[(second, premises_id)]):
                    self.row(-math.inf, 1, [(x, 1) for x in covering])

    def move_on_costs(self, referral: Referral) -> tuple[list[MoveOnProvider], dict[str, np.ndarray]]:
        """The providers of the referral's category and, per premises, the move-on cost to each of them.

        The cost depends on the referral only through its category, so the table is built once per category.
        """
        category = referral.move_on_category
        if category not in self.move_on_tables:
            providers = [m for m in self.instance.providers if m.category == category]
            weights = self.instance.weights
            self.move_on_tables[category] = providers, {
                p.id: np.array([sum(move_on_terms(referral, p, m, weights).values()) for m in providers])
                for p in self.instance.premises
            }
        return self.move_on_tables[category]

    def move_on_rows(
        self,
        candidates: list[Candidate],
        chosen: list[pywraplp.Variable],
        group_of: Callable[[Referral, Candidate], tuple],
        providers_per_group: int | None,
    ) -> tuple[list[tuple], dict[tuple, list[tuple[str, pywraplp.Variable]]]]:
        """At most one provider per placed group, priced from the group's nearest premises; weekly places.

        ``providers_per_group`` keeps only the cheapest few providers of each group (None keeps all).
        """
        groups = defaultdict(list)
        keys = []
        for c, x in zip(candidates, chosen):
            referral = self.referrals[c.referral_id]
            key = group_of(referral, c)
            keys.append(key)
            if referral.move_on_category is not None:
                groups[key].append((c, x))
        per_provider_week = defaultdict(list)
        move_on = {}
        for key, members in groups.items():
            referral = self.referrals[members[0][0].referral_id]
            week = departure_week(members[0][0].arrival + referral.length_of_stay)
            saving = self.unsecured[referral.id]
            providers, table = self.move_on_costs(referral)
            if not providers:
                continue
            nearest = np.min([table[pid] for pid in {c.premises_id for c, _ in members}], axis=0).tolist()
            costs = sorted(zip(nearest, (m.id for m in providers)))
            picks = []
            for cost, provider_id in costs[:providers_per_group]:
                if cost < saving:
                    # Continuous even in the MIP: once placements are whole, groups and weekly places form a
                    # transportation problem, whose vertices are whole too. It spares HiGHS most binaries.
                    m = self.solver.NumVar(0.0, 1.0, "")
                    self.cost(m, cost - saving)
                    picks.append((provider_id, m))
                    per_provider_week[(provider_id, week)].append(m)
            if picks:
                self.row(-math.inf, 0, [*((m, 1) for _, m in picks), *((x, -1) for _, x in members)])
                move_on[key] = picks
        places = {p.id: p.places_per_week for p in self.instance.providers}
        for (provider_id, _), ms in per_provider_week.items():
            if len(ms) > places[provider_id]:
                self.row(-math.inf, places[provider_id], [(m, 1) for m in ms])
        return keys, move_on


def _build(
    instance: Instance,
    candidates: dict[str, list[Candidate]],
    integral: bool,
    group_of: Callable[[Referral, Candidate], tuple],
    providers_per_group: int | None,
    solver: str = "HIGHS",
) -> _Model:
    """The whole model over ``candidates`` (which already respect every rule about one referral alone)."""
    flat = [c for options in candidates.values() for c in options]
    builder = _Builder(instance, integral, solver)
    chosen = builder.choices(flat)
    builder.capacity_rows(flat, chosen)
    builder.mix_rows(flat, chosen)
    builder.non_associate_rows(flat, chosen)
    keys, move_on = builder.move_on_rows(flat, chosen, group_of, providers_per_group)
    return _Model(builder.solver, flat, chosen, keys, move_on)


# ---------------------------------------------------------------- reading HiGHS's log

_REPORT = re.compile(r"^\s*(Primal bound|Dual bound|Timing)\s+(\S+)", re.MULTILINE)


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def parse_progress(log: str) -> list[tuple[float, float, float | None]]:
    """(seconds, best solution, best bound) from the rows of HiGHS's branch-and-bound table."""
    progress = []
    for line in log.splitlines():
        tokens = line.split()
        if tokens and not tokens[0][0].isdigit():
            tokens = tokens[1:]  # the one-letter source of a new solution
        if len(tokens) < 9 or not tokens[3].endswith("%") or not tokens[-1].endswith("s"):
            continue
        seconds, bound, best = _number(tokens[-1][:-1]), _number(tokens[4]), _number(tokens[5])
        if seconds is not None and best is not None:
            progress.append((seconds, best, bound))
    return progress


def parse_report(log: str) -> dict[str, float]:
    """The final primal and dual bounds and HiGHS's own run time from its solving report."""
    values = {}
    for name, text in _REPORT.findall(log):
        number = _number(text)
        if number is not None:
            values[name] = number
    return values


@contextmanager
def _stdout_to(path: str) -> Iterator[None]:
    """Send this process's C-level stdout to ``path``: HiGHS logs there and OR-Tools gives no callback."""
    sys.stdout.flush()
    saved = os.dup(1)
    with open(path, "wb") as sink:
        os.dup2(sink.fileno(), 1)
    try:
        yield
    finally:
        ctypes.CDLL(None).fflush(None)
        os.dup2(saved, 1)
        os.close(saved)


def last_solution_ones(path: str) -> set[int] | None:
    """Columns at one in the last (best) solution of a HiGHS improving-solution file; None if it has none.

    The file holds every improving solution, dense, one "name value" line per column after an
    "Objective" and a "# Columns" line; only the last block is read.
    """
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return None
    with open(path, "rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as text:
        start = text.rfind(b"Objective")
        lines = text[start:].split(b"\n")[2:]  # after the "Objective" and "# Columns" lines
    ones = set()
    for column, line in enumerate(lines):
        value = line.rpartition(b" ")[2]
        if value not in (b"0", b"") and float(value) > 0.5:
            ones.add(column)
    return ones


@dataclass
class _Outcome:
    status: int
    log: str
    ones: set[int] | None  # columns at one in the best solution found; None when none was found


def _run(solver: pywraplp.Solver, time_limit_s: float, options: dict[str, object]) -> _Outcome:
    """Solve with HiGHS's log captured, keeping its improving solutions in a file.

    Through OR-Tools, HiGHS returns no solution at all when it stops at the time limit, so then the best
    one is read back from the improving-solution file instead.
    """
    solver.SetTimeLimit(max(1, int(time_limit_s * 1000)))
    solver.EnableOutput()  # HiGHS writes the improving solutions only with its output on
    with tempfile.TemporaryDirectory(prefix="highs-") as folder:
        log_path, solutions_path = os.path.join(folder, "log"), os.path.join(folder, "solutions")
        options = {**options, "mip_improving_solution_save": "true", "mip_improving_solution_file": solutions_path}
        solver.SetSolverSpecificParametersAsString("\n".join(f"{k}={v}" for k, v in options.items()))
        with _stdout_to(log_path):
            status = solver.Solve()
        with open(log_path, encoding="utf-8", errors="replace") as log:
            text = log.read()
        if status == pywraplp.Solver.OPTIMAL:  # also when presolve alone solved it and no file was written
            ones = {v.index() for v in solver.variables() if v.solution_value() > 0.5}
            return _Outcome(status, text, ones)
        return _Outcome(status, text, last_solution_ones(solutions_path))


# ---------------------------------------------------------------- the two entry points


def _read_plan(instance: Instance, model: _Model, ones: set[int]) -> dict[str, Assignment]:
    """The assignments of a solution given as the set of column indices at one."""
    premises = {p.id: p for p in instance.premises}
    providers = {p.id: p for p in instance.providers}
    plan = {r.id: (None, None, None) for r in instance.referrals}
    for c, x, key in zip(model.candidates, model.chosen, model.move_on_group):
        if x.index() in ones:
            picked = [pid for pid, m in model.move_on.get(key, ()) if m.index() in ones]
            plan[c.referral_id] = (c.premises_id, c.arrival, picked[0] if picked else None)
    assignments = {}
    for referral in instance.referrals:
        premises_id, arrival, provider_id = plan[referral.id]
        terms = referral_terms(instance, referral, premises.get(premises_id), arrival, providers.get(provider_id))
        assignments[referral.id] = Assignment(referral.id, premises_id, arrival, provider_id, terms)
    return assignments


def solve_mip(instance: Instance, params: SolverParams) -> Result:
    """Solve the placement MIP with HiGHS within ``params.time_limit_s`` (model building included).

    Large instances get CP-SAT's short list of cheapest candidates per referral and its few nearest
    move-on providers per placement; that model is a restriction, so its bound proves nothing and is not
    reported, as with CP-SAT. When HiGHS finds no solution in time, everybody is left unplaced (always
    feasible) with status unknown.
    """
    started = time.perf_counter()
    validate_instance(instance, params)
    candidates = build_candidates(instance, params)
    most = CANDIDATES_PER_REFERRAL if sum(map(len, candidates.values())) > UNPRUNED_UP_TO else None
    options, pruned = shortlist(candidates, most)
    model = _build(instance, options, True, _placement_group, PROVIDERS_PER_PLACE if pruned else None)
    built = time.perf_counter() - started
    outcome = _run(model.solver, params.time_limit_s - built, {"random_seed": params.seed,
                                                                "mip_rel_gap": params.target_gap})
    solved = time.perf_counter() - started
    report = parse_report(outcome.log)
    # building and handing the model to HiGHS; never less than building it (HiGHS's clock may run ahead of ours)
    offset = max(built, solved - report.get("Timing", solved - built))
    assignments = _read_plan(instance, model, outcome.ones or set())
    objective = sum(sum(a.terms.values()) for a in assignments.values()) + mix_overflow(instance, assignments)
    if outcome.ones is None:
        status = "unknown"
    else:
        status = "optimal" if outcome.status == pywraplp.Solver.OPTIMAL and not pruned else "feasible"

    def proven(bound: float | None) -> float | None:
        return None if pruned else bound

    return Result(
        method="highs",
        status=status,
        assignments=assignments,
        objective=objective,
        best_bound=proven(report.get("Dual bound")),
        timings={"build_s": built, "solve_s": solved - built, "total_s": solved},
        progress=[(offset + t, best, proven(bound)) for t, best, bound in parse_progress(outcome.log)],
    )


def lp_bound(instance: Instance, params: SolverParams) -> float:
    """A lower bound on every plan's objective: the LP relaxation over every candidate, none pruned.

    Move-on is relaxed further to one choice per referral and departure week, priced from the nearest
    candidate premises, which keeps the national LP small and can only lower the bound. Returns -inf when
    HiGHS cannot finish the LP within the time limit (an unfinished LP proves nothing).
    """
    validate_instance(instance, params)
    candidates = build_candidates(instance, params)
    model = _build(instance, candidates, False, _week_group, None)
    # The interior-point method (with crossover to an exact vertex) copes best with this degenerate LP.
    outcome = _run(model.solver, params.time_limit_s, {"random_seed": params.seed, "solver": "ipm"})
    if outcome.status != pywraplp.Solver.OPTIMAL:
        return -math.inf
    return _rounded_up(model.solver.Objective().Value())


@dataclass
class Relaxed:
    """The LP relaxation of the MIP over some candidates, solved."""

    values: list[tuple[Candidate, float]]  # each candidate's value
    reduced: list[float]  # each candidate's reduced cost, in the same order
    value: float  # the LP's value
    bound: float  # the LP's value rounded up: a lower bound on every plan using only these candidates

    def could_beat(self, objective: int) -> list[bool]:
        """Per candidate, whether a plan taking it could cost less than ``objective``: reduced-cost fixing.
        Any plan costs at least the LP's value plus the reduced costs of the candidates it takes that the
        LP leaves at nought (each at least nought at an optimal vertex), so a candidate whose reduced cost
        alone exceeds ``objective`` less that value is in no better plan (``LP_SLACK`` absorbs the LP's
        tolerances)."""
        absolute, relative = LP_SLACK
        room = objective - self.value + max(absolute, relative * abs(self.value))
        return [d <= room for d in self.reduced]


def lp_relaxation(instance: Instance, candidates: dict[str, list[Candidate]], time_limit_s: float) -> Relaxed | None:
    """The LP relaxation of this very MIP over ``candidates`` (every move-on provider offered); None when
    GLOP cannot finish it in time. GLOP, because HiGHS behind OR-Tools reports no reduced costs (and duals
    that do not price its basic columns at nought)."""
    model = _build(instance, candidates, False, _placement_group, None, solver="GLOP")
    model.solver.SetTimeLimit(max(1, int(time_limit_s * 1000)))
    if model.solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    value = model.solver.Objective().Value()
    return Relaxed([(c, x.solution_value()) for c, x in zip(model.candidates, model.chosen)],
                   [x.reduced_cost() for x in model.chosen], value, _rounded_up(value))


def _rounded_up(value: float) -> float:
    """An LP value as a bound on whole-number objectives, after HiGHS's tolerances (``LP_SLACK``)."""
    absolute, relative = LP_SLACK
    return float(math.ceil(value - max(absolute, relative * abs(value))))
