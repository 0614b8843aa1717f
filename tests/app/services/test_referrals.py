"""Referral drafts: who may start and see them, the release-type rule, the notice, and Sentence and release's rules."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.clock import LONDON
from app.extensions import db
from app.models import AuditEvent, Referral, ReferralEventKind, Region
from app.permissions import Role
from app.services import access, referral_timeline, referrals
from app.services.referrals import SENTENCE_AND_RELEASE, SectionStatus
from app.services.validation import InvalidInput, NotInScope, Refused
from vocabulary import (
    APType,
    MappaCategory,
    MappaLevel,
    Notice,
    PlacementPurpose,
    ReferralStatus,
    ReleaseType,
    SentenceType,
)

TODAY = date(2030, 6, 15)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime(2030, 6, 15, 12, tzinfo=LONDON), tick=False)


@pytest.fixture
def manager(make_user, region):
    return make_user(Role.OFFENDER_MANAGER, region=region, email="om@example.test")


@pytest.fixture
def other_region():
    return db.session.scalar(db.select(Region).where(Region.name == "Wales"))


def _page(slug):
    return SENTENCE_AND_RELEASE.page(slug)


def _save(user, referral, slug, **answers):
    referrals.save_page(user, referral, SENTENCE_AND_RELEASE, _page(slug), answers)


def _refused(user, referral, slug, **answers) -> dict[str, str]:
    before = {column: getattr(referral, column) for column in Referral.__table__.columns.keys()}
    with pytest.raises(InvalidInput) as refusal:
        _save(user, referral, slug, **answers)
    db.session.rollback()
    assert {column: getattr(referral, column) for column in before} == before
    return refusal.value.problems


COMPLETE = {
    "sentence_type": SentenceType.STANDARD_DETERMINATE,
    "release_type": ReleaseType.LICENCE,
    "arrival_date": date(2030, 8, 1),
    "licence_expiry_date": date(2031, 8, 1),
    "is_mappa_case": True,
    "mappa_category": MappaCategory.VIOLENT_OFFENDER,
    "mappa_level": MappaLevel.MULTI_AGENCY,
    "placement_purpose": PlacementPurpose.PUBLIC_PROTECTION,
    "requested_ap_type": APType.PIPE,
}


# --- starting and seeing -------------------------------------------------------------------------------------


def test_starting_a_referral_makes_a_draft_in_the_authors_region(manager, make_person, region):
    referral = referrals.start_referral(manager, make_person())
    assert (referral.created_by, referral.region, referral.status) == (manager, region, ReferralStatus.DRAFT)
    assert referrals.my_referrals(manager) == [referral]
    assert [(event.kind, event.by) for event in referral.events] == [(ReferralEventKind.STARTED, manager)]


def test_the_timeline_shows_the_events_of_referrals_the_user_may_see(manager, make_user, make_person, other_region):
    person = make_person()
    first, second = referrals.start_referral(manager, person), referrals.start_referral(manager, person)
    assert [event.referral for event in referral_timeline.timeline(manager, person)] == [second, first]
    stranger = make_user(Role.OFFENDER_MANAGER, region=other_region, email="stranger@example.test")
    assert referral_timeline.timeline(stranger, person) == []


def test_an_offender_manager_without_a_region_cannot_start_one(make_user, make_person):
    with pytest.raises(Refused):
        referrals.start_referral(make_user(Role.OFFENDER_MANAGER), make_person())


def test_a_colleague_of_the_same_region_sees_it_and_another_regions_manager_does_not(
        manager, make_user, make_referral, region, other_region):
    referral = make_referral(manager)
    colleague = make_user(Role.OFFENDER_MANAGER, region=region, email="colleague@example.test")
    stranger = make_user(Role.OFFENDER_MANAGER, region=other_region, email="stranger@example.test")
    assert access.find(colleague, Referral, referral.id) == referral
    with pytest.raises(NotInScope):
        access.find(stranger, Referral, referral.id)
    with pytest.raises(NotInScope):
        _save(stranger, referral, "sentence-type", sentence_type=SentenceType.LIFE)
    assert referrals.my_referrals(colleague) == []


def test_the_author_still_sees_it_after_moving_region(manager, make_referral, other_region):
    referral = make_referral(manager)
    manager.region = other_region
    db.session.commit()
    assert access.can(manager, referral)


@pytest.mark.parametrize("role", [Role.ASSESSOR, Role.ADMIN, Role.NATIONAL_MANAGER, Role.REGIONAL_MANAGER])
def test_other_roles_see_no_draft_even_in_the_same_region(manager, make_user, make_referral, region, role):
    """Assessors see a referral once it is submitted (tests/app/services/test_assessments.py), never a draft."""
    referral = make_referral(manager)
    assert not access.can(make_user(role, region=region, email=f"{role.value}@example.test"), referral)


# --- the release-type rule and the notice -------------------------------------------------------------------


@pytest.mark.parametrize(("sentence", "offered"), [
    (SentenceType.COMMUNITY_ORDER, {ReleaseType.IN_COMMUNITY, ReleaseType.NOT_APPLICABLE}),
    (SentenceType.BAIL_PLACEMENT, {ReleaseType.IN_COMMUNITY, ReleaseType.NOT_APPLICABLE}),
    (SentenceType.NON_STATUTORY_MAPPA, {ReleaseType.IN_COMMUNITY, ReleaseType.NOT_APPLICABLE}),
    (SentenceType.LIFE, {ReleaseType.PAROLE_DIRECTED_LICENCE, ReleaseType.ROTL, ReleaseType.RE_RELEASED_STANDARD_RECALL}),
])
def test_release_types_are_offered_according_to_the_sentence(sentence, offered):
    assert set(referrals.release_types_for(sentence)) == offered


def test_every_sentence_is_offered_some_release_type_and_every_release_type_fits_some_sentence():
    assert all(referrals.release_types_for(sentence) for sentence in SentenceType)
    assert {release for sentence in SentenceType for release in referrals.release_types_for(sentence)} == set(ReleaseType)


def test_a_release_type_that_does_not_fit_the_sentence_is_refused(manager, make_referral):
    referral = make_referral(manager, sentence_type=SentenceType.COMMUNITY_ORDER)
    assert _refused(manager, referral, "release-type", release_type=ReleaseType.LICENCE) == {
        "release_type": "Select a release type that fits the sentence type"}
    _save(manager, referral, "release-type", release_type=ReleaseType.IN_COMMUNITY)
    assert referral.release_type is ReleaseType.IN_COMMUNITY


@pytest.mark.parametrize(("arrival", "emergency", "notice"), [
    (date(2030, 7, 13), None, Notice.STANDARD),  # 28 days away
    (date(2030, 7, 12), False, Notice.SHORT_NOTICE),  # 27 days away
    (date(2030, 6, 15), False, Notice.SHORT_NOTICE),
    (date(2030, 6, 16), True, Notice.EMERGENCY),
    (date(2030, 9, 1), True, Notice.STANDARD),  # an emergency needs a close arrival
    (None, None, None),
])
def test_notice_is_derived_from_the_arrival_date(arrival, emergency, notice):
    assert referrals.notice_for(arrival, emergency, TODAY) == notice


def test_an_arrival_date_in_the_past_is_refused_and_today_is_allowed(manager, make_referral):
    referral = make_referral(manager)
    assert _refused(manager, referral, "arrival-date", arrival_date=date(2030, 6, 14)) == {
        "arrival_date": "The date of release or arrival must be today or in the future"}
    _save(manager, referral, "arrival-date", arrival_date=TODAY)
    assert referral.arrival_date == TODAY


def test_the_reason_for_lateness_is_asked_only_when_late(manager, make_referral):
    referral = make_referral(manager, arrival_date=date(2030, 7, 12))
    assert _page("notice") in referrals.applicable_pages(referral, SENTENCE_AND_RELEASE)
    assert _refused(manager, referral, "notice", is_emergency=None, lateness_reason=" ") == {
        "is_emergency": "Select whether this is an emergency referral",
        "lateness_reason": "Enter why the referral is being made late"}
    _save(manager, referral, "notice", is_emergency=False, lateness_reason="  Parole decision came late ")
    assert referral.lateness_reason == "Parole decision came late"
    _save(manager, referral, "arrival-date", arrival_date=date(2030, 7, 13))
    assert _page("notice") not in referrals.applicable_pages(referral, SENTENCE_AND_RELEASE)
    assert (referral.is_emergency, referral.lateness_reason) == (None, None)


def test_the_licence_expiry_must_follow_the_arrival(manager, make_referral):
    referral = make_referral(manager, release_type=ReleaseType.LICENCE, arrival_date=date(2030, 8, 1))
    assert _refused(manager, referral, "licence-expiry", licence_expiry_date=date(2030, 8, 1)) == {
        "licence_expiry_date": "The licence expiry date must be after the date of release or arrival"}
    _save(manager, referral, "licence-expiry", licence_expiry_date=date(2030, 8, 2))


def test_the_licence_expiry_is_not_asked_without_a_licence(manager, make_referral):
    referral = make_referral(manager, release_type=ReleaseType.IN_COMMUNITY)
    assert _page("licence-expiry") not in referrals.applicable_pages(referral, SENTENCE_AND_RELEASE)


@pytest.mark.parametrize(("answers", "problems"), [
    ({"is_mappa_case": False, "mappa_category": None, "mappa_level": MappaLevel.ORDINARY},
     {"mappa_level": "Select a MAPPA category to give a level, or select no level"}),
    ({"is_mappa_case": None, "mappa_category": None, "mappa_level": MappaLevel.ORDINARY},
     {"mappa_level": "Select a MAPPA category to give a level, or select no level",
      "mappa_category": "Select the MAPPA category, or that this is not a MAPPA case"}),
    ({"is_mappa_case": None, "mappa_category": None, "mappa_level": None},
     {"mappa_category": "Select the MAPPA category, or that this is not a MAPPA case"}),
    ({"is_mappa_case": True, "mappa_category": MappaCategory.VIOLENT_OFFENDER, "mappa_level": None},
     {"mappa_level": "Select the MAPPA level"}),
])
def test_mappa_needs_a_category_and_level_or_not_a_mappa_case(manager, make_referral, answers, problems):
    assert _refused(manager, make_referral(manager), "mappa", **answers) == problems


def test_not_a_mappa_case_is_recorded_as_such(manager, make_referral):
    referral = make_referral(manager)
    _save(manager, referral, "mappa", is_mappa_case=False, mappa_category=None, mappa_level=None)
    assert (referral.is_mappa_case, referral.mappa_category, referral.mappa_level) == (False, None, None)


def test_another_purpose_must_be_described(manager, make_referral):
    assert _refused(manager, make_referral(manager), "purpose", placement_purpose=PlacementPurpose.OTHER,
                    placement_purpose_other="") == {"placement_purpose_other": "Describe the purpose of the placement"}


# --- section status ------------------------------------------------------------------------------------------


def test_the_section_is_not_started_then_in_progress_then_completed(manager, make_referral):
    referral = make_referral(manager)
    assert referrals.section_status(referral, SENTENCE_AND_RELEASE) is SectionStatus.NOT_STARTED
    _save(manager, referral, "sentence-type", sentence_type=SentenceType.STANDARD_DETERMINATE)
    assert referrals.section_status(referral, SENTENCE_AND_RELEASE) is SectionStatus.IN_PROGRESS
    for name, value in COMPLETE.items():
        setattr(referral, name, value)
    assert referrals.section_status(referral, SENTENCE_AND_RELEASE) is SectionStatus.COMPLETED
    assert referrals.unfinished_pages(referral, SENTENCE_AND_RELEASE) == []


def test_a_completed_section_reopens_when_an_answer_becomes_invalid(manager, make_referral, time_machine):
    referral = make_referral(manager, **COMPLETE)
    time_machine.move_to(datetime(2030, 8, 2, 12, tzinfo=LONDON), tick=False)  # the arrival date has passed,
    # so the arrival is late too and the notice page now applies
    assert referrals.section_status(referral, SENTENCE_AND_RELEASE) is SectionStatus.IN_PROGRESS
    assert [page.slug for page in referrals.unfinished_pages(referral, SENTENCE_AND_RELEASE)] == ["arrival-date", "notice"]


def test_a_completed_section_reopens_when_a_new_sentence_no_longer_fits_the_release(manager, make_referral):
    referral = make_referral(manager, **COMPLETE)
    _save(manager, referral, "sentence-type", sentence_type=SentenceType.COMMUNITY_ORDER)
    assert [page.slug for page in referrals.unfinished_pages(referral, SENTENCE_AND_RELEASE)] == ["release-type"]


def test_every_section_of_a_new_referral_is_not_started(manager, make_referral):
    referral = make_referral(manager)
    assert {referrals.section_status(referral, section) for section in referrals.SECTIONS} == {
        SectionStatus.NOT_STARTED}


def test_after_a_page_comes_the_next_page_still_to_answer(manager, make_referral):
    referral = make_referral(manager, **(COMPLETE | {"arrival_date": None, "licence_expiry_date": None}))
    _save(manager, referral, "arrival-date", arrival_date=date(2030, 6, 20))
    assert referrals.next_page_after(referral, SENTENCE_AND_RELEASE, _page("arrival-date")) == _page("notice")
    _save(manager, referral, "notice", is_emergency=True, lateness_reason="Released early by the court")
    assert referrals.next_page_after(referral, SENTENCE_AND_RELEASE, _page("notice")) == _page("licence-expiry")
    _save(manager, referral, "licence-expiry", licence_expiry_date=date(2031, 1, 1))
    assert referrals.next_page_after(referral, SENTENCE_AND_RELEASE, _page("licence-expiry")) is None
    assert referrals.section_status(referral, SENTENCE_AND_RELEASE) is SectionStatus.COMPLETED
    assert referrals.notice_for(referral.arrival_date, referral.is_emergency, TODAY) is Notice.EMERGENCY


def test_answers_are_audited_as_codes(manager, make_referral):
    referral = make_referral(manager)
    _save(manager, referral, "arrival-date", arrival_date=date(2030, 9, 1))
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "referral_answered"))
    assert event.details == {"changes": {"arrival_date": [None, "2030-09-01"]}, "page": "arrival-date"}


@given(today=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), days_away=st.integers(0, 400),
       emergency=st.sampled_from([None, False, True]))
def test_notice_is_standard_from_28_days_away_and_otherwise_short_unless_an_emergency(today, days_away, emergency):
    notice = referrals.notice_for(today + timedelta(days=days_away), emergency, today)
    if days_away >= 28:
        assert notice is Notice.STANDARD
    else:
        assert notice is (Notice.EMERGENCY if emergency else Notice.SHORT_NOTICE)
