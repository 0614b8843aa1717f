"""The shared vocabulary: dependency-free, internally consistent, and the distance both sides use."""

import subprocess
import sys

import pytest

from vocabulary import (
    ACCEPTED_AP_TYPES,
    AREA_OF_REGION,
    AREAS,
    CHARACTERISTICS,
    PREMISES_CHARACTERISTICS,
    REGION_NAMES,
    ROOM_CHARACTERISTICS,
    WOMENS_ESTATE,
    APType,
    CharacteristicScope,
    Gender,
    MappaCategory,
    MappaLevel,
    Point,
    RiskLevel,
    distance_km,
    km_to_miles,
)

IMPORTS_ONLY_THE_STANDARD_LIBRARY = """
import sys
already_loaded = set(sys.modules)  # whatever site-packages start-up hooks loaded is not the vocabulary's doing
import vocabulary
outside = sorted(
    name for name in set(sys.modules) - already_loaded
    if name.split(".")[0] not in sys.stdlib_module_names and name.split(".")[0] != "vocabulary"
)
print(" ".join(outside))
"""


def test_importing_the_vocabulary_loads_nothing_outside_the_standard_library():
    """Run in a fresh interpreter, because this one has flask, numpy and the optimiser loaded already."""
    done = subprocess.run([sys.executable, "-c", IMPORTS_ONLY_THE_STANDARD_LIBRARY], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split() == []


def test_the_purity_check_would_see_a_third_party_import():
    with_a_third_party_import = IMPORTS_ONLY_THE_STANDARD_LIBRARY.replace("import vocabulary", "import sqlalchemy")
    done = subprocess.run([sys.executable, "-c", with_a_third_party_import], capture_output=True, text=True, check=True)
    assert "sqlalchemy" in done.stdout.split()


@pytest.mark.parametrize("terms", [Gender, APType, RiskLevel, MappaCategory, MappaLevel])
def test_every_term_has_its_own_label(terms):
    labels = [term.label for term in terms]
    assert all(labels) and len(set(labels)) == len(labels)


def test_terms_are_stored_by_their_values():
    assert APType("pipe") is APType.PIPE and APType.PIPE.label == "Psychologically informed planned environment (PIPE)"
    assert Gender.FEMALE.label == "Women" and RiskLevel.VERY_HIGH.label == "Very high"
    assert MappaLevel(3) is MappaLevel.SENIOR_MULTI_AGENCY and MappaLevel.SENIOR_MULTI_AGENCY == 3


def test_each_characteristic_is_defined_once_for_premises_or_for_rooms():
    codes = [c.code for c in CHARACTERISTICS]
    assert len(set(codes)) == len(codes) and len({c.label for c in CHARACTERISTICS}) == len(codes)
    assert PREMISES_CHARACTERISTICS | ROOM_CHARACTERISTICS == set(codes)
    assert not PREMISES_CHARACTERISTICS & ROOM_CHARACTERISTICS
    assert {c.scope for c in CHARACTERISTICS} == set(CharacteristicScope)


def test_no_characteristic_restates_an_ap_type():
    """The AP type says what kind of AP a premises is; a characteristic saying it too could contradict it."""
    type_words = ("pipe", "esap", "recovery", "mental health", "mhap", "rfap")
    assert [c.code for c in CHARACTERISTICS if any(word in c.label.lower() for word in type_words)] == []


def test_every_ap_type_takes_its_own_referrals_and_standard_ones_may_go_to_recovery_focused_aps():
    assert set(ACCEPTED_AP_TYPES) == set(APType)
    assert all(ap_type in accepted for ap_type, accepted in ACCEPTED_AP_TYPES.items())
    assert ACCEPTED_AP_TYPES[APType.STANDARD] == {APType.STANDARD, APType.RECOVERY_FOCUSED}
    assert all(len(ACCEPTED_AP_TYPES[t]) == 1 for t in APType if t is not APType.STANDARD)


def test_twelve_regions_each_in_exactly_one_area():
    assert len(REGION_NAMES) == 12 and "Kent, Surrey and Sussex" in REGION_NAMES
    assert sorted(region for regions in AREAS.values() for region in regions) == list(REGION_NAMES)
    assert set(AREA_OF_REGION) == set(REGION_NAMES) and WOMENS_ESTATE not in AREAS


LONDON, MANCHESTER = Point(-0.1276, 51.5072), Point(-2.2426, 53.4808)


def test_london_to_manchester_is_about_262_km_and_163_miles():
    km = distance_km(LONDON, MANCHESTER)
    assert km == pytest.approx(262, abs=0.5)
    assert km_to_miles(km) == pytest.approx(163, abs=0.5)


def test_one_degree_of_latitude_is_about_111_km():
    assert distance_km(Point(0, 50), Point(0, 51)) == pytest.approx(111.2, abs=0.1)


def test_distance_is_symmetric_and_zero_to_itself_and_takes_plain_pairs():
    assert distance_km(LONDON, LONDON) == 0
    assert distance_km(LONDON, MANCHESTER) == pytest.approx(distance_km(MANCHESTER, LONDON))
    assert distance_km((-0.1276, 51.5072), (-2.2426, 53.4808)) == distance_km(LONDON, MANCHESTER)


def test_antipodes_are_half_the_earth_round():
    assert distance_km(Point(0, 0), Point(180, 0)) == pytest.approx(20_015.1, abs=0.1)


def test_a_mile_is_1_609344_km():
    assert km_to_miles(1.609344) == pytest.approx(1.0)
