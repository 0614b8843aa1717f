"""Great-circle distances and exclusion-zone geometry.

Zones are small (a few km), so each zone is drawn on its own local equirectangular plane in kilometres,
centred on the zone: there a buffer of 2 km really is 2 km, and shapely can answer "inside or within the
buffer" exactly with ``dwithin`` on a prepared geometry. Zone shapes are cached: the same zone is tested
against every premises, and the candidate filter, greedy and the validator all ask about it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely

from optimizer.schema import ExclusionZone, Point
from vocabulary import EARTH_RADIUS_KM, distance_km  # noqa: F401  one scalar distance for app and optimiser

KM_PER_DEGREE = EARTH_RADIUS_KM * np.pi / 180.0


def distances_km(lons: np.ndarray, lats: np.ndarray, point: Point) -> np.ndarray:
    """The vocabulary's haversine distance from many (lon, lat) points to one point, vectorised."""
    lat1, lat2 = np.radians(lats), np.radians(point.lat)
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin(np.radians(point.lon - lons) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(h, 1.0)))  # h is never negative


@dataclass(frozen=True)
class ZoneShape:
    """One zone on its own km plane centred on ``origin``.

    A circle is kept as its centre point plus ``radius_km`` so that "within radius + buffer" is exact rather
    than tested against a polygon approximating the circle.
    """

    origin: Point
    geometry: shapely.Geometry
    radius_km: float = 0.0

    def to_plane(self, lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
        """Equirectangular projection of lon/lat degrees to km around the origin."""
        x = (np.asarray(lons) - self.origin.lon) * KM_PER_DEGREE * np.cos(np.radians(self.origin.lat))
        y = (np.asarray(lats) - self.origin.lat) * KM_PER_DEGREE
        return np.column_stack([x, y])

    def near(self, lons: np.ndarray, lats: np.ndarray, buffer_km: float) -> np.ndarray:
        """For each point: inside the zone or within ``buffer_km`` of its edge."""
        points = shapely.points(self.to_plane(lons, lats))
        return shapely.dwithin(self.geometry, points, buffer_km + self.radius_km)


def zone_origin(zone: ExclusionZone) -> Point:
    if zone.centre is not None:
        return zone.centre
    lons = [p.lon for p in zone.polygon]
    lats = [p.lat for p in zone.polygon]
    return Point((min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2)


@lru_cache(maxsize=65536)
def zone_shape(zone: ExclusionZone) -> ZoneShape:
    """The zone as a prepared shapely geometry on its local km plane."""
    centre = ZoneShape(zone_origin(zone), shapely.Point(0.0, 0.0))
    if zone.polygon is None:
        return ZoneShape(centre.origin, centre.geometry, float(zone.radius_km))
    ring = centre.to_plane([p.lon for p in zone.polygon], [p.lat for p in zone.polygon])
    polygon = shapely.Polygon(ring)
    shapely.prepare(polygon)
    return ZoneShape(centre.origin, polygon)


def zone_shapes(zones: tuple[ExclusionZone, ...]) -> tuple[ZoneShape, ...]:
    return tuple(zone_shape(zone) for zone in zones)


class ZoneIndex:
    """All of one person's exclusion zones, asked many points at once."""

    def __init__(self, zones: tuple[ExclusionZone, ...]):
        self.shapes = zone_shapes(zones)

    def near_mask(self, lons: np.ndarray, lats: np.ndarray, buffer_km: float) -> np.ndarray:
        """Boolean per point: inside or within ``buffer_km`` of any zone."""
        mask = np.zeros(len(lons), dtype=bool)
        for shape in self.shapes:
            mask |= shape.near(lons, lats, buffer_km)
        return mask


def inside_or_near(point: Point, zones: tuple[ExclusionZone, ...], buffer_km: float) -> bool:
    """True when ``point`` lies inside any zone or within ``buffer_km`` of one."""
    return bool(ZoneIndex(zones).near_mask(np.array([point.lon]), np.array([point.lat]), buffer_km)[0])
