"""Manual search (app/services/placement_search.py): each hard rule rules out exactly the premises it should, with
the optimiser's reason, and the beds free each night are counted exactly."""

import json
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import db
from app.models import Bed, ExclusionZone, NonAssociate, PlacementStatus, Region, Room
from app.permissions import Role
from app.services import bookings, matching, placement_search
from app.services.placement_search import Criteria
from app.services.validation import NotInScope
from tests.app.conftest import PLACING_DAY, _characteristics, _empty_tables
from tests.app.manage.estate_factories import add_out_of_service, add_placement, beds_of
from vocabulary import APType, ExclusionZoneSource, Gender, NonAssociateReason

TODAY = PLACING_DAY.date()
ARRIVAL = date(2030, 9, 1)  # the test referrals' expected arrival
PRESTON = (-2.7, 53.76)  # where the test premises stand, and the test referrals' home area


pytestmark = pytest.mark.usefixtures("placing_day")


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


@pytest.fixture
def waiting(make_placement_request):
    return make_placement_request()


def _stay(weeks=1, **criteria) -> Criteria:
    return Criteria(ARRIVAL, ARRIVAL + timedelta(weeks=weeks), **criteria)


def _reasons(result) -> dict[str, str]:
    return {out.premises.name: out.reason for out in result.ruled_out}


def _zone_near(placement_request, premises, km_east: float) -> None:
    """A 1 km circle centred `km_east` of the premises (a degree of longitude is 65.8 km at Preston)."""
    centre = (premises.longitude + km_east / 65.8, premises.latitude)
    db.session.add(ExclusionZone(referral_id=placement_request.referral_id, label="Around the victim's home",
                                 source=ExclusionZoneSource.CIRCLE, geometry=json.dumps({"type": "Polygon",
                                 "coordinates": [[list(centre), [centre[0], centre[1] + 0.01], list(centre)]]}),
                                 area_km2=3.1, centre_name="Preston", centre_longitude=centre[0],
                                 centre_latitude=centre[1], radius_km=1.0))
    db.session.commit()


def test_each_hard_rule_rules_out_exactly_its_premises_with_the_optimisers_reason(placer, make_premises,
                                                                                   make_placement_request):
    waiting = make_placement_request(essential_characteristics=["is_single"])
    make_premises("Near House", longitude=-2.72)
    make_premises("Further House", longitude=-2.3)  # about 26 km east
    make_premises("Women's House", gender=Gender.FEMALE)
    make_premises("Pipe House", ap_type=APType.PIPE)
    make_premises("Shared House", room_characteristics=())
    make_premises("London House", longitude=-0.1, latitude=51.5)  # 300 km away; the referral allows 50 miles
    zoned = make_premises("Zoned House", longitude=-2.9)
    _zone_near(waiting, zoned, 2.5)  # outside the circle, inside its 2 km buffer
    shared_with = make_premises("Rival House", longitude=-2.95)
    resident = add_placement(shared_with, arrival=days(-10), departure=days(20), bed=beds_of(shared_with)[0])
    db.session.add(NonAssociate(referral_id=waiting.referral_id, crn=resident.person.crn, name="Fictional Name",
                                reason=NonAssociateReason.CO_DEFENDANT))
    full = make_premises("Full House", beds=1, longitude=-2.5)
    add_placement(full, arrival=days(-10), departure=days(10), bed=beds_of(full)[0])
    db.session.commit()

    result = placement_search.search(placer, waiting, _stay())

    assert [found.premises.name for found in result.found] == ["Near House", "Further House"]
    assert result.found[0].distance_km < result.found[1].distance_km
    assert 25 < result.found[1].distance_km < 28
    assert _reasons(result) == {
        "Full House": "no single bed is free on 1 September 2030",
        "London House": "beyond the 80.4672 km maximum radius",
        "Pipe House": "AP type: needs a standard AP, this is a PIPE",
        "Rival House": "a non-associate is resident on 1 September 2030",
        "Shared House": "essential room characteristics: no single bed",
        "Women's House": "gender: a women's AP",
        "Zoned House": "inside or within 2 km of an exclusion zone",
    }


def test_a_missing_essential_premises_characteristic_rules_out_the_premises(placer, make_premises,
                                                                            make_placement_request):
    make_premises("Catered House", characteristics=("is_catered",))
    make_premises("Plain House")
    catered = make_placement_request(essential_characteristics=["is_catered"])
    result = placement_search.search(placer, catered, _stay())
    assert [found.premises.name for found in result.found] == ["Catered House"]
    assert _reasons(result) == {"Plain House": "missing essential characteristic: catered"}


@pytest.fixture
def mixed_house(make_premises):
    """Two single rooms and a single en-suite room: a resident leaving on 4 September in the first, the en-suite
    out of service on 5 and 6 September, and from 7 September a booking without a bed yet."""
    house = make_premises("Mixed House", beds=2, room_characteristics=("is_single",))
    room = Room(name="Room 3", characteristics=_characteristics(("is_single", "has_en_suite")))
    room.beds.append(Bed(name="Bed 3", active_from=date(2020, 1, 1)))
    house.rooms.append(room)
    db.session.commit()
    add_placement(house, arrival=days(-10), departure=date(2030, 9, 4), bed=beds_of(house)[0])
    add_out_of_service(room.beds[0], date(2030, 9, 5), date(2030, 9, 6))
    add_placement(house, arrival=date(2030, 9, 7), departure=date(2030, 9, 20), status=PlacementStatus.UPCOMING)
    return house


def test_beds_free_are_counted_each_night_in_total_and_per_room_characteristic_needed(placer, mixed_house,
                                                                                       make_placement_request):
    en_suite = make_placement_request(essential_characteristics=["is_single", "has_en_suite"])
    result = placement_search.search(placer, en_suite, _stay(include_full=True))
    found, = result.found
    assert result.needs == ["is_single", "has_en_suite"]
    assert [(night.day.day, night.free, night.fitting, night.by_characteristic["is_single"],
             night.by_characteristic["has_en_suite"]) for night in found.nights] == [
        (1, 2, 1, 2, 1), (2, 2, 1, 2, 1), (3, 2, 1, 2, 1), (4, 3, 1, 3, 1), (5, 2, 0, 2, 0), (6, 2, 0, 2, 0),
        (7, 2, 1, 2, 1)]
    assert found.first_full_night == date(2030, 9, 5)


def test_premises_without_a_bed_every_night_are_ruled_out_unless_asked_for(placer, mixed_house,
                                                                             make_placement_request):
    en_suite = make_placement_request(essential_characteristics=["is_single", "has_en_suite"])
    result = placement_search.search(placer, en_suite, _stay())
    assert result.found == []
    assert _reasons(result) == {"Mixed House": "no bed that is both en-suite and single is free on 5 September 2030"}


def test_a_non_associate_is_never_shown_even_to_those_who_may_overbook(placer, make_premises, waiting):
    house = make_premises(beds=2)
    resident = add_placement(house, arrival=days(-10), departure=days(20), bed=beds_of(house)[0])
    db.session.add(NonAssociate(referral_id=waiting.referral_id, crn=resident.person.crn, name="Fictional Name",
                                reason=NonAssociateReason.GANG))
    db.session.commit()
    assert placement_search.search(placer, waiting, _stay(include_full=True)).found == []


def test_the_radius_can_be_widened_or_narrowed_for_one_search(placer, make_premises, waiting):
    make_premises("London House", longitude=-0.1, latitude=51.5)  # 300 km, 186 miles away
    make_premises("Lancaster House", longitude=-2.8, latitude=54.05)  # 33 km, 20 miles away
    assert [f.premises.name for f in placement_search.search(placer, waiting, _stay()).found] == ["Lancaster House"]
    assert [f.premises.name for f in placement_search.search(placer, waiting, _stay(max_radius_miles=200)).found] == [
        "Lancaster House", "London House"]
    narrow = placement_search.search(placer, waiting, _stay(max_radius_miles=10))
    assert narrow.found == [] and _reasons(narrow)["Lancaster House"] == "beyond the 16.0934 km maximum radius"


def test_a_placement_being_moved_no_longer_holds_its_own_bed(placer, make_premises, waiting):
    house = make_premises(beds=1)
    placement = bookings.book(placer, waiting, house, ARRIVAL)
    assert placement_search.search(placer, waiting, _stay()).found == []
    moving = placement_search.search(placer, waiting, _stay(), moving=placement)
    assert [found.premises.name for found in moving.found] == ["Fictional House"]


def test_only_people_placing_the_requests_region_can_search_it(make_user, waiting):
    wales = db.session.scalar(sa.select(Region).where(Region.name == "Wales"))
    for stranger in (make_user(Role.REFERRAL_UNIT, region=wales), make_user(Role.AP_MANAGER)):
        with pytest.raises(NotInScope):
            placement_search.search(stranger, waiting, _stay())


def test_criteria_problems_are_named_by_field():
    assert placement_search.criteria_problems(days(-1), 0, 0, today=TODAY) == {
        "arrival": "The arrival date must be today or in the future",
        "length_of_stay_weeks": "The length of stay must be between 1 and 104 weeks",
        "max_radius_miles": "The distance must be between 1 and 1000 miles"}
    assert placement_search.criteria_problems(TODAY, None, None, today=TODAY) == {
        "length_of_stay_weeks": "Enter the length of stay in weeks"}
    assert placement_search.criteria_problems(TODAY, 12, None, today=TODAY) == {}


stays = st.lists(st.tuples(st.integers(0, 2), st.integers(-5, 20), st.integers(1, 15), st.booleans()), max_size=5)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(beds=st.integers(0, 3), occupied=stays, nights=st.integers(1, 21))
def test_a_premises_is_found_exactly_when_a_booking_would_be_accepted(beds, occupied, nights, make_user, region,
                                                                      make_premises, make_placement_request):
    """The search and the booking's referee (the optimiser's validator) never disagree."""
    try:
        placer = make_user(Role.REFERRAL_UNIT, region=region)
        house = make_premises(beds=beds)
        taken = []  # (bed, first night, last night): a bed holds one stay or period at a time, as the services keep it
        for bed, start, length, out_of_service in occupied:
            if bed >= beds or any(bed == other and start <= last and first <= start + length - 1
                                  for other, first, last in taken):
                continue
            taken.append((bed, start, start + length - 1))
            if out_of_service:
                add_out_of_service(beds_of(house)[bed], days(start), days(start + length - 1))
            else:
                add_placement(house, arrival=days(start), departure=days(start + length), bed=beds_of(house)[bed],
                              status=PlacementStatus.UPCOMING)
        waiting = make_placement_request()
        criteria = Criteria(ARRIVAL, ARRIVAL + timedelta(days=nights))
        found = bool(placement_search.search(placer, waiting, criteria).found)
        rules, capacity = bookings.stay_problems(matching.Stay(house.id, criteria.arrival, criteria.departure,
                                                               waiting), house)
        assert found == (not rules and not capacity)
    finally:
        _empty_tables()
