"""Exclusion zones: geometry the optimiser can trust (a real area, of a sensible size, in England or Wales), given
three ways, labelled without an address, and added and removed only on a draft by its offender managers."""

import json
from datetime import datetime
from math import pi

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from app.extensions import db
from app.geo.gazetteer import all_towns
from app.models import AuditEvent
from app.permissions import Role
from app.services import exclusion_zones
from app.services.audit import readable
from app.services.exclusion_zones import (
    MAX_AREA_KM2,
    MIN_AREA_KM2,
    ZoneDetails,
    ZoneProblem,
    add_zone,
    area_km2,
    circle,
    geometry_problem,
    parse_geojson,
    remove_zone,
    zone_problems,
)
from app.services.validation import InvalidInput, NotInScope, Refused
from vocabulary import KM_PER_MILE, ExclusionZoneSource, Point, ReferralStatus

LEEDS = Point(-1.5491, 53.7997)
# A small square in Leeds city centre, about 1.1 km across.
SQUARE = {"type": "Polygon", "coordinates": [[[-1.56, 53.79], [-1.55, 53.79], [-1.55, 53.80], [-1.56, 53.80],
                                              [-1.56, 53.79]]]}
BOW_TIE = {"type": "Polygon", "coordinates": [[[-1.56, 53.79], [-1.55, 53.80], [-1.55, 53.79], [-1.56, 53.80],
                                               [-1.56, 53.79]]]}


pytestmark = pytest.mark.usefixtures("referral_day")


@pytest.fixture
def referral(offender_manager, make_referral):
    return make_referral(offender_manager, has_exclusion_zones=True)


def _drawn(geometry, label="Zone 1: city centre") -> ZoneDetails:
    return ZoneDetails(label=label, source=ExclusionZoneSource.DRAWN, drawn=json.dumps(geometry))


def _shifted(geometry: dict, east: float = 0.0, north: float = 0.0) -> dict:
    return {"type": "Polygon", "coordinates": [[[lon + east, lat + north] for lon, lat in ring]
                                               for ring in geometry["coordinates"]]}


# --- geometry -----------------------------------------------------------------------------------------------------


def test_a_drawn_square_in_leeds_is_a_zone():
    geometry = parse_geojson(json.dumps(SQUARE))
    assert geometry_problem(geometry) is None
    assert area_km2(geometry) == pytest.approx(0.66 * 1.11, rel=0.05)  # 0.01° east by 0.01° north at 53.8° N


@pytest.mark.parametrize(("document", "problem"), [
    ("not json", "The file is not GeoJSON: export the zone as a .geojson file and try again"),
    ("[1, 2]", "The file is not GeoJSON: export the zone as a .geojson file and try again"),
    ('{"type": "Point", "coordinates": [-1.5, 53.8]}', "The zone must be an area (a polygon), not a point or a line"),
    ('{"type": "Polygon", "coordinates": [[[-1.5, 53.8], [-1.4, 53.8]]]}',
     "The zone's outline needs at least three corners"),
    ('{"type": "Polygon", "coordinates": [[[-1.5, NaN], [-1.4, 53.8], [-1.4, 53.9]]]}',
     "The file is not GeoJSON: export the zone as a .geojson file and try again"),
    ('{"type": "Polygon", "coordinates": [[[430000, 433000], [431000, 433000], [431000, 434000], [430000, 433000]]]}',
     "The zone's coordinates must be longitude and latitude (WGS84), as GeoJSON requires"),
    ('{"type": "Polygon", "coordinates": [[["west", 53.8]]]}',
     "The file is not GeoJSON: each corner must be a longitude and a latitude"),
    ('{"type": "FeatureCollection", "features": []}', "The file has no zone in it: it needs a polygon"),
])
def test_what_is_not_a_geojson_polygon_is_refused_with_a_reason(document, problem):
    with pytest.raises(ZoneProblem) as refusal:
        parse_geojson(document)
    assert str(refusal.value) == problem


def test_a_feature_collection_of_two_areas_is_one_zone():
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": SQUARE},
        {"type": "Feature", "properties": {}, "geometry": _shifted(SQUARE, east=0.05)}]}
    geometry = parse_geojson(json.dumps(collection))
    assert geometry.geom_type == "MultiPolygon"
    assert area_km2(geometry) == pytest.approx(2 * area_km2(parse_geojson(json.dumps(SQUARE))))


@pytest.mark.parametrize(("geometry", "problem"), [
    (BOW_TIE, "The zone's edges cross each other: draw or export it again so that no edges cross"),
    ({"type": "Polygon", "coordinates": [[[-1.56, 53.79], [-1.55, 53.80], [-1.54, 53.81], [-1.56, 53.79]]]},
     "The zone has no area: it needs at least three corners that are not in a straight line"),
    (_shifted(SQUARE, east=-2.7, north=2.2), "The zone must be in England or Wales"),  # Glasgow
    (_shifted(SQUARE, east=3.9, north=-5.0), "The zone must be in England or Wales"),  # Paris
    ({"type": "Polygon", "coordinates": [[[-3, 52], [0, 52], [0, 54], [-3, 54], [-3, 52]]]},
     f"The zone must be no larger than {MAX_AREA_KM2:,} square kilometres (about the size of Kent)"),
])
def test_a_zone_must_be_a_real_area_of_sensible_size_in_england_or_wales(geometry, problem):
    assert geometry_problem(shapely.geometry.shape(geometry)) == problem


def test_a_zone_reaching_over_the_border_or_the_coast_is_accepted():
    berwick = {"type": "Polygon",
               "coordinates": [[[-2.1, 55.7], [-1.9, 55.7], [-1.9, 55.9], [-2.1, 55.9], [-2.1, 55.7]]]}
    assert geometry_problem(shapely.geometry.shape(berwick)) is None


@settings(max_examples=50, deadline=None)
@given(town=st.sampled_from(all_towns()), radius_km=st.floats(0.08, 32))
def test_a_circle_around_any_town_has_the_area_of_its_radius_and_holds_its_centre(town, radius_km):
    zone = circle(town.point, radius_km)
    assert zone.is_valid and zone.contains(shapely.Point(town.point))
    assert area_km2(zone) == pytest.approx(pi * radius_km**2, rel=0.01)
    assert geometry_problem(zone) is None


@settings(max_examples=50, deadline=None)
@given(corners=st.lists(st.tuples(st.floats(-2.9, 0.4), st.floats(51.3, 53.9)), min_size=3, max_size=12))
def test_every_polygon_is_either_refused_with_a_reason_or_a_valid_area(corners):
    geometry = parse_geojson(json.dumps({"type": "Polygon", "coordinates": [[*corners, corners[0]]]}))
    problem = geometry_problem(geometry)
    assert problem is not None or (geometry.is_valid and MIN_AREA_KM2 <= area_km2(geometry) <= MAX_AREA_KM2)


@settings(max_examples=100, deadline=None)
@given(document=st.recursive(st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=5),
                             lambda children: st.lists(children, max_size=4)
                             | st.dictionaries(st.sampled_from(["type", "coordinates", "geometry", "features"]),
                                               children, max_size=4), max_leaves=20)
       | st.sampled_from(["Polygon", "MultiPolygon", "Feature", "FeatureCollection"]).map(lambda kind: {"type": kind}))
def test_any_json_is_a_polygon_or_refused_with_a_reason_never_an_error(document):
    try:
        geometry = parse_geojson(json.dumps(document))
    except ZoneProblem:
        return
    assert geometry.geom_type in {"Polygon", "MultiPolygon"}


# --- zones on a referral ------------------------------------------------------------------------------------------


def test_a_drawn_zone_is_saved_as_geojson_near_its_town_and_audited(offender_manager, referral):
    zone = add_zone(offender_manager, referral, _drawn(SQUARE))
    assert (zone.source, zone.centre_name, zone.radius_km) == (ExclusionZoneSource.DRAWN, "Leeds", None)
    assert json.loads(zone.geometry)["type"] == "Polygon"
    assert zone.where == "0.3 square miles (0.7 km²) near Leeds"
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "exclusion_zone_added"))
    assert event.details == {"zone": "Zone 1: city centre", "source": "drawn"}
    assert "Given as: Drawn on a map" in readable([event])[0].details


def test_a_centre_and_radius_is_a_circle_kept_with_its_centre_and_radius(offender_manager, referral):
    zone = add_zone(offender_manager, referral, ZoneDetails(label="School", source=ExclusionZoneSource.CIRCLE, centre="Leeds",
                                                   radius_miles=0.5))
    assert (zone.centre_name, zone.radius_km) == ("Leeds", pytest.approx(0.5 * KM_PER_MILE))
    assert area_km2(shapely.geometry.shape(json.loads(zone.geometry))) == pytest.approx(pi * (0.5 * KM_PER_MILE)**2,
                                                                                       rel=0.01)
    assert zone.where == "0.5 miles (0.8 km) around Leeds"


@pytest.mark.parametrize(("centre", "radius", "problems"), [
    ("Leeds", 0, {"radius_miles": "The radius must be more than 0 miles"}),
    ("Leeds", -1, {"radius_miles": "The radius must be more than 0 miles"}),
    ("Leeds", float("nan"), {"radius_miles": "The radius must be more than 0 miles"}),
    ("Leeds", 0.01, {"radius_miles": "The radius must be at least 0.05 miles (80 metres)"}),
    ("Leeds", 21, {"radius_miles": "The radius must be 20 miles or less"}),
    ("Leeds", None, {"radius_miles": "Enter the radius in miles"}),
    ("Atlantis", 1, {"centre": "Enter a town in England or Wales, or a postcode district, like Leeds or LS1"}),
    ("", 1, {"centre": "Enter the centre of the zone, a town or a postcode district"}),
])
def test_a_circle_needs_a_known_centre_and_a_radius_above_zero(referral, centre, radius, problems):
    details = ZoneDetails(label="Zone", source=ExclusionZoneSource.CIRCLE, centre=centre, radius_miles=radius)
    assert zone_problems(referral, details) == problems


@pytest.mark.parametrize(("uploaded", "problem"), [
    (None, "Select a GeoJSON file"),
    (b"\xff\xfe not utf-8", "The file is not GeoJSON: export the zone as a .geojson file and try again"),
    (b" " * 1_000_001, "The file must be smaller than 1 MB"),
    (json.dumps(BOW_TIE).encode(), "The zone's edges cross each other: draw or export it again so that no edges cross"),
])
def test_an_upload_must_be_a_geojson_polygon(referral, uploaded, problem):
    details = ZoneDetails(label="Zone", source=ExclusionZoneSource.UPLOADED, uploaded=uploaded)
    assert zone_problems(referral, details) == {"uploaded": problem}


def test_an_uploaded_feature_in_utf8_with_a_byte_order_mark_is_a_zone(offender_manager, referral):
    feature = {"type": "Feature", "properties": {"name": "ignored"}, "geometry": SQUARE}
    zone = add_zone(offender_manager, referral, ZoneDetails(label="Work", source=ExclusionZoneSource.UPLOADED,
                                                   uploaded=b"\xef\xbb\xbf" + json.dumps(feature).encode()))
    assert zone.source is ExclusionZoneSource.UPLOADED


@pytest.mark.parametrize(("label", "problem"), [
    ("", "Enter a label for the zone"),
    ("x" * 61, "The label must be 60 characters or fewer"),
    ("Around LS1 4AP", "The label must not be an address or a postcode: describe the zone, for example ‘Zone 1: "
                       "town centre’"),
    ("12 Acacia Avenue", "The label must not be an address or a postcode: describe the zone, for example ‘Zone 1: "
                         "town centre’"),
    ("zone 1: CITY centre", "There is already a zone called ‘zone 1: CITY centre’: give this one another label"),
])
def test_a_label_is_short_unique_and_never_an_address(offender_manager, referral, label, problem):
    add_zone(offender_manager, referral, _drawn(SQUARE))
    assert zone_problems(referral, _drawn(SQUARE, label=label)) == {"label": problem}


def test_no_way_chosen_and_nothing_drawn_are_refused(referral):
    assert zone_problems(referral, ZoneDetails(label="Zone", source=None)) == {
        "source": "Select how you will give the zone"}
    assert zone_problems(referral, ZoneDetails(label="Zone", source=ExclusionZoneSource.DRAWN)) == {
        "drawn": "Draw the zone on the map"}


def test_a_refused_zone_saves_nothing(offender_manager, referral):
    with pytest.raises(InvalidInput):
        add_zone(offender_manager, referral, _drawn(BOW_TIE))
    db.session.rollback()
    assert referral.exclusion_zones == []


def test_a_zone_is_removed_from_its_own_referral_only(offender_manager, referral, make_referral, make_person):
    zone = add_zone(offender_manager, referral, _drawn(SQUARE))
    other = make_referral(offender_manager, make_person(crn="X654321"))
    with pytest.raises(NotInScope):
        remove_zone(offender_manager, other, zone.id)
    remove_zone(offender_manager, referral, zone.id)
    assert referral.exclusion_zones == []
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "exclusion_zone_removed"))
    assert event.details == {"zone": "Zone 1: city centre"}


def test_zones_change_only_on_a_draft_of_the_managers_region(offender_manager, referral, make_user):
    referral.status, referral.submitted_at = ReferralStatus.SUBMITTED, datetime(2030, 6, 14)
    db.session.commit()
    with pytest.raises(Refused, match="submitted"):
        add_zone(offender_manager, referral, _drawn(SQUARE))
    assessor = make_user(Role.ASSESSOR)
    with pytest.raises(NotInScope):
        exclusion_zones.add_zone(assessor, referral, _drawn(SQUARE))
