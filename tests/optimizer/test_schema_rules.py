"""The definitions every rule restates, pinned at their edges: stays are nights ``start .. end-1``."""

import numpy as np
import pytest

from optimizer.schema import departure_week, non_associate_pairs, stays_overlap


@pytest.mark.parametrize("other, shares", [
    ((0, 3), False),  # leaves the morning the stay begins
    ((10, 12), False),  # arrives the morning the stay ends
    ((0, 4), True),  # shares the first night
    ((9, 12), True),  # shares the last night
    ((5, 6), True),  # one night inside
])
def test_stays_share_a_night_only_when_their_nights_meet(other, shares):
    assert stays_overlap(3, 10, *other) is shares
    assert stays_overlap(*other, 3, 10) is shares


def test_stays_overlap_answers_for_arrays_of_days():
    arrivals = np.array([0, 2, 5, 6])
    assert stays_overlap(arrivals, arrivals + 2, 3, 6).tolist() == [False, True, True, False]


def test_the_departure_week_turns_on_day_seven():
    assert [departure_week(day) for day in (0, 6, 7, 13, 14)] == [0, 0, 1, 1, 2]


def test_non_associates_pair_up_whoever_named_whom(build):
    one = build.referral("R1", non_associates=frozenset({"S1", "GONE"}))
    two = build.referral("R2", non_associates=frozenset({"R1"}))
    resident = build.resident("S1", non_associates=frozenset({"R1", "R2"}))
    assert non_associate_pairs((one, two, resident)) == {("R1", "S1"), ("R1", "R2"), ("R2", "S1")}
    assert non_associate_pairs((one, two)) == {("R1", "R2")}
