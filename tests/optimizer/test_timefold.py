"""The Timefold peer (a bench extra: skipped where its package or Java is missing) keeps every hard rule."""

import shutil

import pytest

from optimizer.generator import generate
from optimizer.greedy import greedy
from optimizer.schema import SolverParams
from optimizer.validator import validate

pytest.importorskip("timefold")
if shutil.which("java") is None:
    pytest.skip("the Timefold peer needs Java 17 or later", allow_module_level=True)

from optimizer.timefold_peer import solve_timefold  # noqa: E402  (only once timefold is known to be there)


def test_timefold_plans_are_valid_and_never_worse_than_greedy_where_they_start():
    instance = generate("tiny", 2)
    params = SolverParams(time_limit_s=10, workers=1, seed=1)
    result = solve_timefold(instance, params)
    check = validate(instance, params, result.assignments)
    assert check.ok, check.violations
    assert check.objective == result.objective <= greedy(instance, params).objective
    assert set(result.assignments) == {r.id for r in instance.referrals}
