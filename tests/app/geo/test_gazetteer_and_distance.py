import pytest

from app.geo.gazetteer import find_town
from vocabulary import distance_km, km_to_miles


def test_finds_a_city_by_name_whatever_the_case():
    manchester = find_town("mAnChEsTeR")
    assert manchester.name == "Manchester"
    assert manchester.lat == pytest.approx(53.48, abs=0.05)
    assert manchester.lon == pytest.approx(-2.24, abs=0.05)
    assert manchester.population > 300_000


def test_includes_towns_down_to_five_thousand_people():
    ledbury = find_town("Ledbury")
    assert ledbury is not None and 5_000 <= ledbury.population < 15_000


@pytest.mark.parametrize(
    "typed, name",
    [
        ("barrow-in-furness", "Barrow in Furness"),
        ("Kings Lynn", "King's Lynn"),
        ("Saint Albans", "St Albans"),
        ("  stoke-on-trent ", "Stoke-on-Trent"),
        ("Hull", "Kingston upon Hull"),
        ("Newcastle", "Newcastle upon Tyne"),
    ],
)
def test_forgives_punctuation_and_knows_common_other_names(typed, name):
    assert find_town(typed).name == name


def test_an_ambiguous_name_picks_the_most_populous_town():
    newport = find_town("Newport")
    assert newport.lon == pytest.approx(-3.0, abs=0.1)  # Newport in Wales, not on the Isle of Wight


@pytest.mark.parametrize("name", ["Glasgow", "Belfast", "Atlantis", "", "   "])
def test_places_outside_england_and_wales_or_unknown_are_not_found(name):
    assert find_town(name) is None


def test_gazetteer_points_measure_london_to_manchester_as_about_262_km_and_163_miles():
    km = distance_km(find_town("London").point, find_town("Manchester").point)
    assert km == pytest.approx(262, abs=2)
    assert km_to_miles(km) == pytest.approx(163, abs=1)
