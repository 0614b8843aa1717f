"""The application benchmark's report: medians over runs of wall-clock and CPU seconds, each against its 2 s
target."""

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location("app_bench", Path(__file__).parents[2] / "bench" / "app" / "run.py")
app_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(app_bench)


def test_medians_over_runs_are_compared_with_the_targets():
    runs = [{"first build": build, "first build cpu": build / 2, "build": 0.3, "build cpu": 0.2,
             "accept 100": accept, "accept 100 cpu": accept}
            for build, accept in ((1.0, 1.5), (3.0, 0.5), (2.0, 1.0))]
    rows = {line[:14].strip(): line[14:].split() for line in app_bench.report(runs).splitlines()[3:]}
    assert rows == {"first build": ["2.000", "1.000", "2.0", "1.00"], "build": ["0.300", "0.200", "2.0", "0.15"],
                    "accept 100": ["1.000", "1.000", "2.0", "0.50"]}
