import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from optimizer.geometry import ZoneIndex, distances_km, inside_or_near, zone_shape
from optimizer.schema import ExclusionZone, Point
from vocabulary import distance_km

longitudes, latitudes = st.floats(-180, 180), st.floats(-90, 90)


@given(st.lists(st.tuples(longitudes, latitudes), min_size=1, max_size=20), longitudes, latitudes)
def test_vectorised_distances_agree_with_the_vocabularys(points, lon, lat):
    """The numpy haversine serves the hot loops; it must say what the one scalar distance says."""
    target = Point(lon, lat)
    many = distances_km(np.array([p[0] for p in points]), np.array([p[1] for p in points]), target)
    # within a metre: near the antipodes arcsin magnifies the last bit of rounding
    assert many == pytest.approx([distance_km(Point(*p), target) for p in points], rel=1e-9, abs=1e-3)


def test_circle_counts_its_radius_plus_the_buffer(build):
    zone = build.circle(0, 0, radius_km=1.0)
    assert inside_or_near(build.at(0, 0), (zone,), 2.0)
    assert inside_or_near(build.at(0, 2.95), (zone,), 2.0)
    assert not inside_or_near(build.at(0, 3.05), (zone,), 2.0)
    assert not inside_or_near(build.at(3.05, 0), (zone,), 2.0)


def test_polygon_inside_edge_and_buffer(build):
    zone = build.square(0, 0, half_side_km=1.0)
    assert inside_or_near(build.at(0.5, -0.5), (zone,), 0.0)
    assert not inside_or_near(build.at(1.5, 0), (zone,), 0.0)
    assert inside_or_near(build.at(2.9, 0), (zone,), 2.0)
    assert not inside_or_near(build.at(3.1, 0), (zone,), 2.0)
    assert not inside_or_near(build.at(2.5, 2.5), (zone,), 2.0)  # the corner is 2.12 km away diagonally


def test_any_of_several_zones_rules_a_point_out(build):
    zones = (build.circle(50, 50, 1.0), build.square(0, 0, 1.0))
    assert inside_or_near(build.at(0, 0), zones, 2.0)
    assert not inside_or_near(build.at(20, 20), zones, 2.0)


def test_zone_index_answers_many_points_at_once(build):
    points = [build.at(0, 0), build.at(0, 2.5), build.at(0, 10)]
    mask = ZoneIndex((build.circle(0, 0, 1.0),)).near_mask(
        np.array([p.lon for p in points]), np.array([p.lat for p in points]), 2.0
    )
    assert mask.tolist() == [True, True, False]


def test_zone_shapes_are_built_once_per_zone(build):
    zone = build.square(5, 5, 1.0)
    assert zone_shape(zone) is zone_shape(ExclusionZone(polygon=zone.polygon))
