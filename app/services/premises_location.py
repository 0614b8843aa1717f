"""Where a premises is: the longitude and latitude given, else the centre of its postcode district, else its town.

The point must agree with everything else the administrator entered: near its postcode district and its town, in
England or Wales, and in the probation region chosen. Each disagreement is reported beside the field it
contradicts, since the service cannot know which of the two is wrong.

England, Wales and the regions come from Natural Earth's 1:10m map (app/geo/outlines.py), whose coastlines and
borders are drawn to within a kilometre or two: a point is refused only when it is clearly outside, never for
standing on a seafront that the map puts a little out to sea, or a street from a region's edge.
"""

from dataclasses import dataclass
from math import isfinite

from app.extensions import db
from app.geo.gazetteer import find_town, towns_called
from app.geo.outlines import (
    km_outside_england_and_wales,
    km_outside_region,
    region_containing,
)
from app.geo.postcodes import Place, district_of
from app.models import PostcodeDistrict
from vocabulary import Point, distance_km

MAX_KM_FROM_POSTCODE_DISTRICT = 25
MAX_KM_FROM_TOWN = 25
MAP_TOLERANCE_KM = 2
REGION_BORDER_TOLERANCE_KM = 5


@dataclass(frozen=True)
class Located:
    """A premises' point, the field it came from, and how messages name it."""

    point: Point
    field: str
    described: str


def located(longitude: float | None, latitude: float | None, postcode: str, town: str) -> Located | None:
    """The point given, else the centre of the imported postcode district, else the town; None when none is known."""
    if longitude is not None and latitude is not None:
        return Located((longitude, latitude), "longitude", "The longitude and latitude are")
    if longitude is not None or latitude is not None:
        return None
    if district := postcode_district(postcode):
        return Located(district.point, "postcode", f"Postcode district {district.name} is")
    if found := find_town(town):
        return Located(found.point, "town", f"{found.name} is")
    return None


def postcode_district(postcode: str) -> Place | None:
    """The imported district of a postcode; None when the postcode is not one or its district was not imported."""
    code = district_of(postcode or "")
    district = db.session.get(PostcodeDistrict, code) if code else None
    return Place(district.code, district.longitude, district.latitude) if district else None


def location_problems(
    longitude: float | None, latitude: float | None, postcode: str, town: str, region_name: str | None
) -> dict[str, str]:
    """Every way the location disagrees with itself, keyed by the field to correct."""
    if problems := _coordinate_problems(longitude, latitude):
        return problems
    place = located(longitude, latitude, postcode, town)
    if place is None:
        return {"longitude": "Enter the longitude and latitude: this service cannot locate the postcode or the town"}
    checks = {"postcode": _far_from_postcode_district(place, postcode), "town": _far_from_town(place, town)}
    if outside := _outside_england_and_wales(place):
        checks[place.field] = outside  # and so in no region at all
    else:
        checks["region"] = _in_another_region(place, region_name)
    return {field: problem for field, problem in checks.items() if problem}


def _coordinate_problems(longitude: float | None, latitude: float | None) -> dict[str, str]:
    problems = {}
    for name, value, limit in (("longitude", longitude, 180), ("latitude", latitude, 90)):
        if value is not None and not (isfinite(value) and -limit <= value <= limit):
            problems[name] = f"Enter the {name} in decimal degrees, between -{limit} and {limit}"
    if not problems and (longitude is None) != (latitude is None):
        missing = "latitude" if latitude is None else "longitude"
        problems[missing] = f"Enter the {missing} too, or leave both blank to use the postcode or town"
    return problems


def _outside_england_and_wales(place: Located) -> str | None:
    if km_outside_england_and_wales(place.point) > MAP_TOLERANCE_KM:
        return f"{place.described} outside England and Wales"
    return None


def _far_from_postcode_district(place: Located, postcode: str) -> str | None:
    district = postcode_district(postcode) if place.field != "postcode" else None
    if district is None:
        return None
    km = distance_km(place.point, district.point)
    if km > MAX_KM_FROM_POSTCODE_DISTRICT:
        return f"{place.described} {km:.0f} km from the centre of postcode district {district.name}"
    return None


def _far_from_town(place: Located, town: str) -> str | None:
    """Towns that share a name (Newport) are all considered: only being far from every one of them is refused."""
    towns = towns_called(town) if place.field != "town" else []
    if not towns:
        return None
    nearest = min(towns, key=lambda candidate: distance_km(place.point, candidate.point))
    km = distance_km(place.point, nearest.point)
    if km > MAX_KM_FROM_TOWN:
        return f"{place.described} {km:.0f} km from {nearest.name}"
    return None


def _in_another_region(place: Located, region_name: str | None) -> str | None:
    if region_name is None:
        return None
    found = region_containing(place.point)
    if found and found != region_name and km_outside_region(place.point, region_name) > REGION_BORDER_TOLERANCE_KM:
        return f"{place.described} in {found}, not {region_name}"
    return None
