"""The referee catches each broken hard rule on a tiny case and passes the lawful twin."""

from datetime import date

import pytest

from optimizer.costs import objective
from optimizer.schema import (
    APType,
    Assignment,
    BedGroup,
    BedsOut,
    Gender,
    MoveOnCategory,
    MoveOnProvider,
    SolverParams,
)
from optimizer.validator import validate

PARAMS = SolverParams()


def placed(referral_id="R1", premises_id="AP1", arrival=0, provider_id=None):
    return Assignment(referral_id, premises_id, arrival, provider_id)


def verdict(instance, *plan, params=PARAMS):
    return validate(instance, params, {a.referral_id: a for a in plan})


def test_a_lawful_plan_passes_and_is_priced_by_the_shared_objective(build):
    instance = build.instance([build.premises(east_km=4)], [build.referral("R1"), build.referral("R2")])
    plan = [placed("R1"), Assignment("R2", None, None, None)]
    check = verdict(instance, *plan)
    assert check.ok and check.violations == []
    assert check.objective == objective(instance, plan) == 40 + 1_000_000
    assert check.terms["R2"] == {"unplaced": 1_000_000}


def test_gender(build):
    instance = build.instance([build.premises(gender=Gender.FEMALE)], [build.referral()])
    assert verdict(instance, placed()).violations == ["R1 at AP1: a female AP for a male referral"]


def test_a_premises_turned_down(build):
    instance = build.instance([build.premises()], [build.referral(rejected_premises=frozenset({"AP1"}))])
    assert verdict(instance, placed()).violations == ["R1 at AP1: a premises already turned down for this referral"]


def test_ap_type(build):
    instance = build.instance([build.premises(ap_type=APType.PIPE)], [build.referral()])
    assert verdict(instance, placed()).violations == ["R1 at AP1: a pipe AP for a standard referral"]


def test_essential_characteristic(build):
    instance = build.instance([build.premises()], [build.referral(essential_premises=frozenset({"has_lift"}))])
    assert verdict(instance, placed()).violations == ["R1 at AP1: lacks essential has_lift"]


def test_exclusion_zone_and_buffer(build):
    referral = build.referral(exclusion_zones=(build.square(2, 0, 0.5),))  # its edge is 1.5 km away
    instance = build.instance([build.premises()], [referral])
    assert verdict(instance, placed()).violations == ["R1 at AP1: inside or within 2.0 km of an exclusion zone"]
    assert verdict(instance, placed(), params=SolverParams(exclusion_buffer_km=1.4)).ok
    inside = build.instance([build.premises()], [build.referral(exclusion_zones=(build.circle(0, 0, 0.1),))])
    assert not verdict(inside, placed(), params=SolverParams(exclusion_buffer_km=0.0)).ok


def test_maximum_radius(build):
    instance = build.instance([build.premises(east_km=30)], [build.referral(max_radius_km=25.0)])
    assert verdict(instance, placed()).violations == ["R1 at AP1: beyond the maximum radius of 25.0 km"]


def test_arrival_window(build):
    instance = build.instance([build.premises()], [build.referral(earliest_arrival=2, latest_arrival=4)])
    assert verdict(instance, placed(arrival=3)).ok
    assert verdict(instance, placed(arrival=5)).violations == ["R1 at AP1: arrival day 5 outside 2..4"]


def test_capacity_per_day_counts_residents_and_beds_out(build):
    premises = build.premises(beds=2, beds_out=(BedsOut(frozenset(), 3, 5),))
    instance = build.instance([premises], [build.referral(length_of_stay=5)],
                              residents=[build.resident("S1", arrival=0, departure=10)])
    assert verdict(instance, placed(arrival=0)).violations == [
        "AP1: no bed for R1 on day 3: R1 needs a bed and no such bed is free"
    ]
    assert verdict(instance, placed(arrival=0), params=PARAMS).ok is False
    roomy = build.instance([build.premises(beds=3, beds_out=premises.beds_out)], instance.referrals,
                           residents=instance.residents)
    assert verdict(roomy, placed(arrival=0)).ok


def test_capacity_of_a_room_characteristic(build):
    premises = build.premises(bed_groups=(BedGroup(frozenset(), 4), BedGroup(frozenset({"has_en_suite"}), 1)))
    resident = build.resident("S1", bed_characteristics=frozenset({"has_en_suite"}))
    needs = build.referral(essential_room=frozenset({"has_en_suite"}))
    instance = build.instance([premises], [needs], residents=[resident])
    assert verdict(instance, placed()).violations == [
        "AP1: no bed for R1 on day 0: R1 needs an en-suite bed and no such bed is free"
    ]
    assert verdict(build.instance([premises], [build.referral()], residents=[resident]), placed()).ok
    arson = build.instance([premises], [build.referral(essential_room=frozenset({"is_arson_suitable"}))])
    assert verdict(arson, placed()).violations == [
        "AP1: no bed for R1 on day 0: R1 needs an arson-suitable bed and no such bed is free"
    ]


def test_several_needs_are_met_by_one_bed_not_by_two(build):
    apart = build.premises(bed_groups=(BedGroup(frozenset({"is_wheelchair_designated"}), 1),
                                       BedGroup(frozenset({"is_arson_suitable"}), 1)))
    both = build.referral(essential_room=frozenset({"is_wheelchair_designated", "is_arson_suitable"}))
    assert verdict(build.instance([apart], [both]), placed()).violations == [
        "AP1: no bed for R1 on day 0: R1 needs a bed that is both arson-suitable and wheelchair-designated "
        "and no such bed is free"
    ]


def test_two_people_cannot_share_the_one_bed_that_suits_either(build):
    """One wheelchair-designated en-suite bed, three plain ones: a wheelchair user and somebody who needs
    en-suite cannot both be there, though the total and each characteristic alone have room."""
    premises = build.premises(bed_groups=(BedGroup(frozenset({"is_wheelchair_designated", "has_en_suite"}), 1),
                                          BedGroup(frozenset(), 3)))
    wheelchair = build.referral("R1", essential_room=frozenset({"is_wheelchair_designated"}))
    en_suite = build.referral("R2", essential_room=frozenset({"has_en_suite"}), earliest_arrival=3, latest_arrival=7)
    instance = build.instance([premises], [wheelchair, en_suite], first_day=date(2026, 3, 2))
    assert verdict(instance, placed("R1"), placed("R2", arrival=3)).violations == [
        "AP1: no bed for R2 on 5 March 2026: R1 and R2 need an en-suite bed or a wheelchair-designated bed "
        "and only 1 such bed is free"
    ]
    assert verdict(instance, placed("R1", arrival=0), placed("R2", arrival=7)).ok


def test_people_are_moved_to_other_beds_when_that_makes_room(build):
    """The single man in the only en-suite single room is matched to a plain single when somebody who
    needs en-suite arrives: the matching is found night by night, whoever came first."""
    premises = build.premises(bed_groups=(BedGroup(frozenset({"is_single", "has_en_suite"}), 1),
                                          BedGroup(frozenset({"is_single"}), 1)))
    single = build.referral("R1", essential_room=frozenset({"is_single"}))
    en_suite = build.referral("R2", essential_room=frozenset({"has_en_suite"}), earliest_arrival=1)
    instance = build.instance([premises], [single, en_suite])
    assert verdict(instance, placed("R1"), placed("R2", arrival=1)).ok


def test_beds_out_of_service_leave_their_own_group(build):
    premises = build.premises(bed_groups=(BedGroup(frozenset({"has_en_suite"}), 1), BedGroup(frozenset(), 1)),
                              beds_out=(BedsOut(frozenset({"has_en_suite"}), 2, 4),))
    instance = build.instance([premises], [build.referral(essential_room=frozenset({"has_en_suite"}))])
    assert verdict(instance, placed()).violations == [
        "AP1: no bed for R1 on day 2: R1 needs an en-suite bed and no such bed is free"
    ]
    assert verdict(build.instance([premises], [build.referral()]), placed()).ok


def test_days_overfull_with_residents_alone_are_not_the_plans_fault(build):
    residents = [build.resident("S1", departure=3), build.resident("S2", departure=3)]
    instance = build.instance([build.premises(beds=1)], [build.referral(earliest_arrival=3)], residents=residents)
    assert verdict(instance, placed(arrival=3)).ok
    assert not verdict(instance, placed(arrival=2)).ok


def test_two_placed_referrals_over_capacity(build):
    instance = build.instance([build.premises(beds=1)], [build.referral("R1"), build.referral("R2", latest_arrival=7)])
    assert not verdict(instance, placed("R1"), placed("R2")).ok
    assert verdict(instance, placed("R1"), placed("R2", arrival=7)).ok


@pytest.mark.parametrize("named_by", ["first", "second"])
def test_non_associate_referrals(build, named_by):
    r1 = build.referral("R1", non_associates=frozenset({"R2"}) if named_by == "first" else frozenset())
    r2 = build.referral("R2", latest_arrival=7,
                        non_associates=frozenset({"R1"}) if named_by == "second" else frozenset())
    instance = build.instance([build.premises(beds=5), build.premises("AP2", beds=5)], [r1, r2])
    assert verdict(instance, placed("R1"), placed("R2", arrival=0)).violations == [
        "R1 and R2: non-associates both at AP1 on day 0"
    ]
    assert verdict(instance, placed("R1"), placed("R2", "AP2")).ok
    assert verdict(instance, placed("R1"), placed("R2", arrival=7)).ok


def test_non_associate_resident(build):
    resident = build.resident("S1", arrival=0, departure=5, non_associates=frozenset({"R1"}))
    instance = build.instance([build.premises(beds=5)], [build.referral(earliest_arrival=4, latest_arrival=5)],
                              residents=[resident])
    # R1 arriving on day 4 meets S1, who leaves on day 5.
    assert verdict(instance, placed(arrival=4)).violations == ["R1 and S1: non-associates both at AP1 on day 4"]
    assert verdict(instance, placed(arrival=5)).ok


def test_move_on_category_and_weekly_places(build):
    providers = [MoveOnProvider("M1", MoveOnCategory.CAS3, build.at(1, 1), 1),
                 MoveOnProvider("M2", MoveOnCategory.FAMILY_OR_PARTNER, build.at(1, 1), 1)]
    referrals = [build.referral(f"R{i}", move_on_category=MoveOnCategory.CAS3, length_of_stay=7, latest_arrival=7)
                 for i in (1, 2)]
    instance = build.instance([build.premises(beds=5)], referrals, providers=providers)
    assert verdict(instance, placed("R1", provider_id="M2")).violations == [
        "R1: move-on provider M2 offers family_partner_other, not cas3"
    ]
    # Both leave on day 7 (week 1), but M1 has one place a week.
    assert verdict(instance, placed("R1", provider_id="M1"), placed("R2", provider_id="M1")).violations == [
        "M1: 2 move-on places in week 1 but only 1 a week"
    ]
    assert verdict(instance, placed("R1", provider_id="M1"), placed("R2", arrival=7, provider_id="M1")).ok


def test_unknown_ids_and_incomplete_placements(build):
    instance = build.instance([build.premises()], [build.referral()])
    assert verdict(instance, placed(premises_id="AP9")).violations == ["R1: no such premises AP9"]
    assert verdict(instance, placed("R7")).violations == ["R7: no such referral"]
    assert verdict(instance, placed(arrival=None)).violations == ["R1: placed at AP1 without an arrival day"]
    assert verdict(instance, Assignment("R1", None, None, "M1")).violations == [
        "R1: no such move-on provider M1",
        "R1: move-on place M1 held for somebody not placed",
    ]
