"""Exclusion zones: areas a person's licence forbids them to enter, added to a referral and checked as geometry.

A zone arrives three ways: drawn on the map (the page's script writes GeoJSON into a hidden field), a centre with a
radius, or an uploaded GeoJSON file. Each becomes one GeoJSON Polygon or MultiPolygon in WGS84 longitude and
latitude, which must be a real area (edges that do not cross, more than no area), of a size a licence condition
could mean, and in England or Wales. The optimiser reads every zone the same way, so a zone nobody can check never
reaches it. A zone is named by a short label, never by the victim's address, and described by its nearest town.
"""

import json
import re
from dataclasses import dataclass
from math import cos, isfinite, pi, radians, sin

import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from app.extensions import db
from app.geo.gazetteer import all_towns
from app.geo.outlines import england_and_wales
from app.geo.postcodes import FULL_POSTCODE, locate
from app.models import ExclusionZone, Referral, User
from app.services import audit
from app.services.premises_location import MAP_TOLERANCE_KM
from app.services.referral_location import place_problem
from app.services.referrals import require_draft
from app.services.validation import NotInScope, refuse_if_any, text_problem
from vocabulary import (
    EARTH_RADIUS_KM,
    KM_PER_MILE,
    ExclusionZoneSource,
    Point,
    distance_km,
)

KM_PER_DEGREE = EARTH_RADIUS_KM * pi / 180
# The largest zones in licences cover a city or a county (Greater Manchester is about 1,300 km²); anything larger
# is a drawing or file gone wrong, and would rule out a region's APs at once.
MAX_AREA_KM2 = 5_000
# Smaller than a house and its garden: corners in a line, or a slip of the mouse, rather than a zone.
MIN_AREA_KM2 = 0.001
MIN_RADIUS_MILES = 0.05
MAX_RADIUS_MILES = 20
MAX_CORNERS = 5_000
MAX_FILE_BYTES = 1_000_000
MAX_LABEL_LENGTH = 60
CIRCLE_CORNERS = 64
COORDINATE_DECIMALS = 6  # about 10 cm: finer only makes the stored text longer
POLYGON_TYPES = ("Polygon", "MultiPolygon")
# A house number and a street: the shape of an address, which a zone's label must never be.
STREET_ADDRESS = re.compile(
    r"\b\d+[a-z]?,?\s+(\w+\s+){1,3}(road|rd|street|st|avenue|ave|lane|ln|close|drive|dr|way|crescent|grove|terrace|"
    r"place|court|gardens|gdns|walk|mews|row|square|hill|park|view|rise)\b", re.IGNORECASE)


EDGES_CROSS = "The zone's edges cross each other: draw or export it again so that no edges cross"


class ZoneProblem(ValueError):
    """Why a geometry cannot be an exclusion zone, in words for the person who gave it."""


@dataclass(frozen=True)
class ZoneDetails:
    """What a user gave for one zone: a label, the way chosen, and that way's answer."""

    label: str
    source: ExclusionZoneSource | None
    drawn: str = ""
    centre: str = ""
    radius_miles: float | None = None
    uploaded: bytes | None = None


@dataclass(frozen=True)
class Circle:
    centre: Point
    radius_km: float


# --- geometry ---------------------------------------------------------------------------------------------------


def area_km2(geometry: BaseGeometry) -> float:
    """The area on a plane centred on the zone, where a degree of longitude is shortened by the cosine of the
    latitude: within a fraction of a percent for areas the size of a county."""
    if geometry.is_empty:
        return 0.0
    latitude = geometry.centroid.y
    return geometry.area * KM_PER_DEGREE**2 * cos(radians(latitude))


def circle(centre: Point, radius_km: float) -> shapely.Polygon:
    """A circle as a polygon of 64 corners, drawn in kilometres on the same plane as `area_km2`."""
    degrees_north = radius_km / KM_PER_DEGREE
    degrees_east = degrees_north / cos(radians(centre.lat))
    corners = [(centre.lon + degrees_east * cos(2 * pi * step / CIRCLE_CORNERS),
                centre.lat + degrees_north * sin(2 * pi * step / CIRCLE_CORNERS)) for step in range(CIRCLE_CORNERS)]
    return shapely.Polygon(corners)


def parse_geojson(text: str) -> BaseGeometry:
    """One polygon or multipolygon from GeoJSON text: a geometry, a feature, or a collection of features whose areas
    are joined into one zone. Raises ZoneProblem for anything else."""
    try:
        document = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        raise ZoneProblem("The file is not GeoJSON: export the zone as a .geojson file and try again") from None
    parts = [_polygon(geometry) for geometry in _geometries(document)]
    if not parts:
        raise ZoneProblem("The file has no zone in it: it needs a polygon")
    if len(parts) == 1:
        return parts[0]
    if not all(part.is_valid for part in parts):  # which union cannot join
        raise ZoneProblem(EDGES_CROSS)
    return shapely.union_all(parts)


def _refuse_constant(name: str):
    raise ValueError(name)  # NaN and Infinity are not JSON, and no coordinate


def _geometries(document) -> list:
    if not isinstance(document, dict):
        raise ZoneProblem("The file is not GeoJSON: export the zone as a .geojson file and try again")
    kind = document.get("type")
    if kind == "FeatureCollection" and isinstance(document.get("features"), list):
        return [geometry for feature in document["features"] for geometry in _geometries(feature)]
    if kind == "Feature":
        return _geometries(document.get("geometry"))
    return [document]


def _polygon(geometry: dict) -> BaseGeometry:
    if geometry.get("type") not in POLYGON_TYPES:
        raise ZoneProblem("The zone must be an area (a polygon), not a point or a line")
    coordinates = geometry.get("coordinates")
    corners = list(_positions(coordinates, depth=3 if geometry["type"] == "Polygon" else 4))
    if len(corners) > MAX_CORNERS:
        raise ZoneProblem(f"The zone has more than {MAX_CORNERS:,} corners: simplify it and try again")
    if not all(-180 <= lon <= 180 and -90 <= lat <= 90 for lon, lat in corners):
        raise ZoneProblem("The zone's coordinates must be longitude and latitude (WGS84), as GeoJSON requires")
    try:
        return shape({"type": geometry["type"], "coordinates": coordinates})
    except (ValueError, TypeError, IndexError, shapely.errors.GEOSException):
        raise ZoneProblem("The zone's outline needs at least three corners") from None


def _positions(coordinates, depth: int):
    """Every (longitude, latitude) in nested GeoJSON coordinates, checking that each is a pair of finite numbers."""
    if not isinstance(coordinates, list):
        raise ZoneProblem("The file is not GeoJSON: its polygon has no coordinates")
    if depth == 1:
        if len(coordinates) < 2 or not all(_is_number(part) for part in coordinates):
            raise ZoneProblem("The file is not GeoJSON: each corner must be a longitude and a latitude")
        yield float(coordinates[0]), float(coordinates[1])
        return
    for inner in coordinates:
        yield from _positions(inner, depth - 1)


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and isfinite(value)


def geometry_problem(geometry: BaseGeometry) -> str | None:
    """What stops a geometry being an exclusion zone: no area, crossing edges, too large, or not in England or
    Wales. A zone may reach beyond the border or the coast, as long as some of it is within them."""
    if area_km2(shapely.make_valid(geometry)) < MIN_AREA_KM2:
        return "The zone has no area: it needs at least three corners that are not in a straight line"
    if not geometry.is_valid:
        return EDGES_CROSS
    if area_km2(geometry) > MAX_AREA_KM2:
        return f"The zone must be no larger than {MAX_AREA_KM2:,} square kilometres (about the size of Kent)"
    if _km_outside_england_and_wales(geometry) > MAP_TOLERANCE_KM:
        return "The zone must be in England or Wales"
    return None


def _km_outside_england_and_wales(geometry: BaseGeometry) -> float:
    outline = england_and_wales()
    if outline.intersects(geometry):
        return 0.0
    inside, outside = nearest_points(outline, geometry)
    return distance_km(Point(inside.x, inside.y), Point(outside.x, outside.y))


def nearest_town(point: Point) -> str:
    return min(all_towns(), key=lambda town: distance_km(point, town.point)).name


# --- zones on a referral ------------------------------------------------------------------------------------------


def zone_problems(referral: Referral, details: ZoneDetails) -> dict[str, str]:
    """Every problem with a zone a user gave, keyed by the field to correct."""
    problems = {"label": _label_problem(referral, details.label)}
    if details.source is None:
        problems["source"] = "Select how you will give the zone"
    else:
        try:
            _shape(details)
        except _FieldProblems as found:
            problems |= found.problems
    return {field: problem for field, problem in problems.items() if problem}


def add_zone(user: User, referral: Referral, details: ZoneDetails) -> ExclusionZone:
    require_draft(user, referral)
    refuse_if_any(zone_problems(referral, details))
    geometry, circle_given = _shape(details)
    point = circle_given.centre if circle_given else Point(*geometry.representative_point().coords[0])
    zone = ExclusionZone(
        label=details.label.strip(), source=details.source, geometry=json.dumps(mapping(geometry)),
        area_km2=area_km2(geometry),
        centre_name=locate(details.centre).name if circle_given else nearest_town(point),
        centre_longitude=circle_given.centre.lon if circle_given else None,
        centre_latitude=circle_given.centre.lat if circle_given else None,
        radius_km=circle_given.radius_km if circle_given else None,
    )
    referral.exclusion_zones.append(zone)
    db.session.flush()
    audit.record("exclusion_zone_added", referral, user=user, zone=zone.label, source=zone.source.value)
    db.session.commit()
    return zone


def remove_zone(user: User, referral: Referral, zone_id: int) -> ExclusionZone:
    require_draft(user, referral)
    zone = next((zone for zone in referral.exclusion_zones if zone.id == zone_id), None)
    if zone is None:
        raise NotInScope(f"Exclusion zone {zone_id} is not on referral {referral.id}")
    referral.exclusion_zones.remove(zone)
    audit.record("exclusion_zone_removed", referral, user=user, zone=zone.label)
    db.session.commit()
    return zone


def _label_problem(referral: Referral, label: str) -> str | None:
    label = (label or "").strip()
    if problem := text_problem(label, missing="Enter a label for the zone", max_length=MAX_LABEL_LENGTH,
                               what="The label"):
        return problem
    if FULL_POSTCODE.search(label.upper()) or STREET_ADDRESS.search(label):
        return "The label must not be an address or a postcode: describe the zone, for example ‘Zone 1: town centre’"
    if any(zone.label.casefold() == label.casefold() for zone in referral.exclusion_zones):
        return f"There is already a zone called ‘{label}’: give this one another label"
    return None


class _FieldProblems(Exception):
    def __init__(self, problems: dict[str, str]):
        super().__init__(problems)
        self.problems = problems


def _shape(details: ZoneDetails) -> tuple[BaseGeometry, Circle | None]:
    """The zone's geometry, and its centre and radius when it is a circle; raises _FieldProblems otherwise."""
    if details.source is ExclusionZoneSource.CIRCLE:
        given = _circle_given(details)
        geometry, field = circle(given.centre, given.radius_km), "centre"
    else:
        field = "drawn" if details.source is ExclusionZoneSource.DRAWN else "uploaded"
        given, geometry = None, _parsed(details, field)
    # Rounded before it is checked, so that what is saved is what passed; pointwise, so that rounding never repairs.
    geometry = shapely.set_precision(geometry, 10**-COORDINATE_DECIMALS, mode="pointwise")
    if problem := geometry_problem(geometry):
        raise _FieldProblems({field: problem})
    return geometry, given


def _circle_given(details: ZoneDetails) -> Circle:
    problems = {
        "centre": place_problem(details.centre, missing="Enter the centre of the zone, a town or a postcode district"),
        "radius_miles": _radius_problem(details.radius_miles),
    }
    if any(problems.values()):
        raise _FieldProblems({field: problem for field, problem in problems.items() if problem})
    return Circle(locate(details.centre.strip()).point, details.radius_miles * KM_PER_MILE)


def _radius_problem(miles: float | None) -> str | None:
    if miles is None:
        return "Enter the radius in miles"
    if not isfinite(miles) or miles <= 0:
        return "The radius must be more than 0 miles"
    if miles < MIN_RADIUS_MILES:
        return f"The radius must be at least {MIN_RADIUS_MILES} miles (80 metres)"
    if miles > MAX_RADIUS_MILES:
        return f"The radius must be {MAX_RADIUS_MILES} miles or less"
    return None


def _parsed(details: ZoneDetails, field: str) -> BaseGeometry:
    try:
        return parse_geojson(_text_of(details, field))
    except ZoneProblem as problem:
        raise _FieldProblems({field: str(problem)}) from None


def _text_of(details: ZoneDetails, field: str) -> str:
    if field == "drawn":
        if not details.drawn.strip():
            raise ZoneProblem("Draw the zone on the map")
        return details.drawn
    if not details.uploaded:
        raise ZoneProblem("Select a GeoJSON file")
    if len(details.uploaded) > MAX_FILE_BYTES:
        raise ZoneProblem("The file must be smaller than 1 MB")
    try:
        return details.uploaded.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ZoneProblem("The file is not GeoJSON: export the zone as a .geojson file and try again") from None
