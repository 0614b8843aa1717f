"""Every route is guarded by a permission, and every role gets exactly what its permissions allow."""

from datetime import date, datetime

import pytest

from app.extensions import db
from app.models import (
    ChangeKind,
    ExclusionZone,
    LengthOfStayRule,
    NonAssociate,
    OptimiserRun,
    OutboxMessage,
    OutOfServiceBed,
    OutOfServiceReason,
    Person,
    Placement,
    PlacementRequest,
    PlacementRequestStatus,
    PlacementStatus,
    Proposal,
    Referral,
    Scenario,
    ScenarioChange,
)
from app.permissions import ROLE_PERMISSIONS, Role
from vocabulary import APType, ExclusionZoneSource, Gender, NonAssociateReason, Notice, ReferralStatus

PUBLIC_ENDPOINTS = {"auth.sign_in", "main.health", "assets", "static"}
# Confirmation pages of what has not happened to the matrix's draft referral: they send the user to the referral.
CONFIRMING_WHAT_HAS_NOT_HAPPENED = {"apply.referral_submitted", "apply.referral_withdrawn"}
# A download of nothing chosen goes to the page that says what to choose.
REDIRECTED_WITHOUT_A_CHOICE = {"planning.compare_scenarios_download"}


def _view(app, endpoint):
    return app.view_functions[endpoint]


def test_every_endpoint_requires_a_permission_or_is_knowingly_public(app):
    unguarded = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and not hasattr(_view(app, rule.endpoint), "required_permission")
        and not getattr(_view(app, rule.endpoint), "is_public", False)
    ]
    assert unguarded == []
    public = {rule.endpoint for rule in app.url_map.iter_rules() if getattr(_view(app, rule.endpoint), "is_public", False)}
    assert public | {"static"} == PUBLIC_ENDPOINTS


@pytest.fixture
def estate(make_premises, make_user, region):
    """One in-scope object of every kind a URL can name."""
    premises = make_premises("Matrix House", beds=2)
    bed = premises.rooms[0].beds[0]
    out_of_service = OutOfServiceBed(
        bed=bed, reason=OutOfServiceReason.PLANNED_WORKS, start_date=date(2030, 1, 1), end_date=date(2030, 1, 5)
    )
    db.session.add(out_of_service)
    db.session.commit()
    other_user = make_user(Role.ASSESSOR, email="other@example.test")
    person = Person(crn="X123456", name="Matrix Person", gender=Gender.MALE, date_of_birth=date(1980, 1, 1))
    author = make_user(Role.OFFENDER_MANAGER, email="author@example.test", region=region)
    referral = Referral(person=person, created_by=author, region=region, has_exclusion_zones=True,
                        has_non_associates=True)
    zone = ExclusionZone(label="Zone", source=ExclusionZoneSource.DRAWN, area_km2=1, centre_name="Leeds",
                         geometry='{"type": "Polygon", "coordinates": [[[-1.5, 53.8], [-1.4, 53.8], [-1.4, 53.9]]]}')
    non_associate = NonAssociate(crn="A111111", name="Other Person", reason=NonAssociateReason.GANG)
    referral.exclusion_zones.append(zone)
    referral.non_associates.append(non_associate)
    submitted = Referral(person=person, created_by=author, region=region, status=ReferralStatus.SUBMITTED,
                         submitted_at=datetime(2030, 1, 2, 10), arrival_date=date(2030, 3, 1))
    accepted = Referral(person=person, created_by=author, region=region, status=ReferralStatus.ACCEPTED)
    placement_request = PlacementRequest(
        referral=accepted, person=person, region=region, gender=Gender.MALE, ap_type=APType.STANDARD,
        essential_characteristics=[], desirable_characteristics=[], notice=Notice.STANDARD,
        expected_arrival=date(2030, 3, 1), length_of_stay_weeks=12, created_by=author)
    rule = LengthOfStayRule(weeks=12)
    message = OutboxMessage(recipient="someone@example.test", subject="Matrix email", body="Hello")
    placement = Placement(person=person, premises_id=premises.id, bed=premises.rooms[1].beds[0], status=PlacementStatus.UPCOMING,
                          expected_arrival=date(2030, 2, 1), expected_departure=date(2030, 4, 1))
    run = OptimiserRun(created_by=author, region=region, method="cpsat", time_limit_s=60, parameters={}, progress=[])
    proposal = Proposal(run=run, placement_request=placement_request, premises_id=premises.id,
                        arrival_on=date(2030, 3, 1), departure_on=date(2030, 5, 24))
    booked_request = PlacementRequest(
        referral=submitted, person=person, region=region, created_by=author, gender=Gender.MALE,
        ap_type=APType.STANDARD, essential_characteristics=[], desirable_characteristics=[], notice=Notice.STANDARD,
        expected_arrival=date(2030, 2, 1), length_of_stay_weeks=4, status=PlacementRequestStatus.BOOKED)
    booked = Placement(person=person, premises_id=premises.id, placement_request=booked_request,
                       status=PlacementStatus.UPCOMING, expected_arrival=date(2030, 2, 1),
                       expected_departure=date(2030, 3, 1))
    db.session.add_all([referral, submitted, placement_request, rule, message, placement, run, proposal, booked])
    db.session.commit()
    return {
        "premises_id": premises.id,
        "room_id": premises.rooms[0].id,
        "bed_id": bed.id,
        "out_of_service_bed_id": out_of_service.id,
        "user_id": other_user.id,
        "premises": premises,
        "person_id": person.id,
        "referral_id": referral.id,
        "zone_id": zone.id,
        "non_associate_id": non_associate.id,
        "placement_id": placement.id,
        "placement_request_id": placement_request.id,
        "day": "2030-02-01",
        "section_slug": "sentence-and-release",
        "page_slug": "sentence-type",
        "rule_id": rule.id,
        "message_id": message.id,
        "run_id": run.id,
        "proposal_id": proposal.id,
        "scenario_id": 1,  # the matrix gives each role's user a scenario of its own
        "change_id": 1,
        "file_format": "csv",
        "table": "awaiting",  # of the move-on page's two downloads
        # Assessors reach only submitted referrals: a draft is not found on their pages.
        "assess": {"referral_id": submitted.id},
        # Bookings are managed under the request they were booked for.
        "search": {"placement_request_id": booked_request.id, "placement_id": booked.id},
        # AP staff read the referral behind a booking.
        "arrivals": {"placement_id": booked.id},
    }


def _guarded_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint not in PUBLIC_ENDPOINTS]


def _url(rule, estate):
    """The rule's address for the estate's objects, or for those its blueprint names apart."""
    objects = estate | estate.get(rule.endpoint.partition(".")[0], {})
    missing = rule.arguments - objects.keys()
    assert not missing, f"{rule.endpoint}: add a fixture object for URL arguments {missing} in this test"
    return rule.build({name: objects[name] for name in rule.arguments}, append_unknown=False)[1]


def _user_for(role, make_user, estate):
    return make_user(role, email=f"{role.value}@example.test", premises=estate["premises"], region=estate["premises"].region)


def _own_scenario(user, estate) -> dict:
    """A scenario is its owner's alone: each role's user has one of its own, with a change."""
    scenario = Scenario(name="Matrix scenario", created_by=user, region=estate["premises"].region)
    scenario.changes.append(ScenarioChange(kind=ChangeKind.ADD_BEDS, premises_id=estate["premises_id"], number=1))
    db.session.add(scenario)
    db.session.commit()
    return {"scenario_id": scenario.id, "change_id": scenario.changes[0].id}


@pytest.mark.parametrize("role", list(Role))
def test_permission_matrix(app, client_request, make_user, estate, role):
    user = _user_for(role, make_user, estate)
    client_request.sign_in(user)
    estate |= _own_scenario(user, estate)
    allowed = ROLE_PERMISSIONS[role]
    for rule in _guarded_rules(app):
        if rule.endpoint == "auth.sign_out":
            continue  # it would end this session; tests/app/auth covers it
        permission = _view(app, rule.endpoint).required_permission
        url = _url(rule, estate)
        if "GET" in rule.methods:
            status = client_request.client.get(url).status_code
            redirected = CONFIRMING_WHAT_HAS_NOT_HAPPENED | REDIRECTED_WITHOUT_A_CHOICE
            allowed_status = 302 if rule.endpoint in redirected else 200
            expected = {allowed_status} if permission in allowed else {403}
        else:
            status = client_request.client.post(url, data={}).status_code
            expected = {200, 302, 400} if permission in allowed else {403}
        assert status in expected, f"{role.value} {rule.endpoint} {url}: {status}, expected {expected}"


def test_anonymous_users_are_sent_to_sign_in_everywhere(app, client, estate):
    for rule in _guarded_rules(app):
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(_url(rule, estate), method=method)
        assert response.status_code == 302, rule.endpoint
        assert response.headers["Location"].startswith("/sign-in")
