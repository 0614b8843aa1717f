"""Referral pages are tested on 15 June 2030, signed in as an offender manager of the test region."""

from datetime import datetime

import pytest
import sqlalchemy as sa

from app.clock import LONDON
from app.extensions import db
from app.models import Region
from app.permissions import Role


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime(2030, 6, 15, 12, tzinfo=LONDON), tick=False)


@pytest.fixture
def manager(make_user, region, client_request):
    user = make_user(Role.OFFENDER_MANAGER, region=region)
    client_request.sign_in(user)
    return user


@pytest.fixture
def referral(manager, make_referral):
    return make_referral(manager)


@pytest.fixture
def other_region_manager(make_user):
    """An offender manager in Wales, to whom the test region's referrals are out of scope."""
    wales = db.session.scalar(sa.select(Region).where(Region.name == "Wales"))
    return make_user(Role.OFFENDER_MANAGER, region=wales, email="wales@example.test")
