import json

import pytest

from app.geo.gazetteer import find_town, towns_called
from app.geo.outlines import (
    build_outlines,
    km_outside_england_and_wales,
    km_outside_region,
    region_containing,
    region_names,
)
from vocabulary import REGION_NAMES


def test_the_outlines_cover_exactly_the_probation_regions():
    assert region_names() == set(REGION_NAMES)


@pytest.mark.parametrize(
    ("town", "region"),
    [("Leeds", "Yorkshire and the Humber"), ("Cardiff", "Wales"), ("Wrexham", "Wales"), ("Chester", "North West"),
     ("Salford", "Greater Manchester"), ("Preston", "North West"), ("Maidstone", "Kent, Surrey and Sussex"),
     ("Reading", "South Central"), ("Milton Keynes", "South Central"), ("Croydon", "London"), ("Luton", "East of England"),
     ("Berwick-Upon-Tweed", "North East"), ("Truro", "South West")],
)
def test_towns_are_in_their_probation_region(town, region):
    assert region_containing(find_town(town).point) == region


@pytest.mark.parametrize(
    ("point", "km_outside"),
    [((-0.1276, 51.5072), 0.0), ((-3.1883, 55.9521), 84), ((-5.93, 54.6), 165), ((1.85, 50.95), 40)],
)
def test_distance_outside_england_and_wales(point, km_outside):
    assert km_outside_england_and_wales(point) == pytest.approx(km_outside, abs=1)


def test_distance_outside_a_region_is_measured_to_its_nearest_edge():
    london = (-0.1276, 51.5072)
    assert km_outside_region(london, "London") == 0
    assert 15 < km_outside_region(london, "South Central") < 40  # Slough's edge, from Charing Cross


def test_towns_sharing_a_name_are_all_known_most_populous_first():
    newports = towns_called("newport")
    assert len(newports) >= 3
    assert newports[0] == find_town("Newport")
    assert [town.population for town in newports] == sorted((town.population for town in newports), reverse=True)


def _unit(name, region, country="England", admin="GBR", square=(0, 0)):
    x, y = square
    ring = [[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]
    return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": {"adm0_a3": admin, "geonunit": country, "name": name, "region": region}}


def test_build_keeps_england_and_wales_and_splits_greater_manchester_and_kent_surrey_sussex_off(tmp_path):
    source, target = tmp_path / "admin1.json", tmp_path / "regions.geojson"
    units = [
        _unit("Lancashire", "North West", square=(0, 0)), _unit("Cumbria", "North West", square=(0, 1)),
        _unit("Bolton", "North West", square=(1, 0)), _unit("Kent", "South East", square=(2, 0)),
        _unit("Hampshire", "South East", square=(3, 0)), _unit("Cardiff", "West Wales and the Valleys", "Wales", square=(4, 0)),
        _unit("Fife", "Eastern", "Scotland", square=(5, 0)), _unit("Nord", "Hauts-de-France", "France", "FRA", (6, 0)),
    ]
    source.write_text(json.dumps({"type": "FeatureCollection", "features": units}))

    assert build_outlines(source, target) == {"Greater Manchester": 1, "Kent, Surrey and Sussex": 1, "North West": 2,
                                              "South Central": 1, "Wales": 1}
    written = {feature["properties"]["region"]: feature["geometry"] for feature in json.loads(target.read_text())["features"]}
    assert written["North West"]["type"] == "Polygon"  # the two touching squares merged into one
