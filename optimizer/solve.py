"""The public entry point: ``solve(instance, params, method)`` for "cpsat", "greedy" or "highs".

Every method starts with the input checks (a clear error naming the bad field, before any solving) and
ends with the independent validator: a plan that breaks a hard rule is never returned, and the objective
reported is the validator's own number, on the same scale for every method.

CP-SAT starts from greedy, today's practice, which gives a complete plan within seconds (the first
solution). The rounded LP relaxation then settles who gets a bed far better than greedy does (beyond
LP_COLUMNS candidates, the same LP over every candidate by column generation, its values booked in order,
its bound valid and tight, the referrals it leaves fractional searched first). A small
problem is then solved whole by CP-SAT, lexicographically, from that plan as a complete hint, and proved
optimal when time allows; a larger one is improved by the neighbourhood search, by region and by week,
each neighbourhood solved by CP-SAT with everybody else held in place.
"""

from __future__ import annotations

import time
from dataclasses import replace

from optimizer.bound import Relaxation, proves_optimal
from optimizer.candidates import Candidate, build_candidates, shortlist
from optimizer.checks import validate_instance
from optimizer.costs import objective as costs_objective
from optimizer.explain import explain
from optimizer.greedy import greedy
from optimizer.lns import improve
from optimizer.mip import UNPRUNED_UP_TO, Relaxed, lp_relaxation, solve_mip
from optimizer.model import solve_placements
from optimizer.pricing import FIRST_PER_REFERRAL, priced_bound
from optimizer.rounding import WHOLE, plan_from_values, rounded_plan
from optimizer.schema import Assignment, Instance, Progress, Result, SolverParams, placed_in
from optimizer.validator import validate

METHODS = ("cpsat", "greedy", "highs")
WHOLE_MODEL_UP_TO = 5_000  # candidates in all: up to this many one model holds the whole problem (and
# can be proved optimal); beyond, neighbourhoods improve on the rounded LP faster than one big model does
# Up to LP_COLUMNS candidates in all, the rounded LP holds every one; beyond, column generation
# (optimizer.pricing) solves the same LP over every candidate from a short list and its values are booked.
LP_COLUMNS = 75_000
LP_CLOSE_ENOUGH = 1e-4  # column generation stops this close to the LP's value: its last rounds gain little
LP_SHARE = 0.8  # of the time left after greedy and candidates, at most, for the LP: the national LP takes
# half a minute on a busy 2-core machine, and without it the search starts from greedy's plan, far worse
# Up to this many candidates in all, the LP relaxation of the whole MIP (move-on places and the mix
# included) is solved in a second or two and starts the neighbourhood search far closer to the best plan.
EXACT_LP_UP_TO = UNPRUNED_UP_TO
FRACTIONAL = 1e-6  # LP values between this and WHOLE are fractional
SUPPORT_CHEAPEST = 2  # each referral's cheapest candidates join the exact LP's in the support model
SUPPORT_SHARE = 0.25  # of the search's time, at most, for the first support model (the second may use the rest)
SEARCH_SHARE_WITH_ONE_WORKER = 0.8  # of the time limit, counted deterministically (the rest: greedy, the LP)


class PlanRejected(RuntimeError):
    """A method produced a plan that the validator rejects: a bug, never shown to anybody."""


def solve(
    instance: Instance, params: SolverParams = SolverParams(), method: str = "cpsat", explain_plan: bool = True
) -> Result:
    """The plan of ``method`` for ``instance``, validated, with its explanations (each worked out when it
    is first read) unless ``explain_plan`` is False."""
    if method not in METHODS:
        raise ValueError(f"method: unknown method {method!r}, expected one of {', '.join(METHODS)}")
    validate_instance(instance, params)
    started = time.perf_counter()
    if method == "greedy":
        result = greedy(instance, params)
    elif method == "highs":
        result = solve_mip(instance, params)
    else:
        result = solve_cpsat(instance, params)
    result = refereed(instance, params, result)
    if method != "cpsat":  # CP-SAT reports as it goes; the others only have their final plan
        params.watch.improved(Progress(result.progress[-1][0] if result.progress else 0.0, result.objective,
                                       result.best_bound, result.placed, result.assignments))
    result.timings.setdefault("time_to_first_s", result.progress[0][0] if result.progress else None)
    result.timings["total_s"] = time.perf_counter() - started
    if explain_plan:
        result.explanations = explain(instance, params, result)
    return result


def refereed(instance: Instance, params: SolverParams, result: Result) -> Result:
    """Check the plan with the validator and report the validator's objective and terms."""
    begun = time.perf_counter()
    verdict = validate(instance, params, result.assignments)
    if not verdict.ok:
        raise PlanRejected(f"{result.method} plan breaks hard rules: " + "; ".join(verdict.violations[:5]))
    result.assignments = {rid: replace(a, terms=verdict.terms.get(rid, a.terms)) for rid, a in result.assignments.items()}
    result.objective = verdict.objective
    result.timings["validate_s"] = time.perf_counter() - begun
    return result


def _round_relaxation(
    instance: Instance,
    params: SolverParams,
    candidates: dict[str, list[Candidate]],
    plan: dict[str, Assignment],
    objective: int,
    time_limit_s: float,
    record,
) -> tuple[dict[str, Assignment], int, float | None]:
    """The rounded LP relaxation over every candidate, when it beats ``plan``; also the lower bound its
    bed prices give (the LP's value)."""
    rounded = rounded_plan(instance, candidates, time_limit_s)
    if rounded is None:
        return plan, objective, None
    relaxation = Relaxation(instance, candidates)
    bound = max(relaxation.bound(rounded.prices), relaxation.bound({}))  # the LP's prices may do worse than none
    value = costs_objective(instance, rounded.plan)
    if value >= objective:
        return plan, objective, bound
    record(value, bound, rounded.plan)
    return rounded.plan, value, bound


def _priced_relaxation(
    instance: Instance,
    candidates: dict[str, list[Candidate]],
    plan: dict[str, Assignment],
    objective: int,
    time_limit_s: float,
    record,
) -> tuple[dict[str, Assignment], int, float, frozenset[str] | None]:
    """The LP of who gets a bed over every candidate by column generation, from each referral's cheapest few
    and ``plan``'s choice: its last round's values booked in order (a plan, when it beats ``plan``), the
    referrals it leaves fractional (where the search looks first) and its bound, valid however few rounds
    finished in ``time_limit_s``."""
    first, _ = shortlist(candidates, FIRST_PER_REFERRAL, plan)
    priced = priced_bound(instance, candidates, time_limit_s, first=first, close_enough=LP_CLOSE_ENOUGH)
    if not priced.values:
        return plan, objective, priced.bound, None
    start = plan_from_values(instance, candidates, priced.values)
    value = costs_objective(instance, start)
    if value < objective:
        plan, objective = start, value
    record(objective, priced.bound, plan)
    return plan, objective, priced.bound, frozenset(c.referral_id for c, v in priced.values if FRACTIONAL < v < WHOLE)


def _exact_relaxation(
    instance: Instance,
    candidates: dict[str, list[Candidate]],
    plan: dict[str, Assignment],
    objective: int,
    bound: float | None,
    time_limit_s: float,
    record,
) -> tuple[dict[str, Assignment], int, float | None, Relaxed | None]:
    """The LP relaxation of the whole problem (every candidate, move-on places and mix caps, as in the MIP):
    nearly integral, so booking its values gives a plan close to the best, its reduced costs say which
    candidates any better plan can use (see ``_support_model``), and its value is a lower bound."""
    relaxed = lp_relaxation(instance, candidates, time_limit_s)
    if relaxed is None:
        return plan, objective, bound, None
    bound = relaxed.bound if bound is None else max(bound, relaxed.bound)
    start = plan_from_values(instance, candidates, relaxed.values)
    value = costs_objective(instance, start)
    if value < objective:
        plan, objective = start, value
    record(objective, bound, plan)
    return plan, objective, bound, relaxed


def _support_models(
    instance: Instance,
    params: SolverParams,
    candidates: dict[str, list[Candidate]],
    relaxed: Relaxed,
    plan: dict[str, Assignment],
    objective: int,
    time_limit_s: float,
    deterministic: bool,
) -> tuple[dict[str, Assignment], int, float | None, float]:
    """The whole problem over few candidates, twice, each solved at once on the weighted objective: first
    over those the exact LP uses, each referral's cheapest few and ``plan``'s; then over every candidate
    that could still be in a better plan by the LP's reduced costs. The LP is nearly integral, so the first
    model holds a plan close to the best (region seed 1: from 104.3 M to within 63 of HiGHS's proven optimum
    of 102,482,124 in half a second, where neighbourhoods of 150 referrals, everybody else held, cannot move
    whole chains of people); the gap left is small, so the second model is small too, and every candidate
    it leaves out is in no better plan: its bound bounds every plan, and its optimum is the whole problem's
    (region seed 1: 102,482,124 proven in two seconds). Also returns that bound (None when the second model
    found none) and the work done (seconds of one worker), within ``time_limit_s`` in all."""
    started = time.perf_counter()
    used = {_key(c) for c, v in relaxed.values if v > FRACTIONAL}
    plan, objective, _, work_s = _support_model(instance, params, candidates, used, SUPPORT_CHEAPEST, plan,
                                                objective, SUPPORT_SHARE * time_limit_s, deterministic)
    could_beat = {_key(c) for (c, _), beats in zip(relaxed.values, relaxed.could_beat(objective)) if beats}
    left_s = time_limit_s - (work_s if deterministic else time.perf_counter() - started)
    plan, objective, bound, more_s = _support_model(instance, params, candidates, could_beat, 0, plan, objective,
                                                    left_s, deterministic)
    return plan, objective, bound, work_s + more_s


def _key(c: Candidate) -> tuple[str, str, int]:
    return c.referral_id, c.premises_id, c.arrival


def _support_model(
    instance: Instance,
    params: SolverParams,
    candidates: dict[str, list[Candidate]],
    wanted: set[tuple[str, str, int]],
    cheapest: int,
    plan: dict[str, Assignment],
    objective: int,
    time_limit_s: float,
    deterministic: bool,
) -> tuple[dict[str, Assignment], int, float | None, float]:
    """The whole problem over the candidates ``wanted``, each referral's ``cheapest`` few and ``plan``'s,
    with every move-on provider, on the weighted objective with one worker (two had reached only
    102,595,345 after ten seconds on region seed 1, where one needs half a second); also the least of
    ``objective`` and the model's bound, which bounds every plan when every better one lies in the model,
    and the work done."""
    options = {}
    for rid, listed in candidates.items():
        a = plan.get(rid)
        options[rid] = [c for i, c in enumerate(listed) if i < cheapest or _key(c) in wanted
                        or (a is not None and (c.premises_id, c.arrival) == (a.premises_id, a.arrival))]
    outcome = solve_placements(instance, replace(params, workers=1), options, max(0.0, time_limit_s),
                               start_from=plan, deterministic=deterministic, weighted=True, every_provider=True)
    bound = None if outcome.bound is None else min(float(objective), outcome.bound)
    if outcome.objective is not None and outcome.objective < objective:
        return outcome.assignments, outcome.objective, bound, outcome.work_s
    return plan, objective, bound, outcome.work_s


def solve_cpsat(instance: Instance, params: SolverParams) -> Result:
    started = time.perf_counter()
    deadline = started + params.time_limit_s
    deterministic = params.workers == 1
    progress: list[tuple[float, float, float | None]] = []
    spent_s = 0.0  # work counted against the search with one worker, in seconds of one worker

    def record(objective: int, bound: float | None = None, plan: dict[str, Assignment] | None = None) -> None:
        if not progress or objective < progress[-1][1]:
            seconds = time.perf_counter() - started
            progress.append((seconds, float(objective), bound))
            params.watch.improved(Progress(seconds, objective, bound, None if plan is None else placed_in(plan),
                                           None if plan is None else dict(plan)))

    def time_left() -> float:
        """Wall-clock time left; with one worker, a fixed share of the limit less the work counted so far
        instead (then searches count deterministic time and steps, so the plan cannot depend on how busy the
        machine is)."""
        if deterministic:
            return max(0.0, SEARCH_SHARE_WITH_ONE_WORKER * params.time_limit_s - spent_s)
        return max(0.0, deadline - time.perf_counter())

    baseline = greedy(instance, params)
    record(baseline.objective, None, baseline.assignments)
    plan, objective = baseline.assignments, baseline.objective
    candidates = build_candidates(instance, params)
    ready_s = time.perf_counter() - started
    fractional = None
    if sum(map(len, candidates.values())) <= LP_COLUMNS:
        plan, objective, lp_bound = _round_relaxation(instance, params, candidates, plan, objective,
                                                      LP_SHARE * max(0.0, deadline - time.perf_counter()), record)
    else:
        plan, objective, lp_bound, fractional = _priced_relaxation(
            instance, candidates, plan, objective, LP_SHARE * max(0.0, deadline - time.perf_counter()), record)
    bound = lp_bound
    if sum(map(len, candidates.values())) <= WHOLE_MODEL_UP_TO:
        outcome = solve_placements(instance, params, candidates, time_left(),
                                   start_from=plan, on_solution=lambda _, value: record(value, lp_bound),
                                   deterministic=deterministic, prove=True)
        if outcome.objective is not None and outcome.objective <= objective:
            plan, objective = outcome.assignments, outcome.objective
            bound = max((b for b in (lp_bound, outcome.bound) if b is not None), default=None)
    else:
        if sum(map(len, candidates.values())) <= EXACT_LP_UP_TO:
            plan, objective, bound, relaxed = _exact_relaxation(
                instance, candidates, plan, objective, bound, LP_SHARE * max(0.0, deadline - time.perf_counter()),
                record)
            if relaxed is not None:
                fractional = frozenset(c.referral_id for c, v in relaxed.values if FRACTIONAL < v < WHOLE)
                plan, objective, support_bound, spent_s = _support_models(
                    instance, params, candidates, relaxed, plan, objective, time_left(), deterministic)
                bound = max((b for b in (bound, support_bound) if b is not None), default=None)
                record(objective, bound, plan)
        plan, objective = improve(instance, params, candidates, plan, objective, time_left(), record,
                                  deterministic=deterministic, first=fractional, bound=bound)
    plan = {r.id: plan.get(r.id, Assignment(r.id, None, None, None)) for r in instance.referrals}
    if bound is not None:
        bound = min(bound, objective)
        progress.append((time.perf_counter() - started, float(objective), bound))
        params.watch.improved(Progress(progress[-1][0], objective, bound, placed_in(plan), plan))
    return Result(
        method="cpsat",
        status="optimal" if proves_optimal(bound, objective) else "feasible",
        assignments=plan,
        objective=objective,
        best_bound=bound,
        timings={"time_to_first_s": progress[0][0], "candidates_s": ready_s - progress[0][0],
                 "search_s": time.perf_counter() - started - ready_s},
        progress=progress,
    )
