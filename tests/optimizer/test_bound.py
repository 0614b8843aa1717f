"""The Lagrangian bound bounds every plan whatever the bed prices, and the LP's prices make it tight."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer.bound import lagrangian_bound, proves_optimal
from optimizer.candidates import build_candidates
from optimizer.capacity import base_capacity
from optimizer.generator import generate
from optimizer.greedy import greedy
from optimizer.model import solve_placements
from optimizer.schema import SolverParams
from optimizer.solve import solve

PARAMS = SolverParams(time_limit_s=4, workers=1, seed=5)
examples = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@examples
@given(data=st.data())
def test_any_bed_prices_bound_the_best_plan(small_instances, data):
    instance = data.draw(small_instances)
    candidates = build_candidates(instance, PARAMS)
    beds = base_capacity(instance)
    seed = data.draw(st.integers(0, 2**16))
    scale = data.draw(st.sampled_from([0.0, 10.0, 1e4, 1e6]))
    rng = np.random.default_rng(seed)
    prices = {(pid, s): scale * rng.random(beds.days) * (rng.random(beds.days) < 0.3)
              for row, pid in enumerate(beds.premises_ids) for s in range(beds.free[row].shape[0])}
    bound = lagrangian_bound(instance, candidates, prices)
    best = solve_placements(instance, PARAMS, candidates, 3, start_from=greedy(instance, PARAMS).assignments,
                            deterministic=True, prove=True)
    assert bound <= best.objective + 1e-6
    if best.status == "optimal" and best.settled:
        assert not proves_optimal(bound, best.objective + 1)


def test_cpsat_reports_a_bound_below_its_plan_and_optimal_only_when_the_bound_reaches_it():
    instance = generate("tiny", 2)
    result = solve(instance, SolverParams(time_limit_s=10, workers=1, seed=1), explain_plan=False)
    assert result.best_bound is not None and result.best_bound <= result.objective
    assert (result.status == "optimal") == proves_optimal(result.best_bound, result.objective)


def test_optimal_means_the_bound_rounded_up_reaches_the_objective():
    assert proves_optimal(29_921_022.5, 29_921_023)  # no whole number lies between
    assert proves_optimal(29_921_023.0, 29_921_023)
    assert not proves_optimal(29_921_021.999, 29_921_023)
    assert not proves_optimal(None, 0)
