"""The bridge from database rows to the optimiser's instance and back (app/services/matching.py)."""

import json
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import db
from app.geo.gazetteer import find_town
from app.models import (
    ExclusionZone,
    MoveOnProvider,
    NonAssociate,
    OptimiserRun,
    PlacementRequest,
    PlacementRequestStatus,
    PlacementStatus,
    Premises,
    Proposal,
    ProposalDecision,
    Region,
    RunStatus,
)
from app.permissions import Role
from app.services import matching
from optimizer import schema
from optimizer.checks import validate_instance
from optimizer.solve import solve
from tests.app.conftest import _empty_tables
from tests.app.manage.estate_factories import add_out_of_service, add_placement, beds_of
from tests.app.queries import counting_queries
from vocabulary import (
    KM_PER_MILE,
    APType,
    ExclusionZoneSource,
    Gender,
    MappaLevel,
    MoveOnCategory,
    NonAssociateReason,
    Notice,
    RiskLevel,
)

TODAY = date(2030, 8, 25)  # a week before the test referrals' expected arrival, 1 September 2030
SINGLE = frozenset({"is_single"})


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


@pytest.fixture
def wales():
    return db.session.scalar(sa.select(Region).where(Region.name == "Wales"))


def _resident(premises, crn, arrival, departure, **fields):
    placement = add_placement(premises, arrival=arrival, departure=departure, **fields)
    placement.person.crn = crn
    db.session.commit()
    return placement


def test_premises_carry_their_characteristics_bed_groups_and_every_day_a_bed_cannot_be_used(make_premises,
                                                                                          make_placement_request):
    premises = make_premises(beds=3, characteristics=("is_catered",), room_characteristics=("is_single",))
    make_placement_request(length_of_stay_weeks=12)  # arrives on day 7 at the earliest: beds matter to day 7+7+84
    first, second, third = beds_of(premises)
    second.room.characteristics = []
    third.active_to = days(9)  # leaves use after 3 September: out from day 10
    add_out_of_service(first, days(2), days(4))
    add_out_of_service(first, days(5), days(6), cancelled=True)
    make_premises("Closed House", is_active=False)

    translation = matching.instance_for(None, TODAY)

    assert translation.instance.premises == (schema.Premises(
        id=f"P{premises.id}", gender=Gender.MALE, location=schema.Point(-2.7, 53.76), ap_type=APType.STANDARD,
        characteristics=frozenset({"is_catered"}),
        bed_groups=(schema.BedGroup(frozenset(), 1), schema.BedGroup(SINGLE, 2)),
        beds_out=(schema.BedsOut(SINGLE, 2, 5, 1), schema.BedsOut(SINGLE, 10, 7 + 7 + 1 + 84, 1)),
        region="North West",
    ),)
    assert translation.premises_names == {f"P{premises.id}": "Fictional House"}


def test_residents_hold_their_beds_group_and_bookings_without_a_bed_the_plainest_that_fits(make_premises,
                                                                                          make_placement_request):
    make_placement_request()  # somebody to plan for: the estate is read as far ahead as their stay
    premises = make_premises(beds=2, room_characteristics=("is_single",))
    plain = make_premises("Mixed House", beds=2, room_characteristics=())
    beds_of(plain)[1].room.characteristics = beds_of(premises)[0].room.characteristics[:]
    db.session.commit()
    arrived = _resident(premises, "A000001", days(-30), days(20), bed=beds_of(premises)[1],
                        rosh=RiskLevel.VERY_HIGH, mappa_level=MappaLevel.SENIOR_MULTI_AGENCY)
    upcoming = _resident(plain, "A000002", days(3), days(60), status=PlacementStatus.UPCOMING)
    _resident(premises, "A000003", days(-60), days(-1), actual_departure=days(-1), status=PlacementStatus.DEPARTED)
    _resident(premises, "A000004", days(3), days(60), status=PlacementStatus.CANCELLED)
    _resident(premises, "A000005", days(-60), TODAY)  # leaves today: the bed is free tonight

    translation = matching.instance_for(None, TODAY)

    assert translation.instance.residents == (
        schema.Resident(f"S{arrived.id}", f"P{premises.id}", arrival=0, departure=20, bed_characteristics=SINGLE,
                        risk=schema.Risk(RiskLevel.VERY_HIGH, RiskLevel.LOW, RiskLevel.VERY_HIGH, RiskLevel.LOW,
                                         RiskLevel.MEDIUM, MappaLevel.SENIOR_MULTI_AGENCY)),
        schema.Resident(f"S{upcoming.id}", f"P{plain.id}", arrival=3, departure=60, bed_characteristics=frozenset(),
                        risk=schema.Risk(RiskLevel.HIGH, RiskLevel.LOW, RiskLevel.HIGH, RiskLevel.LOW,
                                         RiskLevel.MEDIUM)),
    )
    assert translation.crns.items() >= {f"S{arrived.id}": "A000001", f"S{upcoming.id}": "A000002"}.items()


def test_a_placement_request_becomes_a_referral_with_everything_the_optimiser_weighs(make_premises,
                                                                                     make_placement_request):
    preferred = make_premises("Preferred House")
    closed = make_premises("Closed House", is_active=False)
    placement_request = make_placement_request(
        essential_characteristics=["is_catered", "is_single"],
        desirable_characteristics=["has_lift", "has_en_suite"], notice=Notice.SHORT_NOTICE, length_of_stay_weeks=16,
        created_at=datetime(2030, 8, 15, 9), ap_type=APType.PIPE)
    referral = placement_request.referral
    referral.preferred_premises_ids = [closed.id, preferred.id]
    referral.rosh_children = None  # not recorded on the referral: the person's is taken
    referral.person.rosh_children = RiskLevel.MEDIUM
    db.session.commit()

    translation = matching.instance_for(None, TODAY)

    preston, leeds = find_town("Preston").point, find_town("Leeds").point
    assert translation.instance.referrals == (schema.Referral(
        id=f"R{placement_request.id}", gender=Gender.MALE, home=preston, earliest_arrival=7,
        latest_arrival=7 + matching.ARRIVAL_FLEXIBILITY_DAYS, length_of_stay=112, ap_type=APType.PIPE,
        move_on_category=MoveOnCategory.SUPPORTED_HOUSING, relocation=leeds,
        essential_premises=frozenset({"is_catered"}), essential_room=SINGLE,
        desirable_premises=frozenset({"has_lift"}), desirable_room=frozenset({"has_en_suite"}),
        preferred_premises=(f"P{preferred.id}",), max_radius_km=50 * KM_PER_MILE,
        risk=schema.Risk(RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.VERY_HIGH, RiskLevel.MEDIUM,
                         MappaLevel.MULTI_AGENCY),
        notice=Notice.SHORT_NOTICE, days_waiting=10, region="North West",
    ),)
    assert translation.instance.horizon_days == 8 + matching.ARRIVAL_FLEXIBILITY_DAYS
    assert translation.crns == {f"R{placement_request.id}": placement_request.person.crn}


def test_an_arrival_already_due_may_be_any_day_from_today(make_premises, make_placement_request):
    make_premises()
    make_placement_request(expected_arrival=days(-3))
    referral, = matching.instance_for(None, TODAY).instance.referrals
    assert (referral.earliest_arrival, referral.latest_arrival) == (0, matching.ARRIVAL_FLEXIBILITY_DAYS)


def test_planning_again_starts_from_the_proposals_waiting_and_avoids_those_turned_down(
        make_premises, make_placement_request, make_user, region):
    kept, closed = make_premises("Kept House"), make_premises("Closed House")
    waiting, decided, moved = (make_placement_request(status=PlacementRequestStatus.PROPOSED) for _ in range(3))
    run = OptimiserRun(created_by=make_user(Role.REFERRAL_UNIT, region=region), region=region, method="cpsat",
                       time_limit_s=10, parameters={}, progress=[], status=RunStatus.FINISHED)
    run.proposals = [Proposal(placement_request=waiting, premises=kept, arrival_on=days(8)),
                     Proposal(placement_request=decided, premises=kept, arrival_on=days(8),
                              decision=ProposalDecision.REJECTED),
                     Proposal(placement_request=moved, premises=closed, arrival_on=days(8))]
    closed.is_active = False
    db.session.add(run)
    db.session.commit()
    referrals = matching.instance_for(None, TODAY).instance.referrals
    assert {r.id: r.previous for r in referrals} == {f"R{waiting.id}": schema.PreviousProposal(f"P{kept.id}", 8),
                                                     f"R{decided.id}": None, f"R{moved.id}": None}
    assert {r.id: r.rejected_premises for r in referrals} == {  # turned down: never proposed there again
        f"R{waiting.id}": frozenset(), f"R{decided.id}": frozenset({f"P{kept.id}"}), f"R{moved.id}": frozenset()}


def test_only_open_requests_of_the_region_are_planned_unless_the_whole_country_is(make_premises,
                                                                                  make_placement_request, region,
                                                                                  wales):
    make_premises()
    here = make_placement_request()
    there = make_placement_request(target_region=wales)
    make_placement_request(status=PlacementRequestStatus.BOOKED)

    def planned(region_id):
        return {r.id for r in matching.instance_for(region_id, TODAY).instance.referrals}

    assert planned(region.id) == {f"R{here.id}"}
    assert planned(wales.id) == {f"R{there.id}"}
    assert planned(None) == {f"R{here.id}", f"R{there.id}"}


def test_non_associates_are_known_to_both_sides_whoever_named_whom(make_premises, make_placement_request,
                                                                   make_referral, offender_manager):
    premises = make_premises()
    resident = _resident(premises, "B000001", days(-10), days(40))
    named_by_resident = make_placement_request()
    names_the_resident = make_placement_request()
    names_nobody = make_placement_request()
    resident_referral = make_referral(offender_manager, resident.person)
    for referral, crn in ((resident_referral, named_by_resident.person.crn), (names_the_resident.referral, "B000001"),
                          (names_nobody.referral, "Z999999")):  # somebody neither resident nor waiting
        db.session.add(NonAssociate(referral_id=referral.id, crn=crn, name="Fictional Name",
                                    reason=NonAssociateReason.CO_DEFENDANT))
    db.session.commit()

    instance = matching.instance_for(None, TODAY).instance

    assert {r.id: r.non_associates for r in instance.residents} == {
        f"S{resident.id}": {f"R{named_by_resident.id}", f"R{names_the_resident.id}"}}
    assert {r.id: r.non_associates for r in instance.referrals} == {
        f"R{named_by_resident.id}": {f"S{resident.id}"}, f"R{names_the_resident.id}": {f"S{resident.id}"},
        f"R{names_nobody.id}": frozenset()}


def test_exclusion_zones_are_circles_by_centre_and_radius_and_polygons_by_outline(make_premises,
                                                                                  make_placement_request):
    make_premises()
    placement_request = make_placement_request()
    ring = [[-2.0, 53.0], [-1.9, 53.0], [-1.9, 53.1], [-2.0, 53.0]]
    shapes = [("Circle", {"type": "Polygon", "coordinates": [ring]}, (-2.5, 53.5, 1.5)),
              ("Polygon", {"type": "Polygon", "coordinates": [ring]}, None),
              ("Two", {"type": "MultiPolygon", "coordinates": [[ring], [ring]]}, None)]
    for label, geometry, circle in shapes:
        centre_longitude, centre_latitude, radius_km = circle or (None, None, None)
        db.session.add(ExclusionZone(referral_id=placement_request.referral.id, label=label, source=ExclusionZoneSource.DRAWN,
                                     geometry=json.dumps(geometry), area_km2=1.0, centre_name="Preston",
                                     centre_longitude=centre_longitude, centre_latitude=centre_latitude,
                                     radius_km=radius_km))
    db.session.commit()

    referral, = matching.instance_for(None, TODAY).instance.referrals

    outline = tuple(schema.Point(lon, lat) for lon, lat in ring)
    assert referral.exclusion_zones == (
        schema.ExclusionZone(centre=schema.Point(-2.5, 53.5), radius_km=1.5),
        schema.ExclusionZone(polygon=outline), schema.ExclusionZone(polygon=outline),
        schema.ExclusionZone(polygon=outline))


def test_active_move_on_providers_are_read_with_their_weekly_places(make_premises, region):
    make_premises()
    provider = MoveOnProvider(name="Preston CAS3 Homes", category=MoveOnCategory.CAS3, region=region, town="Preston",
                              longitude=-2.7, latitude=53.76, places_per_week=2)
    closed = MoveOnProvider(name="Closed Homes", category=MoveOnCategory.CAS3, region=region, town="Preston",
                            longitude=-2.7, latitude=53.76, places_per_week=2, is_active=False)
    db.session.add_all([provider, closed])
    db.session.commit()
    assert matching.instance_for(None, TODAY).instance.providers == (
        schema.MoveOnProvider(f"M{provider.id}", MoveOnCategory.CAS3, schema.Point(-2.7, 53.76), 2),)


def test_a_translation_maps_ids_to_rows_and_days_to_dates(make_premises):
    make_premises()
    translation = matching.instance_for(None, TODAY)
    assert (translation.first_day, translation.date_of(7), translation.day_of(days(7))) == (TODAY, days(7), 7)
    assert (translation.premises_id("P12"), translation.placement_request_id("R3"), translation.placement_id("S4"),
            translation.provider_id("M5")) == (12, 3, 4, 5)
    with pytest.raises(ValueError):
        translation.premises_id("R12")


# --- whatever the database holds, the optimiser takes it and its plan maps back to rows ------------------------

ROOM_CODES = sorted(schema.ROOM_CHARACTERISTICS)
PREMISES_CODES = sorted(schema.PREMISES_CHARACTERISTICS)
estates = st.fixed_dictionaries({
    "premises": st.lists(st.fixed_dictionaries({
        "beds": st.integers(0, 4),
        "gender": st.sampled_from(Gender),
        "ap_type": st.sampled_from(APType),
        "characteristics": st.sets(st.sampled_from(PREMISES_CODES), max_size=3),
        "rooms": st.sets(st.sampled_from(ROOM_CODES), max_size=2),
        "out": st.tuples(st.integers(-5, 30), st.integers(0, 10)),
        "residents": st.lists(st.tuples(st.integers(-40, 30), st.integers(1, 80), st.booleans()), max_size=4),
    }), min_size=1, max_size=3),
    "requests": st.lists(st.fixed_dictionaries({
        "gender": st.sampled_from(Gender),
        "ap_type": st.sampled_from(APType),
        "essential": st.sets(st.sampled_from(PREMISES_CODES + ROOM_CODES), max_size=2),
        "arrival": st.integers(-10, 40),
        "weeks": st.integers(1, 26),
    }), max_size=4),
})


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(estate=estates)
def test_whatever_the_database_holds_the_optimiser_accepts_and_places_people_in_existing_premises(
        estate, make_premises, make_placement_request):
    try:
        for number, planned in enumerate(estate["premises"]):
            premises = make_premises(f"House {number}", beds=planned["beds"], gender=planned["gender"],
                                     ap_type=planned["ap_type"], characteristics=planned["characteristics"],
                                     room_characteristics=planned["rooms"])
            beds = beds_of(premises)
            if beds:
                start, length = planned["out"]
                add_out_of_service(beds[0], days(start), days(start + length))
            for arrival, nights, in_bed in planned["residents"]:
                add_placement(premises, arrival=days(arrival), departure=days(arrival + nights),
                              bed=beds[0] if in_bed and beds else None,
                              status=PlacementStatus.ARRIVED if arrival <= 0 else PlacementStatus.UPCOMING)
        for planned in estate["requests"]:
            make_placement_request(gender=planned["gender"], ap_type=planned["ap_type"],
                                   essential_characteristics=sorted(planned["essential"]),
                                   expected_arrival=days(planned["arrival"]), length_of_stay_weeks=planned["weeks"])

        translation = matching.instance_for(None, TODAY)
        params = schema.SolverParams(time_limit_s=5)
        validate_instance(translation.instance, params)
        result = solve(translation.instance, params, method="greedy", explain_plan=False)

        premises_ids = set(db.session.scalars(sa.select(Premises.id).where(Premises.is_active)))
        request_ids = set(db.session.scalars(sa.select(PlacementRequest.id)))
        for assignment in result.assignments.values():
            assert translation.placement_request_id(assignment.referral_id) in request_ids
            if assignment.premises_id is not None:
                assert translation.premises_id(assignment.premises_id) in premises_ids
                assert translation.date_of(assignment.arrival) >= TODAY
    finally:
        _empty_tables()


def test_no_premises_and_no_requests_is_still_an_instance():
    instance = matching.instance_for(None, TODAY).instance
    assert (instance.premises, instance.referrals, instance.horizon_days) == ((), (), 1)


def test_the_instance_costs_the_same_queries_however_many_rows_it_reads(make_premises, make_placement_request):
    """Set-based reads: a few queries for the whole estate, never one per premises, resident or request."""
    def queries() -> int:
        db.session.expire_all()
        with counting_queries() as statements:
            matching.instance_for(None, TODAY)
        return len(statements)

    def add_some(number: int) -> None:
        premises = make_premises(f"House {number}")
        add_placement(premises, arrival=days(-3), departure=days(30), bed=beds_of(premises)[0])
        placement_request = make_placement_request()
        placement_request.referral.preferred_premises_ids = [premises.id]
        db.session.add(NonAssociate(referral_id=placement_request.referral.id, crn="Z999999", name="Fictional Name",
                                    reason=NonAssociateReason.CO_DEFENDANT))
        db.session.commit()

    add_some(1)
    few = queries()
    for number in range(2, 6):
        add_some(number)
    assert queries() == few
