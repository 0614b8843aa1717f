"""Column generation: every round's bound holds for every plan, and once converged it is the full LP's value."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer.bound import Relaxation
from optimizer.candidates import build_candidates, shortlist
from optimizer.capacity import base_capacity
from optimizer.generator import generate
from optimizer.greedy import greedy
from optimizer.model import solve_placements
from optimizer.pricing import priced_bound
from optimizer.rounding import lp_values
from optimizer.schema import SolverParams

PARAMS = SolverParams(time_limit_s=4, workers=1, seed=5)
examples = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def full_lp_value(instance, candidates) -> float:
    """The LP of who gets a bed over every candidate at once (GLOP's simplex, where column generation uses
    HiGHS's interior point method and crossover), the value column generation must end up at."""
    solved = lp_values(instance, {r.id: r for r in instance.referrals}, candidates, base_capacity(instance), 60)
    return Relaxation(instance, candidates).constant + solved.value


@examples
@given(data=st.data())
def test_the_priced_bound_never_exceeds_the_best_plan(small_instances, data):
    instance = data.draw(small_instances)
    candidates = build_candidates(instance, PARAMS)
    first, _ = shortlist(candidates, data.draw(st.integers(1, 3)))
    priced = priced_bound(instance, candidates, 30, first=first)
    best = solve_placements(instance, PARAMS, candidates, 3, start_from=greedy(instance, PARAMS).assignments,
                            deterministic=True, prove=True)
    assert priced.bound <= best.objective + 1e-6


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_on_the_tiny_tier_the_priced_bound_is_below_the_proved_optimum(seed):
    instance = generate("tiny", seed)
    candidates = build_candidates(instance, PARAMS)
    best = solve_placements(instance, SolverParams(time_limit_s=30, workers=1, seed=1), candidates, 30,
                            start_from=greedy(instance, PARAMS).assignments, deterministic=True, prove=True)
    assert best.status == "optimal" and best.settled
    priced = priced_bound(instance, candidates, 60)
    assert priced.converged
    assert priced.bound <= best.objective + 1e-6


@pytest.mark.parametrize("tier, seed", [("tiny", 1), ("tiny", 4), ("region", 1), ("region", 2)])
def test_converged_it_equals_the_lp_over_every_candidate(tier, seed):
    instance = generate(tier, seed)
    candidates = build_candidates(instance, PARAMS)
    first, pruned = shortlist(candidates, 1)
    assert pruned
    progress = []
    priced = priced_bound(instance, candidates, 120, first=first, on_bound=lambda s, b: progress.append(b))
    assert priced.converged and priced.rounds > 1
    assert progress == sorted(progress) and progress[-1] == priced.bound
    full = full_lp_value(instance, candidates)
    assert priced.lp_value == pytest.approx(full, rel=1e-7)
    assert priced.bound == pytest.approx(full, rel=1e-7)
    assert priced.bound <= full + 1e-6 * abs(full)


def test_stopped_early_it_returns_the_bound_without_prices():
    instance = generate("tiny", 1)
    candidates = build_candidates(instance, PARAMS)
    priced = priced_bound(instance, candidates, 0)
    assert (priced.rounds, priced.converged) == (0, False)
    assert priced.bound == Relaxation(instance, candidates).bound({})


def test_it_stops_once_the_bound_is_close_enough_to_the_restricted_lp():
    instance = generate("tiny", 1)
    candidates = build_candidates(instance, PARAMS)
    first, _ = shortlist(candidates, 1)
    priced = priced_bound(instance, candidates, 60, first=first, close_enough=1.0)
    assert (priced.rounds, priced.converged) == (1, False)
    assert priced.bound <= full_lp_value(instance, candidates) <= priced.lp_value
