"""Demo referrals: every state in every region, answers that keep the referral pages' rules, the same each time."""

import json
import random
import re
from collections import Counter
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from shapely.geometry import shape

from app.clock import LONDON
from app.demo.data import REGION_POPULATION_MILLIONS
from app.demo.referrals import REFERRALS_BY_STATUS, plan_referrals
from app.extensions import db
from app.models import (
    ExclusionZone,
    NonAssociate,
    PlacementRequest,
    PlacementRequestStatus,
    Referral,
    ReferralEventKind,
)
from app.services import exclusion_zones, length_of_stay, requirements
from app.services.referrals import SECTIONS, SectionStatus, section_status
from vocabulary import Gender, ReferralStatus

TODAY = date(2030, 6, 14)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime(2030, 6, 14, 12, tzinfo=LONDON), tick=False)


@pytest.fixture(scope="module")
def planned():
    return plan_referrals(random.Random(3), TODAY)


def _referral(planned_referral) -> Referral:
    return Referral(status=planned_referral.status, **planned_referral.answers,
                    exclusion_zones=[ExclusionZone(**zone) for zone in planned_referral.zones],
                    non_associates=[NonAssociate(**other) for other in planned_referral.non_associates])


def test_every_state_is_there_with_at_least_400_open_placement_requests_across_every_region(planned):
    assert Counter(referral.status for referral in planned) == REFERRALS_BY_STATUS
    assert REFERRALS_BY_STATUS[ReferralStatus.ACCEPTED] >= 400
    assert {referral.region_name for referral in planned} == set(REGION_POPULATION_MILLIONS)
    assert 0 < sum(referral.person["gender"] is Gender.FEMALE for referral in planned) < 0.15 * len(planned)


def test_every_submitted_referral_has_every_section_completed(planned):
    for planned_referral in planned:
        if planned_referral.status is not ReferralStatus.DRAFT:
            referral = _referral(planned_referral)
            statuses = {section.slug: section_status(referral, section, TODAY) for section in SECTIONS}
            assert set(statuses.values()) == {SectionStatus.COMPLETED}, (planned_referral.person["crn"], statuses)


def test_drafts_stop_after_some_sections_and_what_they_answered_is_valid(planned):
    drafts = [_referral(planned_referral) for planned_referral in planned
              if planned_referral.status is ReferralStatus.DRAFT]
    completed = Counter(sum(section_status(draft, section, TODAY) is SectionStatus.COMPLETED for section in SECTIONS)
                        for draft in drafts)
    assert len(completed) > 3  # drafts at many stages
    for draft in drafts:
        statuses = [section_status(draft, section, TODAY) for section in SECTIONS]
        assert SectionStatus.IN_PROGRESS not in statuses
        assert statuses == sorted(statuses, key=lambda status: status is not SectionStatus.COMPLETED)


def test_events_follow_the_state_in_order(planned):
    last_event = {
        ReferralStatus.DRAFT: ReferralEventKind.STARTED,
        ReferralStatus.SUBMITTED: ReferralEventKind.SUBMITTED,
        ReferralStatus.AWAITING_INFORMATION: ReferralEventKind.INFORMATION_REQUESTED,
        ReferralStatus.ACCEPTED: ReferralEventKind.ACCEPTED,
        ReferralStatus.REJECTED: ReferralEventKind.REJECTED,
        ReferralStatus.WITHDRAWN: ReferralEventKind.WITHDRAWN,
    }
    for referral in planned:
        moments = [at for _, at, _ in referral.events]
        assert referral.events[-1][0] is last_event[referral.status]
        assert moments == sorted(moments) and moments[-1].date() <= TODAY


def test_the_same_seed_plans_the_same_referrals():
    def plan(seed):
        return [(r.person, r.status, r.answers) for r in plan_referrals(random.Random(seed), TODAY)]

    assert plan(4) == plan(4)
    assert plan(4) != plan(5)


def test_accepted_referrals_have_their_placement_requests_and_decided_ones_their_assessor(app):
    # No past: the history's referrals (tests/app/demo/test_demo_load.py) are not the ones checked here.
    result = app.test_cli_runner().invoke(args=["demo", "load", "--seed", "3", "--history-years", "0"])
    assert result.exit_code == 0, result.output
    accepted = db.session.scalars(sa.select(Referral).where(Referral.status == ReferralStatus.ACCEPTED)).all()
    requests = {request.referral_id: request for request in db.session.scalars(sa.select(PlacementRequest))}
    assert len(requests) == len(accepted)
    # The open ones; the history's (app/demo/history.py) were booked long ago, with requirements of their own.
    waiting = [referral for referral in accepted if requests[referral.id].status is PlacementRequestStatus.READY_TO_MATCH]
    assert len(waiting) >= 400
    for referral in waiting:
        placement_request = requests[referral.id]
        derived = requirements.derived(referral)
        assert (placement_request.ap_type, set(placement_request.essential_characteristics),
                placement_request.expected_arrival, placement_request.region_id) == (
            derived.ap_type, derived.essential, referral.arrival_date, referral.region_id)
        assert placement_request.length_of_stay_weeks == length_of_stay.default_weeks(derived.ap_type, referral)
    rejected = db.session.scalars(sa.select(Referral).where(Referral.status == ReferralStatus.REJECTED)).all()
    assert rejected and all(referral.assessment.rejection_reason for referral in rejected)


def test_some_have_exclusion_zones_and_some_waiting_people_must_be_kept_apart(planned):
    with_zones = [referral for referral in planned if referral.zones]
    assert 0.2 * len(planned) < len(with_zones) < 0.5 * len(planned)
    for referral in with_zones:
        assert all(exclusion_zones.geometry_problem(shape(json.loads(zone["geometry"]))) is None
                   for zone in referral.zones)
    crns = {referral.person["crn"]: referral for referral in planned}
    named = [(referral, other) for referral in planned for other in referral.non_associates]
    assert len(named) >= 20
    for referral, other in named:
        partner = crns[other["crn"]]
        assert referral.status is partner.status is ReferralStatus.ACCEPTED
        assert referral.region_name == partner.region_name
        assert referral.person["crn"] in {named_back["crn"] for named_back in partner.non_associates}


def test_submitted_referrals_have_unique_references_and_withdrawn_ones_say_when_and_why(planned):
    submitted = [referral for referral in planned if referral.submitted_at]
    references = [referral.outcome["reference"] for referral in submitted]
    assert len(set(references)) == len(submitted) and all(re.fullmatch(r"AP-\d\d-[2-9A-Z]{6}", r) for r in references)
    assert all(referral.outcome["reference"] is None for referral in planned if not referral.submitted_at)
    for referral in planned:
        withdrawn = referral.status is ReferralStatus.WITHDRAWN
        assert (referral.outcome["withdrawn_at"] is not None) == withdrawn
        assert (referral.outcome["withdrawal_reason"] is not None) == withdrawn
