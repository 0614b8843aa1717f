"""The public entry point: ``solve(instance, params, method)`` for "cpsat", "greedy" or "highs".

Every method starts with the input checks (a clear error naming the bad field, before any solving) and
ends with the independent validator: a plan that breaks a hard rule is never returned, and the objective
reported is the validator's own number, on the same scale for every method.

CP-SAT runs in four steps, each starting from the best plan so far:
1. greedy, today's practice, gives a complete plan within a couple of seconds (the first solution);
2. the whole problem on a short list of each referral's cheapest candidates, hinted with that plan;
3. a neighbourhood search by region and by week with every candidate, until the time limit;
4. explanations of the final plan.
"""

from __future__ import annotations

import time
from dataclasses import replace

from optimizer.candidates import Candidate, build_candidates
from optimizer.capacity import per_instance
from optimizer.checks import validate_instance
from optimizer.explain import explain
from optimizer.greedy import greedy
from optimizer.lns import improve
from optimizer.model import PlacementModel, shortlist
from optimizer.schema import Assignment, Instance, Result, SolverParams
from optimizer.validator import validate

METHODS = ("cpsat", "greedy", "highs")
CANDIDATES_PER_REFERRAL = 30  # the whole-problem model's short list; the neighbourhoods see more
UNPRUNED_UP_TO = 40_000  # candidates in all: up to this many the whole-problem model keeps every one
WHOLE_MODEL_SHARE = 0.5  # of the time left after greedy; the rest goes to the neighbourhood search


class PlanRejected(RuntimeError):
    """A method produced a plan that the validator rejects: a bug, never shown to anybody."""


def solve(
    instance: Instance, params: SolverParams = SolverParams(), method: str = "cpsat", explain_plan: bool = True
) -> Result:
    if method not in METHODS:
        raise ValueError(f"method: unknown method {method!r}, expected one of {', '.join(METHODS)}")
    validate_instance(instance, params)
    started = time.perf_counter()
    if method == "greedy":
        result = greedy(instance, params)
    elif method == "highs":
        from optimizer.mip import solve_mip

        result = solve_mip(instance, params)
    else:
        result = solve_cpsat(instance, params)
    result = refereed(instance, params, result)
    result.timings.setdefault("time_to_first_s", result.progress[0][0] if result.progress else None)
    result.timings["total_s"] = time.perf_counter() - started
    if explain_plan:
        begun = time.perf_counter()
        result.explanations = explain(instance, params, result)
        result.timings["explain_s"] = time.perf_counter() - begun
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


def candidates_for(instance: Instance, params: SolverParams) -> dict[str, list[Candidate]]:
    """Candidates, built once per instance and exclusion buffer (greedy, the model and the search share them)."""
    return per_instance(instance, f"candidates@{params.exclusion_buffer_km}", lambda: build_candidates(instance, params))


def solve_cpsat(instance: Instance, params: SolverParams) -> Result:
    started = time.perf_counter()
    deadline = started + params.time_limit_s
    deterministic = params.workers == 1
    progress: list[tuple[float, float, float | None]] = []

    def record(objective: int, bound: float | None = None) -> None:
        if not progress or objective < progress[-1][1]:
            progress.append((time.perf_counter() - started, float(objective), bound))

    baseline = greedy(instance, params)
    record(baseline.objective)
    first_s = progress[0][0]
    candidates = candidates_for(instance, params)
    plan, objective = baseline.assignments, baseline.objective
    most = CANDIDATES_PER_REFERRAL if sum(map(len, candidates.values())) > UNPRUNED_UP_TO else None
    options, pruned = shortlist(candidates, most, plan)
    model = PlacementModel(instance, params, options, keep=plan)
    built_s = time.perf_counter() - started
    model.hint(plan)
    whole_s = (WHOLE_MODEL_SHARE if pruned else 1.0) * max(0.0, deadline - time.perf_counter())
    outcome = model.solve(whole_s, lambda _, value: record(value), deterministic, prove=not pruned)
    status, bound = "feasible", None
    if outcome.objective is not None and outcome.objective < objective:
        plan, objective = outcome.assignments, outcome.objective
    if not pruned:
        bound = outcome.bound
        status = "optimal" if outcome.status == "optimal" else status
    if pruned:
        plan, objective = improve(instance, params, candidates, plan, objective,
                                  max(0.0, deadline - time.perf_counter()), record, deterministic=deterministic)
    plan = {r.id: plan.get(r.id, Assignment(r.id, None, None, None)) for r in instance.referrals}
    if bound is not None:
        progress.append((time.perf_counter() - started, float(objective), bound))
    return Result(
        method="cpsat",
        status=status,
        assignments=plan,
        objective=objective,
        best_bound=bound,
        timings={"time_to_first_s": first_s, "build_s": built_s - first_s,
                 "solve_s": time.perf_counter() - started - built_s},
        progress=progress,
    )
