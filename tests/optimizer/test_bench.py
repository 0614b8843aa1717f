"""The benchmark's shape and arithmetic (never its timings: figures come from running it, not from tests)."""

from __future__ import annotations

import json
import math
import time

import pytest

from optimizer import bench
from optimizer.schema import Result

RUN_FIELDS = {"status", "placed", "unplaced", "objective", "bound", "gap", "time_to_first_s", "time_to_1pct_s",
              "wall_s", "peak_rss_mb", "validated", "violations"}


def test_cli_on_the_tiny_tier_writes_a_well_formed_record_and_plot(tmp_path, capsys):
    out, picture = tmp_path / "tiny-1.json", tmp_path / "tiny-1.png"
    argv = ["--tier", "tiny", "--seed", "1", "--time-limit", "2", "--workers", "1", "--json", str(out),
            "--plot", str(picture), "--methods", "greedy,highs", "--lp-time-limit", "60", "--bound-time-limit", "30"]
    assert bench.main(argv) == 0
    record = json.loads(out.read_text())
    assert set(record) == {"tier", "seed", "instance", "lp_bound", "priced_bound", "best_bound", "runs"}
    priced = record["priced_bound"]
    assert priced["bound"] <= priced["lp_value"] <= (1 + bench.PRICED_CLOSE_ENOUGH) * priced["bound"]
    assert priced["bound"] <= record["best_bound"]
    assert (record["tier"], record["seed"]) == ("tiny", 1)
    assert set(record["instance"]) == {"premises", "beds", "residents", "referrals", "horizon_days"}
    assert record["instance"]["premises"] == 5
    assert set(record["runs"]) == {"greedy", "highs"}
    for run in record["runs"].values():
        assert set(run) == RUN_FIELDS
        assert run["validated"] and run["violations"] == []
        assert run["placed"] + run["unplaced"] == record["instance"]["referrals"]
        assert record["lp_bound"] <= record["best_bound"] <= run["objective"]
        assert run["gap"] >= 0 and run["peak_rss_mb"] > 0
    assert picture.stat().st_size > 0
    assert "greedy" in capsys.readouterr().out

    assert bench.main(["--summarise", str(out), str(out)]) == 0
    summary = capsys.readouterr().out
    assert "tiny tier, median over 2 seed(s)" in summary
    assert "priced bound: median" in summary and "at the LP on 2 of 2" in summary


def result(progress, objective=100, bound=None) -> Result:
    return Result("cpsat", "feasible", {}, objective, bound, progress=progress)


def test_time_to_one_percent_is_read_off_the_trace_against_the_best_bound():
    trace = [(0.5, 200.0, 50.0), (1.5, 100.9, 90.0), (3.0, 100.5, 99.0)]
    assert bench.time_to_gap(result(trace), 10.0, bound=100.0, gap=0.01) == 1.5
    assert bench.time_to_gap(result(trace), 10.0, bound=None, gap=0.01) is None
    assert bench.time_to_gap(result([], objective=100), 4.0, bound=99.5, gap=0.01) == 4.0  # no trace: at the end


def test_best_bound_ignores_missing_and_infinite_bounds():
    assert bench.best_bound(None, float("-inf"), 7.0, 3.0) == 7.0
    assert bench.best_bound(None) is None
    assert bench.relative_gap(110.0, 99.0) == 0.1


def record(seed, cpsat, greedy, highs=None) -> dict:
    def run(objective, placed):
        return {"status": "feasible", "placed": placed, "unplaced": 10 - placed, "objective": objective,
                "bound": None, "gap": 0.01, "time_to_first_s": 1.0, "time_to_1pct_s": 2.0, "wall_s": 5.0,
                "peak_rss_mb": 300.0, "validated": True, "violations": []}
    runs = {"cpsat": run(*cpsat), "greedy": run(*greedy)} | ({"highs": run(*highs)} if highs else {})
    return {"tier": "region", "seed": seed, "instance": {}, "lp_bound": 80.0, "runs": runs}


def test_summary_gives_medians_and_how_cpsat_compares_with_greedy():
    records = [record(1, (90, 8), (100, 7)), record(2, (80, 9), (100, 7)), record(3, (99, 7), (100, 7))]
    text = bench.summarise(records)
    assert "region tier, median over 3 seed(s) (1, 2, 3)" in text
    assert "cpsat vs greedy: objective ratio 0.9000 (10.0% better), placed difference +1" in text


def test_summary_gives_cpsat_against_the_best_of_the_others_seed_by_seed():
    records = [record(1, (90, 8), (100, 7), (95, 8)), record(2, (80, 9), (100, 7), (78, 9)),
               record(3, (99, 7), (100, 7))]
    text = bench.summarise(records)
    assert ("cpsat vs the best of the others: objective ratio median 0.9900, worst 1.0256; "
            "at least as good on 2 of 3 seed(s)") in text


def test_a_child_that_overruns_is_stopped_and_a_failing_one_reports_its_error():
    with pytest.raises(bench.Overran):
        bench.in_fresh_process(time.sleep, 60, timeout_s=1)
    with pytest.raises(RuntimeError, match="math domain error"):
        bench.in_fresh_process(math.sqrt, -1)
    assert bench.in_fresh_process(math.sqrt, 4.0) == 2.0
