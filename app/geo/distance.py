"""Great-circle distance between points stored as (longitude, latitude): how far a placement is from home."""

from math import asin, cos, radians, sin, sqrt

EARTH_MEAN_RADIUS_KM = 6371.0088
KM_PER_MILE = 1.609344

Point = tuple[float, float]


def distance_km(a: Point, b: Point) -> float:
    """Haversine distance in kilometres; straight-line, as the national service ranks premises."""
    (lon_a, lat_a), (lon_b, lat_b) = a, b
    half_chord = (
        sin(radians(lat_b - lat_a) / 2) ** 2
        + cos(radians(lat_a)) * cos(radians(lat_b)) * sin(radians(lon_b - lon_a) / 2) ** 2
    )
    return 2 * EARTH_MEAN_RADIUS_KM * asin(sqrt(min(half_chord, 1.0)))


def km_to_miles(km: float) -> float:
    return km / KM_PER_MILE
