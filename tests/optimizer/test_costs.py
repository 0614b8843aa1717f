from optimizer.costs import (
    mix_overflow,
    move_on_terms,
    objective,
    placement_terms,
    plan_terms,
    unplaced_cost,
)
from optimizer.schema import (
    Assignment,
    BedGroup,
    MixCaps,
    MoveOnCategory,
    MoveOnProvider,
    Notice,
    PreviousProposal,
    Risk,
    RiskLevel,
    Weights,
)

W = Weights()


def test_unplaced_weighs_urgency_and_waiting(build):
    assert unplaced_cost(build.referral(), W) == 1_000_000
    assert unplaced_cost(build.referral(notice=Notice.SHORT_NOTICE), W) == 2_000_000
    assert unplaced_cost(build.referral(notice=Notice.EMERGENCY, days_waiting=3), W) == 4_006_000


def test_placement_terms(build):
    premises = build.premises(
        east_km=10,
        characteristics=frozenset({"is_catered"}),
        bed_groups=(BedGroup(frozenset({"is_single"}), 2),),
    )
    referral = build.referral(
        earliest_arrival=2,
        latest_arrival=9,
        relocation=build.at(10, 20),
        desirable_premises=frozenset({"is_catered", "has_lift"}),
        desirable_room=frozenset({"is_single", "has_en_suite"}),
        preferred_premises=("AP9", "AP1"),
        previous=PreviousProposal("AP1", 2),
    )
    instance = build.instance([premises], [referral])
    assert placement_terms(instance, referral, premises, 5) == {
        "distance_home": 100,
        "distance_relocation": 100,
        "desirable_missing": 600,
        "preferred_bonus": -400,  # second preference: four fifths of the bonus
        "change_from_previous": 5_000,
        "late_arrival": 60,
    }
    assert placement_terms(instance, referral, premises, 2)["change_from_previous"] == 0


def test_first_preference_earns_the_whole_bonus(build):
    premises = build.premises()
    referral = build.referral(preferred_premises=("AP1",))
    assert placement_terms(build.instance([premises], [referral]), referral, premises, 0)["preferred_bonus"] == -500


def test_move_on_terms(build):
    premises = build.premises()
    provider = MoveOnProvider("M1", MoveOnCategory.CAS3, build.at(0, 25), 1)
    seeking = build.referral(move_on_category=MoveOnCategory.CAS3)
    assert move_on_terms(seeking, premises, provider, W) == {"distance_move_on": 50, "move_on_unsecured": 0}
    assert move_on_terms(seeking, premises, None, W) == {"distance_move_on": 0, "move_on_unsecured": 20_000}
    assert move_on_terms(build.referral(), premises, None, W) == {"distance_move_on": 0, "move_on_unsecured": 0}


def test_mix_overflow_counts_residents_and_placed_people_above_each_cap(build):
    very_high = Risk(overall=RiskLevel.VERY_HIGH, mappa_level=3)
    premises = build.premises(beds=5, caps=MixCaps(very_high_rosh=1, mappa_level_3=None, high_risk_to_staff=0))
    resident = build.resident("S1", arrival=0, departure=4, risk=very_high)
    referral = build.referral(length_of_stay=3, risk=Risk(overall=RiskLevel.VERY_HIGH, staff=RiskLevel.HIGH))
    instance = build.instance([premises], [referral], residents=[resident])
    placed = [Assignment("R1", "AP1", 2, None)]
    # Very high RoSH: two people on days 2 and 3, one over the cap of 1 -> 2 resident-days.
    # High risk to staff: one person on days 2..4 over a cap of 0 -> 3 resident-days. MAPPA 3 is uncapped.
    assert mix_overflow(instance, placed) == (2 + 3) * 400
    assert mix_overflow(instance, [Assignment("R1", None, None, None)]) == 0


def test_objective_sums_every_referral_and_the_mix(build):
    premises = build.premises(east_km=1)
    instance = build.instance([premises], [build.referral("R1"), build.referral("R2")])
    plan = {"R1": Assignment("R1", "AP1", 0, None), "R2": Assignment("R2", None, None, None)}
    terms = plan_terms(instance, plan)
    assert terms["R2"] == {"unplaced": 1_000_000}
    assert sum(terms["R1"].values()) == 10
    assert objective(instance, plan) == 1_000_010
    assert objective(instance, [plan["R1"]]) == 1_000_010  # a missing referral counts as unplaced
