"""A national optimiser run on the demo data, timed as a user sees it: from pressing run to the first complete plan's
proposals on the progress page (who goes where, the page's "best plan so far"), and to the run's end with every
proposal stored, against its time limit.

It prepares a scratch database (migrations, reference data and `flask demo load --seed 1` when it holds no
premises), then starts national runs one after another as the national manager, each as its background job in
this process, and watches the run's row as the progress page reads it. Prints each run and the medians.

    .venv/bin/python bench/runs.py --database-url sqlite:////tmp/bench-runs.db --runs 3 --time-limit 60
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app import create_app  # noqa: E402
from app.demo.loader import load_demo_data  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import OptimiserRun, Premises, User  # noqa: E402
from app.services import optimiser_runs  # noqa: E402
from app.services.reference import sync_reference_data  # noqa: E402

POLL_S = 0.05


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--time-limit", type=int, default=optimiser_runs.DEFAULT_TIME_LIMIT_S)
    arguments = parser.parse_args()
    app = create_app("development", SQLALCHEMY_DATABASE_URI=arguments.database_url, REDIS_URL=None)
    with app.app_context():
        upgrade()
        sync_reference_data()
        if not db.session.scalar(sa.select(sa.func.count(Premises.id))):
            load_demo_data(1)
        user = db.session.scalar(sa.select(User).where(User.email == "national.manager@demo.test"))
        timings = [_timed_run(user, arguments.time_limit) for _ in range(arguments.runs)]
    first, done = zip(*timings)
    print(f"median of {len(timings)}: first plan's proposals on the progress page {statistics.median(first):.2f} s "
          f"(target 10 s), run ended with its proposals stored {statistics.median(done):.2f} s "
          f"(time limit {arguments.time_limit} s)")


def _timed_run(user: User, time_limit_s: int) -> tuple[float, float]:
    pressed = time.perf_counter()
    run_id = optimiser_runs.start(user, None, time_limit_s).id
    first = None
    while True:
        db.session.rollback()
        run = db.session.get(OptimiserRun, run_id, populate_existing=True)
        if first is None and run.plan_so_far:
            first = time.perf_counter() - pressed
        if not run.status.is_active:
            done = time.perf_counter() - pressed
            break
        time.sleep(POLL_S)
    print(f"run {run.id}: {run.status.value}, {run.placed} placed, {run.unplaced} not placed, first plan's proposals "
          f"shown after {first:.2f} s, run ended after {done:.2f} s")
    return (first if first is not None else done), done


if __name__ == "__main__":
    main()
