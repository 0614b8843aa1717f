"""Great-circle distance between points stored as (longitude, latitude): how far a placement is from home.

Straight-line distance, as the national service ranks premises; shown in kilometres with miles beside them.
"""

from math import asin, cos, radians, sin, sqrt
from typing import NamedTuple

EARTH_RADIUS_KM = 6371.0088  # the mean radius, so that errors either way of the ellipsoid balance out
KM_PER_MILE = 1.609344


class Point(NamedTuple):
    """Longitude first, as GeoJSON and shapely order them."""

    lon: float
    lat: float


def distance_km(a: Point, b: Point) -> float:
    """Haversine distance in kilometres between two (longitude, latitude) points in degrees."""
    (lon_a, lat_a), (lon_b, lat_b) = a, b
    half_chord = (
        sin(radians(lat_b - lat_a) / 2) ** 2
        + cos(radians(lat_a)) * cos(radians(lat_b)) * sin(radians(lon_b - lon_a) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * asin(sqrt(min(half_chord, 1.0)))  # min: rounding can push it just above 1


def km_to_miles(km: float) -> float:
    return km / KM_PER_MILE
