"""The rules of preparing and recording a stay, each allowed and refused, on 15 June 2030 at noon."""

from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEvent, Placement, PlacementStatus, PreparationCheck, ReferralEventKind
from app.permissions import Role
from app.services import arrivals, audit
from app.services.arrivals import Departure, KeyWorker, Moment, NonArrival, Preparation
from app.services.validation import InvalidInput, NotInScope, Refused
from tests.app.manage.estate_factories import add_out_of_service, add_placement, days
from vocabulary import (
    BreachOrRecallReason,
    DepartureReason,
    MoveOnCategory,
    NonArrivalReason,
    PoliceNotificationMethod,
    PreparationItem,
)

TODAY = date(2030, 6, 15)
NOON = time(12, 0)


def _problems(action) -> dict[str, str]:
    with pytest.raises(InvalidInput) as refused:
        action()
    return refused.value.problems


def _actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def _read(event_action: str) -> list[str]:
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == event_action))
    [entry] = audit.readable([event])
    return entry.details


# --- risk review -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("assessed", "due", "overdue"), [
    (date(2030, 3, 1), date(2030, 6, 21), False),
    (date(2030, 2, 22), date(2030, 6, 14), True),
    (date(2030, 2, 23), date(2030, 6, 15), False),  # due today is not yet overdue
])
def test_a_risk_review_is_due_16_weeks_after_the_assessment(upcoming, assessed, due, overdue):
    upcoming.person.risk_assessed_on = assessed
    assert arrivals.risk_review(upcoming.person, TODAY) == arrivals.RiskReview(due, overdue)


def test_a_person_without_an_assessment_date_has_no_review_date(upcoming):
    upcoming.person.risk_assessed_on = None
    assert arrivals.risk_review(upcoming.person, TODAY) == arrivals.RiskReview(None, False)


# --- the checklist ---------------------------------------------------------------------------------------------


def test_a_bed_and_a_key_worker_are_done_by_allocating_them(upcoming, staff):
    checklist = arrivals.checklist(upcoming, TODAY)
    assert [(entry.item, entry.is_done) for entry in checklist.items][:2] == [
        (PreparationItem.BED_ALLOCATED, True), (PreparationItem.KEY_WORKER_ASSIGNED, False)]
    assert (checklist.done, checklist.is_complete) == (1, False)
    arrivals.assign_key_worker(staff, upcoming, KeyWorker(None, "Kim Agency"))
    assert arrivals.checklist(upcoming, TODAY).done == 2


@pytest.mark.parametrize(("arriving_in", "urgent"), [(-1, True), (0, True), (2, True), (3, False)])
def test_undone_items_are_urgent_from_two_days_before_the_arrival(premises, beds, arriving_in, urgent):
    placement = add_placement(premises, arrival=days(arriving_in), departure=days(50),
                              status=PlacementStatus.UPCOMING, bed=beds[2])
    assert arrivals.checklist(placement, TODAY).is_urgent is urgent


def test_a_complete_checklist_or_an_arrived_person_is_never_urgent(upcoming, resident, staff, time_machine):
    assert arrivals.checklist(resident, TODAY).is_urgent is False
    arrivals.assign_key_worker(staff, upcoming, KeyWorker(staff.id))
    arrivals.save_preparation(staff, upcoming, Preparation(
        frozenset(PreparationItem) - {PreparationItem.BED_ALLOCATED}, TODAY, PoliceNotificationMethod.TELEPHONE))
    assert arrivals.checklist(upcoming, TODAY + timedelta(days=3)).is_complete
    assert arrivals.checklist(upcoming, TODAY + timedelta(days=3)).is_urgent is False


def test_ticking_keeps_who_and_when_and_unticking_removes_the_tick(upcoming, staff, manager, time_machine):
    arrivals.save_preparation(staff, upcoming, Preparation(frozenset({PreparationItem.RISK_READ})))
    time_machine.shift(timedelta(hours=1))
    arrivals.save_preparation(manager, upcoming, Preparation(
        frozenset({PreparationItem.RISK_READ, PreparationItem.POLICE_NOTIFIED}), date(2030, 6, 14),
        PoliceNotificationMethod.SECURE_EMAIL))
    checks = {check.item: check for check in db.session.scalars(sa.select(PreparationCheck))}
    assert checks[PreparationItem.RISK_READ].checked_by_id == staff.id  # ticking again keeps the first tick
    police = checks[PreparationItem.POLICE_NOTIFIED]
    assert (police.checked_by_id, police.police_notified_on, police.police_notified_by) == (
        manager.id, date(2030, 6, 14), PoliceNotificationMethod.SECURE_EMAIL)
    assert police.checked_at.hour == 12  # 1pm in London is noon UTC in summer

    assert arrivals.save_preparation(manager, upcoming, Preparation(frozenset({PreparationItem.POLICE_NOTIFIED}),
                                     date(2030, 6, 14), PoliceNotificationMethod.SECURE_EMAIL))
    assert [check.item for check in db.session.scalars(sa.select(PreparationCheck))] == [PreparationItem.POLICE_NOTIFIED]
    assert _actions() == ["preparation_updated"] * 3
    assert not arrivals.save_preparation(manager, upcoming, Preparation(
        frozenset({PreparationItem.POLICE_NOTIFIED}), date(2030, 6, 14), PoliceNotificationMethod.SECURE_EMAIL))
    assert len(_actions()) == 3  # nothing changed, nothing audited


def test_a_checklist_change_reads_in_words(upcoming, staff):
    arrivals.save_preparation(staff, upcoming, Preparation(
        frozenset({PreparationItem.POLICE_NOTIFIED}), date(2030, 6, 14), PoliceNotificationMethod.TELEPHONE))
    assert _read("preparation_updated") == [
        "Ticked: Police notified of the licence conditions", "Unticked: None",
        "Police told on: 14 June 2030", "Police told by: Telephone"]


@pytest.mark.parametrize(("preparation", "problems"), [
    (Preparation(frozenset({PreparationItem.POLICE_NOTIFIED})),
     {"police_notified_on": "Enter the date the police were told", "police_notified_by": "Select how the police were told"}),
    (Preparation(frozenset({PreparationItem.POLICE_NOTIFIED}), TODAY + timedelta(days=1), PoliceNotificationMethod.IN_PERSON),
     {"police_notified_on": "The date the police were told must be today or in the past"}),
    (Preparation(frozenset(), TODAY, None),
     {"items": "Select ‘Police notified of the licence conditions’ to record when and how they were told"}),
])
def test_police_notification_needs_a_past_date_and_a_way(upcoming, staff, preparation, problems):
    assert _problems(lambda: arrivals.save_preparation(staff, upcoming, preparation)) == problems
    assert db.session.scalars(sa.select(PreparationCheck)).all() == []


# --- arrival ---------------------------------------------------------------------------------------------------


def test_recording_an_arrival(upcoming, staff):
    arrivals.record_arrival(staff, upcoming, Moment(TODAY, time(11, 30)))
    assert (upcoming.status, upcoming.actual_arrival, upcoming.actual_arrival_time) == (
        PlacementStatus.ARRIVED, TODAY, time(11, 30))
    assert _read("arrival_recorded") == [
        "Arrival date: 15 June 2030", "Arrival time: 11:30", "Expected arrival date: 18 June 2030"]


@pytest.mark.parametrize(("moment", "problems"), [
    (Moment(None, None), {"arrival_date": "Enter the arrival date", "arrival_time": "Enter the arrival time"}),
    (Moment(TODAY + timedelta(days=1), NOON), {"arrival_date": "The arrival date must be today or in the past"}),
    (Moment(TODAY, time(12, 1)), {"arrival_time": "The arrival time must not be in the future"}),
    (Moment(TODAY - timedelta(days=8), NOON), {"arrival_date": "The arrival date must be within the last 7 days, on or "
                                               "after 8 June 2030. Ask a premises manager to record an earlier arrival"}),
])
def test_an_arrival_is_not_in_the_future_nor_more_than_a_week_ago(upcoming, staff, moment, problems):
    assert _problems(lambda: arrivals.record_arrival(staff, upcoming, moment)) == problems
    assert upcoming.status is PlacementStatus.UPCOMING and _actions() == []


def test_a_week_ago_is_allowed_and_a_premises_manager_may_go_further_back(premises, beds, upcoming, staff, manager):
    arrivals.record_arrival(staff, upcoming, Moment(TODAY - timedelta(days=7), NOON))
    earlier = add_placement(premises, arrival=days(-40), departure=days(20), status=PlacementStatus.UPCOMING, bed=beds[2])
    arrivals.record_arrival(manager, earlier, Moment(TODAY - timedelta(days=40), time(9, 0)))
    assert earlier.status is PlacementStatus.ARRIVED


def test_an_arrival_cannot_be_recorded_twice(upcoming, staff):
    arrivals.record_arrival(staff, upcoming, Moment(TODAY, time(9, 5)))
    with pytest.raises(Refused, match="The arrival of Una Upcoming was already recorded, on 15 June 2030 at 09:05"):
        arrivals.record_arrival(staff, upcoming, Moment(TODAY, time(10, 0)))
    assert upcoming.actual_arrival_time == time(9, 5)


def test_an_arrival_needs_a_bed(premises, staff):
    placement = add_placement(premises, arrival=days(0), departure=days(30), status=PlacementStatus.UPCOMING)
    with pytest.raises(Refused, match="Allocate a bed to"):
        arrivals.record_arrival(staff, placement, Moment(TODAY, NOON))


def test_an_early_arrival_needs_its_bed_free_on_the_extra_nights(premises, beds, upcoming, staff):
    add_placement(premises, arrival=days(-30), departure=days(1), bed=beds[0], name="Ollie Earlier")
    problems = _problems(lambda: arrivals.record_arrival(staff, upcoming, Moment(TODAY, NOON)))
    assert problems["arrival_date"].startswith("Room 1, Bed 1 is booked for X000002 (from 16 May 2030 to 16 June 2030), "
                                               "which clashes on 15 June 2030")


def test_an_arrival_is_before_the_expected_departure(premises, beds, staff, manager):
    placement = add_placement(premises, arrival=days(-20), departure=days(-1), status=PlacementStatus.UPCOMING, bed=beds[2])
    assert _problems(lambda: arrivals.record_arrival(manager, placement, Moment(TODAY - timedelta(days=1), NOON))) == {
        "arrival_date": "The arrival date must be before the expected departure date, 14 June 2030. Change that date first"}


# --- non-arrival -----------------------------------------------------------------------------------------------


def test_recording_a_non_arrival_frees_the_bed(premises, beds, upcoming, staff):
    arrivals.record_non_arrival(staff, upcoming, NonArrival(NonArrivalReason.PAROLE_NOT_GRANTED))
    assert (upcoming.status, upcoming.non_arrival_reason) == (PlacementStatus.NOT_ARRIVED, NonArrivalReason.PAROLE_NOT_GRANTED)
    other = add_placement(premises, arrival=days(5), departure=days(30), status=PlacementStatus.UPCOMING)
    arrivals.assign_bed(staff, other, beds[0].id)
    assert _read("non_arrival_recorded") == ["Reason: Parole release not granted"]


@pytest.mark.parametrize(("non_arrival", "problems"), [
    (NonArrival(None), {"reason": "Select why the person did not arrive"}),
    (NonArrival(NonArrivalReason.OTHER, "  "), {"detail": "Enter the reason the person did not arrive"}),
    (NonArrival(NonArrivalReason.FAILED_TO_ARRIVE, "x" * 2001), {"detail": "The detail must be 2,000 characters or fewer"}),
])
def test_a_non_arrival_needs_a_reason_and_another_reason_its_detail(upcoming, staff, non_arrival, problems):
    assert _problems(lambda: arrivals.record_non_arrival(staff, upcoming, non_arrival)) == problems


def test_a_non_arrival_after_the_arrival_is_refused(resident, staff):
    with pytest.raises(Refused, match="You cannot record a non-arrival. The arrival of Rex Resident was already recorded"):
        arrivals.record_non_arrival(staff, resident, NonArrival(NonArrivalReason.FAILED_TO_ARRIVE))


# --- departure -------------------------------------------------------------------------------------------------


def _departure(on=TODAY, at=NOON, reason=DepartureReason.PLANNED_MOVE_ON, breach=None,
               move_on=MoveOnCategory.SUPPORTED_HOUSING, notes="") -> Departure:
    return Departure(Moment(on, at), reason, breach, move_on, notes)


def test_recording_a_departure(resident, staff):
    arrivals.record_departure(staff, resident, _departure(
        at=time(10, 15), reason=DepartureReason.BREACH_OR_RECALL, breach=BreachOrRecallReason.CURFEW,
        move_on=MoveOnCategory.CUSTODY, notes=" Recalled by the OM "))
    assert (resident.status, resident.actual_departure, resident.actual_departure_time) == (
        PlacementStatus.DEPARTED, TODAY, time(10, 15))
    assert (resident.departure_reason, resident.breach_or_recall_reason, resident.move_on_category,
            resident.departure_notes) == (DepartureReason.BREACH_OR_RECALL, BreachOrRecallReason.CURFEW,
                                          MoveOnCategory.CUSTODY, "Recalled by the OM")
    assert _read("departure_recorded") == [
        "Departure date: 15 June 2030", "Departure time: 10:15", "Reason: Breach or recall",
        "Breach or recall reason: Curfew", "Moved on to: Custody", "Notes: Recalled by the OM"]


def test_a_booked_persons_arrival_and_departure_are_on_their_timeline(premises, beds, staff, make_placement_request):
    request = make_placement_request()
    booked = Placement(person=request.person, premises=premises, placement_request=request, bed=beds[2],
                       expected_arrival=TODAY, expected_departure=days(56), status=PlacementStatus.UPCOMING)
    db.session.add(booked)
    db.session.commit()
    arrivals.record_arrival(staff, booked, Moment(TODAY, time(9, 30)))
    arrivals.record_departure(staff, booked, _departure())
    events = [(event.kind, event.note) for event in request.referral.events][-2:]
    assert events == [(ReferralEventKind.ARRIVED, "Preston House, on 15 June 2030"),
                      (ReferralEventKind.DEPARTED, "Preston House, on 15 June 2030: Planned move-on")]


def test_a_breach_reason_is_kept_only_for_a_breach_and_nobody_moves_on_after_dying(resident, staff):
    arrivals.record_departure(staff, resident, _departure(reason=DepartureReason.DIED, breach=BreachOrRecallReason.CURFEW,
                                                          move_on=None))
    assert (resident.breach_or_recall_reason, resident.move_on_category) == (None, None)


@pytest.mark.parametrize(("departure", "problems"), [
    (_departure(reason=None, move_on=None),
     {"reason": "Select the reason for the departure", "move_on_category": "Select where the person has moved on to"}),
    (_departure(reason=DepartureReason.BREACH_OR_RECALL), {"breach_or_recall_reason": "Select the breach or recall reason"}),
    (_departure(on=TODAY + timedelta(days=1)), {"departure_date": "The departure date must be today or in the past"}),
    (_departure(at=time(12, 30)), {"departure_time": "The departure time must not be in the future"}),
    (_departure(on=date(2030, 6, 4)), {"departure_date": "The departure date must be on or after the arrival date, 5 June 2030"}),
    (_departure(notes="x" * 2001), {"notes": "Notes must be 2,000 characters or fewer"}),
])
def test_a_departure_breaking_a_rule_is_refused(resident, staff, departure, problems):
    assert _problems(lambda: arrivals.record_departure(staff, resident, departure)) == problems
    assert resident.status is PlacementStatus.ARRIVED


def test_a_departure_on_the_day_of_arrival_is_after_its_time(resident, staff):
    resident.actual_arrival, resident.actual_arrival_time = TODAY, time(11, 0)
    db.session.commit()
    assert _problems(lambda: arrivals.record_departure(staff, resident, _departure(at=time(10, 59)))) == {
        "departure_time": "The departure time must be after the arrival time, 11:00"}
    arrivals.record_departure(staff, resident, _departure(at=time(11, 0)))


def test_a_departure_without_an_arrival_is_refused(upcoming, staff):
    with pytest.raises(Refused, match="Una Upcoming has not arrived yet: record the arrival first"):
        arrivals.record_departure(staff, upcoming, _departure())


def test_a_late_departure_needs_the_bed_free_on_the_extra_nights(premises, beds, staff):
    overstaying = add_placement(premises, arrival=days(-30), departure=days(-2), bed=beds[2], name="Otto Overstay")
    add_placement(premises, arrival=days(-2), departure=days(30), bed=beds[2], name="Nina Next")
    problem = _problems(lambda: arrivals.record_departure(staff, overstaying, _departure()))["departure_date"]
    assert problem == ("Room 3, Bed 3 is booked for X000002 (from 13 June 2030 to 15 July 2030), which clashes from "
                       "13 June 2030 to 14 June 2030. Allocate another bed to one of them first")


# --- expected departure, key worker and bed --------------------------------------------------------------------


def test_changing_the_expected_departure(resident, staff):
    arrivals.change_expected_departure(staff, resident, days(40))
    assert resident.expected_departure == days(40)
    assert _read("expected_departure_changed") == ["Expected departure date: 5 July 2030 → 25 July 2030"]


@pytest.mark.parametrize(("new", "problem"), [
    (None, "Enter the expected departure date"),
    (date(2030, 6, 5), "The expected departure date must be after the arrival date, 5 June 2030"),
    (date(2030, 6, 14), "The expected departure date must be today or in the future. If the person has left, record "
                        "their departure"),
    (date(2032, 6, 6), "The expected departure date must be within 2 years of the arrival, on or before 5 June 2032"),
])
def test_an_expected_departure_breaking_a_rule_is_refused(resident, staff, new, problem):
    assert _problems(lambda: arrivals.change_expected_departure(staff, resident, new)) == {"expected_departure": problem}


def test_a_later_expected_departure_needs_the_bed(premises, beds, resident, staff):
    add_placement(premises, arrival=days(25), departure=days(60), status=PlacementStatus.UPCOMING, bed=beds[1])
    assert "Room 2, Bed 2 is booked for" in _problems(
        lambda: arrivals.change_expected_departure(staff, resident, days(26)))["expected_departure"]
    arrivals.change_expected_departure(staff, resident, days(25))  # the next arrival's day is free
    arrivals.change_expected_departure(staff, resident, days(5))  # shorter is always possible


def test_a_later_expected_departure_needs_a_bed_at_the_premises_for_everybody_booked(premises, beds, resident,
                                                                                     staff):
    """Its own bed is free, but three bookings without a bed yet need all three beds from day 25."""
    for _ in range(3):
        add_placement(premises, arrival=days(25), departure=days(60), status=PlacementStatus.UPCOMING)
    problem = _problems(lambda: arrivals.change_expected_departure(staff, resident, days(30)))["expected_departure"]
    assert problem.startswith("No bed free: Preston House has no bed") and "10 July 2030" in problem
    assert resident.expected_departure == days(20)
    arrivals.change_expected_departure(staff, resident, days(25))


def test_a_key_worker_is_a_member_of_staff_of_the_premises_or_a_name(make_user, make_premises, upcoming, staff, manager):
    elsewhere = make_user(Role.AP_STAFF, premises=make_premises("Bolton House"))
    not_staff = make_user(Role.REGIONAL_MANAGER, premises=upcoming.premises)
    gone = make_user(Role.AP_STAFF, premises=upcoming.premises, active=False)
    assert [user.name for user in arrivals.key_worker_choices(upcoming.premises)] == ["Pat Manager", "Sam Staff"]
    for user in (elsewhere, not_staff, gone):
        assert _problems(lambda: arrivals.assign_key_worker(staff, upcoming, KeyWorker(user.id))) == {
            "key_worker": "Select a member of staff at Preston House"}
    assert _problems(lambda: arrivals.assign_key_worker(staff, upcoming, KeyWorker(None, " "))) == {
        "key_worker": "Select a key worker or enter their name"}
    assert _problems(lambda: arrivals.assign_key_worker(staff, upcoming, KeyWorker(staff.id, "Kim"))) == {
        "key_worker_name": "Select a key worker or enter a name, not both"}
    arrivals.assign_key_worker(staff, upcoming, KeyWorker(manager.id))
    assert upcoming.key_worker == "Pat Manager"
    arrivals.assign_key_worker(staff, upcoming, KeyWorker(None, " Kim Agency "))
    assert (upcoming.key_worker, upcoming.key_worker_id) == ("Kim Agency", None)
    assert _read("key_worker_assigned") == ["Key worker: None → Pat Manager"]


def test_a_bed_is_one_of_the_premises_in_use_in_service_and_free_for_the_stay(make_premises, premises, beds, upcoming,
                                                                               resident, staff):
    spare = beds[2]
    other_bed = make_premises("Bolton House").rooms[0].beds[0]
    assert [bed.id for bed in arrivals.bed_choices(upcoming, TODAY)] == [beds[0].id, spare.id]
    assert _problems(lambda: arrivals.assign_bed(staff, upcoming, other_bed.id)) == {"bed": "Select a bed in Preston House"}
    assert _problems(lambda: arrivals.assign_bed(staff, upcoming, None)) == {"bed": "Select a bed in Preston House"}
    assert _problems(lambda: arrivals.assign_bed(staff, upcoming, beds[1].id))["bed"].startswith(
        "Room 2, Bed 2 is booked for X000002")

    add_out_of_service(spare, days(50), days(70))
    assert [bed.id for bed in arrivals.bed_choices(upcoming, TODAY)] == [beds[0].id]
    assert _problems(lambda: arrivals.assign_bed(staff, upcoming, spare.id)) == {
        "bed": "Room 3, Bed 3 is out of service from 4 August 2030 to 24 August 2030. Choose another bed"}


def test_moving_a_resident_needs_the_new_bed_only_from_today(premises, beds, resident, staff):
    """A resident moving bed leaves the old one behind: the new bed must be free for what is left of the stay."""
    add_placement(premises, arrival=days(-20), departure=days(0), bed=beds[2], name="Left Today")
    beds[2].active_to = days(25)
    db.session.commit()
    arrivals.assign_bed(staff, resident, beds[2].id)
    assert resident.bed_id == beds[2].id
    assert _read("bed_assigned") == ["Bed: Bed 2, Room 2, Preston House → Bed 3, Room 3, Preston House"]


def test_a_bed_no_longer_in_use_is_refused(beds, upcoming, staff):
    beds[2].active_to = days(30)
    db.session.commit()
    assert _problems(lambda: arrivals.assign_bed(staff, upcoming, beds[2].id)) == {
        "bed": "Room 3, Bed 3 is not in use from 18 June 2030 to 12 August 2030. Choose another bed"}


# --- who may -----------------------------------------------------------------------------------------------------


def test_only_staff_of_the_premises_may_record(make_user, make_premises, premises, upcoming, region):
    for outsider in (make_user(Role.AP_STAFF, premises=make_premises("Bolton House")),
                     make_user(Role.REGIONAL_MANAGER, region=region),
                     make_user(Role.ADMIN)):
        with pytest.raises(NotInScope):
            arrivals.record_arrival(outsider, upcoming, Moment(TODAY, NOON))
    assert upcoming.status is PlacementStatus.UPCOMING


def test_the_board_lists_arrivals_within_14_days_and_departures_due(make_user, premises, beds, staff):
    soon = add_placement(premises, arrival=days(14), departure=days(70), status=PlacementStatus.UPCOMING)
    add_placement(premises, arrival=days(15), departure=days(70), status=PlacementStatus.UPCOMING)
    late = add_placement(premises, arrival=days(-1), departure=days(70), status=PlacementStatus.UPCOMING)
    add_placement(premises, arrival=days(1), departure=days(70), status=PlacementStatus.NOT_ARRIVED)
    overdue = add_placement(premises, arrival=days(-60), departure=days(-1))
    today = add_placement(premises, arrival=days(-60), departure=days(0))
    within = add_placement(premises, arrival=days(-60), departure=days(14))
    add_placement(premises, arrival=days(-60), departure=days(15))
    add_placement(premises, arrival=days(-60), departure=days(-3), status=PlacementStatus.DEPARTED,
                  actual_departure=days(-3))
    board = arrivals.board(staff, premises, TODAY)
    assert (board.arrivals, board.departures_overdue, board.departures_today, board.departures_soon) == (
        [late, soon], [overdue], [today], [within])
    with pytest.raises(NotInScope):
        arrivals.board(make_user(Role.OFFENDER_MANAGER), premises, TODAY)
