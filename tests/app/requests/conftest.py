"""The placing pages are tested on Saturday 15 June 2030, signed in as the referral unit of the test region."""

from datetime import datetime

import pytest

from app.clock import LONDON
from app.permissions import Role


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime(2030, 6, 15, 12, tzinfo=LONDON), tick=False)


@pytest.fixture
def placer(make_user, region, client_request):
    user = make_user(Role.REFERRAL_UNIT, region=region, email="cru@example.test", name="Cara Unit")
    client_request.sign_in(user)
    return user
