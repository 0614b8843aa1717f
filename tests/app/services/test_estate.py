from datetime import date, datetime

import pytest
import sqlalchemy as sa

from app.clock import LONDON
from app.extensions import db
from app.models import AuditEvent, Bed, OutOfServiceBed, OutOfServiceReason, PlacementStatus, Region, Room
from app.permissions import Permission, Role
from app.services import access, estate
from app.services.validation import InvalidInput, NotInScope, Refused
from tests.app.manage.estate_factories import add_out_of_service, add_placement, beds_of
from tests.app.queries import counting_queries
from vocabulary import APType, Gender

DAY = date(2030, 6, 15)


def on(day_offset: int) -> date:
    return date.fromordinal(DAY.toordinal() + day_offset)


@pytest.fixture(autouse=True)
def _today_is_day(time_machine):
    """The service's clock reads DAY, as the rules about today (two years ahead at most) need."""
    time_machine.move_to(datetime(2030, 6, 15, 12, tzinfo=LONDON), tick=False)


@pytest.fixture
def london():
    return db.session.scalar(sa.select(Region).where(Region.name == "London"))


@pytest.fixture
def houses(make_premises, london):
    """Two North West premises and one in London."""
    return {
        "preston": make_premises("Preston House", beds=4, characteristics=("is_catered",)),
        "bolton": make_premises("Bolton House", beds=2, gender=Gender.FEMALE, ap_type=APType.PIPE),
        "camden": make_premises("Camden House", beds=3, target_region=london, ap_type=APType.PIPE),
    }


def _names(summaries):
    return [summary.premises.name for summary in summaries]


# --- scoping -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "scope", "expected"),
    [
        (Role.ASSESSOR, None, ["Bolton House", "Camden House", "Preston House"]),
        (Role.ADMIN, "preston", ["Bolton House", "Camden House", "Preston House"]),
        (Role.AP_STAFF, "preston", ["Preston House"]),
        (Role.REGIONAL_MANAGER, "region", ["Bolton House", "Preston House"]),
        (Role.REFERRAL_UNIT, None, []),
        (Role.AP_STAFF, None, []),
    ],
)
def test_who_sees_which_premises(houses, make_user, region, role, scope, expected):
    user = make_user(
        role,
        premises=houses["preston"] if scope == "preston" else None,
        region=region if scope in ("preston", "region") else None,
    )
    assert _names(estate.list_premises(user, day=DAY)) == expected


def test_regions_offered_as_filters_are_those_in_scope(houses, make_user, region):
    assert [r.name for r in estate.regions_in_scope(make_user(Role.REGIONAL_MANAGER, region=region))] == ["North West"]
    assert [r.name for r in estate.regions_in_scope(make_user(Role.ASSESSOR))] == ["London", "North West"]


# --- filters -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (estate.EstateFilters(gender=Gender.FEMALE), ["Bolton House"]),
        (estate.EstateFilters(ap_type=APType.PIPE), ["Bolton House", "Camden House"]),
        (estate.EstateFilters(characteristic="is_catered"), ["Preston House"]),
        (estate.EstateFilters(characteristic="has_lift"), []),
        (estate.EstateFilters(gender=Gender.MALE, ap_type=APType.PIPE), ["Camden House"]),
    ],
)
def test_filters(houses, make_user, filters, expected):
    assert _names(estate.list_premises(make_user(Role.ASSESSOR), filters, day=DAY)) == expected


def test_region_filter(houses, make_user, london):
    filters = estate.EstateFilters(region_id=london.id)
    assert _names(estate.list_premises(make_user(Role.ASSESSOR), filters, day=DAY)) == ["Camden House"]


def test_closed_premises_are_not_listed(houses, make_user):
    houses["bolton"].is_active = False
    db.session.commit()
    assert "Bolton House" not in _names(estate.list_premises(make_user(Role.ASSESSOR), day=DAY))


# --- counts --------------------------------------------------------------------------------------------------


def test_beds_count_only_beds_active_on_the_day(make_premises):
    premises = make_premises(beds=4)
    retired, future, *_ = beds_of(premises)
    retired.active_to = on(-1)
    future.active_from = on(1)
    db.session.commit()
    assert estate.bed_counts([premises.id], DAY)[premises.id].beds == 2
    assert estate.bed_counts([premises.id], on(1))[premises.id].beds == 3


def test_out_of_service_counts_periods_covering_the_day_inclusive(make_premises):
    premises = make_premises(beds=5)
    ends_today, starts_today, cancelled, future, double_booked = beds_of(premises)
    add_out_of_service(ends_today, on(-3), DAY)
    add_out_of_service(starts_today, DAY, on(3))
    add_out_of_service(cancelled, on(-3), on(3), cancelled=True)
    add_out_of_service(future, on(1), on(3))
    add_out_of_service(double_booked, on(-1), on(1))
    add_out_of_service(double_booked, DAY, DAY, cancelled=True)
    counts = estate.bed_counts([premises.id], DAY)[premises.id]
    assert (counts.beds, counts.out_of_service, counts.in_service) == (5, 3, 2)


def test_occupied_means_arrival_on_or_before_the_day_and_departure_after_it(make_premises, make_user):
    premises = make_premises(beds=10)
    occupying = [
        add_placement(premises, arrival=on(-10), departure=on(10)),
        add_placement(premises, arrival=DAY, departure=on(10), status=PlacementStatus.UPCOMING),
        add_placement(premises, arrival=on(-2), departure=on(10), status=PlacementStatus.UPCOMING),
        add_placement(premises, arrival=on(-10), departure=on(1)),
    ]
    # Not occupying: arrives tomorrow, departs today, cancelled, never arrived, left early.
    add_placement(premises, arrival=on(1), departure=on(10), status=PlacementStatus.UPCOMING)
    add_placement(premises, arrival=on(-10), departure=DAY)
    add_placement(premises, arrival=on(-10), departure=on(10), status=PlacementStatus.CANCELLED)
    add_placement(premises, arrival=on(-10), departure=on(10), status=PlacementStatus.NOT_ARRIVED)
    add_placement(premises, arrival=on(-10), departure=on(10), status=PlacementStatus.DEPARTED, actual_departure=on(-1))
    counts = estate.bed_counts([premises.id], DAY)[premises.id]
    assert counts.occupied == len(occupying)
    assert counts.free == 10 - len(occupying)
    assert set(estate.current_residents(make_user(Role.ADMIN), premises, DAY)) == set(occupying)


def test_free_is_never_negative_when_a_premises_is_overbooked(make_premises):
    premises = make_premises(beds=1)
    for _ in range(2):
        add_placement(premises, arrival=on(-1), departure=on(1))
    counts = estate.bed_counts([premises.id], DAY)[premises.id]
    assert (counts.occupied, counts.free) == (2, 0)


def test_premises_without_beds_count_zero(make_premises, make_user):
    make_premises("Empty House", beds=0)
    [summary] = estate.list_premises(make_user(Role.ASSESSOR), day=DAY)
    assert summary.counts == estate.BedCounts(0, 0, 0)


def test_the_list_costs_the_same_few_queries_for_any_number_of_premises(make_premises, make_user):
    user = make_user(Role.ASSESSOR)

    def queries_for_list() -> int:
        db.session.expire_all()
        with counting_queries() as statements:
            summaries = estate.list_premises(user, day=DAY)
            [(s.premises.region.name, s.counts.free) for s in summaries]
        return len(statements)

    first = make_premises("First House", beds=3)
    add_placement(first, arrival=on(-1), departure=on(1))
    few = queries_for_list()
    for number in range(5):
        premises = make_premises(f"House {number}", beds=3)
        add_out_of_service(beds_of(premises)[0], on(-1), on(1))
        add_placement(premises, arrival=on(-1), departure=on(1))
    assert queries_for_list() == few <= 6


# --- rooms and beds ------------------------------------------------------------------------------------------


def test_rooms_and_beds_are_listed_in_natural_order(make_premises):
    """People number rooms and beds, so "Room 2" comes before "Room 10", wherever they are listed."""
    premises = make_premises(beds=0)
    rooms = {name: Room(name=name) for name in ["Room 10", "Annex", "Room 2", "Room 1", "Room 2A", "Room"]}
    premises.rooms.extend(rooms.values())
    rooms["Room 10"].beds.extend(Bed(name=f"Bed {number}", active_from=DAY) for number in (11, 2, 1))
    db.session.commit()
    db.session.expire_all()
    natural = ["Annex", "Room", "Room 1", "Room 2", "Room 10", "Room 2A"]
    assert [room.name for room in estate.rooms_with_beds(premises)] == natural
    assert [room.name for room in premises.rooms] == natural
    assert [bed.name for bed in db.session.get(Room, rooms["Room 10"].id).beds] == ["Bed 1", "Bed 2", "Bed 11"]
    assert [bed.label for bed in estate.bookable_beds(premises, DAY)] == [
        "Room 10, Bed 1", "Room 10, Bed 2", "Room 10, Bed 11"
    ]


# --- residents -----------------------------------------------------------------------------------------------


def test_current_residents_are_the_occupying_placements_for_users_who_may_see_them(make_premises, make_user):
    premises = make_premises()
    add_placement(premises, arrival=on(-5), departure=on(5), name="Zed Fictional")
    add_placement(premises, arrival=on(-5), departure=on(5), name="Abe Fictional")
    add_placement(premises, arrival=on(3), departure=on(9), status=PlacementStatus.UPCOMING, name="Later Fictional")
    staff = make_user(Role.AP_STAFF, premises=premises)
    assert [p.person.name for p in estate.current_residents(staff, premises, DAY)] == ["Abe Fictional", "Zed Fictional"]
    with pytest.raises(NotInScope):
        estate.current_residents(make_user(Role.OFFENDER_MANAGER), premises, DAY)


def test_residents_of_another_premises_are_refused(make_premises, make_user):
    own, other = make_premises("Own House"), make_premises("Other House")
    with pytest.raises(NotInScope):
        estate.current_residents(make_user(Role.AP_STAFF, premises=own), other, DAY)


# --- taking beds out of service ------------------------------------------------------------------------------


def _take(user, premises, bed, start=DAY, end=None, **extra):
    return estate.take_bed_out_of_service(
        user,
        premises,
        bed_id=bed.id,
        reason=extra.pop("reason", OutOfServiceReason.REFURBISHMENT),
        start_date=start,
        end_date=end or on(7),
        **extra,
    )


def _periods() -> list[OutOfServiceBed]:
    return list(db.session.scalars(sa.select(OutOfServiceBed).order_by(OutOfServiceBed.id)))


def _audit_actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def test_admin_takes_any_bed_out_of_service_with_an_audit_event(make_premises, make_user, london):
    premises = make_premises(target_region=london)
    admin = make_user(Role.ADMIN)
    bed = beds_of(premises)[1]
    period = _take(admin, premises, bed, reference=" WO-123 ", notes="Boiler")
    assert (period.bed, period.reference, period.notes, period.created_by_id) == (bed, "WO-123", "Boiler", admin.id)
    event = db.session.scalar(sa.select(AuditEvent))
    assert (event.action, event.user_id, event.object_id) == ("out_of_service_bed_created", admin.id, str(period.id))
    assert event.details["bed_id"] == bed.id and event.details["end_date"] == on(7).isoformat()


def test_ap_manager_manages_only_their_own_premises(make_premises, make_user):
    own, other = make_premises("Own House"), make_premises("Other House")
    manager = make_user(Role.AP_MANAGER, premises=own)
    assert access.can(manager, own, Permission.MANAGE_OUT_OF_SERVICE_BEDS)
    assert not access.can(manager, other, Permission.MANAGE_OUT_OF_SERVICE_BEDS)
    _take(manager, own, beds_of(own)[0])
    with pytest.raises(NotInScope):
        _take(manager, other, beds_of(other)[0])
    assert len(_periods()) == 1


def test_ap_staff_cannot_take_beds_out_of_service(make_premises, make_user):
    premises = make_premises()
    staff = make_user(Role.AP_STAFF, premises=premises)
    assert not access.can(staff, premises, Permission.MANAGE_OUT_OF_SERVICE_BEDS)
    with pytest.raises(NotInScope):
        _take(staff, premises, beds_of(premises)[0])
    assert _periods() == [] and _audit_actions() == []


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        (on(5), on(4), "end_date", "The end date must be the same as or after the start date"),
        (on(-2), DAY, "start_date", "Room 1, Bed 1 is already out of service from"),
        (on(7), on(9), "start_date", "Choose dates that do not overlap"),
        (on(-5), on(20), "start_date", "already out of service"),
        (DAY, date(2032, 6, 16), "end_date",
         "The end date must be no more than 2 years from today, on or before 15 June 2032"),
    ],
)
def test_bad_dates_are_refused_against_the_field_and_nothing_is_saved(make_premises, make_user, start, end, field, message):
    premises = make_premises()
    admin = make_user(Role.ADMIN)
    bed = beds_of(premises)[0]
    existing = add_out_of_service(bed, DAY, on(7))
    with pytest.raises(InvalidInput) as refusal:
        _take(admin, premises, bed, start, end)
    assert list(refusal.value.problems) == [field] and message in refusal.value.problems[field]
    assert _periods() == [existing] and _audit_actions() == []


def test_periods_may_touch_and_may_reuse_cancelled_dates(make_premises, make_user):
    premises = make_premises()
    admin = make_user(Role.ADMIN)
    bed = beds_of(premises)[0]
    add_out_of_service(bed, DAY, on(7))
    add_out_of_service(bed, on(8), on(12), cancelled=True)
    _take(admin, premises, bed, on(8), on(8))
    _take(admin, premises, bed, on(-3), on(-1))
    assert len(_periods()) == 4


def test_a_bed_of_another_premises_is_refused(make_premises, make_user):
    premises, other = make_premises("Own House"), make_premises("Other House")
    with pytest.raises(InvalidInput) as refusal:
        _take(make_user(Role.ADMIN), premises, beds_of(other)[0])
    assert refusal.value.problems == {"bed": "Select a bed in Own House"}
    with pytest.raises(InvalidInput):
        estate.take_bed_out_of_service(
            make_user(Role.ADMIN, email="a2@example.test"), premises, bed_id=999_999,
            reason=OutOfServiceReason.INCIDENT, start_date=DAY, end_date=DAY,
        )
    assert _periods() == []


def test_bookable_beds_leave_out_retired_beds(make_premises):
    premises = make_premises(beds=3)
    retired = beds_of(premises)[0]
    retired.active_to = date(2021, 1, 1)
    db.session.commit()
    assert retired not in estate.bookable_beds(premises)
    assert len(estate.bookable_beds(premises)) == 2


def test_an_end_exactly_two_years_ahead_is_accepted(make_premises, make_user):
    premises = make_premises()
    assert _take(make_user(Role.ADMIN), premises, beds_of(premises)[0], DAY, date(2032, 6, 15)).end_date == date(2032, 6, 15)


# --- a bed with a resident in it -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "clash"),
    [
        (on(-20), on(-10), "on 5 June 2030"),  # ends on their arrival day
        (on(5), on(30), "from 20 June 2030 to 24 June 2030"),  # starts during their stay: their last night is 24 June
        (on(-20), on(40), "from 5 June 2030 to 24 June 2030"),  # covers the whole stay
    ],
)
def test_a_bed_cannot_go_out_of_service_while_a_resident_is_in_it(make_premises, make_user, start, end, clash):
    premises = make_premises()
    bed = beds_of(premises)[0]
    resident = add_placement(premises, arrival=on(-10), departure=on(10), bed=bed)
    with pytest.raises(InvalidInput) as refusal:
        _take(make_user(Role.ADMIN), premises, bed, start, end)
    assert refusal.value.problems == {
        "bed": f"Room 1, Bed 1 is occupied by {resident.person.crn} (from 5 June 2030 to 25 June 2030), which clashes "
               f"{clash}. Choose other dates, or move them to another bed first"
    }
    assert _periods() == []


@pytest.mark.parametrize(
    ("status", "arrival", "departure"),
    [
        (PlacementStatus.ARRIVED, on(-10), DAY),  # leaves on the first day: the departure day is free
        (PlacementStatus.UPCOMING, on(8), on(20)),  # arrives the day after the period
        (PlacementStatus.CANCELLED, on(-10), on(10)),
        (PlacementStatus.NOT_ARRIVED, on(-10), on(10)),
    ],
)
def test_a_resident_who_does_not_occupy_the_bed_then_does_not_stop_it(make_premises, make_user, status, arrival, departure):
    premises = make_premises()
    bed = beds_of(premises)[0]
    add_placement(premises, arrival=arrival, departure=departure, status=status, bed=bed)
    add_placement(premises, arrival=on(-10), departure=on(10), bed=beds_of(premises)[1])  # in another bed
    assert _take(make_user(Role.ADMIN), premises, bed, DAY, on(7)).bed == bed


def test_current_residents_show_their_bed(make_premises, make_user):
    premises = make_premises()
    bed = beds_of(premises)[2]
    add_placement(premises, arrival=on(-1), departure=on(1), bed=bed)
    [resident] = estate.current_residents(make_user(Role.ADMIN), premises, DAY)
    assert resident.bed.label == "Room 3, Bed 3"


# --- the database's own guard --------------------------------------------------------------------------------


@pytest.mark.postgres
def test_postgresql_refuses_an_overlap_that_gets_past_the_check(app, make_premises):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL only")
    bed = beds_of(make_premises())[0]
    add_out_of_service(bed, DAY, on(7))
    add_out_of_service(bed, on(7), on(9), cancelled=True)  # cancelled periods do not count
    with pytest.raises(sa.exc.IntegrityError):
        add_out_of_service(bed, on(7), on(9))


@pytest.mark.postgres
def test_an_overlap_caught_by_the_database_is_reported_like_the_check(app, make_premises, make_user, monkeypatch):
    """Stands in for a request that checked before another saved: the check passes once, the database refuses."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL only")
    premises = make_premises()
    bed = beds_of(premises)[0]
    add_out_of_service(bed, DAY, on(7))
    real_check, calls = estate._clash_problems, []

    def check_that_misses_once(*args):
        calls.append(args)
        return {} if len(calls) == 1 else real_check(*args)

    monkeypatch.setattr(estate, "_clash_problems", check_that_misses_once)
    with pytest.raises(InvalidInput) as refusal:
        _take(make_user(Role.ADMIN), premises, bed, on(3), on(9))
    assert refusal.value.problems["start_date"].startswith("Room 1, Bed 1 is already out of service from 15 June 2030")
    assert len(_periods()) == 1 and _audit_actions() == []


# --- cancelling ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "end"), [(DAY, on(7)), (on(-9), on(-1))])
def test_cancelling_keeps_the_record_and_audits_it(make_premises, make_user, start, end):
    """Past periods too: a period recorded by mistake is corrected, whenever it was."""
    premises = make_premises()
    manager = make_user(Role.AP_MANAGER, premises=premises)
    period = add_out_of_service(beds_of(premises)[0], start, end)
    estate.cancel_out_of_service_bed(manager, period)
    assert period.is_cancelled and period.cancelled_by_id == manager.id
    assert _audit_actions() == ["out_of_service_bed_cancelled"]
    assert estate.bed_counts([premises.id], start)[premises.id].out_of_service == 0


def test_a_cancelled_period_cannot_be_cancelled_again(make_premises, make_user):
    premises = make_premises()
    period = add_out_of_service(beds_of(premises)[0], on(-5), on(5), cancelled=True)
    before = period.cancelled_at
    message = "This out-of-service period has already been cancelled"
    assert estate.cancellation_refusal(period) == message
    with pytest.raises(Refused, match=message):
        estate.cancel_out_of_service_bed(make_user(Role.ADMIN), period)
    assert period.cancelled_at == before and _audit_actions() == []


def test_cancelling_at_another_premises_is_refused(make_premises, make_user):
    own, other = make_premises("Own House"), make_premises("Other House")
    period = add_out_of_service(beds_of(other)[0], DAY, on(7))
    with pytest.raises(NotInScope):
        estate.cancel_out_of_service_bed(make_user(Role.AP_MANAGER, premises=own), period)
    assert not period.is_cancelled


def test_every_period_is_listed_current_and_planned_then_past(make_premises):
    premises = make_premises(beds=3)
    first, second, third = beds_of(premises)
    long_ago = add_out_of_service(first, on(-90), on(-80))
    ended = add_out_of_service(first, on(-9), on(-1))
    current = add_out_of_service(second, on(-1), on(1))
    cancelled = add_out_of_service(third, on(2), on(3), cancelled=True)
    future = add_out_of_service(first, on(5), on(6))
    periods = estate.out_of_service_periods(premises, DAY)
    assert periods.current_and_planned == [current, cancelled, future]
    assert periods.past == [ended, long_ago]
    assert periods.bed_ids_out_today == {second.id}
