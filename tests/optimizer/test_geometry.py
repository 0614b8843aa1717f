import numpy as np
import pytest

from optimizer.geometry import ZoneIndex, distance_km, distances_km, inside_or_near, zone_shape
from optimizer.schema import ExclusionZone, Point

LONDON = Point(-0.1276, 51.5072)
MANCHESTER = Point(-2.2426, 53.4808)


def test_distance_london_to_manchester_is_about_262_km():
    assert distance_km(LONDON, MANCHESTER) == pytest.approx(262.0, abs=0.5)


def test_distance_is_symmetric_and_zero_to_itself():
    assert distance_km(LONDON, MANCHESTER) == pytest.approx(distance_km(MANCHESTER, LONDON))
    assert distance_km(LONDON, LONDON) == 0.0


def test_one_degree_of_latitude_is_about_111_km():
    assert distance_km(Point(0, 50), Point(0, 51)) == pytest.approx(111.2, abs=0.1)


def test_vectorised_distances_agree_with_single_ones():
    points = [LONDON, MANCHESTER, Point(-3.18, 51.48)]
    many = distances_km(np.array([p.lon for p in points]), np.array([p.lat for p in points]), MANCHESTER)
    assert many == pytest.approx([distance_km(p, MANCHESTER) for p in points])


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
