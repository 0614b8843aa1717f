"""Twenty people are given the same free bed at the same moment, for overlapping stays: exactly one gets it, and a
departure recorded twice at once is recorded once.

Each request runs in its own thread with its own app context, so its own session and connection, as concurrent
web requests do. The write transaction locks the placement and then the bed (FOR UPDATE on PostgreSQL, BEGIN
IMMEDIATE on SQLite), so each request checks the bed after the one before it has saved. Runs on both databases.
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import time

import sqlalchemy as sa

from app import clock
from app.extensions import db
from app.models import AuditEvent, Placement, PlacementStatus, User
from app.services import arrivals
from app.services.validation import Refused
from tests.app.manage.estate_factories import add_placement, days

REQUESTS = 20


def _at_once(app, act, arguments: list) -> list:
    """Each request's outcome: "saved", or what it was refused with."""
    everyone_ready = threading.Barrier(len(arguments))

    def request(argument):
        with app.app_context():
            db.session.commit()  # hand the connection back: twenty threads share a pool of fifteen
            everyone_ready.wait(timeout=60)
            try:
                act(argument)
            except Refused as refusal:
                return getattr(refusal, "problems", str(refusal))
            finally:
                db.session.remove()
            return "saved"

    with ThreadPoolExecutor(len(arguments)) as pool:
        return list(pool.map(request, arguments))


def test_parallel_requests_for_one_bed_give_it_to_exactly_one_person(app, premises, beds, staff):
    placements = [add_placement(premises, arrival=days(10 + number), departure=days(40), status=PlacementStatus.UPCOMING)
                  for number in range(REQUESTS)]
    ids, bed_id, user_id = [p.id for p in placements], beds[2].id, staff.id

    def allocate(placement_id):
        arrivals.assign_bed(db.session.get(User, user_id), db.session.get(Placement, placement_id), bed_id)

    outcomes = _at_once(app, allocate, ids)
    assert outcomes.count("saved") == 1
    assert all("Room 3, Bed 3 is booked for" in outcome["bed"] for outcome in outcomes if outcome != "saved")
    assert db.session.scalar(sa.select(sa.func.count()).where(Placement.bed_id == bed_id)) == 1


def test_an_arrival_recorded_twice_at_once_is_recorded_once(app, upcoming, staff):
    placement_id, user_id, today = upcoming.id, staff.id, clock.today()

    def arrive(minute):
        arrivals.record_arrival(db.session.get(User, user_id), db.session.get(Placement, placement_id),
                                arrivals.Moment(today, time(11, minute)))

    outcomes = _at_once(app, arrive, [1, 2])
    assert outcomes.count("saved") == 1
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "arrival_recorded")) == 1
