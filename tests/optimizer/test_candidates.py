"""Each static rule on a tiny feasible and infeasible case, with the reason people read."""

import pytest

from optimizer.candidates import build_candidates, first_rule_broken, move_on_options
from optimizer.schema import (
    APType,
    BedGroup,
    Gender,
    MoveOnCategory,
    MoveOnProvider,
    SolverParams,
)

PARAMS = SolverParams()


def offered(instance, referral_id="R1", params=PARAMS):
    return [(c.premises_id, c.arrival) for c in build_candidates(instance, params)[referral_id]]


def reason(instance, params=PARAMS):
    return first_rule_broken(instance, params, instance.referrals[0], instance.premises[0])


def test_a_fitting_premises_is_offered_on_the_arrival_day(build):
    instance = build.instance([build.premises()], [build.referral(earliest_arrival=3)])
    assert offered(instance) == [("AP1", 3)]
    assert reason(instance) is None


def test_gender(build):
    women = build.premises(gender=Gender.FEMALE)
    assert offered(build.instance([women], [build.referral()])) == []
    assert reason(build.instance([women], [build.referral()])) == "gender: a women's AP"
    assert reason(build.instance([build.premises()], [build.referral(gender=Gender.FEMALE)])) == "gender: a men's AP"
    assert offered(build.instance([women], [build.referral(gender=Gender.FEMALE)])) == [("AP1", 0)]


def test_a_premises_turned_down_for_the_referral_is_not_offered_again(build):
    instance = build.instance([build.premises("AP1"), build.premises("AP2")],
                              [build.referral(rejected_premises=frozenset({"AP1"}))])
    assert offered(instance) == [("AP2", 0)]
    assert reason(instance) == "turned down for this person when proposed before"


@pytest.mark.parametrize(
    "needs, premises_type, fits",
    [
        (APType.STANDARD, APType.STANDARD, True),
        (APType.STANDARD, APType.RECOVERY_FOCUSED, True),
        (APType.STANDARD, APType.PIPE, False),
        (APType.PIPE, APType.STANDARD, False),
        (APType.PIPE, APType.PIPE, True),
        (APType.ESAP, APType.STANDARD, False),
    ],
)
def test_ap_type(build, needs, premises_type, fits):
    instance = build.instance([build.premises(ap_type=premises_type)], [build.referral(ap_type=needs)])
    assert bool(offered(instance)) is fits
    assert (reason(instance) is None) is fits


def test_ap_type_reason(build):
    instance = build.instance([build.premises()], [build.referral(ap_type=APType.PIPE)])
    assert reason(instance) == "AP type: needs a PIPE, this is a standard AP"


def test_essential_premises_characteristic(build):
    needs = build.referral(essential_premises=frozenset({"has_step_free_access"}))
    assert reason(build.instance([build.premises()], [needs])) == "missing essential characteristic: step-free access"
    fitted = build.premises(characteristics=frozenset({"has_step_free_access", "has_lift"}))
    assert offered(build.instance([fitted], [needs])) == [("AP1", 0)]


def test_essential_room_characteristic_must_exist_at_the_premises(build):
    needs = build.referral(essential_room=frozenset({"has_en_suite"}))
    assert reason(build.instance([build.premises()], [needs])) == "essential room characteristics: no en-suite bed"
    fitted = build.premises(bed_groups=(BedGroup(frozenset(), 3), BedGroup(frozenset({"has_en_suite"}), 1)))
    assert offered(build.instance([fitted], [needs])) == [("AP1", 0)]


def test_several_essential_room_characteristics_must_be_in_one_bed(build):
    """A wheelchair-designated bed and an arson-suitable bed are not one bed that is both."""
    both = frozenset({"is_wheelchair_designated", "is_arson_suitable"})
    needs = build.referral(essential_room=both)
    apart = build.premises(bed_groups=(BedGroup(frozenset({"is_wheelchair_designated"}), 2),
                                       BedGroup(frozenset({"is_arson_suitable", "is_single"}), 2)))
    assert reason(build.instance([apart], [needs])) == (
        "essential room characteristics: no bed that is both arson-suitable and wheelchair-designated")
    together = build.premises(bed_groups=(*apart.bed_groups, BedGroup(both | {"is_ground_floor"}, 1)))
    assert offered(build.instance([together], [needs])) == [("AP1", 0)]


def test_exclusion_zone_with_its_buffer(build):
    zone = build.circle(0, 0, radius_km=1.0)
    near = build.instance([build.premises(east_km=2.5)], [build.referral(exclusion_zones=(zone,))])
    far = build.instance([build.premises(east_km=3.5)], [build.referral(exclusion_zones=(zone,))])
    assert offered(near) == []
    assert reason(near) == "inside or within 2 km of an exclusion zone"
    assert offered(far) == [("AP1", 0)]
    assert offered(near, params=SolverParams(exclusion_buffer_km=1.0)) == [("AP1", 0)]
    assert reason(far, params=SolverParams(exclusion_buffer_km=3.0)) == "inside or within 3 km of an exclusion zone"


def test_polygon_exclusion_zone(build):
    zone = build.square(10, 0, half_side_km=2.0)
    instance = build.instance([build.premises(east_km=10), build.premises("AP2", east_km=20)],
                              [build.referral(exclusion_zones=(zone,))])
    assert offered(instance) == [("AP2", 0)]


def test_maximum_radius(build):
    instance = build.instance([build.premises(east_km=60), build.premises("AP2", east_km=40)],
                              [build.referral(max_radius_km=50.0)])
    assert offered(instance) == [("AP2", 0)]
    assert reason(instance) == "beyond the 50 km maximum radius"


def test_arrival_window_offers_each_day_with_a_bed(build):
    instance = build.instance(
        [build.premises(beds=1)],
        [build.referral(earliest_arrival=2, latest_arrival=6, length_of_stay=3)],
        residents=[build.resident("S1", "AP1", arrival=0, departure=4)],
    )
    assert offered(instance) == [("AP1", 4), ("AP1", 5), ("AP1", 6)]


def test_no_free_bed_names_the_first_full_night(build):
    instance = build.instance(
        [build.premises(beds=1)],
        [build.referral(earliest_arrival=2, length_of_stay=10)],
        residents=[build.resident("S1", "AP1", arrival=5, departure=9)],
    )
    assert offered(instance) == []
    assert reason(instance) == "no bed is free on day 5"


def test_no_free_bed_in_a_window_says_no_later_day_works_either(build):
    instance = build.instance(
        [build.premises(beds=1)],
        [build.referral(earliest_arrival=2, latest_arrival=4, length_of_stay=10)],
        residents=[build.resident("S1", "AP1", arrival=5, departure=9)],
    )
    assert reason(instance) == "no bed is free on day 5 (no arrival up to day 4 works either)"


def test_no_free_bed_with_an_essential_room_characteristic(build):
    premises = build.premises(bed_groups=(BedGroup(frozenset(), 3), BedGroup(frozenset({"has_en_suite"}), 1)))
    resident = build.resident("S1", arrival=0, departure=3, bed_characteristics=frozenset({"has_en_suite"}))
    instance = build.instance([premises], [build.referral(essential_room=frozenset({"has_en_suite"}))],
                              residents=[resident])
    assert reason(instance) == "no en-suite bed is free on day 0"
    later = build.instance([premises], [build.referral(essential_room=frozenset({"has_en_suite"}),
                                                       earliest_arrival=3)], residents=[resident])
    assert offered(later) == [("AP1", 3)]


@pytest.mark.parametrize("named_by", ["referral", "resident"])
def test_non_associate_resident_either_side_naming(build, named_by):
    resident = build.resident("S1", arrival=0, departure=5,
                              non_associates=frozenset({"R1"}) if named_by == "resident" else frozenset())
    referral = build.referral(earliest_arrival=2, latest_arrival=6,
                              non_associates=frozenset({"S1"}) if named_by == "referral" else frozenset())
    instance = build.instance([build.premises(beds=5)], [referral], residents=[resident])
    assert offered(instance) == [("AP1", 5), ("AP1", 6)]
    blocked = build.instance([build.premises(beds=5)], [build.referral(**{**referral.__dict__, "latest_arrival": 4})],
                             residents=[resident])
    assert reason(blocked) == "a non-associate is resident on day 2 (no arrival up to day 4 works either)"


def test_candidates_are_cheapest_first_and_priced(build):
    instance = build.instance(
        [build.premises("FAR", east_km=30), build.premises("NEAR", east_km=3)],
        [build.referral(earliest_arrival=0, latest_arrival=1)],
    )
    found = build_candidates(instance, PARAMS)["R1"]
    assert [(c.premises_id, c.arrival) for c in found] == [("NEAR", 0), ("NEAR", 1), ("FAR", 0), ("FAR", 1)]
    assert found[0].terms["distance_home"] == 30  # 3 km at 10 a km
    assert found[1].terms["late_arrival"] == 20
    assert all(c.cost == sum(c.terms.values()) for c in found)


def test_a_referral_with_nowhere_to_go_has_an_empty_list(build):
    instance = build.instance([build.premises(gender=Gender.FEMALE)], [build.referral()])
    assert build_candidates(instance, PARAMS) == {"R1": []}


def test_move_on_options_nearest_first_then_unsecured(build):
    providers = [
        MoveOnProvider("FAR", MoveOnCategory.CAS3, build.at(50, 0), 1),
        MoveOnProvider("OTHER", MoveOnCategory.FAMILY_OR_PARTNER, build.at(1, 0), 1),
        MoveOnProvider("NEAR", MoveOnCategory.CAS3, build.at(5, 0), 1),
    ]
    referral = build.referral(move_on_category=MoveOnCategory.CAS3)
    instance = build.instance([build.premises()], [referral], providers=providers)
    options = move_on_options(instance, referral, instance.premises[0])
    assert [(m.id if m else None, cost) for m, cost in options] == [("NEAR", 10), ("FAR", 100), (None, 20_000)]
    no_category = build.referral()
    assert move_on_options(instance, no_category, instance.premises[0]) == [(None, 0)]
