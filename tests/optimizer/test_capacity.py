import numpy as np
import pytest

from optimizer.capacity import base_capacity, full_night_prefix, plan_days
from optimizer.schema import BedGroup, BedsOut


@pytest.fixture
def instance(build):
    premises = build.premises(
        "AP1",
        bed_groups=(
            BedGroup(frozenset({"is_single", "has_en_suite"}), 2),
            BedGroup(frozenset({"is_single"}), 3),
        ),
        beds_out=(BedsOut(frozenset({"has_en_suite", "is_single"}), start=2, end=4),),
    )
    residents = [
        build.resident("S1", "AP1", arrival=-3, departure=3, room_characteristics=frozenset({"has_en_suite"})),
        build.resident("S2", "AP1", arrival=1, departure=5),
    ]
    return build.instance([premises, build.premises("AP2", beds=1)], residents=residents, horizon_days=6)


def test_total_is_beds_minus_out_of_service_minus_all_stays(instance):
    assert base_capacity(instance).total[0].tolist() == [4, 3, 2, 3, 4, 5]


def test_a_characteristic_counts_beds_with_it_minus_stays_requiring_it(instance):
    capacity = base_capacity(instance)
    assert capacity.free("has_en_suite")[0].tolist() == [1, 1, 0, 1, 2, 2]
    # S2 sleeps in some bed but requires nothing, so single rooms only lose the bed out of service.
    assert capacity.free("is_single")[0].tolist() == [5, 5, 4, 4, 5, 5]
    assert capacity.free("is_arson_suitable")[0].tolist() == [0] * 6


def test_rows_follow_premises_order(instance):
    capacity = base_capacity(instance)
    assert capacity.premises_ids == ("AP1", "AP2")
    assert capacity.index["AP2"] == 1
    assert capacity.total[1].tolist() == [1] * 6


def test_plan_covers_the_last_departure(build):
    premises = [build.premises()]
    assert plan_days(build.instance(premises, horizon_days=10)) == 10
    assert plan_days(build.instance(premises, residents=[build.resident(departure=30)], horizon_days=10)) == 30
    late = build.referral(earliest_arrival=8, latest_arrival=12, length_of_stay=20)
    assert plan_days(build.instance(premises, referrals=[late], horizon_days=10)) == 32


def test_shared_arrays_cannot_be_changed_by_accident(instance):
    capacity = base_capacity(instance)
    with pytest.raises(ValueError):
        capacity.total[0, 0] = 99


def test_capacity_is_worked_out_once_per_instance(instance):
    assert base_capacity(instance) is base_capacity(instance)


def test_full_night_prefix_answers_every_night_free_for_any_stay():
    prefix = full_night_prefix(np.array([1, 0, 2, 2, 0, 1]))
    nights_full = lambda start, length: prefix[start + length] - prefix[start]  # noqa: E731
    assert nights_full(2, 2) == 0
    assert nights_full(0, 2) == 1
    assert nights_full(0, 6) == 2
    assert nights_full(5, 1) == 0
