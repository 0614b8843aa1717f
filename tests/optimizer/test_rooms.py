"""Rooms are real: a placement needs one bed with all its essential room characteristics, and each night
everybody there must have a bed of their own. Every method's plan must allow that, the referee must see
it by a matching of its own, and CP-SAT must place as many as trying every plan would."""

from __future__ import annotations

import itertools
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer.costs import UNPLACED_TERM
from optimizer.schema import (
    APType,
    Assignment,
    BedGroup,
    Gender,
    Instance,
    Point,
    Premises,
    Referral,
    Resident,
    SolverParams,
)
from optimizer.solve import METHODS, solve
from optimizer.validator import validate

PARAMS = SolverParams(time_limit_s=5, workers=1, seed=3)
ROOMS = ["is_single", "has_en_suite", "is_arson_suitable", "is_wheelchair_designated"]
HERE = Point(-1.5, 52.5)
examples = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
needs_of_up_to_two = st.frozensets(st.sampled_from(ROOMS), max_size=2)


@st.composite
def contested_rooms(draw, most_referrals: int = 4) -> Instance:
    """One or two men's premises a few km apart whose bed groups overlap (beds sharing some characteristics
    and not others), residents in some of those beds, and a few referrals needing up to two characteristics
    in one bed, arriving within a short window."""
    premises = []
    for i in range(draw(st.integers(1, 2))):
        groups = draw(st.lists(st.tuples(st.frozensets(st.sampled_from(ROOMS), max_size=3), st.integers(0, 2)),
                               min_size=1, max_size=4))
        premises.append(Premises(f"AP{i}", Gender.MALE, Point(HERE.lon + 0.05 * i, HERE.lat), APType.STANDARD,
                                 frozenset(), tuple(BedGroup(s, n) for s, n in groups)))
    residents = []
    for i in range(draw(st.integers(0, 2))):
        home = draw(st.sampled_from(premises))
        arrival = draw(st.integers(-3, 3))
        residents.append(Resident(f"S{i}", home.id, arrival, arrival + draw(st.integers(1, 6)),
                                  bed_characteristics=draw(st.sampled_from(home.bed_groups)).characteristics))
    referrals = []
    for i in range(draw(st.integers(1, most_referrals))):
        earliest = draw(st.integers(0, 4))
        referrals.append(Referral(f"R{i}", Gender.MALE, HERE, earliest, earliest + draw(st.integers(0, 2)),
                                  draw(st.integers(1, 5)), essential_room=draw(needs_of_up_to_two),
                                  days_waiting=draw(st.integers(0, 20))))
    if len(referrals) > 1 and draw(st.booleans()):
        referrals[0] = replace(referrals[0], non_associates=frozenset({referrals[1].id}))
    return Instance(8, tuple(premises), tuple(residents), tuple(referrals))


@examples
@given(data=st.data())
def test_every_plan_of_every_method_gives_everybody_a_bed_every_night(small_instances, data):
    instance = data.draw(st.one_of(small_instances, contested_rooms(most_referrals=6)))
    for method in METHODS:
        result = solve(instance, PARAMS, method, explain_plan=False)  # refereed inside: a bad plan raises
        check = validate(instance, PARAMS, result.assignments)
        assert check.ok, (method, check.violations)


def unplaced_cost(instance: Instance, plan: dict[str, Assignment]) -> int:
    return sum(validate(instance, PARAMS, plan).terms[r.id].get(UNPLACED_TERM, 0) for r in instance.referrals)


def fewest_unplaced_by_trying_every_plan(instance: Instance) -> int:
    """The least unplaced cost of any plan the referee accepts, trying every premises and arrival day."""
    nowhere = {r.id: Assignment(r.id, None, None, None) for r in instance.referrals}
    options = []
    for r in instance.referrals:
        alone = [Assignment(r.id, p.id, day, None) for p in instance.premises
                 for day in range(r.earliest_arrival, r.latest_arrival + 1)]
        options.append([nowhere[r.id], *(a for a in alone if validate(instance, PARAMS, {**nowhere, r.id: a}).ok)])
    best = None
    for plan in itertools.product(*options):
        chosen = {a.referral_id: a for a in plan}
        if validate(instance, PARAMS, chosen).ok:
            cost = unplaced_cost(instance, chosen)
            best = cost if best is None else min(best, cost)
    return best


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instance=contested_rooms())
def test_cpsat_places_as_many_as_trying_every_plan(instance):
    """Weighted as the objective weighs them (urgency and waiting): leaving fewer people unplaced is the
    objective's first level, so the optimum leaves exactly the brute force's least unplaced cost."""
    result = solve(instance, PARAMS, "cpsat", explain_plan=False)
    assert unplaced_cost(instance, result.assignments) == fewest_unplaced_by_trying_every_plan(instance)


def needs_present(instance: Instance, plan: dict[str, Assignment], premises_id: str, night: int) -> list:
    referrals = {r.id: r for r in instance.referrals}
    return [referrals[a.referral_id].essential_room for a in plan.values() if a.premises_id == premises_id
            and a.arrival <= night < a.arrival + referrals[a.referral_id].length_of_stay]


def everybody_has_a_bed(instance: Instance, plan: dict[str, Assignment]) -> bool:
    """By brute force, night by night: some choice of a free bed group for each placed person, each group
    holding no more than its beds less its residents."""
    for p in instance.premises:
        signatures = sorted({g.characteristics for g in p.bed_groups}, key=sorted)
        for night in range(20):
            free = [sum(g.beds for g in p.bed_groups if g.characteristics == s)
                    - sum(1 for r in instance.residents if r.premises_id == p.id and r.bed_characteristics == s
                          and r.arrival <= night < r.departure) for s in signatures]
            people = needs_present(instance, plan, p.id, night)
            choices = [[k for k, s in enumerate(signatures) if needs <= s] for needs in people]
            if people and not any(all(chosen.count(k) <= max(0, n) for k, n in enumerate(free))
                                  for chosen in map(list, itertools.product(*choices))):
                return False
    return True


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_referee_finds_a_bed_for_everybody_exactly_when_one_exists(data):
    """Any plan, good or bad (only the beds can break it here): the referee's matching agrees with trying
    every way of giving people beds."""
    instance = data.draw(contested_rooms(most_referrals=5))
    instance = replace(instance, referrals=tuple(replace(r, non_associates=frozenset()) for r in instance.referrals))
    plan = {}
    for r in instance.referrals:
        where = data.draw(st.sampled_from(instance.premises)).id
        plan[r.id] = Assignment(r.id, where, data.draw(st.integers(r.earliest_arrival, r.latest_arrival)), None)
    assert validate(instance, PARAMS, plan).ok == everybody_has_a_bed(instance, plan)
