"""Free beds by bed group and Hall set, and why counting Hall sets is exactly "everybody has a bed"."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizer.capacity import BedLayout, base_capacity, by_hall_set, full_night_prefix, hall_sets, plan_days
from optimizer.schema import APType, BedGroup, BedsOut, Gender, Instance, Point, Premises, Referral

EN_SUITE_SINGLE, SINGLE = frozenset({"is_single", "has_en_suite"}), frozenset({"is_single"})


@pytest.fixture
def instance(build):
    premises = build.premises(
        "AP1",
        bed_groups=(BedGroup(EN_SUITE_SINGLE, 2), BedGroup(SINGLE, 3)),
        beds_out=(BedsOut(EN_SUITE_SINGLE, start=2, end=4),),
    )
    residents = [
        build.resident("S1", "AP1", arrival=-3, departure=3, bed_characteristics=EN_SUITE_SINGLE),
        build.resident("S2", "AP1", arrival=1, departure=5, bed_characteristics=SINGLE),
    ]
    referrals = [build.referral("R1", length_of_stay=6), build.referral("R3", length_of_stay=6, essential_room=SINGLE),
                 build.referral("R2", length_of_stay=6, essential_room=frozenset({"has_en_suite"}))]
    return build.instance([premises, build.premises("AP2", beds=1)], referrals, residents=residents, horizon_days=6)


def test_hall_sets_are_the_connected_unions_of_the_eligible_sets():
    assert hall_sets([0b0011, 0b0110, 0b1000, 0]) == (0b0011, 0b0110, 0b0111, 0b1000)


def test_residents_and_beds_out_leave_their_own_group(instance):
    capacity = base_capacity(instance)
    layout = capacity.layouts[0]
    assert layout.groups == (EN_SUITE_SINGLE, SINGLE)
    assert layout.sets == (0b01, 0b11)  # the en-suite singles; all beds (anybody else fits either group)
    assert capacity.free[0][0].tolist() == [1, 1, 0, 1, 2, 2]
    assert capacity.free[0][1].tolist() == [4, 3, 2, 3, 4, 5]


def test_room_for_a_need_is_the_tightest_hall_set_it_counts_in(instance):
    capacity = base_capacity(instance)
    assert capacity.room_for(frozenset({"has_en_suite"}))[0].tolist() == [1, 1, 0, 1, 2, 2]
    assert capacity.room_for(frozenset())[0].tolist() == [4, 3, 2, 3, 4, 5]
    assert capacity.room_for(frozenset({"is_arson_suitable"}))[0].tolist() == [0] * 6
    assert capacity.room_for(frozenset())[1].tolist() == [1] * 6


def test_a_bed_taken_by_somebody_flexible_leaves_room_for_a_need_only_if_another_bed_is_free(build):
    en_suite = frozenset({"has_en_suite"})
    premises = build.premises(bed_groups=(BedGroup(en_suite, 1), BedGroup(frozenset(), 1)))
    anybody, needs = build.referral("R1"), build.referral("R2", essential_room=en_suite)
    beds = base_capacity(build.instance([premises], [anybody, needs])).copy()
    beds.book(anybody, "AP1", 0)
    assert beds.fits(needs, "AP1", 0)  # the flexible one sleeps in the plain bed
    beds.book(needs, "AP1", 0)
    assert not beds.fits(anybody, "AP1", 3) and not beds.fits(needs, "AP1", 3)
    assert beds.fits(anybody, "AP1", 7)


def test_a_model_gets_rows_only_for_the_hall_sets_its_own_people_need():
    """Groups: plain (0), en-suite (1), en-suite and arson-suitable (2). The Hall sets: the beds for arson
    (2), for en-suite (1, 2), for anybody (0, 1, 2). Stays needing arson alone need only the arson row: the
    en-suite row and the all-beds row would hold the same stays with more beds."""
    en_suite, arson = frozenset({"has_en_suite"}), frozenset({"is_arson_suitable"})
    premises = Premises("AP1", Gender.MALE, Point(0, 0), APType.STANDARD, frozenset(),
                        (BedGroup(en_suite | arson, 1), BedGroup(en_suite, 1), BedGroup(frozenset(), 1)))
    layout = BedLayout.of(premises, [en_suite, arson, frozenset()])
    assert layout.sets == (0b100, 0b110, 0b111)
    free = np.array([[1, 1], [2, 2], [3, 3]])  # nothing booked: a set never has more beds than a larger one
    stays = {"A": arson, "B": arson}
    assert by_hall_set(layout, free, stays, stays.get) == {0: ["A", "B"]}
    stays |= {"C": frozenset(), "D": en_suite}
    assert by_hall_set(layout, free, stays, stays.get) == {0: ["A", "B"], 1: ["A", "B", "D"],
                                                           2: ["A", "B", "C", "D"]}


def test_a_larger_set_keeps_its_row_when_people_held_in_place_leave_it_fewer_beds():
    """Held in place by the local search, somebody needing no room characteristic in the plain bed leaves the
    all-beds set one bed on day 1, while the arson and en-suite sets keep theirs: two people needing arson
    fit the arson bed's row but not the all-beds row, which must stay."""
    en_suite, arson = frozenset({"has_en_suite"}), frozenset({"is_arson_suitable"})
    premises = Premises("AP1", Gender.MALE, Point(0, 0), APType.STANDARD, frozenset(),
                        (BedGroup(en_suite | arson, 2), BedGroup(en_suite, 1), BedGroup(frozenset(), 1)))
    layout = BedLayout.of(premises, [en_suite, arson, frozenset()])
    free = np.array([[2, 2], [3, 3], [4, 1]])
    stays = {"A": arson, "B": arson}
    assert by_hall_set(layout, free, stays, stays.get) == {0: ["A", "B"], 2: ["A", "B"]}


def test_rows_follow_premises_order(instance):
    capacity = base_capacity(instance)
    assert capacity.premises_ids == ("AP1", "AP2")
    assert capacity.index["AP2"] == 1


def test_plan_covers_the_last_departure(build):
    premises = [build.premises()]
    assert plan_days(build.instance(premises, horizon_days=10)) == 10
    assert plan_days(build.instance(premises, residents=[build.resident(departure=30)], horizon_days=10)) == 30
    late = build.referral(earliest_arrival=8, latest_arrival=9, length_of_stay=20)
    assert plan_days(build.instance(premises, referrals=[late], horizon_days=10)) == 29


def test_shared_arrays_cannot_be_changed_by_accident(instance):
    capacity = base_capacity(instance)
    with pytest.raises(ValueError):
        capacity.free[0][0, 0] = 99
    copy = capacity.copy()
    copy.free[0][0, 0] = 99
    assert capacity.free[0][0, 0] == 1


def test_capacity_is_worked_out_once_per_instance(instance):
    assert base_capacity(instance) is base_capacity(instance)


def test_full_night_prefix_answers_every_night_free_for_any_stay():
    prefix = full_night_prefix(np.array([1, 0, 2, 2, 0, 1]))
    nights_full = lambda start, length: prefix[start + length] - prefix[start]  # noqa: E731
    assert nights_full(2, 2) == 0
    assert nights_full(0, 2) == 1
    assert nights_full(0, 6) == 2
    assert nights_full(5, 1) == 0


ROOMS = ["is_single", "has_en_suite", "is_arson_suitable", "is_wheelchair_designated"]
signatures = st.frozensets(st.sampled_from(ROOMS), max_size=3)


def matching_exists(groups: list[tuple[frozenset[str], int]], people: list[frozenset[str]]) -> bool:
    """By brute force: some choice of a group for each person fits them and no group's beds overflow."""
    options = [[g for g, (signature, _) in enumerate(groups) if needs <= signature] for needs in people]
    return any(
        all(chosen.count(g) <= beds for g, (_, beds) in enumerate(groups))
        for chosen in map(list, itertools.product(*options))
    )


@settings(max_examples=300, deadline=None)
@given(groups=st.lists(st.tuples(signatures, st.integers(0, 2)), min_size=1, max_size=4),
       people=st.lists(st.frozensets(st.sampled_from(ROOMS), max_size=2), max_size=5))
def test_counting_every_hall_set_is_exactly_a_matching_of_people_to_beds(groups, people):
    """The whole formulation rests on this: the Hall set rows hold exactly when everybody has a bed."""
    premises = Premises("AP1", Gender.MALE, Point(0, 0), APType.STANDARD, frozenset(),
                        tuple(BedGroup(s, n) for s, n in groups))
    referrals = tuple(Referral(f"R{i}", Gender.MALE, Point(0, 0), 0, 0, 1, essential_room=needs)
                      for i, needs in enumerate(people))
    beds = base_capacity(Instance(1, (premises,), referrals=referrals)).copy()
    counted = True
    for referral in referrals:
        counted &= beds.fits(referral, "AP1", 0)
        beds.book(referral, "AP1", 0)
    assert counted == matching_exists(groups, people)
