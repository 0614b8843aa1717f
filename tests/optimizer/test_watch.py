"""A caller follows a solve through its Watch (every better plan) and can stop it early with its best plan."""

from dataclasses import replace

import pytest

from optimizer.generator import generate
from optimizer.schema import Progress, SolverParams, Watch
from optimizer.solve import METHODS, solve
from optimizer.validator import validate


class Recording(Watch):
    def __init__(self, stop_after: int | None = None):
        self.reports: list[Progress] = []
        self.stop_after = stop_after

    def improved(self, progress: Progress) -> None:
        self.reports.append(progress)

    def stopped(self) -> bool:
        return self.stop_after is not None and len(self.reports) >= self.stop_after


@pytest.mark.parametrize("method", METHODS)
def test_every_method_reports_its_final_plan(method):
    watch = Recording()
    result = solve(generate("tiny", 2), SolverParams(time_limit_s=5, workers=1, seed=1, watch=watch), method)
    assert watch.reports, "nothing was reported"
    assert watch.reports[-1].objective == result.objective or method == "cpsat"
    assert min(r.objective for r in watch.reports) == result.objective


def test_cpsat_reports_better_plans_in_order_with_how_many_they_place():
    watch = Recording()
    result = solve(generate("region", 1), SolverParams(time_limit_s=4, workers=1, seed=1, watch=watch))
    objectives = [r.objective for r in watch.reports]
    assert objectives == sorted(objectives, reverse=True)
    assert [r.seconds for r in watch.reports] == sorted(r.seconds for r in watch.reports)
    assert watch.reports[0].placed is not None and watch.reports[0].placed <= len(result.assignments)


def test_a_stopped_solve_returns_its_best_valid_plan_long_before_its_time_limit():
    instance = generate("region", 1)
    watch = Recording(stop_after=1)
    result = solve(instance, SolverParams(time_limit_s=120, workers=2, seed=1, watch=watch))
    assert result.timings["total_s"] < 60  # a search left alone would run its two minutes
    assert result.objective == watch.reports[0].objective or result.objective < watch.reports[0].objective
    assert len(result.assignments) == len(instance.referrals)


def test_watching_does_not_change_the_plan():
    """On greedy, whose plan depends on nothing but the instance (CP-SAT's LP step watches the clock)."""
    instance = generate("tiny", 3)
    params = SolverParams(time_limit_s=5, workers=1, seed=1)
    watched = replace(params, watch=Recording())
    assert solve(instance, params, "greedy").assignments == solve(instance, watched, "greedy").assignments


def test_the_plans_reported_are_complete_and_pass_the_validator():
    instance = generate("region", 2)
    params = SolverParams(time_limit_s=6, workers=1, seed=1, watch=Recording())
    solve(instance, params)
    with_plans = [r for r in params.watch.reports if r.plan is not None]
    assert with_plans, "no plan was reported"
    for report in with_plans:
        assert validate(instance, params, report.plan).ok
        assert sum(1 for a in report.plan.values() if a.premises_id is not None) == report.placed
