"""Explanations: terms and alternatives of each placement, why other premises were ruled out, and why
somebody is unplaced."""

from datetime import date

from optimizer.costs import objective
from optimizer.schema import (
    Assignment,
    BedGroup,
    Gender,
    MixCaps,
    MoveOnCategory,
    MoveOnProvider,
    Result,
    Risk,
    RiskLevel,
    SolverParams,
)
from optimizer.solve import solve

PARAMS = SolverParams(time_limit_s=5, workers=1, seed=1)


def test_a_placement_lists_its_terms_and_the_two_best_alternatives_with_their_extra_cost(build):
    premises = [build.premises("AP1", east_km=1), build.premises("AP2", east_km=11), build.premises("AP3", east_km=31)]
    instance = build.instance(premises, [build.referral("R1")])
    result = solve(instance, PARAMS)
    why = result.explanations["R1"]
    assert result.assignments["R1"].premises_id == "AP1"
    assert why.terms == result.assignments["R1"].terms and why.terms["distance_home"] == 10
    assert [(a.premises_id, a.extra_cost) for a in why.alternatives] == [("AP2", 100), ("AP3", 300)]
    assert why.unplaced_reason is None


def test_an_alternative_extra_cost_is_what_moving_there_adds_to_the_objective(build):
    cas3 = MoveOnCategory.CAS3
    premises = [build.premises("AP1", east_km=1, caps=MixCaps(very_high_rosh=0)), build.premises("AP2", east_km=20)]
    person = build.referral("R1", move_on_category=cas3, risk=Risk(overall=RiskLevel.VERY_HIGH))
    provider = MoveOnProvider("M1", cas3, build.at(5, 0), places_per_week=1)
    instance = build.instance(premises, [person], providers=[provider])
    result = solve(instance, PARAMS)
    assert result.assignments["R1"].premises_id == "AP2"  # the mix cap at AP1 outweighs 19 km
    (best,) = result.explanations["R1"].alternatives
    moved = {"R1": Assignment("R1", best.premises_id, best.arrival, "M1")}
    assert best.premises_id == "AP1"
    assert objective(instance, moved) - result.objective == best.extra_cost


def test_other_premises_name_the_first_rule_that_ruled_them_out(build):
    women = build.premises("AP2", gender=Gender.FEMALE)
    full = build.premises("AP3", east_km=5, beds=1)
    far = build.premises("AP4", east_km=80)
    people = [build.referral("R1", max_radius_km=50.0), build.referral("R2", east_km=5, max_radius_km=50.0,
                                                                       earliest_arrival=1, latest_arrival=1)]
    instance = build.instance([build.premises("AP1", beds=1), women, full, far], people)
    result = solve(instance, PARAMS)
    ruled_out = result.explanations["R1"].ruled_out
    assert ruled_out["AP2"] == "gender: a women's AP"
    assert ruled_out["AP4"] == "beyond the 50 km maximum radius"
    assert "AP1" not in ruled_out
    assert ruled_out["AP3"] == "no bed is free on day 1 with the proposed placements"


def test_a_non_associate_placed_there_is_named(build):
    pair = [build.referral("R1", non_associates=frozenset({"R2"})), build.referral("R2")]
    instance = build.instance([build.premises("AP1", beds=2), build.premises("AP2", east_km=3, beds=2)], pair)
    result = solve(instance, PARAMS)
    other = result.assignments["R2"].premises_id
    assert result.explanations["R1"].ruled_out[other].startswith("non-associate R2 is placed there")


def test_unplaced_because_no_premises_meets_the_hard_rules(build):
    instance = build.instance([build.premises(gender=Gender.FEMALE)], [build.referral("R1")])
    why = solve(instance, PARAMS).explanations["R1"]
    assert why.terms == {"unplaced": instance.weights.unplaced}
    assert why.unplaced_reason.startswith("no premises meets the hard rules for an arrival on day 0")
    assert "gender" in why.unplaced_reason


def test_unplaced_because_every_fitting_premises_is_full(build):
    people = [build.referral("R1", days_waiting=30), build.referral("R2")]
    instance = build.instance([build.premises(beds=1)], people)
    result = solve(instance, PARAMS)
    assert result.assignments["R1"].premises_id == "AP1"
    why = result.explanations["R2"]
    assert "full on some night" in why.unplaced_reason
    assert "no bed is free on day 0 with the proposed placements" in why.unplaced_reason


def test_unplaced_with_a_free_bed_says_what_placing_them_would_cost(build):
    from optimizer.explain import explain

    instance = build.instance([build.premises(beds=1)], [build.referral("R1")])
    unplaced = Result("greedy", "feasible", {"R1": Assignment("R1", None, None, None)}, 0, None)
    why = explain(instance, PARAMS, unplaced)["R1"]
    assert why.unplaced_reason.startswith("a bed is free at AP1 from day 0 and placing them there would lower")
    assert why.ruled_out["AP1"] == "not ruled out"


def test_a_bed_with_every_need_that_is_taken_is_named_with_its_date(build):
    both = frozenset({"is_wheelchair_designated", "is_arson_suitable"})
    premises = build.premises(bed_groups=(BedGroup(both, 1), BedGroup(frozenset(), 3)))
    people = [build.referral("R1", essential_room=both, days_waiting=30), build.referral("R2", essential_room=both)]
    result = solve(build.instance([premises], people, first_day=date(2026, 3, 2)), PARAMS)
    assert result.assignments["R1"].premises_id == "AP1"
    assert result.explanations["R2"].unplaced_reason.endswith(
        "at the nearest, AP1: no bed that is both arson-suitable and wheelchair-designated is free on 2 March 2026 "
        "with the proposed placements (leaving them unplaced costs 1,000,000)")


def test_a_free_bed_that_others_would_have_to_leave_for_nowhere_is_named(build):
    """The en-suite single is free only if one of the two people needing a single moves, and the only other
    single is taken by the other one."""
    en_suite, single = frozenset({"has_en_suite"}), frozenset({"is_single"})
    premises = build.premises(bed_groups=(BedGroup(en_suite | single, 1), BedGroup(single, 1)))
    people = [build.referral("S1", essential_room=single, days_waiting=30),
              build.referral("S2", essential_room=single, days_waiting=30),
              build.referral("R1", essential_room=en_suite)]
    result = solve(build.instance([premises], people, first_day=date(2026, 3, 2)), PARAMS)
    assert result.assignments["R1"].premises_id is None
    assert result.explanations["R1"].unplaced_reason.endswith(
        "at the nearest, AP1: no en-suite bed can be freed on 2 March 2026: whoever is in one fits no other free bed "
        "with the proposed placements (leaving them unplaced costs 1,000,000)")
