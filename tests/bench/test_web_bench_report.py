"""The web benchmark's report: ratios to the static file, targets marked, medians over runs, sign-in left out."""

import importlib.util
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("web_bench", Path(__file__).parents[2] / "bench" / "web" / "run.py")
web_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(web_bench)
PageFigures = web_bench.PageFigures


def _row(table: str, page: str) -> list[str]:
    [line] = [line for line in table.splitlines() if line.startswith(page + " ")]
    return line.split()


def test_each_page_is_compared_with_the_static_file_and_marked_against_both_targets():
    table = web_bench.table(
        [
            PageFigures("/premises", 90, 0, 60, 120),  # 120 ms but 4 x static: missed
            PageFigures("static file", 50, 0, 10, 30),
            PageFigures("/health", 40, 0, 12, 45),  # 1.5 x static and under 150 ms: met
            PageFigures("/admin/audit", 20, 0, 100, 160),  # over 150 ms: missed
        ]
    )
    assert table.splitlines()[1].startswith("static file ")  # the reference comes first
    assert _row(table, "/premises")[-2:] == ["4.0", "MISSED"]
    assert _row(table, "/health")[-2:] == ["1.5", "met"]
    assert _row(table, "/admin/audit")[-1] == "MISSED"


def test_medians_are_taken_page_by_page_over_the_runs_and_failures_added_up():
    runs = [
        [PageFigures("/", 10, 0, 20, 40), PageFigures("static file", 10, 0, 5, 10)],
        [PageFigures("/", 12, 1, 30, 90), PageFigures("static file", 11, 0, 6, 12)],
        [PageFigures("/", 14, 0, 25, 50), PageFigures("static file", 9, 0, 4, 11)],
    ]
    assert web_bench.median_figures(runs) == [PageFigures("/", 12, 1, 25, 50), PageFigures("static file", 10, 0, 5, 11)]


def test_locust_statistics_are_read_without_the_aggregate_and_sign_in(tmp_path):
    stats = tmp_path / "run-1_stats.csv"
    stats.write_text(
        "Type,Name,Request Count,Failure Count,50%,95%\n"
        "GET,/premises,90,2,60,120\n"
        "POST,/sign-in,20,0,300,900\n"
        ",Aggregated,110,2,70,400\n"
    )
    assert web_bench.read_stats(stats) == [PageFigures("/premises", 90, 2, 60.0, 120.0)]


@pytest.mark.parametrize(("failures", "status"), [(0, 0), (1, 1)])
def test_the_run_fails_only_when_a_request_failed_never_on_a_missed_target(monkeypatch, tmp_path, failures, status):
    monkeypatch.setattr(web_bench, "prepare_database", lambda url, env: None)
    monkeypatch.setattr(web_bench, "run_once", lambda args, env, prefix: [PageFigures("/", 10, failures, 500, 900)])
    assert web_bench.main(["--database-url", "sqlite://", "--output", str(tmp_path)]) == status
