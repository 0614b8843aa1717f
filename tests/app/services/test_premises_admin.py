from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app import clock
from app.extensions import db
from app.models import AuditEvent, Bed, Characteristic, PlacementStatus, Premises, Region, Room
from app.permissions import Role
from app.services import premises_admin
from app.services.premises_admin import PremisesDetails, RoomDetails
from app.services.validation import InvalidInput, NotInScope
from tests.app.manage.estate_factories import add_placement
from vocabulary import APType, Gender

TODAY = clock.today()


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN, email="admin@example.test")


def _ids(*codes) -> frozenset[int]:
    return frozenset(db.session.scalars(sa.select(Characteristic.id).where(Characteristic.code.in_(codes))))


def _details(region, characteristics=("is_catered", "has_lift"), **overrides) -> PremisesDetails:
    fields = {
        "name": "Fictional Court", "code": "fic-1", "gender": Gender.MALE, "ap_type": APType.STANDARD,
        "address": "2 Example Road", "town": "Lancaster", "postcode": "la11aa", "longitude": -2.8, "latitude": 54.05,
        "region_id": region.id, "characteristic_ids": _ids(*characteristics), "local_restrictions": " None known ",
    }
    return PremisesDetails(**(fields | overrides))


def _events() -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)))


def _counts() -> tuple:
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(model)) for model in (Premises, Room, Bed, AuditEvent))


def _refused(action, *args, **kwargs) -> dict[str, str]:
    """The problems an action is refused with; nothing may have been saved or audited."""
    before = _counts()
    with pytest.raises(InvalidInput) as refusal:
        action(*args, **kwargs)
    db.session.rollback()
    assert _counts() == before
    return refusal.value.problems


# --- premises -----------------------------------------------------------------------------------------------------


def test_create_premises_comes_with_its_first_room_and_beds_and_is_audited(admin, region):
    premises = premises_admin.create_premises(
        _details(region), RoomDetails("Room 1", _ids("is_single", "has_en_suite")), 3, by=admin
    )

    assert (premises.name, premises.code, premises.postcode, premises.region) == ("Fictional Court", "FIC-1", "LA1 1AA", region)
    assert premises.local_restrictions == "None known"
    assert sorted(c.code for c in premises.characteristics) == ["has_lift", "is_catered"]
    [room] = premises.rooms
    assert sorted(c.code for c in room.characteristics) == ["has_en_suite", "is_single"]
    assert [(bed.name, bed.active_from, bed.active_to) for bed in room.beds] == [
        ("Bed 1", TODAY, None), ("Bed 2", TODAY, None), ("Bed 3", TODAY, None)]
    [event] = _events()
    assert (event.action, event.user_id, event.object_type, event.object_id) == ("premises_created", admin.id, "premises", str(premises.id))
    assert (event.details["first_room"], event.details["beds"], event.details["region"]) == ("Room 1", 3, "North West")


@pytest.mark.parametrize("beds", [0, -1, None, 51])
def test_a_premises_with_no_beds_is_refused(admin, region, beds):
    problems = _refused(premises_admin.create_premises, _details(region), RoomDetails("Room 1"), beds, by=admin)
    assert problems == {"beds": "Enter a number of beds from 1 to 50"}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"postcode": "PR1"}, "postcode", "Enter a full UK postcode, like PR1 1AA"),
        ({"postcode": "12345"}, "postcode", "Enter a full UK postcode, like PR1 1AA"),
        ({"postcode": ""}, "postcode", "Enter the postcode"),
        ({"longitude": 181.0}, "longitude", "Enter the longitude in decimal degrees, between -180 and 180"),
        ({"longitude": float("nan")}, "longitude", "Enter the longitude in decimal degrees, between -180 and 180"),
        ({"longitude": None}, "longitude", "Enter the longitude too, or leave both blank to use the postcode or town"),
        ({"latitude": -90.5}, "latitude", "Enter the latitude in decimal degrees, between -90 and 90"),
        ({"region_id": 999_999}, "region", "Select a region from the list"),
        ({"region_id": 10**30}, "region", "Select a region from the list"),
        ({"characteristic_ids": frozenset({10**30})}, "characteristics", "Select characteristics from the list"),
        ({"region_id": None}, "region", "Select the probation region"),
        ({"characteristics": ("is_single",)}, "characteristics", "Select characteristics from the list"),  # a room one
        ({"code": "no spaces!"}, "code", "Premises code must be 2 to 12 letters, numbers or hyphens"),
        ({"name": " "}, "name", "Enter the premises name"),
        ({"name": "x" * 121}, "name", "Name must be 120 characters or fewer"),
        ({"gender": None}, "gender", "Select who the premises is for"),
        ({"ap_type": None}, "ap_type", "Select the type of AP"),
    ],
)
def test_bad_premises_details_are_refused_and_nothing_is_saved(admin, region, overrides, field, message):
    problems = _refused(premises_admin.create_premises, _details(region, **overrides), RoomDetails("Room 1"), 1, by=admin)
    assert problems == {field: message}


def test_name_and_code_are_unique_whatever_their_case(admin, region, make_premises):
    make_premises("Fictional Court", code="FIC-1")
    problems = _refused(premises_admin.create_premises, _details(region, name="fictional court"), RoomDetails("Room 1"), 1, by=admin)
    assert problems == {"name": "Another premises already has this name", "code": "Another premises already has this code"}


def test_update_premises_saves_and_audits_what_changed(admin, make_premises, region):
    london = db.session.scalar(sa.select(Region).where(Region.name == "London"))
    premises = make_premises("Fictional Court", code="FIC-1", postcode="PR1 1AA", target_region=london)
    details = _details(region, name="Fictional Court", code="FIC-1", postcode="pr1 1aa", address=premises.address,
                       town=premises.town, longitude=premises.longitude, latitude=premises.latitude,
                       characteristics=("has_lift",), is_active=False, local_restrictions="")

    premises_admin.update_premises(premises, details, by=admin)

    assert (premises.region, premises.is_active, [c.code for c in premises.characteristics]) == (region, False, ["has_lift"])
    [event] = _events()
    assert (event.action, event.user_id) == ("premises_updated", admin.id)
    assert event.details["changes"] == {"region": ["London", "North West"], "characteristics": [[], ["has_lift"]],
                                        "is_active": [True, False]}


def test_update_premises_refuses_bad_input_and_keeps_what_was_saved(admin, make_premises, region):
    premises = make_premises("Fictional Court", postcode="PR1 1AA")
    problems = _refused(premises_admin.update_premises, premises, _details(region, postcode="nonsense"), by=admin)
    assert problems == {"postcode": "Enter a full UK postcode, like PR1 1AA"}
    assert db.session.get(Premises, premises.id).postcode == "PR1 1AA"


# --- rooms and beds -----------------------------------------------------------------------------------------------


def test_add_room_with_beds(admin, make_premises):
    premises = make_premises(beds=1)
    room = premises_admin.add_room(premises, RoomDetails(" Garden 1 ", _ids("is_ground_floor")), 2, by=admin)
    assert (room.name, [b.name for b in room.beds], [c.code for c in room.characteristics]) == (
        "Garden 1", ["Bed 1", "Bed 2"], ["is_ground_floor"])
    [event] = _events()
    assert (event.action, event.user_id, event.object_type, event.details["beds"]) == ("room_added", admin.id, "room", 2)


def test_room_names_are_unique_within_a_premises_and_rooms_need_beds(admin, make_premises):
    premises = make_premises("Fictional Court", beds=1)
    problems = _refused(premises_admin.add_room, premises, RoomDetails("room 1", _ids("has_lift")), 0, by=admin)
    assert problems == {
        "room_name": "Fictional Court already has a room with this name",
        "room_characteristics": "Select characteristics from the list",
        "beds": "Enter a number of beds from 1 to 50",
    }


def test_update_room_renames_and_changes_characteristics(admin, make_premises):
    room = make_premises(beds=2).rooms[0]
    premises_admin.update_room(room, RoomDetails("Room 1A", _ids("is_single", "is_arson_suitable")), by=admin)
    assert (room.name, sorted(c.code for c in room.characteristics)) == ("Room 1A", ["is_arson_suitable", "is_single"])
    [event] = _events()
    assert event.details["changes"] == {"room": ["Room 1", "Room 1A"], "characteristics": [["is_single"], ["is_arson_suitable", "is_single"]]}


def test_update_room_may_keep_its_own_name_but_not_take_another(admin, make_premises):
    first, second = make_premises(beds=2).rooms
    premises_admin.update_room(first, RoomDetails("ROOM 1"), by=admin)
    assert _refused(premises_admin.update_room, second, RoomDetails("room 1"), by=admin) == {
        "room_name": "Fictional House already has a room with this name"}


def test_add_beds_numbers_on_from_the_highest_bed(admin, make_premises):
    room = make_premises(beds=1).rooms[0]
    beds = premises_admin.add_beds(room, 2, by=admin)
    assert [bed.name for bed in beds] == ["Bed 2", "Bed 3"]
    [event] = _events()
    assert (event.action, event.details["beds"]) == ("beds_added", ["Bed 2", "Bed 3"])
    assert _refused(premises_admin.add_beds, room, 0, by=admin) == {"beds": "Enter a number of beds from 1 to 50"}


def test_end_bed_sets_its_last_day_and_is_audited(admin, make_premises):
    bed = make_premises(beds=2).rooms[0].beds[0]
    premises_admin.end_bed(bed, TODAY, by=admin)
    assert db.session.get(Bed, bed.id).active_to == TODAY
    [event] = _events()
    assert (event.action, event.user_id, event.object_type, event.details["active_to"]) == (
        "bed_ended", admin.id, "bed", TODAY.isoformat())


def test_the_last_open_bed_cannot_be_ended(admin, make_premises):
    first, second = (room.beds[0] for room in make_premises("Fictional Court", beds=2).rooms)
    premises_admin.end_bed(first, TODAY, by=admin)
    problems = _refused(premises_admin.end_bed, second, TODAY, by=admin)
    assert problems == {"active_to": "Fictional Court must keep at least one bed. Add another bed before ending this one"}
    assert db.session.get(Bed, second.id).active_to is None


def test_an_ended_bed_may_have_its_end_date_changed(admin, make_premises):
    first = make_premises(beds=2).rooms[0].beds[0]
    premises_admin.end_bed(first, TODAY, by=admin)
    premises_admin.end_bed(first, TODAY + timedelta(days=7), by=admin)
    assert first.active_to == TODAY + timedelta(days=7)


def test_a_bed_cannot_end_before_it_came_into_use(admin, make_premises):
    bed = make_premises(beds=2).rooms[0].beds[0]
    problems = _refused(premises_admin.end_bed, bed, date(2019, 12, 31), by=admin)
    assert problems == {"active_to": "The end date must be on or after the date the bed came into use, 1 January 2020"}
    assert _refused(premises_admin.end_bed, bed, None, by=admin) == {"active_to": "Enter the date the bed stops being available"}


def test_a_bed_cannot_end_while_someone_is_booked_into_it(admin, make_premises):
    """The same rule as taking a bed out of service: the bed is needed until the night before the departure."""
    premises = make_premises(beds=2)
    bed = premises.rooms[0].beds[0]
    arrival, departure = date(2030, 1, 1), date(2030, 1, 21)
    add_placement(premises, arrival=date(2029, 12, 1), departure=date(2029, 12, 20), status=PlacementStatus.DEPARTED,
                  bed=bed)
    placement = add_placement(premises, arrival=arrival, departure=departure, status=PlacementStatus.UPCOMING, bed=bed)

    problems = _refused(premises_admin.end_bed, bed, date(2030, 1, 6), by=admin)
    assert problems == {"active_to": f"The bed is occupied by {placement.person.crn} (from 1 January 2030 to 21 January 2030). "
                                     "Enter 20 January 2030 or later, or move them to another bed first"}
    assert bed.active_to is None
    premises_admin.end_bed(bed, date(2030, 1, 20), by=admin)
    assert bed.active_to == date(2030, 1, 20)


def test_premises_list_counts_open_beds(make_premises, admin):
    premises = make_premises("Fictional Court", beds=3)
    premises_admin.end_bed(premises.rooms[0].beds[0], TODAY, by=admin)
    make_premises("Another House", beds=1)
    assert [(p.name, beds) for p, beds in premises_admin.premises_list(admin)] == [("Another House", 1), ("Fictional Court", 2)]


def test_only_administrators_of_a_premises_change_it(admin, make_premises, make_user, region):
    premises = make_premises("Fictional Court", beds=2)
    room, bed = premises.rooms[0], premises.rooms[0].beds[0]
    manager = make_user(Role.AP_MANAGER, premises=premises, region=region)
    for change in [
        lambda: premises_admin.update_premises(premises, _details(region), by=manager),
        lambda: premises_admin.add_room(premises, RoomDetails("Annex"), 1, by=manager),
        lambda: premises_admin.update_room(room, RoomDetails("Annex"), by=manager),
        lambda: premises_admin.add_beds(room, 1, by=manager),
        lambda: premises_admin.end_bed(bed, TODAY, by=manager),
    ]:
        with pytest.raises(NotInScope):
            change()
    assert _events() == [] and [r.name for r in premises.rooms] == ["Room 1", "Room 2"] and bed.active_to is None
