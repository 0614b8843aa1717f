"""Assessing referrals: who sees which, the queue, allocation, further information and the decision's state rules."""

from datetime import date, datetime

import pytest
import sqlalchemy as sa

from app.clock import LONDON
from app.extensions import db
from app.models import AuditEvent, OutboxMessage, PlacementRequest, Referral, ReferralEventKind, Region
from app.permissions import Permission, Role
from app.services import access, assessments, audit, length_of_stay
from app.services.assessments import Acceptance, QueueFilters
from app.services.requirements import Requirements
from app.services.validation import InvalidInput, NotInScope, Refused
from vocabulary import APType, Gender, Notice, OffenceHistory, ReferralStatus, RejectionReason

SHORT_NOTICE = {"arrival_date": date(2030, 6, 20), "is_emergency": False, "lateness_reason": "Parole came late"}
EMERGENCY = SHORT_NOTICE | {"is_emergency": True}
LINK = "https://service.example/referrals/1"


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime(2030, 6, 15, 12, tzinfo=LONDON), tick=False)  # a Saturday


@pytest.fixture
def wales():
    return db.session.scalar(sa.select(Region).where(Region.name == "Wales"))


@pytest.fixture
def manager(make_user, region):
    return make_user(Role.OFFENDER_MANAGER, region=region, email="om@example.test", name="Olive Manager")


@pytest.fixture
def assessor(make_user, region):
    return make_user(Role.ASSESSOR, region=region, email="assessor@example.test", name="Ada Assessor")


@pytest.fixture
def submitted(manager, make_submitted_referral):
    return make_submitted_referral(manager)


@pytest.fixture
def policy():
    length_of_stay.add_default_policy()
    db.session.commit()


def _refused(action) -> dict[str, str]:
    with pytest.raises(InvalidInput) as refusal:
        action()
    return refusal.value.problems


def _events(referral) -> list:
    db.session.refresh(referral)
    return [(event.kind, event.note) for event in referral.events]


# --- who sees which -------------------------------------------------------------------------------------------------


def test_assessors_see_submitted_referrals_of_their_region_or_every_region_and_never_drafts(
        manager, make_user, make_referral, make_submitted_referral, region, wales):
    draft = make_referral(manager)
    here = make_submitted_referral(manager)
    welsh_manager = make_user(Role.OFFENDER_MANAGER, region=wales, email="cymru@example.test")
    there = make_submitted_referral(welsh_manager)
    regional = make_user(Role.ASSESSOR, region=region, email="regional@example.test")
    national = make_user(Role.ASSESSOR, email="national@example.test")
    for user, expected in [(regional, {here}), (national, {here, there})]:
        assert {referral for referral in (draft, here, there) if access.can(user, referral)} == expected
        assert set(db.session.scalars(sa.select(Referral).where(access.visible(user, Referral)))) == expected
        with pytest.raises(NotInScope):
            access.find(user, Referral, draft.id, to=Permission.ASSESS_REFERRALS)


@pytest.mark.parametrize("role", [Role.REFERRAL_UNIT, Role.REGIONAL_MANAGER, Role.NATIONAL_MANAGER, Role.AP_STAFF,
                                  Role.AP_MANAGER, Role.ADMIN])
def test_other_roles_see_no_submitted_referral(manager, make_user, make_submitted_referral, region, role):
    referral = make_submitted_referral(manager)
    assert not access.can(make_user(role, region=region, email=f"{role.value}@example.test"), referral)


def test_whoever_writes_and_assesses_acts_on_each_only_within_its_own_scope(
        manager, make_user, make_referral, make_submitted_referral, region, wales):
    both = make_user(Role.OFFENDER_MANAGER, Role.ASSESSOR, email="both@example.test")
    both.region = wales
    db.session.commit()
    colleague_draft = make_referral(make_user(Role.OFFENDER_MANAGER, region=wales, email="cy@example.test"))
    english = make_submitted_referral(manager)
    assert access.can(both, colleague_draft, Permission.MANAGE_REFERRALS)
    assert not access.can(both, colleague_draft, Permission.ASSESS_REFERRALS)
    assert not access.can(both, english)  # a regional assessor of Wales, and not the author


# --- the queue ----------------------------------------------------------------------------------------------------


def test_the_queue_is_sorted_by_deadline_with_stopped_clocks_last(manager, assessor, make_submitted_referral):
    standard = make_submitted_referral(manager, submitted_at=datetime(2030, 6, 10, 10, tzinfo=LONDON))
    overdue = make_submitted_referral(manager, submitted_at=datetime(2030, 6, 1, 10, tzinfo=LONDON), **SHORT_NOTICE)
    emergency = make_submitted_referral(manager, submitted_at=datetime(2030, 6, 15, 11, tzinfo=LONDON), **EMERGENCY)
    waiting = make_submitted_referral(manager, submitted_at=datetime(2030, 6, 3, 10, tzinfo=LONDON))
    assessments.request_information(assessor, waiting, "Where will they live?")
    make_submitted_referral(manager, status=ReferralStatus.WITHDRAWN)
    make_submitted_referral(manager, status=ReferralStatus.ACCEPTED)

    entries = assessments.queue(assessor)

    assert [entry.referral for entry in entries] == [overdue, emergency, standard, waiting]
    assert [entry.notice for entry in entries] == [Notice.SHORT_NOTICE, Notice.EMERGENCY, Notice.STANDARD,
                                                   Notice.STANDARD]
    assert entries[0].deadline.at.date() == date(2030, 6, 7)
    assert entries[1].deadline.at == datetime(2030, 6, 15, 13, tzinfo=LONDON)
    assert entries[2].deadline.at.date() == date(2030, 6, 24)
    assert entries[3].deadline is None


def test_the_queue_filters_by_area_region_ap_type_and_notice(manager, make_user, make_submitted_referral, wales):
    national = make_user(Role.ASSESSOR, email="national@example.test")
    north_west = make_submitted_referral(manager)
    pipe = make_submitted_referral(manager, requested_ap_type=APType.PIPE, **SHORT_NOTICE)
    welsh = make_submitted_referral(make_user(Role.OFFENDER_MANAGER, region=wales, email="cy@example.test"))

    def listed(**filters):
        return [entry.referral for entry in assessments.queue(national, QueueFilters(**filters))]

    assert set(listed()) == {north_west, pipe, welsh}
    assert listed(region_id=wales.id) == [welsh]
    assert set(listed(area_id=manager.region.area_id)) == {north_west, pipe}
    assert listed(area_id=wales.area_id) == [welsh]
    assert listed(ap_type=APType.PIPE) == [pipe]
    assert set(listed(ap_type=APType.STANDARD)) == {north_west, welsh}
    assert listed(notice=Notice.SHORT_NOTICE) == [pipe]
    assert listed(notice=Notice.EMERGENCY) == []


# --- allocation ---------------------------------------------------------------------------------------------------


def test_allocate_to_myself_or_a_colleague_who_may_assess_it(assessor, submitted, make_user, wales):
    colleague = make_user(Role.ASSESSOR, email="colleague@example.test", name="Cole League")
    make_user(Role.ASSESSOR, region=wales, email="welsh@example.test")
    make_user(Role.ASSESSOR, email="gone@example.test", active=False)
    assert assessments.assessors_for(submitted) == [assessor, colleague]

    assessments.allocate(assessor, submitted, assessor.id)
    assessments.allocate(assessor, submitted, colleague.id)

    assert submitted.assessment.assessor == colleague
    assert _events(submitted)[-2:] == [(ReferralEventKind.ALLOCATED, "Ada Assessor"),
                                       (ReferralEventKind.ALLOCATED, "Cole League")]
    event = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (event.action, event.details) == ("referral_allocated", {"assessor_id": colleague.id})


def test_allocation_to_somebody_who_may_not_assess_it_is_refused(assessor, submitted, make_user, wales, manager):
    for user in (make_user(Role.ASSESSOR, region=wales, email="welsh@example.test"), manager):
        assert _refused(lambda: assessments.allocate(assessor, submitted, user.id)) == {
            "assessor": "Select an assessor who can assess this referral"}
    assert submitted.assessment is None


# --- further information ------------------------------------------------------------------------------------------


def test_a_question_stops_the_clock_and_the_answer_restarts_it(assessor, manager, submitted, time_machine):
    assert assessments.deadline_of(submitted).at.date() == date(2030, 6, 24)
    time_machine.move_to(datetime(2030, 6, 11, 9, tzinfo=LONDON), tick=False)
    assessments.request_information(assessor, submitted, "  Is there a move-on plan?  ")
    assert submitted.status is ReferralStatus.AWAITING_INFORMATION
    assert assessments.open_question(submitted).note == "Is there a move-on plan?"
    assert assessments.deadline_of(submitted) is None

    time_machine.move_to(datetime(2030, 6, 13, 16, tzinfo=LONDON), tick=False)  # Wednesday and Thursday lost
    assessments.provide_information(manager, submitted, "Yes: supported housing in Leeds.")

    assert submitted.status is ReferralStatus.SUBMITTED
    assert assessments.open_question(submitted) is None
    assert assessments.deadline_of(submitted).at.date() == date(2030, 6, 26)
    assert _events(submitted) == [
        (ReferralEventKind.INFORMATION_REQUESTED, "Is there a move-on plan?"),
        (ReferralEventKind.INFORMATION_PROVIDED, "Yes: supported housing in Leeds."),
    ]
    assert [event.note for event in assessments.questions_and_answers(submitted)] == [
        "Is there a move-on plan?", "Yes: supported housing in Leeds."]


def test_one_question_at_a_time_and_never_a_blank_one(assessor, submitted):
    assert _refused(lambda: assessments.request_information(assessor, submitted, "   ")) == {
        "question": "Enter your question"}
    assert _refused(lambda: assessments.request_information(assessor, submitted, "x" * 2001)) == {
        "question": "Your question must be 2000 characters or fewer"}
    assessments.request_information(assessor, submitted, "First?")
    with pytest.raises(Refused, match="already waiting"):
        assessments.request_information(assessor, submitted, "Second?")


def test_only_an_awaited_answer_from_the_referrals_own_side_is_taken(
        assessor, manager, submitted, make_user, wales):
    with pytest.raises(Refused, match="No question is waiting"):
        assessments.provide_information(manager, submitted, "Unasked")
    assessments.request_information(assessor, submitted, "Why?")
    assert _refused(lambda: assessments.provide_information(manager, submitted, "")) == {"answer": "Enter your answer"}
    with pytest.raises(NotInScope):
        assessments.provide_information(make_user(Role.OFFENDER_MANAGER, region=wales), submitted, "Because")
    with pytest.raises(NotInScope):
        assessments.provide_information(assessor, submitted, "Because")
    assert submitted.status is ReferralStatus.AWAITING_INFORMATION


# --- accepting ----------------------------------------------------------------------------------------------------


def _acceptance(referral, **changes) -> Acceptance:
    proposed = assessments.proposed_acceptance(referral)
    weeks = changes.pop("length_of_stay_weeks", proposed.length_of_stay_weeks)
    return Acceptance(Requirements(**(vars(proposed.requirements) | changes)), weeks)


def test_the_assessor_starts_from_the_derived_requirements_and_the_policy(policy, manager, make_submitted_referral):
    referral = make_submitted_referral(manager, requested_ap_type=APType.PIPE, uses_wheelchair=True)
    proposed = assessments.proposed_acceptance(referral)
    assert proposed.requirements.ap_type is APType.PIPE
    assert {"is_arson_suitable", "accepts_hate_crime_offenders", "is_wheelchair_designated", "is_single"} <= (
        proposed.requirements.essential)
    assert proposed.length_of_stay_weeks == 26
    assert assessments.default_weeks_by_ap_type(referral)[APType.ESAP] == 52


def test_accepting_creates_the_placement_request_with_the_confirmed_requirements(policy, assessor, submitted):
    acceptance = _acceptance(submitted, ap_type=APType.RECOVERY_FOCUSED, essential=frozenset({"is_arson_suitable"}),
                             desirable=frozenset({"is_catered"}), length_of_stay_weeks=16)
    placement_request = assessments.accept(assessor, submitted, acceptance, link=LINK)

    assert submitted.status is ReferralStatus.ACCEPTED
    stored = db.session.scalars(sa.select(PlacementRequest)).one()
    assert stored == placement_request == assessments.placement_request_of(submitted)
    assert (stored.person, stored.region, stored.gender, stored.ap_type, stored.essential_characteristics,
            stored.desirable_characteristics, stored.notice, stored.expected_arrival, stored.length_of_stay_weeks,
            stored.created_by) == (
        submitted.person, submitted.region, Gender.FEMALE, APType.RECOVERY_FOCUSED, ["is_arson_suitable"],
        ["is_catered"], Notice.STANDARD, date(2030, 9, 1), 16, assessor)
    assert stored.status.label == "Ready to match"
    assert _events(submitted)[-1] == (ReferralEventKind.ACCEPTED, None)
    assert assessments.decision(submitted).kind is ReferralEventKind.ACCEPTED
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "referral_accepted")).one()
    assert event.details["placement_request_id"] == stored.id and event.details["length_of_stay_weeks"] == 16
    email = db.session.scalars(sa.select(OutboxMessage)).one()
    assert email.recipient == "om@example.test"
    assert "The referral for Jane Fictional (S000000) has been assessed: accepted." in email.body
    assert LINK in email.body


def test_a_second_accept_is_refused_and_makes_no_second_placement_request(policy, assessor, submitted, make_user):
    assessments.accept(assessor, submitted, _acceptance(submitted), link=LINK)
    other = make_user(Role.ASSESSOR, email="other@example.test")
    with pytest.raises(Refused, match="has been accepted"):
        assessments.accept(other, submitted, _acceptance(submitted), link=LINK)
    assert db.session.scalar(sa.select(sa.func.count(PlacementRequest.id))) == 1


@pytest.mark.parametrize(("status", "message"), [
    (ReferralStatus.WITHDRAWN, "has been withdrawn"),
    (ReferralStatus.REJECTED, "has been rejected"),
    (ReferralStatus.AWAITING_INFORMATION, "waiting for further information"),
])
def test_only_a_submitted_referral_can_be_accepted(policy, assessor, manager, make_submitted_referral, status,
                                                    message):
    referral = make_submitted_referral(manager, status=status)
    with pytest.raises(Refused, match=message):
        assessments.accept(assessor, referral, _acceptance(referral), link=LINK)
    assert db.session.scalar(sa.select(sa.func.count(PlacementRequest.id))) == 0
    assert referral.status is status


@pytest.mark.parametrize(("changes", "problems"), [
    ({"ap_type": None}, {"ap_type": "Select the type of AP"}),
    ({"length_of_stay_weeks": 0}, {"length_of_stay_weeks": "The length of stay must be from 1 to 104 weeks"}),
    ({"length_of_stay_weeks": 520}, {"length_of_stay_weeks": "The length of stay must be from 1 to 104 weeks"}),
    ({"length_of_stay_weeks": None}, {"length_of_stay_weeks": "Enter the length of stay in weeks"}),
])
def test_acceptance_with_bad_requirements_is_refused_and_saves_nothing(policy, assessor, submitted, changes, problems):
    assert _refused(lambda: assessments.accept(assessor, submitted, _acceptance(submitted, **changes),
                                               link=LINK)) == problems
    db.session.refresh(submitted)
    assert submitted.status is ReferralStatus.SUBMITTED
    assert db.session.scalar(sa.select(sa.func.count(PlacementRequest.id))) == 0


def test_an_assessor_of_another_region_cannot_decide(policy, submitted, make_user, wales):
    welsh = make_user(Role.ASSESSOR, region=wales, email="welsh@example.test")
    with pytest.raises(NotInScope):
        assessments.accept(welsh, submitted, _acceptance(submitted), link=LINK)
    with pytest.raises(NotInScope):
        assessments.reject(welsh, submitted, RejectionReason.RISK_TO_STAFF, None, link=LINK)


# --- rejecting ----------------------------------------------------------------------------------------------------


def test_rejecting_records_the_reason_and_detail(assessor, submitted):
    assessments.reject(assessor, submitted, RejectionReason.INSUFFICIENT_MOVE_ON_PLAN, "  No address in Leeds  ",
                       link=LINK)
    assert submitted.status is ReferralStatus.REJECTED
    assert (submitted.assessment.rejection_reason, submitted.assessment.rejection_detail) == (
        RejectionReason.INSUFFICIENT_MOVE_ON_PLAN, "No address in Leeds")
    assert _events(submitted)[-1] == (ReferralEventKind.REJECTED, "Insufficient move-on plan: No address in Leeds")
    assert "Reason: Insufficient move-on plan: No address in Leeds" in db.session.scalars(
        sa.select(OutboxMessage)).one().body
    with pytest.raises(Refused, match="has been rejected"):
        assessments.reject(assessor, submitted, RejectionReason.RISK_TO_SELF, None, link=LINK)


def test_a_referral_waiting_for_an_answer_that_never_comes_can_be_rejected(assessor, submitted):
    assessments.request_information(assessor, submitted, "Where is the contingency plan?")
    assessments.reject(assessor, submitted, RejectionReason.INFORMATION_NOT_PROVIDED, None, link=LINK)
    assert submitted.status is ReferralStatus.REJECTED
    assert submitted.assessment.rejection_detail is None


def test_a_rejection_needs_a_reason(assessor, submitted):
    assert _refused(lambda: assessments.reject(assessor, submitted, None, "x" * 2001, link=LINK)) == {
        "reason": "Select why the referral is rejected", "detail": "The detail must be 2000 characters or fewer"}
    assert submitted.status is ReferralStatus.SUBMITTED


# --- the risk review ----------------------------------------------------------------------------------------------


def test_a_risk_assessment_past_its_review_date_is_flagged(manager, make_submitted_referral):
    referral = make_submitted_referral(manager, rosh_assessed_on=date(2030, 2, 1), rosh_review_due_on=date(2030, 6, 14),
                                       arson_offence=OffenceHistory.NONE)
    assert assessments.is_risk_review_overdue(referral)
    assert not assessments.is_risk_review_overdue(referral, today=date(2030, 6, 14))


def test_assessment_events_read_in_words(policy, assessor, submitted, make_user):
    assessments.allocate(assessor, submitted, assessor.id)
    assessments.accept(assessor, submitted, _acceptance(submitted, essential=frozenset({"is_single"}),
                                                        desirable=frozenset()), link=LINK)
    esap = next(rule for rule in length_of_stay.policy() if rule.ap_type is APType.ESAP)
    length_of_stay.change_rule(make_user(Role.ADMIN), esap, length_of_stay.RuleDetails(APType.ESAP, None, None, None, 30))
    allocated, accepted, changed = audit.readable(db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)))
    assert (allocated.action, allocated.subject, allocated.details) == (
        "Referral allocated", "Referral for Jane Fictional (S000000)", ["Assessor: Ada Assessor"])
    assert {"Type of AP: Standard", "AP for: Women", "Essential characteristics: Single room",
            "Authorised length of stay (weeks): 12"} <= set(accepted.details)
    assert (changed.subject, changed.details) == ("Enhanced security (ESAP)", ["Weeks: 52 → 30"])
