"""AP staff's work is tested on 15 June 2030 at noon, London time, at a premises of three single rooms."""

from datetime import datetime

import pytest

from app.clock import LONDON
from app.models import PlacementStatus
from app.permissions import Role
from tests.app.manage.estate_factories import add_placement, beds_of, days


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime(2030, 6, 15, 12, tzinfo=LONDON), tick=False)


@pytest.fixture
def premises(make_premises):
    return make_premises("Preston House", beds=3)


@pytest.fixture
def beds(premises):
    return beds_of(premises)


@pytest.fixture
def staff(make_user, premises):
    return make_user(Role.AP_STAFF, premises=premises, name="Sam Staff")


@pytest.fixture
def manager(make_user, premises):
    return make_user(Role.AP_MANAGER, premises=premises, name="Pat Manager")


@pytest.fixture
def upcoming(premises, beds):
    """Expected in three days in the first bed, for eight weeks."""
    return add_placement(premises, arrival=days(3), departure=days(59), status=PlacementStatus.UPCOMING,
                         name="Una Upcoming", bed=beds[0])


@pytest.fixture
def resident(premises, beds):
    """Arrived ten days ago in the second bed, leaving in twenty days."""
    return add_placement(premises, arrival=days(-10), departure=days(20), name="Rex Resident", bed=beds[1])
