"""Booking, changing, transferring and cancelling placements (app/services/bookings.py): every hard rule is
re-checked against the live data by the optimiser's validator, and no night is ever over capacity."""

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import db
from app.models import (
    AuditEvent,
    ExclusionZone,
    NonAssociate,
    OutboxMessage,
    Placement,
    PlacementRequest,
    PlacementRequestStatus,
    PlacementStatus,
    Premises,
    ReferralEvent,
    ReferralEventKind,
    Region,
    User,
)
from app.permissions import Role
from app.services import bookings
from app.services.bookings import BookingRefused, Choice
from app.services.validation import NotInScope
from tests.app.conftest import PLACING_DAY, _empty_tables
from tests.app.manage.estate_factories import add_out_of_service, add_placement, beds_of
from tests.app.queries import counting_queries
from vocabulary import APType, CancellationReason, ExclusionZoneSource, Gender, NonAssociateReason

TODAY = PLACING_DAY.date()
ARRIVAL = date(2030, 9, 1)  # the test referrals' expected arrival


pytestmark = pytest.mark.usefixtures("placing_day")


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


@pytest.fixture
def manager(make_user, region):
    return make_user(Role.REGIONAL_MANAGER, region=region)


@pytest.fixture
def house(make_premises):
    return make_premises(beds=1)


@pytest.fixture
def waiting(make_placement_request):
    return make_placement_request()


def _refusal(action) -> list[str]:
    with pytest.raises(BookingRefused) as refused:
        action()
    return refused.value.problems


def _assert_nothing_booked(placement_request):
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Placement.id))
                             .where(Placement.placement_request_id == placement_request.id)) == 0
    assert db.session.get(PlacementRequest, placement_request.id).status is PlacementRequestStatus.READY_TO_MATCH


def test_booking_places_the_person_for_the_authorised_stay_and_marks_the_request_booked(placer, house, waiting):
    placement = bookings.book(placer, waiting, house, ARRIVAL)
    assert (placement.person_id, placement.premises_id, placement.status, placement.placement_request_id) == (
        waiting.person_id, house.id, PlacementStatus.UPCOMING, waiting.id)
    assert (placement.expected_arrival, placement.expected_departure) == (ARRIVAL, ARRIVAL + timedelta(weeks=12))
    assert waiting.status is PlacementRequestStatus.BOOKED
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "placement_booked"))
    assert (event.user_id, event.object_id, event.details["premises_id"]) == (placer.id, str(placement.id), house.id)


def test_a_request_is_booked_once(placer, house, make_premises, waiting):
    bookings.book(placer, waiting, house, ARRIVAL)
    assert _refusal(lambda: bookings.book(placer, waiting, make_premises("Other House"), ARRIVAL)) == [
        f"{waiting.person.crn} is already booked: change or cancel that booking instead"]


def test_the_wrong_gender_of_ap_is_refused(placer, make_premises, waiting):
    womens = make_premises("Women's House", gender=Gender.FEMALE)
    assert _refusal(lambda: bookings.book(placer, waiting, womens, ARRIVAL)) == [
        f"Wrong gender of AP: Women's House is an AP for women and {waiting.person.crn} needs an AP for men"]
    _assert_nothing_booked(waiting)


def test_the_wrong_type_of_ap_is_refused(placer, make_premises, waiting):
    pipe = make_premises("Pipe House", ap_type=APType.PIPE)
    assert _refusal(lambda: bookings.book(placer, waiting, pipe, ARRIVAL)) == [
        "Wrong type of AP: Pipe House is of the type psychologically informed planned environment (PIPE), and "
        f"{waiting.person.crn} needs the type standard"]


def test_a_missing_essential_characteristic_is_refused(placer, house, make_placement_request):
    catered = make_placement_request(essential_characteristics=["is_catered"])
    assert _refusal(lambda: bookings.book(placer, catered, house, ARRIVAL)) == [
        f"Essential characteristic missing: {catered.person.crn} needs catered and Fictional House has none"]


def test_an_ap_inside_or_near_an_exclusion_zone_is_refused(placer, house, waiting):
    # A 1 km circle centred 2.5 km east of the AP: the AP is outside it, but within the 2 km buffer around it.
    centre = (house.longitude + 2.5 / 65.8, house.latitude)  # a degree of longitude is 65.8 km at Preston
    db.session.add(ExclusionZone(referral_id=waiting.referral_id, label="Around the victim's home",
                                 source=ExclusionZoneSource.CIRCLE, geometry=json.dumps({"type": "Polygon",
                                 "coordinates": [[list(centre), [centre[0], centre[1] + 0.01], list(centre)]]}),
                                 area_km2=3.1, centre_name="Preston", centre_longitude=centre[0],
                                 centre_latitude=centre[1], radius_km=1.0))
    db.session.commit()
    assert _refusal(lambda: bookings.book(placer, waiting, house, ARRIVAL)) == [
        f"Exclusion zone: Fictional House is inside or within 2.0 km of an exclusion zone of {waiting.person.crn}"]


def test_an_ap_beyond_the_maximum_radius_is_refused(placer, make_premises, waiting):
    london = make_premises("London House", longitude=-0.1, latitude=51.5)  # 300 km from Preston; 50 miles allowed
    assert _refusal(lambda: bookings.book(placer, waiting, london, ARRIVAL)) == [
        f"Too far from home: London House is more than the 50 miles from the home area of {waiting.person.crn} that "
        "they would go"]


def test_a_non_associate_resident_is_refused_naming_both_and_the_date(placer, make_premises, waiting):
    house = make_premises(beds=2)
    resident = add_placement(house, arrival=days(-10), departure=days(20), bed=beds_of(house)[0])
    db.session.add(NonAssociate(referral_id=waiting.referral_id, crn=resident.person.crn, name="Fictional Name",
                                reason=NonAssociateReason.CO_DEFENDANT))
    db.session.commit()
    assert _refusal(lambda: bookings.book(placer, waiting, house, ARRIVAL)) == [
        f"Non-associates: {waiting.person.crn} and {resident.person.crn} must never share an AP, and would both be "
        "at Fictional House from 1 September 2030"]


def test_no_bed_free_is_refused_naming_the_night(placer, house, waiting):
    add_placement(house, arrival=days(-10), departure=days(10), bed=beds_of(house)[0])  # leaves 4 September
    assert _refusal(lambda: bookings.book(placer, waiting, house, ARRIVAL)) == [
        f"No bed free: Fictional House has no bed for {waiting.person.crn} on 1 September 2030: "
        f"{waiting.person.crn} needs a bed and no such bed is free"]
    assert bookings.book(placer, waiting, house, days(10)).expected_arrival == days(10)


def test_a_bed_out_of_service_is_not_free(placer, house, waiting):
    add_out_of_service(beds_of(house)[0], days(20), days(22))
    problems = _refusal(lambda: bookings.book(placer, waiting, house, ARRIVAL))
    assert problems[0].startswith("No bed free: Fictional House has no bed") and "14 September 2030" in problems[0]


def test_a_room_characteristic_needed_must_be_free_each_night(placer, make_premises, make_placement_request):
    shared = make_premises(beds=2, room_characteristics=())
    single = make_placement_request(essential_characteristics=["is_single"])
    problems = _refusal(lambda: bookings.book(placer, single, shared, ARRIVAL))
    assert problems == [f"No bed free: Fictional House has no bed for {single.person.crn} on 1 September 2030: "
                        f"{single.person.crn} needs a single bed and no such bed is free"]


def test_departure_before_arrival_and_arrivals_in_the_past_are_refused(placer, house, waiting):
    assert _refusal(lambda: bookings.book(placer, waiting, house, ARRIVAL, departure=ARRIVAL)) == [
        "The departure date must be after the arrival date, 1 September 2030"]
    assert _refusal(lambda: bookings.book(placer, waiting, house, days(-1))) == [
        "The arrival date must be today or later, 25 August 2030 or after"]


def test_overbooking_needs_a_reason_and_the_permission_and_is_audited(placer, manager, house, waiting):
    add_placement(house, arrival=days(-10), departure=days(60), bed=beds_of(house)[0])
    assert _refusal(lambda: bookings.book(placer, waiting, house, ARRIVAL, overbook_reason="Emergency release"))[-1] \
        == "You cannot overbook an AP: ask a regional or national manager"
    assert _refusal(lambda: bookings.book(manager, waiting, house, ARRIVAL, overbook_reason="  "))[0].startswith(
        "No bed free")
    placement = bookings.book(manager, waiting, house, ARRIVAL, overbook_reason="Emergency release from custody")
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "placement_booked"))
    assert event.details | {"overbooked": True, "overbook_reason": "Emergency release from custody"} == event.details
    assert placement.status is PlacementStatus.UPCOMING


def test_overbooking_never_overrides_another_rule(manager, make_premises, waiting):
    womens = make_premises("Women's House", gender=Gender.FEMALE, beds=0)
    problems = _refusal(lambda: bookings.book(manager, waiting, womens, ARRIVAL, overbook_reason="Emergency"))
    assert problems[0].startswith("Wrong gender of AP")


def test_people_outside_the_requests_region_cannot_book_it(make_user, house, waiting):
    wales = db.session.scalar(sa.select(Region).where(Region.name == "Wales"))
    for stranger in (make_user(Role.REFERRAL_UNIT, region=wales), make_user(Role.OFFENDER_MANAGER)):
        with pytest.raises(NotInScope):
            bookings.book(stranger, waiting, house, ARRIVAL)


def test_changing_dates_rechecks_capacity(placer, house, make_placement_request, waiting):
    first = bookings.book(placer, waiting, house, ARRIVAL, departure=days(20))
    later = bookings.book(placer, make_placement_request(), house, days(20))
    assert _refusal(lambda: bookings.change_dates(placer, first, departure=days(21)))[0].startswith(
        "No bed free: Fictional House has no bed")
    changed = bookings.change_dates(placer, first, arrival=days(8), departure=days(19))
    assert (changed.expected_arrival, changed.expected_departure) == (days(8), days(19))
    assert later.expected_arrival == days(20)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "placement_dates_changed"))
    assert event.details["changes"]["expected_departure"] == [days(20).isoformat(), days(19).isoformat()]


def test_a_resident_may_only_change_their_departure(placer, house):
    resident = add_placement(house, arrival=days(-10), departure=days(10), bed=beds_of(house)[0])
    assert _refusal(lambda: bookings.change_dates(placer, resident, arrival=days(-9)))[0].endswith(
        "only the departure date can change")
    assert bookings.change_dates(placer, resident, departure=days(30)).expected_departure == days(30)


def test_transferring_a_booking_moves_it_whole_after_checking_the_other_ap(placer, house, make_premises, waiting):
    other = make_premises("Other House", beds=1)
    placement = bookings.book(placer, waiting, house, ARRIVAL)
    add_placement(other, arrival=days(-10), departure=days(10), bed=beds_of(other)[0])
    assert _refusal(lambda: bookings.transfer(placer, placement, other, ARRIVAL))[0].startswith(
        "No bed free: Other House")
    moved = bookings.transfer(placer, placement, other, days(10))
    assert (moved.id, moved.premises_id, moved.expected_arrival) == (placement.id, other.id, days(10))


def test_transferring_a_resident_ends_their_stay_and_books_the_rest_at_the_other_ap(placer, house, make_premises):
    other = make_premises("Other House", beds=1)
    resident = add_placement(house, arrival=days(-10), departure=days(30), bed=beds_of(house)[0])
    moved = bookings.transfer(placer, resident, other, days(2))
    assert (resident.expected_departure, resident.status) == (days(2), PlacementStatus.ARRIVED)
    assert (moved.premises_id, moved.expected_arrival, moved.expected_departure, moved.status) == (
        other.id, days(2), days(30), PlacementStatus.UPCOMING)


def test_cancelling_returns_the_request_to_be_matched_again(placer, house, waiting):
    placement = bookings.book(placer, waiting, house, ARRIVAL)
    assert _refusal(lambda: bookings.cancel(placer, placement, CancellationReason.OTHER)) == [
        "Enter why the placement is cancelled"]
    bookings.cancel(placer, placement, CancellationReason.BOOKED_IN_ERROR)
    assert (placement.status, placement.cancellation_reason) == (PlacementStatus.CANCELLED,
                                                                 CancellationReason.BOOKED_IN_ERROR)
    assert waiting.status is PlacementRequestStatus.READY_TO_MATCH
    assert _refusal(lambda: bookings.cancel(placer, placement, CancellationReason.BOOKED_IN_ERROR)) == [
        f"This placement for {waiting.person.crn} is cancelled: it can no longer be changed"]
    assert bookings.book(placer, waiting, house, ARRIVAL).status is PlacementStatus.UPCOMING


def test_accepting_many_books_those_that_fit_and_names_the_problems_of_the_others(placer, house, make_premises,
                                                                                  make_placement_request):
    other = make_premises("Other House", beds=1)
    first, second, third = (make_placement_request() for _ in range(3))
    outcomes = bookings.book_many(placer, [Choice(first, house, ARRIVAL), Choice(second, house, ARRIVAL),
                                           Choice(third, other, ARRIVAL)])
    assert [outcome.placement is not None for outcome in outcomes] == [True, False, True]
    assert outcomes[1].problems[0].startswith(f"No bed free: Fictional House has no bed for {second.person.crn}")
    assert [r.status for r in (first, second, third)] == [PlacementRequestStatus.BOOKED,
                                                          PlacementRequestStatus.READY_TO_MATCH,
                                                          PlacementRequestStatus.BOOKED]
    assert bookings.book_many(placer, []) == []
    fourth = make_placement_request()
    twice = bookings.book_many(placer, [Choice(fourth, other, days(30)), Choice(fourth, house, days(30))])
    assert twice[1].problems == [f"{fourth.person.crn} was chosen twice: each person is booked once"]


def test_accepting_many_reads_the_same_queries_however_many_it_accepts(placer, make_premises, make_placement_request):
    """Set-based reads: each booking adds its rows, never a query to read something of its own."""
    def reads(how_many: int) -> int:
        choices = [Choice(make_placement_request(), make_premises(f"House {how_many}-{number}"), ARRIVAL)
                   for number in range(how_many)]
        for choice in choices:  # loaded, as a page loads the proposals it accepts
            db.session.refresh(choice.premises), db.session.refresh(choice.placement_request)
        with counting_queries() as statements:
            bookings.book_many(placer, choices)
        return sum(statement.lstrip().upper().startswith("SELECT") for statement in statements)

    assert reads(2) == reads(6)


# --- who hears of it -------------------------------------------------------------------------------------------


def _emails() -> list[tuple[str, str]]:
    return [(message.recipient, message.subject) for message in
            db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id))]


def _timeline(placement_request) -> list[tuple[ReferralEventKind, str]]:
    return [(event.kind, event.note) for event in db.session.scalars(
        sa.select(ReferralEvent).where(ReferralEvent.referral_id == placement_request.referral_id,
                                       ReferralEvent.kind != ReferralEventKind.ACCEPTED).order_by(ReferralEvent.id))]


def test_the_offender_manager_and_the_premises_hear_of_bookings_and_the_timeline_shows_each_action(
        placer, make_premises, waiting):
    house = make_premises(beds=2, email="fictional.house@example.test")
    other = make_premises("Other House", beds=1)
    author = waiting.referral.created_by
    placement = bookings.book(placer, waiting, house, ARRIVAL)
    bookings.change_dates(placer, placement, departure=days(40))
    bookings.transfer(placer, placement, other, days(8))
    bookings.cancel(placer, placement, CancellationReason.ALTERNATIVE_ACCOMMODATION)

    assert _emails() == [
        (author.email, "Placement booked"), ("fictional.house@example.test", "Placement booked"),
        (author.email, "Placement dates changed"), ("fictional.house@example.test", "Placement dates changed"),
        (author.email, "Placement transferred to another AP"),  # Other House has no email address
        (author.email, "Placement cancelled"),  # a premises hears of bookings made or changed, not cancelled
    ]
    body = db.session.scalars(sa.select(OutboxMessage.body).order_by(OutboxMessage.id)).first()
    assert f"{waiting.person.name} ({waiting.person.crn})" in body and "Fictional House" in body
    assert "1 September 2030" in body and "24 November 2030" in body
    assert _timeline(waiting) == [
        (ReferralEventKind.BOOKED, "Fictional House, 1 September 2030 to 24 November 2030"),
        (ReferralEventKind.BOOKING_CHANGED, "Fictional House, 1 September 2030 to 4 October 2030"),
        (ReferralEventKind.TRANSFERRED, "Other House, 2 September 2030 to 4 October 2030"),
        (ReferralEventKind.BOOKING_CANCELLED, "Other House, 2 September 2030 to 4 October 2030. "
                                              "Alternative accommodation found"),
    ]
    assert [event.action for event in db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.object_type == "placement").order_by(AuditEvent.id))] == [
        "placement_booked", "placement_dates_changed", "placement_transferred", "placement_cancelled"]


def test_a_placement_booked_without_a_request_is_announced_to_the_premises_only(placer, make_premises):
    house = make_premises(beds=2, email="fictional.house@example.test")
    resident = add_placement(house, arrival=days(-10), departure=days(10), bed=beds_of(house)[0])
    bookings.change_dates(placer, resident, departure=days(20))
    assert _emails() == [("fictional.house@example.test", "Placement dates changed")]


# --- races and sequences -----------------------------------------------------------------------------------------

REQUESTS = 20


def test_twenty_people_booking_the_last_bed_at_once_make_exactly_one_booking(app, placer, house,
                                                                             make_placement_request):
    request_ids = [make_placement_request().id for _ in range(REQUESTS)]
    everyone_ready = threading.Barrier(REQUESTS)

    def book(request_id: int):
        with app.app_context():
            user, premises = db.session.get(User, placer.id), db.session.get(Premises, house.id)
            placement_request = db.session.get(PlacementRequest, request_id)
            db.session.commit()  # hand the connection back: twenty threads share a pool of fifteen
            everyone_ready.wait(timeout=60)
            try:
                bookings.book(user, placement_request, premises, ARRIVAL)
            except BookingRefused:
                return "refused"
            finally:
                db.session.remove()
            return "booked"

    with ThreadPoolExecutor(REQUESTS) as pool:
        outcomes = list(pool.map(book, request_ids))
    assert outcomes.count("booked") == 1
    assert db.session.scalar(sa.select(sa.func.count(Placement.id))) == 1


def _nights_over_capacity() -> list[tuple[int, date]]:
    """(premises, night) where more people hold a bed than the premises has beds in service."""
    over = []
    for premises in db.session.scalars(sa.select(Premises)):
        beds = beds_of(premises)
        stays = db.session.execute(sa.select(Placement.expected_arrival, Placement.expected_departure).where(
            Placement.premises_id == premises.id, Placement.status.in_(
                (PlacementStatus.UPCOMING, PlacementStatus.ARRIVED)))).all()
        for night in (days(n) for n in range(0, 80)):
            if sum(arrival <= night < departure for arrival, departure in stays) > len(beds):
                over.append((premises.id, night))
    return over


operations = st.lists(st.tuples(st.sampled_from(["book", "change", "transfer", "cancel"]), st.integers(0, 3),
                                st.integers(0, 1), st.integers(0, 30), st.integers(1, 40)), min_size=1, max_size=12)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=operations)
def test_no_sequence_of_booking_operations_leaves_a_night_over_capacity(steps, make_user, region, make_premises,
                                                                        make_placement_request):
    try:
        placer = make_user(Role.REFERRAL_UNIT, region=region)
        houses = [make_premises("First House", beds=2), make_premises("Second House", beds=1)]
        requests = [make_placement_request() for _ in range(4)]
        for action, who, where, start, nights in steps:
            placement = db.session.scalar(sa.select(Placement).where(
                Placement.placement_request_id == requests[who].id, Placement.status == PlacementStatus.UPCOMING))
            try:
                if action == "book":
                    bookings.book(placer, requests[who], houses[where], days(start), departure=days(start + nights))
                elif placement is None:
                    continue
                elif action == "change":
                    bookings.change_dates(placer, placement, arrival=days(start), departure=days(start + nights))
                elif action == "transfer":
                    bookings.transfer(placer, placement, houses[where], days(start))
                else:
                    bookings.cancel(placer, placement, CancellationReason.WITHDRAWN)
            except BookingRefused:
                pass
            assert _nights_over_capacity() == []
    finally:
        _empty_tables()
