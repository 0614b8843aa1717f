"""The rounded LP start and the neighbourhood search: valid plans, never worse, bounds that bound."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import optimizer.solve as solve_module
from optimizer.bound import lagrangian_bound, proves_optimal
from optimizer.candidates import build_candidates
from optimizer.generator import generate
from optimizer.greedy import greedy
from optimizer.lns import improve, neighbourhoods, undecided
from optimizer.mip import lp_relaxation
from optimizer.model import solve_placements
from optimizer.rounding import plan_from_values, rounded_plan
from optimizer.schema import SolverParams
from optimizer.solve import solve
from optimizer.validator import validate

PARAMS = SolverParams(time_limit_s=4, workers=1, seed=5)
examples = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@examples
@given(data=st.data())
def test_the_rounded_lp_gives_a_valid_plan_and_a_true_lower_bound(small_instances, data):
    instance = data.draw(small_instances)
    candidates = build_candidates(instance, PARAMS)
    rounded = rounded_plan(instance, candidates, 10)
    check = validate(instance, PARAMS, rounded.plan)
    assert check.ok, check.violations
    best = solve_placements(instance, PARAMS, candidates, 3, start_from=rounded.plan, deterministic=True,
                            prove=True)
    bound = lagrangian_bound(instance, candidates, rounded.prices)
    if best.status == "optimal":
        assert bound <= best.objective + 1e-6
    assert bound <= check.objective + 1e-6


def test_the_rounded_lp_places_more_people_than_greedy_on_a_crowded_tier():
    instance = generate("tiny", 2)
    rounded = rounded_plan(instance, build_candidates(instance, PARAMS), 10)
    placed = sum(1 for a in rounded.plan.values() if a.premises_id is not None)
    assert placed >= greedy(instance, PARAMS).placed


def test_neighbourhoods_are_regions_and_weeks_of_bounded_size():
    instance = generate("tiny", 1)
    hoods = neighbourhoods(instance, most=10)
    assert hoods and all(2 <= len(h.referral_ids) <= 10 for h in hoods)
    assert {h.name.split()[0] for h in hoods} == {"region", "week"}
    everybody = {r.id for r in instance.referrals}
    assert set().union(*(h.referral_ids for h in hoods if h.name.startswith("week"))) <= everybody


def test_the_neighbourhood_search_never_makes_a_plan_worse_or_invalid():
    instance = generate("tiny", 1)
    start = greedy(instance, PARAMS)
    plan, objective = improve(instance, PARAMS, build_candidates(instance, PARAMS), start.assignments,
                              start.objective, budget_s=3, step_s=1, deterministic=True)
    check = validate(instance, PARAMS, plan)
    assert check.ok, check.violations
    assert check.objective == objective <= start.objective


def test_the_search_path_is_deterministic_with_one_worker(monkeypatch):
    monkeypatch.setattr(solve_module, "WHOLE_MODEL_UP_TO", 0)  # force the neighbourhood search on a tiny tier
    instance = generate("tiny", 4)
    params = SolverParams(time_limit_s=4, workers=1, seed=3)
    first = solve(instance, params, "cpsat", explain_plan=False)
    second = solve(instance, params, "cpsat", explain_plan=False)
    assert first.assignments == second.assignments
    assert first.objective <= greedy(instance, params).objective


def test_the_search_stops_at_once_when_the_plan_already_reaches_a_lower_bound():
    instance = generate("tiny", 1)
    start = greedy(instance, PARAMS)
    plan, objective = improve(instance, PARAMS, build_candidates(instance, PARAMS), start.assignments,
                              start.objective, budget_s=30, deterministic=True, bound=start.objective - 0.5)
    assert (plan, objective) == (start.assignments, start.objective)


def test_undecided_referrals_are_searched_region_by_region_in_bounded_parts():
    instance = generate("region", 1)
    first = frozenset(r.id for r in instance.referrals[::3])
    hoods = undecided(instance, first, most=20)
    region_of = {r.id: r.region for r in instance.referrals}
    assert hoods and all(2 <= len(h.referral_ids) <= 20 for h in hoods)
    assert all(len({region_of[rid] for rid in h.referral_ids}) == 1 for h in hoods)
    assert set().union(*(h.referral_ids for h in hoods)) <= first
    assert sum(map(len, (h.referral_ids for h in hoods))) >= len(first) - len(set(region_of.values()))


def test_beyond_the_lps_columns_the_priced_lp_starts_the_search_with_a_bound_below_the_plan(monkeypatch):
    monkeypatch.setattr(solve_module, "LP_COLUMNS", 0)  # column generation on a tiny tier
    monkeypatch.setattr(solve_module, "WHOLE_MODEL_UP_TO", 0)
    instance = generate("tiny", 2)
    params = SolverParams(time_limit_s=6, workers=1, seed=3)
    result = solve(instance, params, "cpsat", explain_plan=False)
    assert validate(instance, params, result.assignments).ok
    assert result.best_bound is not None and result.best_bound <= result.objective
    assert result.best_bound > lagrangian_bound(instance, build_candidates(instance, params), {})
    assert result.objective <= greedy(instance, params).objective


def test_the_support_model_improves_on_the_booked_exact_lp_and_never_breaks_a_rule():
    instance = generate("region", 1)
    params = SolverParams(time_limit_s=20, workers=1, seed=1)
    candidates = build_candidates(instance, params)
    relaxed = lp_relaxation(instance, candidates, 30)
    booked = plan_from_values(instance, candidates, relaxed.values)
    booked_objective = validate(instance, params, booked).objective
    plan, objective, bound, _ = solve_module._support_models(instance, params, candidates, relaxed, booked,
                                                             booked_objective, 16, deterministic=True)
    check = validate(instance, params, plan)
    assert check.ok, check.violations
    assert relaxed.bound <= check.objective == objective < booked_objective
    assert bound == objective == 102_482_124  # proven optimal: HiGHS's optimum of the whole problem


@examples
@given(data=st.data())
def test_the_support_models_bound_holds_and_its_proven_plan_is_the_optimum(small_instances, data):
    instance = data.draw(small_instances)
    candidates = build_candidates(instance, PARAMS)
    relaxed = lp_relaxation(instance, candidates, 10)
    best = solve_placements(instance, PARAMS, candidates, 5, start_from=plan_from_values(instance, candidates,
                            relaxed.values), deterministic=True, weighted=True, every_provider=True)
    assert best.status == "optimal"
    greedy_plan = greedy(instance, PARAMS)
    plan, objective, bound, _ = solve_module._support_models(instance, PARAMS, candidates, relaxed,
                                                             greedy_plan.assignments, greedy_plan.objective, 5,
                                                             deterministic=True)
    assert validate(instance, PARAMS, plan).objective == objective >= best.objective
    assert relaxed.bound <= best.objective
    assert bound is not None and bound <= best.objective + 1e-6
    if proves_optimal(bound, objective):
        assert objective == best.objective
