"""The occupancy calendar counts each day as the estate counts today, in total and per room characteristic."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import db
from app.models import Bed, Characteristic, OutOfServiceBed, Person, Placement, PlacementStatus, Premises, Room
from app.permissions import Role
from app.services import estate, occupancy
from app.services.occupancy import Availability, Count, Month
from app.services.validation import NotInScope
from tests.app.manage.estate_factories import add_out_of_service, add_placement, days

BASE = date(2030, 6, 1)
CODES = ("is_single", "has_en_suite", "is_ground_floor")


def test_a_month_counts_beds_in_service_against_people_placed(premises, beds):
    beds[2].room.characteristics.append(db.session.scalar(sa.select(Characteristic).where(Characteristic.code == "has_en_suite")))
    db.session.commit()
    add_out_of_service(beds[0], days(1), days(2))
    add_out_of_service(beds[1], days(1), days(1), cancelled=True)
    add_placement(premises, arrival=days(-5), departure=days(2), bed=beds[1])
    add_placement(premises, arrival=days(0), departure=days(3), status=PlacementStatus.UPCOMING, bed=beds[2])
    add_placement(premises, arrival=days(2), departure=days(4), status=PlacementStatus.UPCOMING)  # no bed yet
    add_placement(premises, arrival=days(0), departure=days(9), status=PlacementStatus.NOT_ARRIVED, bed=beds[0])
    counted = occupancy.occupancy(premises, days(0), days(3))
    assert [(day.day, day.total, day.by_characteristic) for day in counted] == [
        (days(0), Count(3, 2), {"is_single": Count(3, 2), "has_en_suite": Count(1, 1)}),
        (days(1), Count(2, 2), {"is_single": Count(2, 2), "has_en_suite": Count(1, 1)}),
        (days(2), Count(2, 2), {"is_single": Count(2, 1), "has_en_suite": Count(1, 1)}),
        (days(3), Count(3, 1), {"is_single": Count(3, 0), "has_en_suite": Count(1, 0)}),
    ]
    assert [day.total.availability for day in counted] == [
        Availability.AVAILABLE, Availability.FULL, Availability.FULL, Availability.AVAILABLE]


def test_overbooked_is_more_people_than_beds_in_service_and_free_is_never_negative():
    assert (Count(2, 3).availability, Count(2, 3).free) == (Availability.OVERBOOKED, 0)
    assert (Count(0, 0).availability, Count(3, 1).free) == (Availability.FULL, 2)


def test_months_follow_one_another_across_years():
    december = Month.of(date(2030, 12, 25))
    assert (december.first, december.last, december.code, december.name) == (
        date(2030, 12, 1), date(2030, 12, 31), "2030-12", "December 2030")
    assert (december.next.first, december.previous.first) == (date(2031, 1, 1), date(2030, 11, 1))
    assert Month.of(date(2032, 2, 10)).last == date(2032, 2, 29)


def test_a_days_detail_lists_who_arrives_and_leaves_and_the_beds_out(premises, beds, staff):
    arriving = add_placement(premises, arrival=days(2), departure=days(30), status=PlacementStatus.UPCOMING, bed=beds[0],
                             name="Ann Arriving")
    leaving = add_placement(premises, arrival=days(-20), departure=days(2), bed=beds[1], name="Len Leaving")
    add_placement(premises, arrival=days(2), departure=days(30), status=PlacementStatus.CANCELLED, bed=beds[2])
    out = add_out_of_service(beds[2], days(1), days(2))
    add_out_of_service(beds[2], days(3), days(4))
    detail = occupancy.day_detail(staff, premises, days(2))
    assert (detail.arriving, detail.leaving, detail.out_of_service) == ([arriving], [leaving], [out])
    assert detail.counts.total == Count(2, 1)


def test_the_calendar_is_seen_only_in_scope(make_user, make_premises, premises):
    with pytest.raises(NotInScope):
        occupancy.month_calendar(make_user(Role.AP_STAFF, premises=make_premises("Bolton House")), premises, Month.of(BASE))
    with pytest.raises(NotInScope):
        occupancy.month_calendar(make_user(Role.OFFENDER_MANAGER), premises, Month.of(BASE))


# --- the property: every day of any calendar matches a count made day by day ------------------------------------

beds_strategy = st.lists(
    st.tuples(st.sets(st.sampled_from(CODES)), st.integers(-10, 10), st.none() | st.integers(0, 40)), min_size=1, max_size=4)
periods_strategy = st.lists(st.tuples(st.integers(0, 3), st.integers(-5, 30), st.integers(0, 8), st.booleans()), max_size=5)
stays_strategy = st.lists(
    st.tuples(st.none() | st.integers(0, 3), st.integers(-20, 30), st.integers(0, 25), st.sampled_from(PlacementStatus),
              st.integers(-3, 3)), max_size=8)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(beds_strategy, periods_strategy, stays_strategy, st.integers(-5, 20), st.integers(0, 30))
def test_calendar_counts_match_a_count_of_each_day(make_premises, bed_specs, period_specs, stay_specs, start, length):
    premises = make_premises("Property House", beds=0)
    try:
        beds = _beds(premises, bed_specs)
        periods = _periods(beds, period_specs)
        stays = _stays(premises, beds, stay_specs)
        first = BASE + timedelta(days=start)
        counted = occupancy.occupancy(premises, first, first + timedelta(days=length))
        assert [day.day for day in counted] == [first + timedelta(days=n) for n in range(length + 1)]
        for day in counted:
            today = estate.bed_counts([premises.id], day.day)[premises.id]  # the estate's own count, in SQL
            assert day.total == Count(today.in_service, today.occupied)
            present = {code for codes, *_ in bed_specs for code in codes}
            assert day.by_characteristic == {code: _count_by_hand(code, day.day, beds, periods, stays)
                                             for code in CODES if code in present}
    finally:
        for model in (Placement, Person, OutOfServiceBed):
            db.session.execute(sa.delete(model))
        db.session.delete(db.session.get(Premises, premises.id))
        db.session.commit()


def _beds(premises, specs) -> list[Bed]:
    characteristics = {c.code: c for c in db.session.scalars(sa.select(Characteristic).where(Characteristic.code.in_(CODES)))}
    beds = []
    for number, (codes, active_from, active_days) in enumerate(specs):
        start = BASE + timedelta(days=active_from)
        room = Room(name=f"Room {number}", characteristics=[characteristics[code] for code in sorted(codes)])
        bed = Bed(name="Bed", active_from=start, active_to=None if active_days is None else start + timedelta(days=active_days))
        room.beds.append(bed)
        premises.rooms.append(room)
        beds.append(bed)
    db.session.commit()
    return beds


def _periods(beds, specs) -> list[OutOfServiceBed]:
    """Periods of the beds; one overlapping a kept period of its bed is left out, as the service refuses it."""
    kept = []
    for bed_index, start, length, cancelled in specs:
        bed = beds[bed_index % len(beds)]
        first, last = BASE + timedelta(days=start), BASE + timedelta(days=start + length)
        if not cancelled and any(p.bed is bed and not p.is_cancelled and p.start_date <= last and first <= p.end_date
                                 for p in kept):
            continue
        kept.append(add_out_of_service(bed, first, last, cancelled=cancelled))
    return kept


def _stays(premises, beds, specs) -> list[Placement]:
    stays = []
    for bed_index, arrival, length, status, departure_shift in specs:
        first = BASE + timedelta(days=arrival)
        stay = add_placement(premises, arrival=first, departure=first + timedelta(days=length), status=status,
                             bed=None if bed_index is None else beds[bed_index % len(beds)])
        if status is PlacementStatus.DEPARTED:
            stay.actual_departure = max(first, first + timedelta(days=length + departure_shift))
        stays.append(stay)
    db.session.commit()
    return stays


def _count_by_hand(code, day, beds, periods, stays) -> Count:
    with_code = [bed for bed in beds if code in {c.code for c in bed.room.characteristics}]
    in_service = [bed for bed in with_code if bed.is_active_on(day) and not any(p.bed is bed and p.covers(day) for p in periods)]
    placed = [stay for stay in stays if stay.bed in with_code and stay.status not in estate.NOT_OCCUPYING
              and stay.arrival <= day < stay.departure]
    return Count(len(in_service), len(placed))
