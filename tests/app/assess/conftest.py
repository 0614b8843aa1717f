"""Assessment pages are tested on Saturday 15 June 2030, signed in as an assessor of the test region."""

from datetime import datetime

import pytest

from app.clock import LONDON
from app.extensions import db
from app.permissions import Role
from app.services import length_of_stay


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime(2030, 6, 15, 12, tzinfo=LONDON), tick=False)


@pytest.fixture(autouse=True)
def _policy():
    length_of_stay.add_default_policy()
    db.session.commit()


@pytest.fixture
def manager(make_user, region):
    return make_user(Role.OFFENDER_MANAGER, region=region, email="om@example.test", name="Olive Manager")


@pytest.fixture
def assessor(make_user, region, client_request):
    user = make_user(Role.ASSESSOR, region=region, email="assessor@example.test", name="Ada Assessor")
    client_request.sign_in(user)
    return user


@pytest.fixture
def submitted(manager, make_submitted_referral):
    return make_submitted_referral(manager)
