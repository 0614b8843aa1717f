"""Twenty people take one bed out of service at the same moment for overlapping dates: exactly one succeeds.

Each request runs in its own thread with its own app context, so its own session and database connection, as
concurrent web requests do. The write transaction (FOR UPDATE on PostgreSQL, BEGIN IMMEDIATE on SQLite) makes
the others wait and then see the saved period; on PostgreSQL the exclusion constraint would catch any that slipped
through. It runs on both databases (TEST_DATABASE_URL picks PostgreSQL); without the lock, SQLite saves several.
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import sqlalchemy as sa

from app import clock
from app.extensions import db
from app.models import OutOfServiceBed, OutOfServiceReason, Premises, User
from app.permissions import Role
from app.services import estate
from app.services.validation import InvalidInput
from tests.app.manage.estate_factories import beds_of

REQUESTS = 20


def _take_at_once(app, premises_id: int, bed_id: int, user_id: int) -> list:
    """Each request's outcome: "saved", or the problems it was refused with."""
    everyone_ready = threading.Barrier(REQUESTS)
    first_day = clock.today() + timedelta(days=30)

    def request(number: int):
        with app.app_context():
            user, premises = db.session.get(User, user_id), db.session.get(Premises, premises_id)
            db.session.commit()  # hand the connection back: twenty threads share a pool of fifteen
            everyone_ready.wait(timeout=60)
            try:
                estate.take_bed_out_of_service(
                    user,
                    premises,
                    bed_id=bed_id,
                    reason=OutOfServiceReason.UNPLANNED_WORKS,
                    start_date=first_day + timedelta(days=number),  # each overlaps every other: 20 days long
                    end_date=first_day + timedelta(days=number + REQUESTS - 1),
                )
            except InvalidInput as refusal:
                return refusal.problems
            finally:
                db.session.remove()
            return "saved"

    with ThreadPoolExecutor(REQUESTS) as pool:
        return list(pool.map(request, range(REQUESTS)))


def test_parallel_overlapping_requests_save_exactly_one(app, make_premises, make_user):
    premises = make_premises()
    bed, user = beds_of(premises)[0], make_user(Role.ADMIN)
    outcomes = _take_at_once(app, premises.id, bed.id, user.id)
    assert outcomes.count("saved") == 1
    refusals = [outcome for outcome in outcomes if outcome != "saved"]
    assert all(problems["start_date"].startswith("Room 1, Bed 1 is already out of service from") for problems in refusals)
    assert db.session.scalar(sa.select(sa.func.count(OutOfServiceBed.id))) == 1
