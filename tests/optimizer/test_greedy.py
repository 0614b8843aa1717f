"""Greedy behaves like today's practice: urgent first, nearest fitting premises, earliest arrival."""

from optimizer.greedy import greedy
from optimizer.schema import MoveOnCategory, MoveOnProvider, Notice, SolverParams
from optimizer.validator import validate

PARAMS = SolverParams()


def where(result):
    return {rid: (a.premises_id, a.arrival, a.provider_id) for rid, a in result.assignments.items()}


def test_takes_the_nearest_premises_with_room(build):
    instance = build.instance(
        [build.premises("FAR", east_km=40), build.premises("NEAR", east_km=5), build.premises("FULL", east_km=1)],
        [build.referral()],
        residents=[build.resident("S1", "FULL"), build.resident("S2", "FULL")],
    )
    result = greedy(instance, PARAMS)
    assert where(result) == {"R1": ("NEAR", 0, None)}
    assert result.method == "greedy" and result.status == "feasible" and result.best_bound is None
    assert result.placed == 1


def test_arrives_as_early_as_a_bed_allows(build):
    instance = build.instance(
        [build.premises(beds=1)],
        [build.referral(earliest_arrival=1, latest_arrival=8, length_of_stay=3)],
        residents=[build.resident("S1", arrival=0, departure=4)],
    )
    assert where(greedy(instance, PARAMS)) == {"R1": ("AP1", 4, None)}


def test_urgent_referrals_go_first_then_earliest_arrival(build):
    referrals = [
        build.referral("A-standard", earliest_arrival=0, latest_arrival=0),
        build.referral("B-emergency", earliest_arrival=2, latest_arrival=2, notice=Notice.EMERGENCY),
    ]
    instance = build.instance([build.premises(beds=1)], referrals)
    assert where(greedy(instance, PARAMS)) == {
        "A-standard": (None, None, None),
        "B-emergency": ("AP1", 2, None),
    }


def test_keeps_non_associates_apart(build):
    referrals = [
        build.referral("R1", non_associates=frozenset({"R2"})),
        build.referral("R2", east_km=1),
    ]
    instance = build.instance([build.premises("NEAR", beds=5), build.premises("NEXT", east_km=10, beds=5)], referrals)
    assert where(greedy(instance, PARAMS)) == {"R1": ("NEAR", 0, None), "R2": ("NEXT", 0, None)}


def test_books_the_nearest_move_on_place_in_the_week_of_departure(build):
    providers = [
        MoveOnProvider("NEAR", MoveOnCategory.CAS3, build.at(2, 0), 1),
        MoveOnProvider("FAR", MoveOnCategory.CAS3, build.at(30, 0), 1),
    ]
    referrals = [build.referral(f"R{i}", move_on_category=MoveOnCategory.CAS3, length_of_stay=7) for i in (1, 2, 3)]
    instance = build.instance([build.premises(beds=3)], referrals, providers=providers)
    result = greedy(instance, PARAMS)
    assert [where(result)[r][2] for r in ("R1", "R2", "R3")] == ["NEAR", "FAR", None]
    assert result.assignments["R3"].terms["move_on_unsecured"] == 20_000


def test_unplaced_referrals_carry_their_cost(build):
    instance = build.instance([build.premises(beds=0)], [build.referral(days_waiting=5)])
    result = greedy(instance, PARAMS)
    assert result.assignments["R1"].terms == {"unplaced": 1_010_000}
    assert result.objective == 1_010_000


def test_terms_and_objective_agree_with_the_validator(build):
    instance = build.instance(
        [build.premises(beds=1), build.premises("AP2", east_km=8, beds=1)],
        [build.referral("R1", length_of_stay=5), build.referral("R2", earliest_arrival=1, latest_arrival=6)],
    )
    result = greedy(instance, PARAMS)
    check = validate(instance, PARAMS, result.assignments)
    assert check.ok
    assert check.objective == result.objective
    assert {rid: a.terms for rid, a in result.assignments.items()} == check.terms
