"""Submitting a referral (only complete, only once, the risk becoming the person's) and withdrawing it (with a
reason, while it is a draft or waiting for a decision), each recorded on the person's timeline."""

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.clock import LONDON
from app.extensions import db
from app.models import AuditEvent, Referral, ReferralEvent, ReferralEventKind, Region, User
from app.permissions import Role
from app.services import audit, referral_submission, referral_timeline, referrals
from app.services.referral_submission import submit, withdraw
from app.services.validation import InvalidInput, NotInScope, Refused
from tests.app.referral_answers import COMPLETE_ANSWERS
from vocabulary import MappaCategory, MappaLevel, ReferralStatus, RiskLevel
from vocabulary.referrals import WithdrawalReason

pytestmark = pytest.mark.usefixtures("referral_day")


@pytest.fixture
def complete(offender_manager, make_referral):
    return make_referral(offender_manager, **COMPLETE_ANSWERS)


def _events(referral) -> list[ReferralEventKind]:
    return list(db.session.scalars(sa.select(ReferralEvent.kind).where(ReferralEvent.referral_id == referral.id)
                                   .order_by(ReferralEvent.id)))


def _actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def _cleared(*sections) -> dict:
    """The complete answers with every answer of these sections taken away."""
    return COMPLETE_ANSWERS | {name: None for section in sections for page in section.pages for name in page.fields}


# --- submitting ------------------------------------------------------------------------------------------------


def test_a_complete_referral_is_submitted_with_a_reference_an_event_and_an_audit_event(offender_manager, complete):
    submitted = submit(offender_manager, complete)
    assert submitted.status is ReferralStatus.SUBMITTED
    assert submitted.submitted_at == datetime(2030, 6, 15, 11)  # noon in London in summer is 11:00 UTC
    assert re.fullmatch(r"AP-30-[2-9A-HJKMNP-Z]{6}", submitted.reference)
    assert _events(submitted) == [ReferralEventKind.SUBMITTED]
    assert "referral_submitted" in _actions()
    entry = audit.readable(list(db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "referral_submitted"))))[0]
    assert entry.details == [f"Reference: {submitted.reference}"]


def test_an_incomplete_referral_is_refused_naming_each_section_still_to_do(offender_manager, make_referral):
    referral = make_referral(offender_manager, **(_cleared(referrals.RISK) | {"contingency_plan": None}))
    with pytest.raises(InvalidInput) as refusal:
        submit(offender_manager, referral)
    assert refusal.value.problems == {
        "risk": "Complete the risk of serious harm section",
        "arrival": "Complete the contingency plan and arrival information section",
    }
    db.session.refresh(referral)
    assert (referral.status, referral.reference, _events(referral)) == (ReferralStatus.DRAFT, None, [])


def test_an_arrival_date_now_past_makes_the_referral_incomplete(offender_manager, make_referral):
    referral = make_referral(offender_manager, **(COMPLETE_ANSWERS | {"arrival_date": date(2030, 6, 14)}))
    with pytest.raises(InvalidInput) as refusal:
        submit(offender_manager, referral)
    assert list(refusal.value.problems) == ["sentence-and-release"]


@given(st.sets(st.sampled_from(referrals.SECTIONS)))
def test_exactly_the_sections_with_answers_taken_away_are_still_to_do(sections):
    referral = Referral(**_cleared(*sections))
    still_to_do = referrals.sections_still_to_do(referrals.summary(referral))
    assert {shown.section for shown in still_to_do} == sections


def test_submitting_twice_makes_one_submission(offender_manager, complete):
    first = submit(offender_manager, complete).reference
    again = submit(offender_manager, db.session.get(Referral, complete.id))
    assert again.reference == first
    assert _events(again) == [ReferralEventKind.SUBMITTED]
    assert _actions().count("referral_submitted") == 1


def test_submitting_from_several_tabs_at_once_makes_one_submission(app, offender_manager, complete):
    tabs = 5
    everyone_ready = threading.Barrier(tabs)
    user_id, referral_id = offender_manager.id, complete.id  # read here: the test's session is not for other threads

    def submit_in_a_request(_):
        with app.app_context():
            user, referral = db.session.get(User, user_id), db.session.get(Referral, referral_id)
            db.session.commit()
            everyone_ready.wait(timeout=60)
            try:
                return submit(user, referral).reference
            finally:
                db.session.remove()

    with ThreadPoolExecutor(tabs) as pool:
        references = set(pool.map(submit_in_a_request, range(tabs)))
    assert len(references) == 1
    assert _events(complete) == [ReferralEventKind.SUBMITTED]


def test_a_withdrawn_draft_cannot_be_submitted(offender_manager, complete):
    withdraw(offender_manager, complete, WithdrawalReason.DUPLICATE, None)
    with pytest.raises(Refused, match="withdrawn and can no longer be submitted"):
        submit(offender_manager, complete)


def test_only_offender_managers_of_its_region_may_submit(complete, make_user):
    wales = db.session.scalar(sa.select(Region).where(Region.name == "Wales"))
    for stranger in (make_user(Role.OFFENDER_MANAGER, region=wales), make_user(Role.ASSESSOR, region=complete.region)):
        with pytest.raises(NotInScope):
            submit(stranger, complete)
    assert complete.status is ReferralStatus.DRAFT


def test_a_submitted_referral_is_judged_on_the_day_it_was_submitted(offender_manager, complete, time_machine):
    submit(offender_manager, complete)
    time_machine.move_to(datetime(2030, 8, 20, 12, tzinfo=LONDON), tick=False)  # the arrival is now 12 days away
    summary = referrals.summary(complete)
    assert summary.notice.label == "Standard"
    assert not referrals.sections_still_to_do(summary)
    assert referrals.completed_sections(complete) == len(referrals.SECTIONS)


# --- the person's current risk ---------------------------------------------------------------------------------


def test_submission_makes_the_referrals_risk_the_persons(offender_manager, complete):
    submit(offender_manager, complete)
    person = complete.person
    assert (person.rosh_overall, person.rosh_known_adult, person.risk_assessed_on) == (
        RiskLevel.HIGH, RiskLevel.VERY_HIGH, date(2030, 6, 1))
    assert (person.mappa_category, person.mappa_level) == (MappaCategory.VIOLENT_OFFENDER, MappaLevel.MULTI_AGENCY)
    entry = audit.readable(list(db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "person_risk_recorded"))))[0]
    assert "Risk of serious harm to a known adult: None → Very high" in entry.details
    assert "Date of the risk assessment: None → 1 June 2030" in entry.details


def test_not_a_mappa_case_clears_the_persons_mappa(offender_manager, make_person, make_referral):
    person = make_person(mappa_category=MappaCategory.VIOLENT_OFFENDER, mappa_level=MappaLevel.ORDINARY,
                         risk_assessed_on=date(2029, 1, 1))
    referral = make_referral(offender_manager, person, **(COMPLETE_ANSWERS | {
        "is_mappa_case": False, "mappa_category": None, "mappa_level": None}))
    submit(offender_manager, referral)
    assert (person.mappa_category, person.mappa_level) == (None, None)


@given(days_apart=st.integers(min_value=-400, max_value=400))
@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
def test_an_older_assessment_never_replaces_the_persons_more_recent_one(offender_manager, make_person, make_referral,
                                                                        days_apart):
    person_assessed = date.fromordinal(COMPLETE_ANSWERS["rosh_assessed_on"].toordinal() + days_apart)
    person = make_person(crn=f"Y{days_apart + 500:06d}", rosh_overall=RiskLevel.LOW, risk_assessed_on=person_assessed)
    submit(offender_manager, make_referral(offender_manager, person, **COMPLETE_ANSWERS))
    newer = person_assessed <= COMPLETE_ANSWERS["rosh_assessed_on"]
    assert person.rosh_overall is (RiskLevel.HIGH if newer else RiskLevel.LOW)
    assert person.risk_assessed_on == max(person_assessed, COMPLETE_ANSWERS["rosh_assessed_on"])


# --- withdrawing -----------------------------------------------------------------------------------------------


def test_a_draft_is_withdrawn_with_its_reason_on_the_timeline(offender_manager, complete):
    withdraw(offender_manager, complete, WithdrawalReason.OTHER_ACCOMMODATION_FOUND, "  Moving in with his sister  ")
    assert (complete.status, complete.withdrawal_reason, complete.withdrawal_detail) == (
        ReferralStatus.WITHDRAWN, WithdrawalReason.OTHER_ACCOMMODATION_FOUND, "Moving in with his sister")
    assert complete.withdrawn_at == datetime(2030, 6, 15, 11)
    event = referral_timeline.timeline(offender_manager, complete.person)[0]
    assert (event.kind, event.by, event.note) == (
        ReferralEventKind.WITHDRAWN, offender_manager, "Other accommodation found: Moving in with his sister")
    entry = audit.readable(list(db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "referral_withdrawn"))))[0]
    assert entry.details == ["Reason for withdrawal: Other accommodation found",
                             "Details of the withdrawal: Moving in with his sister"]


@pytest.mark.parametrize(("reason", "detail", "problems"), [
    (None, "", {"reason": "Select why the referral is being withdrawn"}),
    (WithdrawalReason.OTHER, "  ", {"detail": "Enter why the referral is being withdrawn"}),
    (WithdrawalReason.OTHER, "x" * 501, {"detail": "The reason must be 500 characters or fewer"}),
    (WithdrawalReason.DEATH, "x" * 501, {"detail": "The details must be 500 characters or fewer"}),
])
def test_a_withdrawal_needs_a_reason_and_other_needs_saying(offender_manager, complete, reason, detail, problems):
    with pytest.raises(InvalidInput) as refusal:
        withdraw(offender_manager, complete, reason, detail)
    assert refusal.value.problems == problems
    assert complete.status is ReferralStatus.DRAFT


@given(status=st.sampled_from(ReferralStatus))
@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
def test_only_a_draft_or_an_undecided_referral_can_be_withdrawn(offender_manager, make_person, make_referral, status):
    person = make_person(crn=f"Z{len(list(db.session.scalars(sa.select(Referral.id)))):06d}")
    referral = make_referral(offender_manager, person, status=status)
    if status in (ReferralStatus.DRAFT, ReferralStatus.SUBMITTED, ReferralStatus.AWAITING_INFORMATION):
        withdraw(offender_manager, referral, WithdrawalReason.ERROR_IN_REFERRAL, None)
        assert referral.status is ReferralStatus.WITHDRAWN
    elif status is ReferralStatus.WITHDRAWN:
        withdraw(offender_manager, referral, WithdrawalReason.ERROR_IN_REFERRAL, None)  # a second click changes nothing
        assert _events(referral) == []
    else:
        with pytest.raises(Refused, match=f"{status.label.lower()} and can no longer be withdrawn"):
            withdraw(offender_manager, referral, WithdrawalReason.ERROR_IN_REFERRAL, None)
        db.session.refresh(referral)
        assert (referral.status, _events(referral)) == (status, [])


def test_a_submitted_referral_withdrawn_leaves_submission_and_withdrawal_on_the_timeline(offender_manager, complete):
    submit(offender_manager, complete)
    withdraw(offender_manager, complete, WithdrawalReason.DEATH, None)
    assert [event.kind for event in referral_timeline.timeline(offender_manager, complete.person)] == [
        ReferralEventKind.WITHDRAWN, ReferralEventKind.SUBMITTED]
    assert referral_submission.may_withdraw(complete) is False


def test_the_timeline_holds_every_event_of_the_referrals_the_user_may_see(offender_manager, make_user, make_referral,
                                                                          make_person):
    wales = db.session.scalar(sa.select(Region).where(Region.name == "Wales"))
    welsh_manager = make_user(Role.OFFENDER_MANAGER, region=wales)
    person = make_person()
    ours = make_referral(offender_manager, person, **COMPLETE_ANSWERS)
    theirs = make_referral(welsh_manager, person, **COMPLETE_ANSWERS)
    submit(offender_manager, ours)
    submit(welsh_manager, theirs)
    withdraw(welsh_manager, theirs, WithdrawalReason.DUPLICATE, None)
    withdraw(offender_manager, ours, WithdrawalReason.DEATH, None)
    assert [(event.referral, event.kind) for event in referral_timeline.timeline(offender_manager, person)] == [
        (ours, ReferralEventKind.WITHDRAWN), (ours, ReferralEventKind.SUBMITTED)]
    assert [event.referral for event in referral_timeline.timeline(welsh_manager, person)] == [theirs, theirs]
