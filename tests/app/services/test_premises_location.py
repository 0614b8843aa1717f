"""Where a premises is: the point's sources (coordinates, postcode district, town) and the rules it must agree with."""

from math import asin, atan2, cos, degrees, radians, sin

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import db
from app.geo.gazetteer import find_town
from app.models import PostcodeDistrict, Premises, Region
from app.permissions import Role
from app.services import premises_admin
from app.services.premises_admin import PremisesDetails, RoomDetails
from app.services.premises_location import location_problems
from app.services.validation import InvalidInput
from vocabulary import APType, Gender, distance_km

LEEDS_LS1 = (-1.5491, 53.7960)
LONDON = (-0.1276, 51.5072)
EDINBURGH_EH1 = (-3.1883, 55.9521)
NOT_A_TOWN = "Nowhere-on-the-Marsh"


@pytest.fixture(autouse=True)
def districts():
    for code, (lon, lat) in {"LS1": LEEDS_LS1, "EH1": EDINBURGH_EH1}.items():
        db.session.add(PostcodeDistrict(code=code, longitude=lon, latitude=lat))
    db.session.commit()


def _check(point=(None, None), postcode="LS1 4AP", town="Leeds", region="Yorkshire and the Humber") -> dict[str, str]:
    return location_problems(*point, postcode, town, region)


def _moved(point, km_north: float):
    """The point `km_north` kilometres due north, by the spherical Earth that distance_km assumes."""
    lon, lat = point
    return lon, lat + degrees(km_north / 6371.0088)


def test_leeds_ls1_at_londons_coordinates_in_wales_is_refused_beside_each_field_it_contradicts():
    assert _check(LONDON, region="Wales") == {
        "postcode": "The longitude and latitude are 272 km from the centre of postcode district LS1",
        "town": "The longitude and latitude are 272 km from Leeds",
        "region": "The longitude and latitude are in London, not Wales",
    }


def test_leeds_ls1_at_leeds_coordinates_in_yorkshire_is_accepted():
    assert _check(find_town("Leeds").point) == {}


@pytest.mark.parametrize(("km", "refused"), [(24.5, False), (25.5, True)])
def test_a_point_more_than_25_km_from_its_postcode_district_is_refused(km, refused):
    problems = _check(_moved(LEEDS_LS1, km), town=NOT_A_TOWN)
    assert problems == ({"postcode": f"The longitude and latitude are {km:.0f} km from the centre of postcode district LS1"}
                        if refused else {})


@pytest.mark.parametrize(("km", "refused"), [(24.5, False), (25.5, True)])
def test_a_point_more_than_25_km_from_its_town_is_refused(km, refused):
    lancaster = find_town("Lancaster")
    problems = _check(_moved(lancaster.point, -km), postcode="LA1 1AA", town="lancaster", region="North West")
    assert problems == ({"town": f"The longitude and latitude are {km:.0f} km from Lancaster"} if refused else {})


def test_a_town_name_shared_by_several_towns_is_near_enough_to_any_of_them():
    shropshire_newport = (-2.3773, 52.7668)
    assert _check(shropshire_newport, postcode="TF10 7AA", town="Newport", region="West Midlands") == {}


@pytest.mark.parametrize(
    ("point", "postcode", "town", "expected"),
    [
        (EDINBURGH_EH1, "EH1 1YZ", NOT_A_TOWN, {"longitude": "The longitude and latitude are outside England and Wales"}),
        ((-6.26, 53.35), "DU1 1AA", NOT_A_TOWN, {"longitude": "The longitude and latitude are outside England and Wales"}),
        ((53.7960, -1.5491), "LS1 4AP", NOT_A_TOWN, {  # swapped
            "longitude": "The longitude and latitude are outside England and Wales",
            "postcode": "The longitude and latitude are 7973 km from the centre of postcode district LS1"}),
        ((None, None), "EH1 1YZ", NOT_A_TOWN, {"postcode": "Postcode district EH1 is outside England and Wales"}),
    ],
)
def test_a_point_outside_england_and_wales_is_refused_and_no_region_is_blamed(point, postcode, town, expected):
    assert _check(point, postcode=postcode, town=town, region="North East") == expected


@pytest.mark.parametrize(
    ("point", "region"),
    [((-3.492, 53.322), "Wales"), ((-3.058, 53.816), "North West"), ((-1.8795, 50.7205), "South West"),
     ((-6.3153, 49.9145), "South West")],
)
def test_seafronts_and_islands_that_the_map_draws_a_little_out_to_sea_are_accepted(point, region):
    """Rhyl's, Blackpool's and Bournemouth's seafronts are in the sea on the 1:10m map; the Isles of Scilly are missing."""
    assert location_problems(*point, "ZZ1 1ZZ", NOT_A_TOWN, region) == {}


@pytest.mark.parametrize(
    ("town", "region", "refused"),
    [
        ("Manchester", "North West", "Manchester is in Greater Manchester, not North West"),
        ("Atherton", "North West", "Atherton is in Greater Manchester, not North West"),  # 7 km inside
        ("Horwich", "North West", None),  # a street from the border
        ("Wilmslow", "Greater Manchester", None),  # 3 km from it
        ("Cardiff", "South West", "Cardiff is in Wales, not South West"),
        ("Brixton", "London", None),
    ],
)
def test_a_point_clearly_inside_another_region_is_refused_but_a_point_near_the_border_is_not(town, region, refused):
    assert _check(postcode="ZZ1 1ZZ", town=town, region=region) == ({"region": refused} if refused else {})


@pytest.mark.parametrize(
    ("longitude", "latitude", "expected"),
    [
        (-1.55, None, {"latitude": "Enter the latitude too, or leave both blank to use the postcode or town"}),
        (None, 53.8, {"longitude": "Enter the longitude too, or leave both blank to use the postcode or town"}),
        (float("inf"), 53.8, {"longitude": "Enter the longitude in decimal degrees, between -180 and 180"}),
        (-1.55, float("nan"), {"latitude": "Enter the latitude in decimal degrees, between -90 and 90"}),
    ],
)
def test_coordinates_come_in_pairs_of_real_numbers(longitude, latitude, expected):
    assert _check((longitude, latitude)) == expected


def test_a_premises_that_cannot_be_located_asks_for_coordinates():
    assert _check(postcode="ZZ1 1ZZ", town=NOT_A_TOWN) == {
        "longitude": "Enter the longitude and latitude: this service cannot locate the postcode or the town"}


def test_a_blank_point_agrees_with_the_other_fields_or_is_refused_beside_them():
    assert _check(postcode="LS1 4AP", town="Bristol", region="South West") == {
        "town": "Postcode district LS1 is 270 km from Bristol",
        "region": "Postcode district LS1 is in Yorkshire and the Humber, not South West",
    }


# --- through the premises service -----------------------------------------------------------------------------------


def _details(region_name: str, **overrides) -> PremisesDetails:
    region = db.session.scalar(sa.select(Region).where(Region.name == region_name))
    fields = {"name": "Aire House", "code": "AIR-1", "gender": Gender.MALE, "ap_type": APType.STANDARD, "address": "2 Park Row",
              "town": "Leeds", "postcode": "ls14ap", "longitude": None, "latitude": None, "region_id": region.id}
    return PremisesDetails(**(fields | overrides))


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN, email="admin@example.test")


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, LEEDS_LS1),  # the postcode district's centre
        ({"postcode": "LS99 1AA"}, find_town("Leeds").point),  # a district not imported: the town's centre
        ({"longitude": -1.5, "latitude": 53.8}, (-1.5, 53.8)),
    ],
)
def test_a_new_premises_is_placed_at_its_coordinates_else_its_postcode_district_else_its_town(admin, overrides, expected):
    details = _details("Yorkshire and the Humber", **overrides)
    premises = premises_admin.create_premises(details, RoomDetails("Room 1"), 1, by=admin)
    assert (premises.longitude, premises.latitude) == expected


def test_a_premises_whose_location_disagrees_is_not_saved(admin):
    with pytest.raises(InvalidInput) as refusal:
        premises_admin.create_premises(_details("Wales", longitude=LONDON[0], latitude=LONDON[1]), RoomDetails("Room 1"), 1, by=admin)
    assert {"postcode", "town", "region"} <= refusal.value.problems.keys()
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Premises.id))) == 0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(km=st.floats(0, 60), bearing=st.floats(0, 360))
def test_the_postcode_rule_refuses_exactly_the_points_beyond_25_km(km, bearing):
    point = _destination(LEEDS_LS1, km, bearing)
    refused = "postcode" in _check(point, town=NOT_A_TOWN)
    assert refused == (distance_km(point, LEEDS_LS1) > 25)
    if abs(km - 25) > 0.01:
        assert refused == (km > 25)


def _destination(start, km: float, bearing: float):
    """The point `km` along a great circle from `start` at `bearing` degrees from north."""
    lon, lat, angle, course = radians(start[0]), radians(start[1]), km / 6371.0088, radians(bearing)
    end_lat = asin(sin(lat) * cos(angle) + cos(lat) * sin(angle) * cos(course))
    end_lon = lon + atan2(sin(course) * sin(angle) * cos(lat), cos(angle) - sin(lat) * sin(end_lat))
    return degrees(end_lon), degrees(end_lat)
