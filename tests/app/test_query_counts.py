"""Every page the web benchmark visits costs the same few queries however much data there is.

A page that loads rows one by one (an N+1) grows slower with the estate and under load; this is the test that
keeps `make bench-web`'s figures from drifting back up.
"""

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Region
from app.permissions import Role
from app.services import audit
from tests.app.manage.estate_factories import add_out_of_service, add_placement, beds_of, days
from tests.app.queries import counting_queries

PAGES = [
    (Role.OFFENDER_MANAGER, "/"),
    (Role.NATIONAL_MANAGER, "/premises"),
    (Role.NATIONAL_MANAGER, "/premises?gender=male"),
    (Role.NATIONAL_MANAGER, "/premises/{premises_id}"),
    (Role.ADMIN, "/admin/users"),
    (Role.ADMIN, "/admin/premises"),
    (Role.ADMIN, "/admin/premises/{premises_id}"),
    (Role.ADMIN, "/admin/audit"),
]


def _add_busy_premises(make_premises, name: str, region: Region):
    premises = make_premises(name, beds=3, target_region=region, characteristics=("is_catered",))
    first_bed, second_bed, _ = beds_of(premises)
    add_out_of_service(first_bed, days(-1), days(5))
    add_out_of_service(second_bed, days(10), days(12))
    add_placement(premises, arrival=days(-3), departure=days(30))
    add_placement(premises, arrival=days(-1), departure=days(40))
    return premises


@pytest.mark.parametrize(("role", "url"), PAGES)
def test_a_page_costs_the_same_queries_with_more_premises_people_and_events(
    client_request, make_premises, make_user, region, role, url
):
    premises = _add_busy_premises(make_premises, "First House", region)
    make_user(Role.AP_STAFF, premises=premises)
    make_user(Role.REGIONAL_MANAGER, region=region)
    user = make_user(role)
    client_request.sign_in(user)
    url, region_name = url.format(premises_id=premises.id), region.name

    def queries() -> int:
        db.session.expunge_all()  # requests share the test's session: start each from nothing loaded
        with counting_queries() as statements:
            client_request.get(url)
        return len(statements)

    few = queries()
    other_regions = db.session.scalars(sa.select(Region).where(Region.name != region_name).order_by(Region.name).limit(3))
    for number, other_region in enumerate(other_regions):
        busy = _add_busy_premises(make_premises, f"House {number}", other_region)
        make_user(Role.AP_STAFF, Role.AP_MANAGER, premises=busy)
        make_user(Role.REGIONAL_MANAGER, region=other_region)
        audit.record("example_event", object_type="service")
    db.session.commit()
    assert queries() == few, (url, few)


def test_a_signed_in_request_loads_the_user_and_its_roles_in_one_query(client_request, make_user):
    """Every signed-in request loads its user, so a second query for the roles would be paid on every page."""
    client_request.sign_in(make_user(Role.ADMIN, Role.AP_STAFF))
    db.session.expunge_all()
    with counting_queries() as statements:
        client_request.get("/")
    [user_query] = [statement for statement in statements if re.search(r'FROM (user_role|"?user"?)\b', statement)]
    assert "JOIN user_role" in user_query
