"""What the optimiser-run tests share: the day they plan from, and where their runs' jobs run (a thread, or RQ
against the real Redis), with a wait for a run's end."""

import os
import time
import uuid

import pytest
from redis import Redis
from redis.exceptions import ConnectionError as RedisDown
from rq import SimpleWorker

from app import jobs
from app.extensions import db
from app.models import OptimiserRun
from tests.app.conftest import PLACING_DAY

REDIS_URL = "redis://127.0.0.1:6379/0"
WAIT_S = 120  # a run that has not ended by then never will: the test fails rather than hang
# A week before the conftest placement requests' expected arrival (1 September 2030); the clock keeps ticking, as
# the solver's time limit is real time.
PLAN_FROM = PLACING_DAY


class Background:
    """Where the jobs of a test run: "thread" (in-process) or "rq" (the real Redis, a queue of the test's own)."""

    def __init__(self, app, way: str, monkeypatch):
        self.app, self.way = app, way
        if way == "rq":
            _skip_unless_redis()
            monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
            monkeypatch.setitem(app.config, "RQ_QUEUE", f"test-runs-{uuid.uuid4().hex}")
        else:
            monkeypatch.setitem(app.config, "REDIS_URL", None)

    def work(self) -> None:
        """Run what is queued: RQ's jobs in this thread (a SimpleWorker in burst mode); threads run by themselves."""
        if self.way == "rq":
            queue = jobs.queue(self.app)
            SimpleWorker([queue], connection=queue.connection).work(burst=True)

    def ended(self, run_id: int) -> OptimiserRun:
        """The run once its job has ended it."""
        self.work()
        deadline = time.monotonic() + WAIT_S
        while True:
            db.session.rollback()
            run = db.session.get(OptimiserRun, run_id, populate_existing=True)
            if not run.status.is_active:
                return run
            assert time.monotonic() < deadline, f"run {run_id} still {run.status.value} after {WAIT_S} s"
            time.sleep(0.05)

    def close(self) -> None:
        if self.way == "rq":
            jobs.queue(self.app).delete(delete_jobs=True)


def _skip_unless_redis() -> None:
    try:
        Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except RedisDown:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("Redis is not reachable")
