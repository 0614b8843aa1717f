import random
import re
from collections import defaultdict
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app import clock
from app.demo.data import REGION_CODES, REGION_POPULATION_MILLIONS, TOWNS
from app.demo.estate import build_estate
from app.demo.history import plan_history
from app.demo.occupancy import BedCalendar, take_beds_out_of_service_now
from app.demo.referrals import EXPECTED_MOVE_ON
from app.demo.residents import house_residents
from app.extensions import db
from app.geo.gazetteer import find_town
from app.models import (
    Bed,
    MoveOnProvider,
    OutOfServiceBed,
    Placement,
    PlacementRequest,
    PlacementStatus,
    Premises,
    PreparationCheck,
    Referral,
    Region,
    Room,
    User,
)
from app.permissions import Role
from app.services.accounts import authenticate
from app.services.premises_location import location_problems
from vocabulary import PREMISES_CHARACTERISTICS, REGION_NAMES, APType, DepartureReason, Gender

DEMO_ROLES = {
    "offender.manager@demo.test": [Role.OFFENDER_MANAGER],
    "assessor@demo.test": [Role.ASSESSOR],
    "referral.unit@demo.test": [Role.REFERRAL_UNIT, Role.REGIONAL_MANAGER],
    "national.manager@demo.test": [Role.NATIONAL_MANAGER],
    "ap.staff@demo.test": [Role.AP_STAFF, Role.AP_MANAGER],
    "admin@demo.test": [Role.ADMIN],
    **{f"offender.manager.{code.lower()}@demo.test": [Role.OFFENDER_MANAGER]
       for region, code in REGION_CODES.items() if region != "North West"},
    "past.referrals@demo.test": [Role.OFFENDER_MANAGER],
}


def _load(app, *options):
    return app.test_cli_runner().invoke(args=["demo", "load", *options])


def _count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_loads_a_realistic_national_estate_with_residents_and_demo_users(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "DEMO_PASSWORD", "another-demo-password")
    result = _load(app, "--seed", "7", "--history-years", "1")  # three years are planned in a test of their own
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"Loaded demo data: 104 premises, \d+ beds, \d+ residents, .*18 users, 635 referrals, "
                        r"\d+ move-on providers, [\d,]+ past placements\n", result.output)

    estate = list(
        db.session.scalars(
            sa.select(Premises).options(
                selectinload(Premises.characteristics),
                selectinload(Premises.region),
                selectinload(Premises.rooms).selectinload(Room.beds),
                selectinload(Premises.rooms).selectinload(Room.characteristics),
            )
        )
    )
    assert len(estate) == 104
    assert sum(p.gender is Gender.FEMALE for p in estate) == 8
    types = [p.ap_type for p in estate]
    assert (types.count(APType.PIPE), types.count(APType.ESAP), types.count(APType.MENTAL_HEALTH)) == (12, 4, 2)
    assert types.count(APType.RECOVERY_FOCUSED) > 0
    assert {p.region.name for p in estate} == set(db.session.scalars(sa.select(Region.name)))
    assert {c.code for p in estate for c in p.characteristics} <= PREMISES_CHARACTERISTICS  # the type is not one

    beds_per_premises = {p.id: sum(len(room.beds) for room in p.rooms) for p in estate}
    assert all(14 <= beds <= 30 for beds in beds_per_premises.values())
    assert 2_200 <= sum(beds_per_premises.values()) <= 2_700
    rooms = [room for p in estate for room in p.rooms]
    room_codes = [{c.code for c in room.characteristics} for room in rooms]
    assert all(any("is_single" in {c.code for c in room.characteristics} for room in p.rooms) for p in estate)
    assert all(("is_single" in codes) == (len(room.beds) == 1) for room, codes in zip(rooms, room_codes))
    assert sum("is_single" in codes for codes in room_codes) > 0.7 * len(rooms)
    assert any(len(room.beds) == 2 for room in rooms)
    for code in ("is_wheelchair_designated", "is_arson_suitable"):
        assert 0 < sum(code in codes for codes in room_codes) < 0.05 * len(rooms)

    today = clock.today()
    everyone_placed = list(db.session.scalars(sa.select(Placement).options(selectinload(Placement.person))))
    placements = [placement for placement in everyone_placed if placement.person.crn.startswith("D")]
    premises_of_bed = {bed.id: p.id for p in estate for room in p.rooms for bed in room.beds}
    gender_of_premises = {p.id: p.gender for p in estate}
    resident_today = [p for p in placements if p.status is PlacementStatus.ARRIVED]
    assert 0.85 <= len(resident_today) / sum(beds_per_premises.values()) <= 0.95
    assert all(
        p.actual_arrival < today and today + timedelta(weeks=1) <= p.expected_departure <= today + timedelta(weeks=16)
        for p in resident_today
    )
    upcoming = [p for p in placements if p.status is PlacementStatus.UPCOMING]
    assert upcoming and all(p.expected_arrival > today and p.actual_arrival is None for p in upcoming)
    assert all(premises_of_bed[p.bed_id] == p.premises_id for p in placements)
    assert all(p.person.gender is gender_of_premises[p.premises_id] for p in placements)
    _assert_no_bed_is_double_booked([p for p in everyone_placed if p.status is not PlacementStatus.NOT_ARRIVED])
    _assert_the_history_is_a_year_of_outcomes([p for p in everyone_placed if p.person.crn.startswith("H")], today)

    out_of_service = list(db.session.scalars(sa.select(OutOfServiceBed)))
    assert 0 < sum(record.covers(today) for record in out_of_service) < 0.05 * len(rooms)
    assert any(record.start_date > today for record in out_of_service)

    people = [placement.person for placement in placements]
    assert all(re.fullmatch(r"D\d{6}", person.crn) for person in people)
    assert all(18 <= (today - person.date_of_birth).days / 365.25 <= 75 for person in people)
    assert all(
        person.rosh_overall == max(person.rosh_children, person.rosh_public, person.rosh_known_adult, person.rosh_staff)
        for person in people
    )
    assert 0 < sum(person.mappa_category is not None for person in people) < len(people)

    providers = list(db.session.scalars(sa.select(MoveOnProvider).options(selectinload(MoveOnProvider.region))))
    for region_name in REGION_NAMES:  # a place or a few a week of each kind people expect to move on to
        kinds = {p.category for p in providers if p.region.name == region_name}
        assert kinds == set(EXPECTED_MOVE_ON)
    assert all(1 <= p.places_per_week <= 3 and p.is_active for p in providers)
    assert len({p.name for p in providers}) == len(providers)

    everybody = {user.email: user for user in db.session.scalars(sa.select(User))}
    users = {email: user for email, user in everybody.items() if not email.startswith("staff.")}
    assert {email: user.roles for email, user in users.items()} == DEMO_ROLES
    _assert_each_premises_checklists_are_ticked_by_its_own_staff(everybody)
    assert users["referral.unit@demo.test"].region.name == "North West"
    offender_managers = [user for user in users.values() if Role.OFFENDER_MANAGER in user.roles and user.is_active]
    assert sorted(user.region.name for user in offender_managers) == sorted(REGION_NAMES)
    staff_premises = users["ap.staff@demo.test"].premises
    assert (staff_premises.name, staff_premises.region.name) == ("Ribble House", "North West")
    assert [email for email, user in users.items() if not user.is_active] == ["past.referrals@demo.test"]
    assert len({user.password_hash for user in users.values()}) == 1  # so each signs in as these two do
    assert authenticate("ap.staff@demo.test", "another-demo-password") == users["ap.staff@demo.test"]
    response = client.post("/sign-in", data={"email": "admin@demo.test", "password": "another-demo-password"})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def _assert_the_history_is_a_year_of_outcomes(past: list[Placement], today: date) -> None:
    """About 10,000 past placements, each from an accepted referral assessed before the arrival, with outcomes."""
    assert 8_000 <= len(past) <= 12_500
    assert all(today - timedelta(days=365) <= p.expected_arrival and p.departure <= today for p in past)
    assert {p.status for p in past} == {PlacementStatus.DEPARTED, PlacementStatus.NOT_ARRIVED}
    assert all(p.non_arrival_reason for p in past if p.status is PlacementStatus.NOT_ARRIVED)
    departed = [p for p in past if p.status is PlacementStatus.DEPARTED]
    assert {p.departure_reason for p in departed} == set(DepartureReason)
    assert all((p.breach_or_recall_reason is not None) == (p.departure_reason is DepartureReason.BREACH_OR_RECALL)
               for p in departed)
    assert len({p.move_on_category for p in departed}) > 8
    requests = {r.id: r for r in db.session.scalars(sa.select(PlacementRequest).options(
        selectinload(PlacementRequest.referral).selectinload(Referral.events)))}
    assert all(p.placement_request_id in requests for p in past)
    referral = requests[past[0].placement_request_id].referral
    submitted, accepted = (event.at for event in referral.events)
    assert referral.submitted_at == submitted < accepted and accepted.date() < past[0].expected_arrival


def _assert_each_premises_checklists_are_ticked_by_its_own_staff(users: dict[str, User]) -> None:
    """The demo's AP staff at Ribble House; elsewhere an account of that premises' staff, who never signs in."""
    checks = list(db.session.scalars(sa.select(PreparationCheck).options(
        selectinload(PreparationCheck.placement), selectinload(PreparationCheck.checked_by))))
    assert len({check.checked_by_id for check in checks}) > 50
    assert all(check.checked_by.premises_id == check.placement.premises_id for check in checks)
    ribble = [check for check in checks if check.checked_by.email == "ap.staff@demo.test"]
    assert ribble and all(check.placement.premises.name == "Ribble House" for check in ribble)
    others = [user for email, user in users.items() if email.startswith("staff.")]
    assert all(user.roles == [Role.AP_STAFF] and not user.is_active for user in others)


def _assert_no_bed_is_double_booked(placements: list[Placement]) -> None:
    stays_by_bed = defaultdict(list)
    for placement in placements:
        stays_by_bed[placement.bed_id].append((placement.arrival, placement.departure))
    for stays in stays_by_bed.values():
        stays.sort()
        assert all(earlier[1] <= later[0] for earlier, later in zip(stays, stays[1:]))
    for record in db.session.scalars(sa.select(OutOfServiceBed)):
        assert not any(arrival <= record.end_date and record.start_date < departure for arrival, departure in stays_by_bed[record.bed_id])


def test_the_same_seed_plans_the_same_estate_and_residents():
    regions = {region.name: region for region in db.session.scalars(sa.select(Region))}

    def plan(seed):
        rng, calendar, today = random.Random(seed), BedCalendar(), date(2027, 1, 5)
        estate = build_estate(rng, regions)
        take_beds_out_of_service_now(rng, estate, calendar, today)
        stays = house_residents(rng, estate, calendar, today)
        return [p.row() for p in estate], [(s.person, s.bed.name, s.arrival, s.status) for s in stays]

    assert plan(5) == plan(5)
    assert plan(5) != plan(6)


def test_the_history_plans_three_years_of_about_30000_placements():
    regions = {region.name: region for region in db.session.scalars(sa.select(Region))}
    rng, calendar, today = random.Random(1), BedCalendar(), date(2027, 1, 5)
    estate = build_estate(rng, regions)
    take_beds_out_of_service_now(rng, estate, calendar, today)
    stays = house_residents(rng, estate, calendar, today)
    past = plan_history(rng, estate, calendar, stays, today).placements
    assert 25_000 <= len(past) <= 35_000
    assert min(p.expected_arrival for p in past) < today - timedelta(days=2 * 365 + 300)
    assert all(today - timedelta(days=3 * 365) <= p.expected_arrival for p in past)


def test_refuses_to_load_in_production(app, monkeypatch):
    monkeypatch.setitem(app.config, "IS_PRODUCTION", True)
    for options in ((), ("--if-empty",)):
        result = _load(app, *options)
        assert result.exit_code == 1
        assert "never loaded when the service is configured for production" in result.output
    assert _count(Premises) == 0 and _count(User) == 0


def test_if_empty_leaves_an_existing_estate_alone(app, make_premises):
    make_premises("Existing House")
    result = _load(app, "--if-empty")
    assert result.exit_code == 0
    assert "already has premises: demo data not loaded" in result.output
    result = _load(app)
    assert result.exit_code == 1
    assert "only loaded into an empty estate" in result.output
    assert [p.name for p in db.session.scalars(sa.select(Premises))] == ["Existing House"]
    assert _count(Bed) == 4 and _count(User) == 0


def test_refuses_when_a_demo_account_already_exists(app, make_user):
    make_user(Role.ADMIN, email="admin@demo.test")
    result = _load(app)
    assert result.exit_code == 1
    assert "demo accounts already exist: admin@demo.test" in result.output
    assert _count(Premises) == 0


def test_every_demo_town_is_in_the_gazetteer():
    missing = [town for towns in TOWNS.values() for town, _ in towns if find_town(town) is None or find_town(town).name != town]
    assert missing == []


def test_the_demo_data_covers_exactly_the_vocabularys_regions():
    assert set(REGION_POPULATION_MILLIONS) == set(REGION_CODES) == set(TOWNS) == set(REGION_NAMES)


def test_every_demo_premises_passes_the_location_rules():
    regions = {region.name: region for region in db.session.scalars(sa.select(Region))}
    for seed in range(1, 6):
        misplaced = {
            planned.site.name: problems
            for planned in build_estate(random.Random(seed), regions)
            if (problems := location_problems(planned.longitude, planned.latitude, planned.postcode, planned.site.town.name,
                                              planned.site.region.name))
        }
        assert misplaced == {}, f"seed {seed}"
