"""Builders for the optimiser-run tests: placement requests, an instance of them, and waiting for a run's job.

`instance_of_rows` stands in for app.services.matching.instance_for until that lands: the same shape (an
instance with premises P<id> and referrals R<id>, and date_of), built from the test's rows in a few lines.
"""

import os
import time
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from redis import Redis
from redis.exceptions import ConnectionError as RedisDown
from rq import SimpleWorker

from app import clock, jobs
from app.extensions import db
from app.models import OptimiserRun, Person, PlacementRequest, PlacementRequestStatus, Premises, Referral
from optimizer import schema
from vocabulary import APType, Gender, Notice, ReferralStatus

REDIS_URL = "redis://127.0.0.1:6379/0"
WAIT_S = 120  # a run that has not ended by then never will: the test fails rather than hang


def make_placement_request(author, region, *, arrival: date | None = None, weeks: int = 12,
                           gender=Gender.MALE) -> PlacementRequest:
    number = db.session.scalar(sa.select(sa.func.count(Person.id))) + 1
    person = Person(crn=f"R{number:06d}", name=f"Fictional Placed {number}", gender=gender,
                    date_of_birth=date(1985, 1, 1))
    referral = Referral(person=person, created_by=author, region=region, status=ReferralStatus.ACCEPTED)
    request = PlacementRequest(
        referral=referral, person=person, region=region, gender=gender, ap_type=APType.STANDARD,
        essential_characteristics=[], desirable_characteristics=[], notice=Notice.STANDARD,
        expected_arrival=arrival or clock.today() + timedelta(days=7), length_of_stay_weeks=weeks, created_by=author,
    )
    db.session.add(request)
    db.session.commit()
    return request


@dataclass(frozen=True)
class Translation:
    instance: schema.Instance

    def date_of(self, day: int) -> date:
        return self.instance.first_day + timedelta(days=day)


def instance_of_rows(region_id: int | None, today: date) -> Translation:
    """Every premises with all its beds in one group, and every request ready to match, from home at the first
    premises, arriving within a week of its expected date."""
    in_region = (lambda column: column == region_id) if region_id is not None else (lambda column: sa.true())
    premises = db.session.scalars(sa.select(Premises).where(in_region(Premises.region_id)).order_by(Premises.id)).all()
    requests = db.session.scalars(sa.select(PlacementRequest).where(
        in_region(PlacementRequest.region_id),
        PlacementRequest.status == PlacementRequestStatus.READY_TO_MATCH).order_by(PlacementRequest.id)).all()
    home = schema.Point(premises[0].longitude, premises[0].latitude) if premises else schema.Point(-2.7, 53.76)
    return Translation(schema.Instance(
        horizon_days=60,
        first_day=today,
        premises=tuple(schema.Premises(
            id=f"P{p.id}", gender=p.gender, location=schema.Point(p.longitude, p.latitude), ap_type=p.ap_type,
            characteristics=frozenset(), bed_groups=(schema.BedGroup(frozenset(), sum(len(r.beds) for r in p.rooms)),))
            for p in premises),
        referrals=tuple(schema.Referral(
            id=f"R{r.id}", gender=r.gender, home=home, earliest_arrival=(r.expected_arrival - today).days,
            latest_arrival=(r.expected_arrival - today).days + 7, length_of_stay=7 * r.length_of_stay_weeks)
            for r in requests),
    ))


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
