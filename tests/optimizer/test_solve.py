"""The public entry point: input checks first, dispatch to each method, the validator last."""

from dataclasses import replace

import pytest

import optimizer.solve as solve_module
from optimizer.checks import InvalidInstance
from optimizer.schema import Assignment, Point, Result, SolverParams
from optimizer.solve import METHODS, PlanRejected, solve
from optimizer.validator import validate

PARAMS = SolverParams(time_limit_s=5, workers=1, seed=1)


def two_people(build):
    premises = [build.premises("AP1", beds=1), build.premises("AP2", east_km=12, beds=1)]
    people = [build.referral("R1", notice=build.referral().notice, days_waiting=10), build.referral("R2", east_km=2)]
    return build.instance(premises, people)


def never_called(*_args, **_kwargs):
    raise AssertionError("a method ran before the input was checked")


BAD_INPUTS = {
    "unknown premises id": (lambda i: replace(i, residents=(replace(i.residents[0], premises_id="NOPE"),)),
                            "residents[0].premises_id"),
    "arrival window reversed": (lambda i: replace(i, referrals=(replace(i.referrals[0], earliest_arrival=5,
                                                                         latest_arrival=2),)),
                                "referrals[0]"),
    "negative stay": (lambda i: replace(i, referrals=(replace(i.referrals[0], length_of_stay=-3),)),
                      "referrals[0].length_of_stay"),
    "zone with no area": (lambda i: replace(i, referrals=(replace(
        i.referrals[0], exclusion_zones=(replace(i.referrals[0].exclusion_zones[0], radius_km=0.0),)),)),
                          "referrals[0].exclusion_zones[0]"),
    "self-intersecting polygon": (lambda i: replace(i, referrals=(replace(i.referrals[0], exclusion_zones=(
        replace(i.referrals[0].exclusion_zones[0], centre=None, radius_km=None,
                polygon=(Point(0, 0), Point(1, 1), Point(1, 0), Point(0, 1))),)),)),
                                  "referrals[0].exclusion_zones[0]"),
}


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_refused_naming_the_field_before_any_solving(build, monkeypatch, method, case):
    for name in ("greedy", "solve_cpsat"):
        monkeypatch.setattr(solve_module, name, never_called)
    monkeypatch.setattr("optimizer.mip.solve_mip", never_called)
    good = build.instance([build.premises()], [build.referral(exclusion_zones=(build.circle(20, 0, 1.0),))],
                          [build.resident()])
    spoil, field = BAD_INPUTS[case]
    with pytest.raises(InvalidInstance) as error:
        solve(spoil(good), PARAMS, method)
    assert error.value.field_path.startswith(field)
    assert str(error.value).startswith(error.value.field_path)


def test_an_unknown_method_is_refused(build):
    with pytest.raises(ValueError, match="method"):
        solve(two_people(build), PARAMS, "simplex")


@pytest.mark.parametrize("method", METHODS)
def test_every_method_returns_a_validated_plan_on_the_same_scale(build, method):
    instance = two_people(build)
    result = solve(instance, PARAMS, method)
    check = validate(instance, PARAMS, result.assignments)
    assert result.method == method and check.ok
    assert result.objective == check.objective
    assert set(result.assignments) == {"R1", "R2"}
    assert 0 < result.timings["time_to_first_s"] <= result.timings["total_s"]
    assert set(result.explanations) == {"R1", "R2"}


def test_cpsat_proves_a_tiny_plan_optimal_and_reports_its_progress(build):
    result = solve(two_people(build), PARAMS, "cpsat")
    assert result.status == "optimal" and result.best_bound == result.objective and result.gap == 0.0
    assert result.placed == 2
    objectives = [objective for _, objective, _ in result.progress]
    assert objectives == sorted(objectives, reverse=True) and objectives[-1] == result.objective
    times = [t for t, _, _ in result.progress]
    assert times == sorted(times) and result.timings["time_to_first_s"] == pytest.approx(times[0])


def test_a_plan_that_breaks_a_hard_rule_is_never_returned(build, monkeypatch):
    instance = two_people(build)
    overbooked = {r.id: Assignment(r.id, "AP1", 0, None) for r in instance.referrals}
    monkeypatch.setattr(solve_module, "greedy",
                        lambda *_: Result("greedy", "feasible", overbooked, 0, None))
    with pytest.raises(PlanRejected, match="AP1"):
        solve(instance, PARAMS, "greedy")
