"""`make bench-web`: signed-in users against gunicorn on 127.0.0.1, p50 and p95 per page.

Each run prepares the database (migrations, reference data, and the national demo `flask demo load --seed 1`
when it holds no premises), starts gunicorn with gunicorn.conf.py on a free loopback port, runs Locust
headless with bench/web/locustfile.py, stops gunicorn and prints, per page, the requests, p50 and p95 and
the p95 as a ratio to the static file's p95 in the same run: the ratio says what a page costs beyond
serving anything at all on this machine, under this load. With --runs N it then prints the median of each
figure over the runs. Statistics start once the last user has signed in (the locustfile resets them), so
sign-in, slow on purpose (scrypt), is not among the pages and the crowd signing in does not skew them.

Targets (p95 <= 150 ms and <= 3 x the static file's) are marked in the table, never fail the run: the exit
status is non-zero only when a request failed. Only 127.0.0.1 is ever a target.
"""

import argparse
import csv
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

PROJECT_DIR = Path(__file__).resolve().parents[2]
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
STATIC_PAGE = "static file"  # the name locustfile.py gives the static request
TARGET_P95_MS = 150
TARGET_RATIO = 3
SIGN_IN_ALLOWANCE_S = 120  # the run stops after this much more than --seconds even if users never all sign in


@dataclass(frozen=True)
class PageFigures:
    page: str
    requests: int
    failures: int
    p50_ms: float
    p95_ms: float


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    args.output.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DATABASE_URL": args.database_url, "APP_ENV": "development", "FLASK_APP": "app:create_app"}
    prepare_database(args.database_url, env)
    runs = []
    for number in range(1, args.runs + 1):
        figures = run_once(args, env, args.output / f"run-{number}")
        print(f"\nRun {number} of {args.runs}: {args.users} users, measured for {args.seconds} s once all had signed in")
        print(table(figures))
        runs.append(figures)
    if args.runs > 1:
        print(f"\nMedian of {args.runs} runs")
        print(table(median_figures(runs)))
    failed = sum(figure.failures for figures in runs for figure in figures)
    if failed:
        print(f"\n{failed} requests failed: see {args.output}/run-*_failures.csv", file=sys.stderr)
    return 1 if failed else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="SQLAlchemy URL; a PostgreSQL database is created if missing")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--spawn-rate", type=float, default=2, help="users started per second during the ramp")
    # Two minutes give the pages fewer users visit (the administrator's) about 30 requests a run: a p95 of 14 is
    # only the slowest of them.
    parser.add_argument("--seconds", type=int, default=120, help="measured time after the ramp")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--output", type=Path, default=PROJECT_DIR / "bench-output" / "web", help="Locust's CSV files and gunicorn's log")
    return parser


def prepare_database(url: str, env: dict[str, str]) -> None:
    if sa.engine.make_url(url).get_backend_name() == "postgresql":
        _create_postgres_database(url)
    for command in (["db", "upgrade"], ["reference", "sync"], ["demo", "load", "--seed", "1", "--if-empty"]):
        subprocess.run([sys.executable, "-m", "flask", *command], cwd=PROJECT_DIR, env=env, check=True)


def _create_postgres_database(url: str) -> None:
    target = sa.engine.make_url(url)
    engine = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            exists = connection.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database})
            if not exists:
                connection.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    finally:
        engine.dispose()


def run_once(args, env: dict[str, str], prefix: Path) -> list[PageFigures]:
    port = _free_port()
    with open(f"{prefix}-gunicorn.log", "w") as server_log, open(f"{prefix}-locust.log", "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"],
            cwd=PROJECT_DIR,
            env=env,
            stdout=server_log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_healthy(port, server)
            subprocess.run(
                [
                    sys.executable, "-m", "locust", "--locustfile", str(LOCUSTFILE), "--headless",
                    "--host", f"http://127.0.0.1:{port}", "--users", str(args.users), "--spawn-rate", str(args.spawn_rate),
                    "--measure-seconds", str(args.seconds), "--run-time", f"{args.seconds + SIGN_IN_ALLOWANCE_S}s",
                    "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
                ],
                cwd=PROJECT_DIR,
                env=env,
                check=False,  # failures are counted from the CSV below
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
    return read_stats(Path(f"{prefix}_stats.csv"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_healthy(port: int, server: subprocess.Popen, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited before answering: see its log in the output folder")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer /health within {timeout_s:.0f} s")


def read_stats(path: Path) -> list[PageFigures]:
    """Locust's per-request statistics, without the aggregate row and without sign-in."""
    with open(path, newline="") as stats:
        return [
            PageFigures(row["Name"], int(row["Request Count"]), int(row["Failure Count"]), float(row["50%"]), float(row["95%"]))
            for row in csv.DictReader(stats)
            if row["Name"] != "Aggregated" and row["Name"] != "/sign-in"
        ]


def median_figures(runs: list[list[PageFigures]]) -> list[PageFigures]:
    pages = dict.fromkeys(figure.page for figures in runs for figure in figures)
    by_page = {page: [figure for figures in runs for figure in figures if figure.page == page] for page in pages}
    return [
        PageFigures(
            page,
            int(statistics.median(figure.requests for figure in figures)),
            sum(figure.failures for figure in figures),
            statistics.median(figure.p50_ms for figure in figures),
            statistics.median(figure.p95_ms for figure in figures),
        )
        for page, figures in by_page.items()
    ]


def table(figures: list[PageFigures]) -> str:
    static_p95 = next((figure.p95_ms for figure in figures if figure.page == STATIC_PAGE), None)
    lines = [f"{'page':<22} {'requests':>8} {'failed':>6} {'p50 ms':>7} {'p95 ms':>7} {'p95/static':>10}  target"]
    for figure in sorted(figures, key=lambda figure: (figure.page != STATIC_PAGE, figure.page)):
        ratio = figure.p95_ms / static_p95 if static_p95 else float("nan")
        missed = figure.p95_ms > TARGET_P95_MS or ratio > TARGET_RATIO
        lines.append(
            f"{figure.page:<22} {figure.requests:>8} {figure.failures:>6} {figure.p50_ms:>7.0f} {figure.p95_ms:>7.0f}"
            f" {ratio:>10.1f}  {'MISSED' if missed else 'met'}"
        )
    lines.append(f"target: p95 <= {TARGET_P95_MS} ms and <= {TARGET_RATIO} x the static file's p95")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
