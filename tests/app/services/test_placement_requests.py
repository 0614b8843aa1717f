"""The placement requests' dashboard (who sees which, in what order) and "unable to match" and its reopening."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.clock import LONDON
from app.extensions import db
from app.models import (
    AuditEvent,
    PlacementRequest,
    PlacementRequestStatus,
    Referral,
    ReferralEventKind,
    Region,
)
from app.permissions import Role
from app.services import access, audit, placement_requests
from app.services.placement_requests import DashboardFilters
from app.services.validation import InvalidInput, NotInScope, Refused
from vocabulary import APType, Notice, UnableToMatchReason

READY, UNABLE = PlacementRequestStatus.READY_TO_MATCH, PlacementRequestStatus.UNABLE_TO_MATCH


def _accepted(*when) -> datetime:
    """A London time as stored: UTC without its zone."""
    return datetime(*when, tzinfo=LONDON).astimezone(UTC).replace(tzinfo=None)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime(2030, 6, 15, 12, tzinfo=LONDON), tick=False)


@pytest.fixture
def wales():
    return db.session.scalar(sa.select(Region).where(Region.name == "Wales"))


@pytest.fixture
def manager(make_user, region):
    return make_user(Role.OFFENDER_MANAGER, region=region, email="om@example.test", name="Olive Manager")


@pytest.fixture
def placement_request(make_placement_request):
    return make_placement_request()


def _listed(user, **filters) -> list[PlacementRequest]:
    return list(db.session.scalars(placement_requests.dashboard(user, DashboardFilters(**filters))))


# --- who sees which -------------------------------------------------------------------------------------------


def test_people_who_place_see_their_regions_requests_and_national_managers_every_regions(
        make_user, make_placement_request, placer, region, wales):
    ours = make_placement_request()
    theirs = make_placement_request(target_region=wales)
    national = make_user(Role.NATIONAL_MANAGER)

    assert _listed(placer) == [ours]
    assert _listed(make_user(Role.REGIONAL_MANAGER, region=wales)) == [theirs]
    assert set(_listed(national)) == {ours, theirs}
    assert _listed(national, region_id=wales.id) == [theirs]
    assert [r.name for r in placement_requests.regions_to_filter(placer)] == [region.name]
    assert len(placement_requests.regions_to_filter(national)) == db.session.scalar(sa.select(sa.func.count(Region.id)))


def test_nobody_else_sees_a_placement_request(make_user, placement_request, manager, region):
    """Fails closed: no permission to place, or no region recorded, is no request at all."""
    for user in (manager, make_user(Role.ASSESSOR, region=region), make_user(Role.ADMIN),
                 make_user(Role.AP_MANAGER, region=region), make_user(Role.REFERRAL_UNIT)):
        assert _listed(user) == []
        assert not access.can(user, placement_request)
    assert placement_requests.regions_to_filter(make_user(Role.REFERRAL_UNIT)) == []


def test_people_who_place_read_the_referral_of_a_request_they_see(make_user, placement_request, placer, wales):
    assert access.can(placer, placement_request.referral)
    assert not access.can(make_user(Role.REFERRAL_UNIT, region=wales), placement_request.referral)


# --- order, statuses and what each row says --------------------------------------------------------------------


def test_the_most_urgent_notice_comes_first_then_the_longest_waiting(make_placement_request, placer):
    def accepted(day):
        return _accepted(2030, 6, day, 10)

    standard_old = make_placement_request(created_at=accepted(1))
    standard_new = make_placement_request(created_at=accepted(10))
    emergency = make_placement_request(created_at=accepted(14), notice=Notice.EMERGENCY)
    short_new = make_placement_request(created_at=accepted(12), notice=Notice.SHORT_NOTICE)
    short_old = make_placement_request(created_at=accepted(2), notice=Notice.SHORT_NOTICE)

    assert _listed(placer) == [emergency, short_old, short_new, standard_old, standard_new]


def test_each_status_is_listed_apart_and_counted(make_placement_request, placer):
    ready = make_placement_request()
    unable = make_placement_request(status=UNABLE, unable_to_match_reason=UnableToMatchReason.NON_ASSOCIATES)

    assert _listed(placer) == [ready]
    assert _listed(placer, status=UNABLE) == [unable]
    counts = placement_requests.status_counts(placer)
    assert (counts[READY], counts[UNABLE]) == (1, 1)
    assert set(counts) == set(PlacementRequestStatus)


def test_a_row_says_how_long_the_request_has_waited_when_the_person_may_arrive_and_whether_it_is_overdue(
        make_placement_request):
    late = make_placement_request(expected_arrival=date(2030, 6, 15),
                                  created_at=_accepted(2030, 6, 1, 23, 30))
    later = make_placement_request(expected_arrival=date(2030, 6, 16))

    first, second = placement_requests.rows([late, later])

    assert (first.days_waiting, first.is_overdue) == (14, True)
    assert first.arrival_window == (date(2030, 6, 15), date(2030, 6, 22))
    assert (second.days_waiting, second.is_overdue) == (0, False)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(Notice), st.integers(0, 60)), min_size=1, max_size=8))
def test_the_dashboards_order_is_urgency_then_waiting_whatever_the_requests(manager, placer, make_person, waiting):
    """The database sorts as the rule says: by notice (emergency, short, standard), then by acceptance, oldest first."""
    person, made = make_person(), []
    try:
        for notice, days in waiting:
            referral = Referral(person=person, created_by=manager, region=manager.region)
            made.append(PlacementRequest(
                referral=referral, person=referral.person, region=manager.region, gender=referral.person.gender,
                ap_type=APType.STANDARD, essential_characteristics=[], desirable_characteristics=[], notice=notice,
                expected_arrival=date(2030, 7, 1), length_of_stay_weeks=12, created_by=manager,
                created_at=datetime(2030, 6, 15, 10) - timedelta(days=days)))
        db.session.add_all(made)
        db.session.commit()
        expected = sorted(made, key=lambda r: (placement_requests.URGENCY[r.notice], r.created_at, r.id))
        assert _listed(placer) == expected
    finally:
        for request in made:
            db.session.delete(request)
            db.session.delete(request.referral)
        db.session.delete(person)
        db.session.commit()


# --- unable to match and reopening ----------------------------------------------------------------------------


def test_unable_to_match_is_recorded_with_its_reason_on_the_timeline_and_in_the_audit_log(placement_request, placer):
    placement_requests.record_unable_to_match(placer, placement_request, UnableToMatchReason.EXCLUSION_ZONES,
                                              "  Both Preston APs are within 2 km of the zone  ")

    assert placement_request.status is UNABLE
    assert placement_request.unable_to_match_reason is UnableToMatchReason.EXCLUSION_ZONES
    assert placement_request.unable_to_match_detail == "Both Preston APs are within 2 km of the zone"
    event = placement_requests.history(placement_request)[0]
    assert (event.kind, event.by) == (ReferralEventKind.UNABLE_TO_MATCH, placer)
    assert event.note == ("Every suitable AP is inside or near an exclusion zone: Both Preston APs are within 2 km of "
                          "the zone")
    logged = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "unable_to_match")).one()
    assert (logged.user_id, logged.object_id, logged.details) == (
        placer.id, str(placement_request.id), {"reason": "exclusion_zones"})
    entry = audit.readable([logged])[0]
    assert (entry.action, entry.subject) == ("Unable to match", f"Placement request for {placement_request.person.name} "
                                                                f"({placement_request.person.crn})")
    assert entry.details == ["Reason: Every suitable AP is inside or near an exclusion zone"]


@pytest.mark.parametrize("reason, detail, problems", [
    (None, "", {"reason": "Select why no premises can take the person"}),
    (UnableToMatchReason.OTHER, "  ", {"detail": "Describe why no premises can take the person"}),
    (UnableToMatchReason.NO_BED_IN_WINDOW, "x" * 2001, {"detail": "The detail must be 2000 characters or fewer"}),
])
def test_unable_to_match_needs_a_reason_and_for_another_reason_a_detail(placement_request, placer, reason, detail,
                                                                         problems):
    with pytest.raises(InvalidInput) as refusal:
        placement_requests.record_unable_to_match(placer, placement_request, reason, detail)
    assert refusal.value.problems == problems
    db.session.refresh(placement_request)
    assert placement_request.status is READY
    assert placement_requests.history(placement_request) == []


def test_a_request_out_of_scope_cannot_be_recorded_or_reopened(make_user, placement_request, wales, manager):
    for outsider in (make_user(Role.REFERRAL_UNIT, region=wales), manager):
        with pytest.raises(NotInScope):
            placement_requests.record_unable_to_match(outsider, placement_request, UnableToMatchReason.OTHER, "No")
        with pytest.raises(NotInScope):
            placement_requests.reopen(outsider, placement_request)
    assert placement_request.status is READY


def test_a_request_is_reopened_ready_to_match_and_only_when_unable_to_match(placement_request, placer):
    with pytest.raises(Refused, match="only a request unable to match can be reopened"):
        placement_requests.reopen(placer, placement_request)
    placement_requests.record_unable_to_match(placer, placement_request, UnableToMatchReason.NON_ASSOCIATES, None)
    with pytest.raises(Refused, match="only a request ready to match"):
        placement_requests.record_unable_to_match(placer, placement_request, UnableToMatchReason.OTHER, "Again")

    placement_requests.reopen(placer, placement_request)

    assert placement_request.status is READY
    assert (placement_request.unable_to_match_reason, placement_request.unable_to_match_detail) == (None, None)
    assert [event.kind for event in placement_requests.history(placement_request)] == [
        ReferralEventKind.MATCHING_REOPENED, ReferralEventKind.UNABLE_TO_MATCH]
    assert db.session.scalar(sa.select(AuditEvent.action).order_by(AuditEvent.id.desc()).limit(1)) == \
        "matching_reopened"
