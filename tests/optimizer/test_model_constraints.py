"""Each family of joint rules in the CP-SAT model, on tiny cases that fit and tiny cases that cannot."""

from ortools.sat.python import cp_model

from optimizer.candidates import build_candidates
from optimizer.costs import objective
from optimizer.model import PlacementModel, solve_placements
from optimizer.schema import BedGroup, BedsOut, MixCaps, MoveOnCategory, MoveOnProvider, Risk, RiskLevel, SolverParams

PARAMS = SolverParams(time_limit_s=5, workers=1, seed=1)


def model_of(instance):
    return PlacementModel(instance, PARAMS, build_candidates(instance, PARAMS))


def places_all(instance, where=None):
    """Whether the model can place every referral at once (optionally each at a given premises)."""
    pm = model_of(instance)
    for referral in instance.referrals:
        choices = [c.var for c in pm.vars.by_referral.get(referral.id, ())
                   if where is None or c.premises.id == where[referral.id]]
        pm.model.add(cp_model.LinearExpr.sum(choices) == 1)
    outcome = pm.solve(PARAMS.time_limit_s, deterministic=True)
    return outcome.status in ("optimal", "feasible")


def best_plan(instance):
    candidates = build_candidates(instance, PARAMS)
    outcome = solve_placements(instance, PARAMS, candidates, PARAMS.time_limit_s, deterministic=True, prove=True)
    assert outcome.status == "optimal"
    return outcome


# -- one place each ------------------------------------------------------------------------------------

def test_a_referral_takes_at_most_one_bed(build):
    instance = build.instance([build.premises(beds=3)], [build.referral(latest_arrival=2)])
    plan = best_plan(instance).assignments
    assert plan["R1"].premises_id == "AP1" and plan["R1"].arrival == 0


# -- capacity per premises and day ---------------------------------------------------------------------

def test_two_overlapping_stays_do_not_fit_one_bed(build):
    instance = build.instance([build.premises(beds=1)],
                              [build.referral("R1"), build.referral("R2", earliest_arrival=3)])
    assert not places_all(instance)


def test_a_bed_freed_on_departure_day_takes_the_next_arrival(build):
    instance = build.instance([build.premises(beds=1)],
                              [build.referral("R1"), build.referral("R2", earliest_arrival=7)])
    assert places_all(instance)


def test_an_arrival_window_lets_the_second_stay_wait_for_the_bed(build):
    instance = build.instance([build.premises(beds=1)],
                              [build.referral("R1"), build.referral("R2", earliest_arrival=3, latest_arrival=7)])
    plan = best_plan(instance).assignments
    assert plan["R2"].arrival == 7


def test_beds_going_out_of_service_mid_stay_count_on_that_day(build):
    out = (BedsOut(frozenset(), start=4, end=6),)
    instance = build.instance([build.premises(beds=2, beds_out=out)], [build.referral("R1"), build.referral("R2")])
    assert not places_all(instance)
    late = build.instance([build.premises(beds=2, beds_out=(BedsOut(frozenset(), 7, 9),))],
                          [build.referral("R1"), build.referral("R2")])
    assert places_all(late)


def test_a_resident_arriving_mid_stay_takes_a_bed(build):
    premises = build.premises(beds=2)
    resident = build.resident(arrival=5, departure=20)
    instance = build.instance([premises], [build.referral("R1"), build.referral("R2")], [resident], horizon_days=20)
    assert not places_all(instance)
    assert places_all(build.instance([premises], [build.referral("R1")], [resident], horizon_days=20))


# -- capacity per room characteristic ------------------------------------------------------------------

def test_stays_requiring_a_characteristic_share_the_beds_that_have_it(build):
    rooms = (BedGroup(frozenset({"has_en_suite"}), 1), BedGroup(frozenset(), 2))
    premises = build.premises(bed_groups=rooms)
    en_suite = frozenset({"has_en_suite"})
    both_need = [build.referral("R1", essential_room=en_suite), build.referral("R2", essential_room=en_suite)]
    one_needs = [build.referral("R1", essential_room=en_suite), build.referral("R2")]
    assert not places_all(build.instance([premises], both_need))
    assert places_all(build.instance([premises], one_needs))


# -- non-associates ------------------------------------------------------------------------------------

def test_non_associates_never_share_a_premises_on_the_same_day(build):
    near, far = build.premises("AP1", beds=2), build.premises("AP2", east_km=30, beds=2)
    pair = [build.referral("R1", non_associates=frozenset({"R2"})), build.referral("R2")]
    instance = build.instance([near, far], pair)
    assert not places_all(instance, {"R1": "AP1", "R2": "AP1"})
    assert places_all(instance, {"R1": "AP1", "R2": "AP2"})
    plan = best_plan(instance).assignments
    assert plan["R1"].premises_id != plan["R2"].premises_id


def test_non_associates_may_use_the_same_premises_at_different_times(build):
    pair = [build.referral("R1"), build.referral("R2", earliest_arrival=7, non_associates=frozenset({"R1"}))]
    assert places_all(build.instance([build.premises(beds=2)], pair), {"R1": "AP1", "R2": "AP1"})


# -- move-on places ------------------------------------------------------------------------------------

def provider(places: int, category=MoveOnCategory.CAS3, east_km: float = 5.0):
    from tests.optimizer.conftest import at

    return MoveOnProvider("M1", category, at(east_km, 0), places)


def test_a_move_on_place_is_secured_when_the_week_has_room(build):
    people = [build.referral("R1", move_on_category=MoveOnCategory.CAS3),
              build.referral("R2", earliest_arrival=7, move_on_category=MoveOnCategory.CAS3)]
    instance = build.instance([build.premises(beds=2)], people, providers=[provider(1)])
    plan = best_plan(instance).assignments
    assert plan["R1"].provider_id == "M1" and plan["R2"].provider_id == "M1"


def test_move_on_places_per_week_are_never_exceeded(build):
    people = [build.referral("R1", move_on_category=MoveOnCategory.CAS3),
              build.referral("R2", move_on_category=MoveOnCategory.CAS3)]
    instance = build.instance([build.premises(beds=2)], people, providers=[provider(1)])
    plan = best_plan(instance).assignments
    assert sorted(str(a.provider_id) for a in plan.values()) == ["M1", "None"]


def test_a_provider_of_another_category_is_never_used(build):
    person = build.referral("R1", move_on_category=MoveOnCategory.FAMILY_OR_PARTNER)
    instance = build.instance([build.premises()], [person], providers=[provider(3)])
    assert best_plan(instance).assignments["R1"].provider_id is None


# -- resident mix --------------------------------------------------------------------------------------

def test_mix_overflow_is_priced_per_person_above_the_cap_and_day(build):
    very_high = Risk(overall=RiskLevel.VERY_HIGH)
    premises = build.premises(beds=3, caps=MixCaps(very_high_rosh=1))
    resident = build.resident(arrival=0, departure=4, risk=very_high)
    instance = build.instance([premises], [build.referral("R1", risk=very_high)], [resident])
    outcome = best_plan(instance)
    assert outcome.assignments["R1"].premises_id == "AP1"
    assert outcome.objective == objective(instance, outcome.assignments)
    placed_alone = objective(instance, {}) - objective(instance, {"R1": outcome.assignments["R1"]})
    assert placed_alone > 0  # placing still beats leaving unplaced
    without_overflow = build.instance([premises], [build.referral("R1", risk=very_high)])
    difference = outcome.objective - best_plan(without_overflow).objective
    assert difference == 4 * instance.weights.mix_overflow_per_resident_day


def test_overflow_steers_people_to_premises_under_their_cap(build):
    very_high = Risk(overall=RiskLevel.VERY_HIGH)
    capped = build.premises("AP1", beds=3, caps=MixCaps(very_high_rosh=0))
    open_ = build.premises("AP2", east_km=10, beds=3)
    instance = build.instance([capped, open_], [build.referral("R1", risk=very_high)])
    assert best_plan(instance).assignments["R1"].premises_id == "AP2"
