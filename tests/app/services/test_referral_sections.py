"""Risk of serious harm, likelihood of reoffending, offences, needs, licence
conditions, move-on and
arrival: each rule allowed and refused, and each status."""

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.clock import LONDON
from app.extensions import db
from app.models import AuditEvent, Referral
from app.permissions import Role
from app.services import referrals
from app.services.referrals import (
    ARRIVAL,
    LICENCE_CONDITIONS,
    LIKELIHOOD_OF_REOFFENDING,
    MOVE_ON,
    NEED_COLUMNS,
    NEEDS,
    OFFENCES,
    RISK,
    SectionStatus,
)
from app.services.validation import InvalidInput
from vocabulary import MoveOnCategory, Need, OffenceHistory, ReoffendingTier, RiskFlag, RiskLevel

TODAY = date(2030, 6, 15)

ROSH = {
    "rosh_overall": RiskLevel.HIGH,
    "rosh_children": RiskLevel.LOW,
    "rosh_public": RiskLevel.HIGH,
    "rosh_known_adult": RiskLevel.VERY_HIGH,
    "rosh_staff": RiskLevel.MEDIUM,
    "rosh_assessed_on": date(2030, 6, 1),
}


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime(2030, 6, 15, 12, tzinfo=LONDON), tick=False)


@pytest.fixture
def manager(make_user, region):
    return make_user(Role.OFFENDER_MANAGER, region=region, email="om@example.test")


@pytest.fixture
def referral(manager, make_referral):
    return make_referral(manager)


def _save(user, referral, section, slug, **answers):
    referrals.save_page(user, referral, section, section.page(slug), answers)


def _refused(user, referral, section, slug, **answers) -> dict[str, str]:
    before = {column: getattr(referral, column) for column in Referral.__table__.columns.keys()}
    with pytest.raises(InvalidInput) as refusal:
        _save(user, referral, section, slug, **answers)
    db.session.rollback()
    assert {column: getattr(referral, column) for column in before} == before
    return refusal.value.problems


# --- risk of serious harm ------------------------------------------------------------------------------------


def test_rosh_for_every_group_with_an_assessment_date_up_to_today(manager, referral):
    _save(manager, referral, RISK, "rosh", **(ROSH | {"rosh_assessed_on": TODAY}))
    assert (referral.rosh_known_adult, referral.rosh_assessed_on) == (RiskLevel.VERY_HIGH, TODAY)


def test_rosh_missing_a_group_or_assessed_tomorrow_is_refused(manager, referral):
    problems = _refused(manager, referral, RISK, "rosh",
                        **(ROSH | {"rosh_staff": None, "rosh_assessed_on": TODAY + timedelta(days=1)}))
    assert problems == {"rosh_staff": "Select the risk of serious harm to staff",
                        "rosh_assessed_on": "The date of the risk assessment must be today or in the past"}


@pytest.mark.parametrize("review, problem", [
    (date(2030, 6, 2), None),
    (date(2030, 6, 1) + timedelta(weeks=16), None),
    (date(2030, 6, 1), "The review date must be after the assessment date"),
    (date(2030, 6, 1) + timedelta(weeks=16, days=1), "The review date must be within 16 weeks of the assessment date"),
    (None, "Enter the date the risk of serious harm must next be reviewed"),
])
def test_the_review_is_due_after_the_assessment_and_within_16_weeks(manager, make_referral, review, problem):
    referral = make_referral(manager, **ROSH)
    if problem:
        assert _refused(manager, referral, RISK, "review", rosh_review_due_on=review) == {"rosh_review_due_on": problem}
    else:
        _save(manager, referral, RISK, "review", rosh_review_due_on=review)
        assert referral.rosh_review_due_on == review


def test_risk_flags_may_be_none_but_must_be_answered(manager, referral):
    problems = _refused(manager, referral, RISK, "flags", risk_flags=None)
    assert problems == {"risk_flags": "Select the person's risk flags, or that they have none"}
    _save(manager, referral, RISK, "flags", risk_flags=[])
    assert referral.risk_flags == []
    _save(manager, referral, RISK, "flags", risk_flags=[RiskFlag.ARSON, RiskFlag.WEAPONS])
    db.session.expire(referral)
    assert referral.risk_flags == [RiskFlag.ARSON, RiskFlag.WEAPONS]


def test_the_risk_section_not_started_then_in_progress_then_completed(manager, referral):
    assert referrals.section_status(referral, RISK) is SectionStatus.NOT_STARTED
    _save(manager, referral, RISK, "rosh", **ROSH)
    assert referrals.section_status(referral, RISK) is SectionStatus.IN_PROGRESS
    assert referrals.next_page_after(referral, RISK, RISK.page("rosh")) is RISK.page("review")
    _save(manager, referral, RISK, "review", rosh_review_due_on=date(2030, 9, 1))
    _save(manager, referral, RISK, "flags", risk_flags=[])
    assert referrals.section_status(referral, RISK) is SectionStatus.COMPLETED


def test_a_later_assessment_date_reopens_a_review_date_now_too_soon(manager, make_referral):
    referral = make_referral(manager, **ROSH, rosh_review_due_on=date(2030, 6, 10), risk_flags=[])
    assert referrals.section_status(referral, RISK) is SectionStatus.COMPLETED
    _save(manager, referral, RISK, "rosh", **(ROSH | {"rosh_assessed_on": date(2030, 6, 12)}))
    assert referrals.section_status(referral, RISK) is SectionStatus.IN_PROGRESS
    assert referrals.unfinished_pages(referral, RISK) == [RISK.page("review")]


@given(days=st.integers(-30, 200))
def test_a_review_date_is_accepted_exactly_from_1_day_to_16_weeks_after_the_assessment(days):
    referral = Referral(rosh_assessed_on=date(2030, 6, 1))
    problems = referrals.page_problems(referral, RISK.page("review"),
                                       {"rosh_review_due_on": date(2030, 6, 1) + timedelta(days=days)}, TODAY)
    assert (not problems) == (1 <= days <= 16 * 7)


def test_risk_answers_are_audited_as_codes(manager, referral):
    _save(manager, referral, RISK, "flags", risk_flags=[RiskFlag.HATE_CRIME])
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "referral_answered"))
    assert event.details == {"changes": {"risk_flags": [None, ["hate_crime"]]}, "page": "flags"}


# --- likelihood of reoffending -------------------------------------------------------------------------------


@pytest.mark.parametrize("ogrs, tier", [(0, None), (100, None), (None, ReoffendingTier.D), (57, ReoffendingTier.A)])
def test_an_ogrs_score_or_a_tier_or_both(manager, referral, ogrs, tier):
    _save(manager, referral, LIKELIHOOD_OF_REOFFENDING, "likelihood", ogrs_percentage=ogrs, reoffending_tier=tier)
    assert referrals.section_status(referral, LIKELIHOOD_OF_REOFFENDING) is SectionStatus.COMPLETED


@pytest.mark.parametrize("ogrs, tier, problem", [
    (None, None, "Enter the OGRS score, or select the tier, or both"),
    (101, ReoffendingTier.B, "The OGRS score must be a whole number from 0 to 100"),
    (-1, None, "The OGRS score must be a whole number from 0 to 100"),
])
def test_no_likelihood_or_an_ogrs_score_out_of_range_is_refused(manager, referral, ogrs, tier, problem):
    problems = _refused(manager, referral, LIKELIHOOD_OF_REOFFENDING, "likelihood", ogrs_percentage=ogrs,
                        reoffending_tier=tier)
    assert problems == {"ogrs_percentage": problem}


# --- offences ------------------------------------------------------------------------------------------------


def test_every_offence_must_be_answered(manager, referral):
    answers = dict.fromkeys(referrals.OFFENCES_ASKED, OffenceHistory.NONE) | {"arson_offence": None}
    assert _refused(manager, referral, OFFENCES, "offences", **answers) == {
        "arson_offence": "Select whether the person has committed arson"}


def test_offences_current_previous_or_none_complete_the_section(manager, referral):
    answers = dict.fromkeys(referrals.OFFENCES_ASKED, OffenceHistory.NONE) | {
        "arson_offence": OffenceHistory.PREVIOUS, "contact_sexual_offence_against_children": OffenceHistory.CURRENT}
    _save(manager, referral, OFFENCES, "offences", **answers)
    db.session.expire(referral)
    assert referral.arson_offence is OffenceHistory.PREVIOUS
    assert referral.contact_sexual_offence_against_children is OffenceHistory.CURRENT
    assert referrals.section_status(referral, OFFENCES) is SectionStatus.COMPLETED


# --- needs ---------------------------------------------------------------------------------------------------


def _needs(*needs: Need) -> dict:
    return {name: Need(name) in needs for name in NEED_COLUMNS}


def test_needs_must_be_answered_and_none_is_an_answer(manager, referral):
    assert _refused(manager, referral, NEEDS, "needs", **dict.fromkeys(NEED_COLUMNS)) == {
        "uses_wheelchair": "Select the person's needs, or that they have none"}
    _save(manager, referral, NEEDS, "needs", **_needs())
    assert referral.needs == []
    assert referrals.section_status(referral, NEEDS) is SectionStatus.COMPLETED


def test_a_detail_is_asked_only_for_the_needs_that_have_one(manager, referral):
    _save(manager, referral, NEEDS, "needs", **_needs(Need.USES_WHEELCHAIR, Need.NEEDS_INTERPRETER))
    assert referral.needs == [Need.USES_WHEELCHAIR, Need.NEEDS_INTERPRETER]
    assert referrals.unfinished_pages(referral, NEEDS) == [NEEDS.page("interpreter")]
    assert _refused(manager, referral, NEEDS, "interpreter", interpreter_language="  ") == {
        "interpreter_language": "Enter the language"}
    assert _refused(manager, referral, NEEDS, "interpreter", interpreter_language="x" * 61) == {
        "interpreter_language": "The language must be 60 characters or fewer"}
    _save(manager, referral, NEEDS, "interpreter", interpreter_language="Polish")
    assert referrals.section_status(referral, NEEDS) is SectionStatus.COMPLETED


def test_unticking_a_need_clears_its_detail(manager, make_referral):
    referral = make_referral(manager, **_needs(Need.TAKES_MEDICATION), medication_detail="Insulin")
    assert referrals.section_status(referral, NEEDS) is SectionStatus.COMPLETED
    _save(manager, referral, NEEDS, "needs", **_needs(Need.IS_PREGNANT))
    assert referral.medication_detail is None
    assert referrals.section_status(referral, NEEDS) is SectionStatus.COMPLETED


# --- licence conditions --------------------------------------------------------------------------------------


def test_licence_conditions_need_standard_and_monitoring_answered(manager, referral):
    problems = _refused(manager, referral, LICENCE_CONDITIONS, "conditions", has_standard_licence_conditions=None,
                        additional_licence_conditions="x" * 2001, has_electronic_monitoring=None)
    assert problems == {
        "has_standard_licence_conditions": "Select whether the standard licence conditions apply",
        "additional_licence_conditions": "The additional conditions must be 2000 characters or fewer",
        "has_electronic_monitoring": "Select whether the person is electronically monitored",
    }
    _save(manager, referral, LICENCE_CONDITIONS, "conditions", has_standard_licence_conditions=True,
          additional_licence_conditions="  ", has_electronic_monitoring=False)
    assert referral.additional_licence_conditions is None


@pytest.mark.parametrize("starts, ends, problems", [
    (time(19), time(7), {}),
    (None, time(7), {"curfew_starts_at": "Enter the time the curfew starts, for example 19:00"}),
    (time(19), None, {"curfew_ends_at": "Enter the time the curfew ends, for example 07:00"}),
    (time(19), time(19), {"curfew_ends_at": "The curfew must end at a different time from when it starts"}),
])
def test_a_curfew_has_its_hours(manager, referral, starts, ends, problems):
    answers = {"has_curfew": True, "curfew_starts_at": starts, "curfew_ends_at": ends}
    if problems:
        assert _refused(manager, referral, LICENCE_CONDITIONS, "curfew", **answers) == problems
    else:
        _save(manager, referral, LICENCE_CONDITIONS, "curfew", **answers)
        db.session.expire(referral)
        assert (referral.curfew_starts_at, referral.curfew_ends_at) == (time(19), time(7))


def test_the_licence_conditions_section_completes_with_no_curfew(manager, referral):
    assert _refused(manager, referral, LICENCE_CONDITIONS, "curfew", has_curfew=None, curfew_starts_at=None,
                    curfew_ends_at=None) == {"has_curfew": "Select whether the person has a curfew"}
    _save(manager, referral, LICENCE_CONDITIONS, "conditions", has_standard_licence_conditions=True,
          additional_licence_conditions="No contact with the victim", has_electronic_monitoring=True)
    assert referrals.section_status(referral, LICENCE_CONDITIONS) is SectionStatus.IN_PROGRESS
    _save(manager, referral, LICENCE_CONDITIONS, "curfew", has_curfew=False, curfew_starts_at=None, curfew_ends_at=None)
    assert referrals.section_status(referral, LICENCE_CONDITIONS) is SectionStatus.COMPLETED


def test_curfew_hours_are_audited_as_iso_times(manager, referral):
    _save(manager, referral, LICENCE_CONDITIONS, "curfew", has_curfew=True, curfew_starts_at=time(19),
          curfew_ends_at=time(7, 30))
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "referral_answered"))
    assert event.details["changes"]["curfew_ends_at"] == [None, "07:30:00"]


# --- move-on -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("area", [None, "", "Leeds", "  newcastle upon tyne "])
def test_a_relocation_area_is_optional_but_must_be_a_known_town_or_district(manager, referral, area):
    _save(manager, referral, MOVE_ON, "move-on", move_on_category=MoveOnCategory.PRIVATE_RENTED, relocation_area=area)
    assert referral.move_on_category is MoveOnCategory.PRIVATE_RENTED


@pytest.mark.parametrize("area", ["Atlantis", "ZZ99"])
def test_an_unknown_relocation_area_is_refused(manager, referral, area):
    assert _refused(manager, referral, MOVE_ON, "move-on", move_on_category=None, relocation_area=area) == {
        "move_on_category": "Select where the person is expected to go",
        "relocation_area": "Enter a town in England or Wales, or a postcode district, like Leeds or LS1",
    }


def test_move_on_completes_with_plans_and_immigration_answered(manager, referral):
    _save(manager, referral, MOVE_ON, "move-on", move_on_category=MoveOnCategory.CAS3, relocation_area=None)
    assert referrals.section_status(referral, MOVE_ON) is SectionStatus.IN_PROGRESS
    assert _refused(manager, referral, MOVE_ON, "plans", has_move_on_plans=False, has_immigration_issues=None) == {
        "has_immigration_issues": "Select whether there are immigration or deportation issues"}
    _save(manager, referral, MOVE_ON, "plans", has_move_on_plans=False, has_immigration_issues=True)
    assert referrals.section_status(referral, MOVE_ON) is SectionStatus.COMPLETED


# --- contingency plan and arrival information ----------------------------------------------------------------


def test_a_contingency_plan_is_needed_and_what_staff_must_know_is_optional(manager, referral):
    assert _refused(manager, referral, ARRIVAL, "arrival", contingency_plan=" ", arrival_information="x" * 2001) == {
        "contingency_plan": "Enter the contingency plan",
        "arrival_information": "What staff must know must be 2000 characters or fewer"}
    _save(manager, referral, ARRIVAL, "arrival", contingency_plan="Call the duty officer", arrival_information="")
    assert (referral.contingency_plan, referral.arrival_information) == ("Call the duty officer", None)
    assert referrals.section_status(referral, ARRIVAL) is SectionStatus.COMPLETED
