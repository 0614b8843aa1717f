"""Who sees and who changes what, for every role and every scope an account can record: the one access module."""

from datetime import date

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import (
    Bed,
    OutOfServiceBed,
    Person,
    Placement,
    PlacementStatus,
    Premises,
    Referral,
    Region,
    Room,
)
from app.permissions import Permission, Role
from app.services import access
from app.services.validation import NotInScope
from tests.app.manage.estate_factories import add_out_of_service, add_placement, beds_of
from tests.app.queries import counting_queries

# Roles whose permissions include every region: what is recorded on their account does not narrow them.
NATIONAL_ROLES = {Role.OFFENDER_MANAGER, Role.ASSESSOR, Role.NATIONAL_MANAGER, Role.ADMIN}
EVERYTHING = {"own premises", "same region", "other region", "own resident", "other region's resident", "unplaced person"}
# What a role without the national permission sees, by the scope recorded on the account: none means nothing.
SEEN_BY_SCOPE = {
    "premises": {"own premises", "own resident"},
    "region": {"own premises", "same region", "own resident"},
    "none": set(),
}
OUT_OF_SERVICE_MANAGERS = {Role.AP_MANAGER, Role.ADMIN}
PREMISES_ADMINISTRATORS = {Role.ADMIN}


@pytest.fixture
def objects(make_premises, region):
    """Preston (the account's own premises) and Bolton in North West, Camden in London; people placed at Preston
    and Camden, and one not placed anywhere yet."""
    london = db.session.scalar(sa.select(Region).where(Region.name == "London"))
    preston, bolton = make_premises("Preston House"), make_premises("Bolton House")
    camden = make_premises("Camden House", target_region=london)
    own_resident = add_placement(preston, arrival=date(2030, 1, 1), departure=date(2030, 3, 1)).person
    other_resident = add_placement(camden, arrival=date(2030, 1, 1), departure=date(2030, 3, 1)).person
    placement = add_placement(camden, arrival=date(2030, 1, 1), departure=date(2030, 3, 1))
    unplaced = placement.person
    db.session.delete(placement)  # a person with no placement yet, as when a referral has just begun
    db.session.commit()
    return {
        "own premises": preston,
        "same region": bolton,
        "other region": camden,
        "own resident": own_resident,
        "other region's resident": other_resident,
        "unplaced person": unplaced,
    }


def _user(make_user, role, scope, objects, region):
    return make_user(
        role,
        premises=objects["own premises"] if scope == "premises" else None,
        region=region if scope == "region" else None,
    )


SCOPES = ["premises", "region", "none"]


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("role", list(Role))
def test_who_sees_what(make_user, objects, region, role, scope):
    user = _user(make_user, role, scope, objects, region)
    expected = EVERYTHING if role in NATIONAL_ROLES else SEEN_BY_SCOPE[scope]
    assert {name for name, obj in objects.items() if access.can(user, obj)} == expected
    # the conditions that list pages use agree with the single-object check
    listed = set(db.session.scalars(sa.select(Premises).where(access.visible_premises(user))))
    listed |= set(db.session.scalars(sa.select(Person).where(access.visible_persons(user))))
    assert {name for name, obj in objects.items() if obj in listed} == expected
    for name, obj in objects.items():
        if name not in expected:
            with pytest.raises(NotInScope):
                access.find(user, type(obj), obj.id)


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("role", list(Role))
def test_who_changes_what(make_user, objects, region, role, scope):
    user = _user(make_user, role, scope, objects, region)
    seen = EVERYTHING if role in NATIONAL_ROLES else SEEN_BY_SCOPE[scope]
    premises = {name: obj for name, obj in objects.items() if isinstance(obj, Premises)}
    for permission, holders in [
        (Permission.MANAGE_OUT_OF_SERVICE_BEDS, OUT_OF_SERVICE_MANAGERS),
        (Permission.MANAGE_PREMISES, PREMISES_ADMINISTRATORS),
    ]:
        expected = {name for name in premises if name in seen} if role in holders else set()
        assert {name for name, obj in premises.items() if access.can(user, obj, permission)} == expected, permission
        for name, obj in premises.items():
            if name in expected:
                assert access.find(user, Premises, obj.id, to=permission) == obj
            else:
                with pytest.raises(NotInScope):
                    access.require(user, obj, permission)


def test_rooms_beds_and_periods_are_seen_through_their_premises(make_user, objects, region):
    regional = make_user(Role.REGIONAL_MANAGER, region=region)
    own_bed, other_bed = beds_of(objects["own premises"])[0], beds_of(objects["other region"])[0]
    own_period, other_period = add_out_of_service(own_bed, date(2030, 1, 1), date(2030, 1, 2)), add_out_of_service(
        other_bed, date(2030, 1, 1), date(2030, 1, 2)
    )
    for own, other in [(own_bed.room, other_bed.room), (own_bed, other_bed), (own_period, other_period)]:
        assert access.find(regional, type(own), own.id) == own
        with pytest.raises(NotInScope):
            access.find(regional, type(other), other.id)


@pytest.mark.parametrize("model", [Room, Bed, OutOfServiceBed])
def test_an_object_is_not_found_at_another_premises_address(make_user, objects, model):
    admin = make_user(Role.ADMIN)
    bed = beds_of(objects["own premises"])[0]
    obj = {Room: bed.room, Bed: bed, OutOfServiceBed: add_out_of_service(bed, date(2030, 1, 1), date(2030, 1, 2))}[model]
    assert access.find(admin, model, obj.id, at_premises=objects["own premises"].id) == obj
    with pytest.raises(NotInScope):
        access.find(admin, model, obj.id, at_premises=objects["same region"].id)


def test_a_missing_object_is_not_in_scope_either(make_user):
    with pytest.raises(NotInScope):
        access.find(make_user(Role.ADMIN), Premises, 999_999)


def test_what_find_loaded_is_not_asked_of_the_database_again_but_the_permission_still_is(make_user, objects, region):
    staff = make_user(Role.AP_STAFF, premises=objects["own premises"])
    found = access.find(staff, Premises, objects["own premises"].id)
    with counting_queries() as statements:
        access.require(staff, found, Permission.VIEW_RESIDENTS)
    assert statements == []
    with pytest.raises(NotInScope):
        access.require(staff, found, Permission.MANAGE_PREMISES)
    colleague = make_user(Role.AP_STAFF, premises=objects["same region"], email="colleague@example.test")
    with counting_queries() as statements, pytest.raises(NotInScope):
        access.require(colleague, found)  # proved for another user only: asked again, and refused
    assert [statement for statement in statements if "EXISTS" in statement]


def test_ap_staff_see_the_referrals_of_people_booked_into_their_premises_only(make_user, make_premises,
                                                                               make_placement_request):
    preston, bolton = make_premises("Preston House"), make_premises("Bolton House")
    booked_here, booked_there, waiting = (make_placement_request() for _ in range(3))
    db.session.add_all(Placement(person=request.person, premises=premises, placement_request=request,
                                 expected_arrival=date(2030, 9, 1), expected_departure=date(2030, 11, 1),
                                 status=PlacementStatus.UPCOMING)
                       for request, premises in ((booked_here, preston), (booked_there, bolton)))
    db.session.commit()
    staff = make_user(Role.AP_STAFF, premises=preston)
    seen = set(db.session.scalars(sa.select(Referral.id).where(access.visible(staff, Referral))))
    assert seen == {booked_here.referral_id}
    assert waiting.referral_id not in seen
