"""Properties that hold on every random small instance."""

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer.candidates import build_candidates, first_rule_broken
from optimizer.capacity import base_capacity
from optimizer.checks import validate_instance
from optimizer.costs import placement_terms
from optimizer.geometry import inside_or_near
from optimizer.greedy import greedy
from optimizer.schema import SolverParams
from optimizer.validator import validate
from tests.optimizer.test_candidates_oracle import free_beds

PARAMS = SolverParams()
examples = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def stays(instance, result):
    """Everybody in a premises, fixed residents and placed referrals: id -> (premises, start, end)."""
    lengths = {r.id: r.length_of_stay for r in instance.referrals}
    found = {s.id: (s.premises_id, s.arrival, s.departure) for s in instance.residents}
    for a in result.assignments.values():
        if a.premises_id is not None:
            found[a.referral_id] = (a.premises_id, a.arrival, a.arrival + lengths[a.referral_id])
    return found


@examples
@given(data=st.data())
def test_generated_instances_are_valid_input(small_instances, data):
    validate_instance(data.draw(small_instances), PARAMS)


@examples
@given(data=st.data())
def test_greedy_result_always_validates_with_the_same_objective(small_instances, data):
    instance = data.draw(small_instances)
    result = greedy(instance, PARAMS)
    check = validate(instance, PARAMS, result.assignments)
    assert check.ok, check.violations
    assert check.objective == result.objective
    assert set(result.assignments) == {r.id for r in instance.referrals}
    for referral_id, assignment in result.assignments.items():
        assert assignment.terms == check.terms[referral_id]


@examples
@given(data=st.data())
def test_greedy_never_places_anybody_in_or_near_an_exclusion_zone(small_instances, data):
    instance = data.draw(small_instances)
    premises = {p.id: p for p in instance.premises}
    referrals = {r.id: r for r in instance.referrals}
    for a in greedy(instance, PARAMS).assignments.values():
        if a.premises_id is not None:
            zones = referrals[a.referral_id].exclusion_zones
            assert not inside_or_near(premises[a.premises_id].location, zones, PARAMS.exclusion_buffer_km)


@examples
@given(data=st.data())
def test_greedy_never_puts_non_associates_together(small_instances, data):
    instance = data.draw(small_instances)
    result = greedy(instance, PARAMS)
    where = stays(instance, result)
    placed = {a.referral_id for a in result.assignments.values() if a.premises_id is not None}
    for person in (*instance.referrals, *instance.residents):
        for other in person.non_associates:
            if {person.id, other} & placed and person.id in where and other in where:
                (p1, s1, e1), (p2, s2, e2) = where[person.id], where[other]
                assert p1 != p2 or e1 <= s2 or e2 <= s1, (person.id, other)


@examples
@given(data=st.data())
def test_greedy_is_deterministic(small_instances, data):
    instance = data.draw(small_instances)
    assert greedy(instance, PARAMS).assignments == greedy(instance, PARAMS).assignments


@examples
@given(data=st.data())
def test_a_premises_has_candidates_exactly_when_no_rule_rules_it_out(small_instances, data):
    instance = data.draw(small_instances)
    candidates = build_candidates(instance, PARAMS)
    for referral in instance.referrals:
        offered = {c.premises_id for c in candidates[referral.id]}
        for premises in instance.premises:
            reason = first_rule_broken(instance, PARAMS, referral, premises)
            assert (reason is None) == (premises.id in offered), (referral.id, premises.id, reason)


@examples
@given(data=st.data())
def test_candidates_are_priced_by_the_shared_cost_definition_cheapest_first(small_instances, data):
    instance = data.draw(small_instances)
    premises = {p.id: p for p in instance.premises}
    referrals = {r.id: r for r in instance.referrals}
    for referral_id, found in build_candidates(instance, PARAMS).items():
        assert [c.cost for c in found] == sorted(c.cost for c in found)
        for c in found:
            assert c.terms == placement_terms(instance, referrals[referral_id], premises[c.premises_id], c.arrival)
            assert c.cost == sum(c.terms.values())


@examples
@given(data=st.data())
def test_base_room_for_each_need_matches_counting_bed_by_bed_day_by_day(small_instances, data):
    """Before anybody is placed, room for a need is the free beds of the groups with all of it, each group
    less its beds out and its own residents (never below nought), as the candidate oracle counts them."""
    instance = data.draw(small_instances)
    capacity = base_capacity(instance)
    for needs in {r.essential_room for r in instance.referrals}:
        room = capacity.room_for(needs)
        for i, p in enumerate(instance.premises):
            assert room[i].tolist() == [free_beds(instance, p, day, needs) for day in range(capacity.days)]


@examples
@given(data=st.data())
def test_every_greedy_placement_is_a_candidate_so_it_can_hint_the_models(small_instances, data):
    instance = data.draw(small_instances)
    candidates = build_candidates(instance, PARAMS)
    for a in greedy(instance, PARAMS).assignments.values():
        if a.premises_id is not None:
            assert (a.premises_id, a.arrival) in {(c.premises_id, c.arrival) for c in candidates[a.referral_id]}


@examples
@given(data=st.data())
def test_the_validator_refuses_whatever_the_filter_rules_out_for_a_static_reason(small_instances, data):
    """Two independent code paths, one verdict: moving a placed referral to a premises ruled out for
    gender, type, characteristics, zone or radius must be caught by the referee."""
    instance = data.draw(small_instances)
    plan = greedy(instance, PARAMS).assignments
    referrals = {r.id: r for r in instance.referrals}
    for a in plan.values():
        if a.premises_id is None:
            continue
        for premises in instance.premises:
            why = first_rule_broken(instance, PARAMS, referrals[a.referral_id], premises)
            if why is None or " is free on " in why or why.startswith("a non-associate"):
                continue
            moved = {**plan, a.referral_id: replace(a, premises_id=premises.id, provider_id=None)}
            assert not validate(instance, PARAMS, moved).ok, why
