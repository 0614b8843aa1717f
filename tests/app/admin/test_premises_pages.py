import pytest
import sqlalchemy as sa

from app import clock
from app.extensions import db
from app.models import AuditEvent, Bed, Characteristic, PostcodeDistrict, Premises, Region, Room
from app.permissions import Role
from tests.app.pages import error_messages
from vocabulary import CHARACTERISTICS, CharacteristicScope

TODAY = clock.today()


@pytest.fixture
def admin(make_user, client_request):
    user = make_user(Role.ADMIN, email="admin@example.test")
    client_request.sign_in(user)
    return user


def _characteristic_ids(*codes) -> list[str]:
    return [str(i) for i in db.session.scalars(sa.select(Characteristic.id).where(Characteristic.code.in_(codes)))]


def _premises_form(target_region, **overrides) -> dict:
    return {
        "name": "Fictional Court", "code": "FIC-1", "gender": "male", "ap_type": "pipe", "address": "2 Example Road",
        "town": "Lancaster", "postcode": "la1 1aa", "longitude": "-2.8", "latitude": "54.05", "region": str(target_region.id),
        "characteristics": _characteristic_ids("is_catered", "has_lift"), "is_active": "y", "local_restrictions": "",
        "room_name": "Room 1", "room_characteristics": _characteristic_ids("is_single"), "beds": "2",
    } | overrides


def _counts() -> tuple:
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(model)) for model in (Premises, Room, Bed, AuditEvent))


def _summary(page) -> dict[str, str]:
    return {
        row.select_one(".govuk-summary-list__key").get_text(strip=True): row.select_one(".govuk-summary-list__value").get_text(" ", strip=True)
        for row in page.select("main > .govuk-summary-list .govuk-summary-list__row")
    }


def _rooms(page) -> dict[str, dict[str, str]]:
    return {
        card.select_one(".govuk-summary-card__title").get_text(strip=True): {
            row.select_one(".govuk-summary-list__key").get_text(strip=True): row.select_one(".govuk-summary-list__value").get_text(" ", strip=True)
            for row in card.select(".govuk-summary-list__row")
        }
        for card in page.select(".govuk-summary-card")
    }


# --- premises -----------------------------------------------------------------------------------------------------


def test_premises_list_links_to_each_premises(client_request, admin, make_premises):
    premises = make_premises("Preston House", beds=3)
    page = client_request.get("/admin/premises")
    assert page.h1.get_text(strip=True) == "Manage premises"
    [row] = page.select("table tbody tr")
    assert [cell.get_text(strip=True) for cell in row.find_all("td")] == ["Preston House", premises.code, "North West", "3", "Active"]
    assert row.a["href"] == f"/admin/premises/{premises.id}"


def test_create_a_premises_with_its_first_room(client_request, admin, region):
    page = client_request.get("/admin/premises/new")
    assert page.h1.get_text(strip=True) == "Add a premises"
    assert page.select_one("#is_active")["checked"] is not None
    offered = {label.get_text(strip=True) for label in page.select("input[name=characteristics] + label")}
    assert offered == {c.label for c in CHARACTERISTICS if c.scope is CharacteristicScope.PREMISES}  # no AP types

    location = client_request.post("/admin/premises/new", _premises_form(region))

    premises = db.session.scalar(sa.select(Premises))
    assert location == f"/admin/premises/{premises.id}"
    page = client_request.get(location)
    assert "Fictional Court added with 2 beds in Room 1" in page.select_one(".govuk-notification-banner").get_text()
    summary = _summary(page)
    assert (summary["Address"], summary["Type of AP"], summary["Characteristics"]) == (
        "2 Example Road, Lancaster, LA1 1AA", "Psychologically informed planned environment (PIPE)", "Is catered Lift")
    assert _rooms(page) == {"Room 1": {"Characteristics": "Single room", "Bed 1": f"Open since {TODAY.day} {TODAY:%B %Y}",
                                       "Bed 2": f"Open since {TODAY.day} {TODAY:%B %Y}"}}
    assert db.session.scalar(sa.select(AuditEvent.user_id).where(AuditEvent.action == "premises_created")) == admin.id


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"postcode": "LA1"}, {"postcode": "Enter a full UK postcode, like PR1 1AA"}),
        ({"longitude": "-8.1"}, {"longitude": "The longitude and latitude are outside England and Wales",
                                 "town": "The longitude and latitude are 346 km from Lancaster"}),
        ({"longitude": "west"}, {"longitude": "Enter the longitude as a number, like -2.7036"}),
        ({"latitude": "91"}, {"latitude": "Enter the latitude in decimal degrees, between -90 and 90"}),
        ({"latitude": ""}, {"latitude": "Enter the latitude too, or leave both blank to use the postcode or town"}),
        ({"region": "999999"}, {"region": "Select a region from the list"}),
        ({"region": "north"}, {"region": "Select a region from the list"}),
        ({"gender": "other"}, {"gender": "Select who the premises is for"}),
        ({"ap_type": "castle"}, {"ap_type": "Select the type of AP"}),
        ({"characteristics": ["moat"]}, {"characteristics": "Select characteristics from the list"}),
        ({"characteristics": ["9" * 30]}, {"characteristics": "Select characteristics from the list"}),
        ({"beds": "9" * 30}, {"beds": "Enter a number of beds from 1 to 50"}),
        ({"longitude": "1e400"}, {"longitude": "Enter the longitude in decimal degrees, between -180 and 180"}),
        ({"beds": "0"}, {"beds": "Enter a number of beds from 1 to 50"}),
        ({"beds": "two"}, {"beds": "Enter a number of beds from 1 to 50"}),
        ({"room_name": ""}, {"room_name": "Enter the room name"}),
    ],
)
def test_bad_premises_input_is_reported_next_to_the_field_and_nothing_is_saved(client_request, admin, region, overrides, expected):
    before = _counts()
    page = client_request.post("/admin/premises/new", _premises_form(region, **overrides), expected_status=200)
    assert error_messages(page) == expected
    assert _counts() == before


def test_every_missing_answer_is_reported_at_once(client_request, admin):
    page = client_request.post("/admin/premises/new", {}, expected_status=200)
    assert set(error_messages(page)) == {"name", "code", "gender", "ap_type", "address", "town", "postcode", "longitude",
                                         "region", "room_name", "beds"}


def test_edit_a_premises(client_request, admin, make_premises, region):
    london = db.session.scalar(sa.select(Region).where(Region.name == "London"))
    premises = make_premises("Preston House", characteristics=("is_catered",), target_region=london)
    page = client_request.get(f"/admin/premises/{premises.id}/edit")
    assert page.select_one("#name")["value"] == "Preston House"
    assert page.select_one("#region option[selected]").get_text(strip=True) == "London"
    assert [box.find_next("label").get_text(strip=True) for box in page.select("input[name=characteristics][checked]")] == ["Is catered"]

    form = _premises_form(region, name="Preston House", code=premises.code, characteristics=[], local_restrictions="No arson",
                          email=" preston.house@example.test ")
    del form["is_active"]
    location = client_request.post(f"/admin/premises/{premises.id}/edit", form)

    assert location == f"/admin/premises/{premises.id}"
    summary = _summary(client_request.get(location))
    assert (summary["Probation region"], summary["Characteristics"], summary["Status"], summary["Local restrictions"],
            summary["Email address"]) == ("North West", "None", "Inactive", "No arson", "preston.house@example.test")


def test_edit_refuses_an_email_address_in_the_wrong_format(client_request, admin, make_premises, region):
    premises = make_premises("Preston House")
    page = client_request.post(f"/admin/premises/{premises.id}/edit",
                               _premises_form(region, name="Preston House", email="preston house"), expected_status=200)
    assert error_messages(page) == {"email": "Enter an email address in the correct format, like name@example.com"}


def test_edit_refuses_another_premises_name(client_request, admin, make_premises, region):
    make_premises("Bolton House")
    premises = make_premises("Preston House")
    page = client_request.post(f"/admin/premises/{premises.id}/edit", _premises_form(region, name="bolton house"), expected_status=200)
    assert error_messages(page) == {"name": "Another premises already has this name"}
    db.session.expire_all()
    assert db.session.get(Premises, premises.id).name == "Preston House"


# --- rooms and beds -----------------------------------------------------------------------------------------------


def test_add_a_room_then_change_it_then_add_beds(client_request, admin, make_premises):
    premises = make_premises("Preston House", beds=1)
    location = client_request.post(f"/admin/premises/{premises.id}/rooms/new",
                                   {"room_name": "Garden 1", "room_characteristics": _characteristic_ids("is_ground_floor"), "beds": "1"})
    assert location == f"/admin/premises/{premises.id}"
    room = db.session.scalar(sa.select(Room).where(Room.name == "Garden 1"))

    page = client_request.get(f"/admin/premises/{premises.id}/rooms/{room.id}")
    assert page.select_one("#room_name")["value"] == "Garden 1"
    client_request.post(f"/admin/premises/{premises.id}/rooms/{room.id}",
                        {"room_name": "Garden 1A", "room_characteristics": _characteristic_ids("is_ground_floor", "has_en_suite")},
                        follow=True, expected_status=200)
    page = client_request.post(f"/admin/premises/{premises.id}/rooms/{room.id}/beds/new", {"beds": "2"}, follow=True, expected_status=200)

    assert "Bed 2, Bed 3 added to Garden 1A" in page.select_one(".govuk-notification-banner").get_text()
    rooms = _rooms(page)
    assert rooms["Garden 1A"]["Characteristics"] == "En-suite Ground floor"
    assert [key for key in rooms["Garden 1A"] if key.startswith("Bed")] == ["Bed 1", "Bed 2", "Bed 3"]
    actions = [e.action for e in db.session.scalars(sa.select(AuditEvent).where(AuditEvent.user_id == admin.id).order_by(AuditEvent.id))]
    assert actions == ["room_added", "room_updated", "beds_added"]


def test_room_errors_are_shown_next_to_the_field(client_request, admin, make_premises):
    premises = make_premises("Preston House", beds=2)
    page = client_request.post(f"/admin/premises/{premises.id}/rooms/new", {"room_name": "room 2", "beds": "0"}, expected_status=200)
    assert error_messages(page) == {"room_name": "Preston House already has a room with this name",
                                    "beds": "Enter a number of beds from 1 to 50"}
    room = premises.rooms[0]
    page = client_request.post(f"/admin/premises/{premises.id}/rooms/{room.id}/beds/new", {"beds": "51"}, expected_status=200)
    assert error_messages(page) == {"beds": "Enter a number of beds from 1 to 50"}


def test_end_a_bed_but_never_the_last_one(client_request, admin, make_premises):
    premises = make_premises("Preston House", beds=2)
    first, last = (room.beds[0] for room in premises.rooms)
    day = {"active_to": [str(TODAY.day), str(TODAY.month), str(TODAY.year)]}

    assert client_request.post(f"/admin/premises/{premises.id}/beds/{first.id}/end", day) == f"/admin/premises/{premises.id}"
    page = client_request.post(f"/admin/premises/{premises.id}/beds/{last.id}/end", day, expected_status=200)

    assert error_messages(page) == {"active_to-day": "Preston House must keep at least one bed. Add another bed before ending this one"}
    db.session.expire_all()
    assert (db.session.get(Bed, first.id).active_to, db.session.get(Bed, last.id).active_to) == (TODAY, None)


@pytest.mark.parametrize(
    ("day", "message"),
    [(["", "", ""], "Enter the date the bed stops being available"),
     (["31", "2", "2030"], "Last day the bed is available must be a real date"),
     (["1", "1", "2019"], "The end date must be on or after the date the bed came into use, 1 January 2020")],
)
def test_bad_end_dates_are_reported(client_request, admin, make_premises, day, message):
    premises = make_premises(beds=2)
    bed = premises.rooms[0].beds[0]
    page = client_request.post(f"/admin/premises/{premises.id}/beds/{bed.id}/end", {"active_to": day}, expected_status=200)
    assert error_messages(page) == {"active_to-day": message}


def test_rooms_and_beds_of_another_premises_are_not_found(client_request, admin, make_premises):
    here, there = make_premises("Here House"), make_premises("There House")
    room, bed = there.rooms[0], there.rooms[0].beds[0]
    client_request.get(f"/admin/premises/{here.id}/rooms/{room.id}", expected_status=404)
    client_request.get(f"/admin/premises/{here.id}/rooms/{room.id}/beds/new", expected_status=404)
    client_request.get(f"/admin/premises/{here.id}/beds/{bed.id}/end", expected_status=404)
    client_request.get("/admin/premises/999999", expected_status=404)


# --- who may -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [role for role in Role if role is not Role.ADMIN])
def test_only_administrators_edit_premises(client_request, make_user, make_premises, region, role):
    premises = make_premises(beds=2)
    room, bed = premises.rooms[0], premises.rooms[0].beds[0]
    client_request.sign_in(make_user(role, premises=premises, region=region))
    for url in ("/admin/premises", "/admin/premises/new", f"/admin/premises/{premises.id}", f"/admin/premises/{premises.id}/edit",
                f"/admin/premises/{premises.id}/rooms/new", f"/admin/premises/{premises.id}/rooms/{room.id}",
                f"/admin/premises/{premises.id}/rooms/{room.id}/beds/new", f"/admin/premises/{premises.id}/beds/{bed.id}/end"):
        client_request.get(url, expected_status=403)
    client_request.post(f"/admin/premises/{premises.id}/beds/{bed.id}/end", {"active_to": ["1", "1", "2030"]}, expected_status=403)
    assert db.session.get(Bed, bed.id).active_to is None


# --- location -----------------------------------------------------------------------------------------------------


def test_a_location_that_disagrees_is_refused_beside_each_field_it_contradicts(client_request, admin):
    db.session.add(PostcodeDistrict(code="LS1", longitude=-1.5491, latitude=53.7960))
    wales = db.session.scalar(sa.select(Region).where(Region.name == "Wales"))
    form = _premises_form(wales, town="Leeds", postcode="LS1 4AP", longitude="-0.1276", latitude="51.5072")

    page = client_request.post("/admin/premises/new", form, expected_status=200)

    assert error_messages(page) == {
        "postcode": "The longitude and latitude are 272 km from the centre of postcode district LS1",
        "town": "The longitude and latitude are 272 km from Leeds",
        "region": "The longitude and latitude are in London, not Wales",
    }
    assert (page.select_one("#town")["value"], page.select_one("#longitude")["value"]) == ("Leeds", "-0.1276")
    assert db.session.scalar(sa.select(sa.func.count(Premises.id))) == 0


def test_a_premises_left_without_coordinates_is_placed_at_its_postcode_district(client_request, admin, region):
    db.session.add(PostcodeDistrict(code="LA1", longitude=-2.7936, latitude=54.0465))
    form = _premises_form(region, longitude="", latitude="")

    client_request.post("/admin/premises/new", form)

    assert db.session.execute(sa.select(Premises.longitude, Premises.latitude)).one() == (-2.7936, 54.0465)
