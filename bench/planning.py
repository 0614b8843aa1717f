"""Medians of 20 requests of each capacity planning page, as the national manager, with the national demo and its
three years of history; on SQLite and on PostgreSQL (`make bench-planning`).

Each database is made afresh: migrated, its reference data synced and the demo loaded (timed too). Requests go
through Flask's test client, so the figures are the application's own time, without a network or a server.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.demo.loader import load_demo_data
from app.extensions import db
from app.models import User
from app.services.reference import sync_reference_data

PAGES = {
    "occupancy grid": "/planning/occupancy",
    "forecast": "/planning/forecast",
    "figures (last quarter)": "/planning/figures",
    "move-on": "/planning/move-on",
}
REQUESTS = 20


def _fresh_postgres(url: str) -> str:
    engine = sa.create_engine(sa.engine.make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    name = sa.engine.make_url(url).database
    with engine.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return url


def bench(url: str, label: str) -> dict[str, float]:
    app = create_app("development", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
        sync_reference_data()
        started = time.perf_counter()
        summary = load_demo_data(seed=1)
        print(f"{label}: {summary} in {time.perf_counter() - started:.1f} s", flush=True)
        user = db.session.scalar(sa.select(User).where(User.email == "national.manager@demo.test"))
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = user.get_id(), True
        medians = {}
        for name, path in PAGES.items():
            assert client.get(path).status_code == 200  # warm: templates compiled, gazetteer read
            times = []
            for _ in range(REQUESTS):
                started = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
            medians[name] = statistics.median(times)
            print(f"{label}: {name:24} median {medians[name]:6.0f} ms  (min {min(times):.0f}, max {max(times):.0f})",
                  flush=True)
        db.session.remove()
        db.engine.dispose()
    return medians


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres-url", help="a PostgreSQL database to make afresh; SQLite only when left out")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        bench(f"sqlite:///{Path(directory) / 'bench.db'}", "SQLite")
    if arguments.postgres_url:
        bench(_fresh_postgres(arguments.postgres_url), "PostgreSQL")
    return 0


if __name__ == "__main__":
    sys.exit(main())
