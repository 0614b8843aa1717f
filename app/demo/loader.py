"""Demo data: a realistic, clearly fictional national estate so that anyone can try every role."""

import random
from datetime import date
from typing import Any, NamedTuple

import sqlalchemy as sa
from flask import current_app
from werkzeug.security import generate_password_hash

from app import clock
from app.demo.data import REGION_CODES, STAFF_PREMISES_NAME, STAFF_PREMISES_REGION
from app.demo.estate import PlannedPremises, build_estate
from app.demo.move_on import plan_providers
from app.demo.occupancy import (
    BedCalendar,
    PlannedOutOfService,
    plan_beds_out_of_service,
    take_beds_out_of_service_now,
)
from app.demo.referrals import PlannedReferral, plan_referrals
from app.demo.residents import PlannedStay, house_residents
from app.extensions import db
from app.models import (
    Assessment,
    Bed,
    Characteristic,
    ExclusionZone,
    MoveOnProvider,
    NonAssociate,
    OutOfServiceBed,
    Person,
    Placement,
    PlacementRequest,
    PlacementRequestStatus,
    PlacementStatus,
    Premises,
    Referral,
    ReferralEvent,
    ReferralEventKind,
    Region,
    Room,
    User,
)
from app.models.premises import premises_characteristics, room_characteristics
from app.permissions import Role
from app.services import assessments, audit, length_of_stay, requirements
from app.services.reference import sync_reference_data
from vocabulary import ReferralStatus, RejectionReason

BEDS_ACTIVE_FROM = date(2015, 4, 1)
AUTHORS_EVENTS = (ReferralEventKind.STARTED, ReferralEventKind.SUBMITTED, ReferralEventKind.WITHDRAWN)
ASSESSED = (ReferralStatus.AWAITING_INFORMATION, ReferralStatus.ACCEPTED, ReferralStatus.REJECTED)
DEMO_REJECTION_REASON = RejectionReason.RISK_MANAGED_OTHERWISE  # as the demo rejections' notes say


class DemoUser(NamedTuple):
    email: str
    name: str
    roles: tuple[Role, ...]
    region: str | None = None
    works_at_staff_premises: bool = False


DEMO_USERS = (
    DemoUser("offender.manager@demo.test", "Olivia Demo", (Role.OFFENDER_MANAGER,), region=STAFF_PREMISES_REGION),
    DemoUser("assessor@demo.test", "Adam Demo", (Role.ASSESSOR,)),
    DemoUser(
        "referral.unit@demo.test",
        "Rita Demo",
        (Role.REFERRAL_UNIT, Role.REGIONAL_MANAGER),
        region=STAFF_PREMISES_REGION,
    ),
    DemoUser("national.manager@demo.test", "Nadia Demo", (Role.NATIONAL_MANAGER,)),
    DemoUser(
        "ap.staff@demo.test",
        "Sam Demo",
        (Role.AP_STAFF, Role.AP_MANAGER),
        works_at_staff_premises=True,
    ),
    DemoUser("admin@demo.test", "Alex Demo", (Role.ADMIN,)),
    # The authors of the demo referrals of the other regions.
    *(DemoUser(f"offender.manager.{code.lower()}@demo.test", f"{region} Demo", (Role.OFFENDER_MANAGER,), region=region)
      for region, code in REGION_CODES.items() if region != STAFF_PREMISES_REGION),
)


class DemoRefused(Exception):
    """Loading demo data here would be wrong: in production, or over data that is already there."""


class DemoSummary(NamedTuple):
    premises: int
    beds: int
    residents: int
    upcoming_arrivals: int
    out_of_service_beds: int
    users: int
    referrals: int
    move_on_providers: int

    def __str__(self) -> str:
        return (
            f"Loaded demo data: {self.premises} premises, {self.beds} beds, {self.residents} residents, "
            f"{self.upcoming_arrivals} upcoming arrivals, {self.out_of_service_beds} out-of-service beds, "
            f"{self.users} users, {self.referrals} referrals, {self.move_on_providers} move-on providers"
        )


def _estate_is_empty() -> bool:
    return db.session.scalar(db.select(Premises.id).limit(1)) is None


def load_demo_data(seed: int, *, if_empty: bool = False, today: date | None = None) -> DemoSummary | None:
    """Build the whole demo in one transaction; the same seed on the same day always gives the same data.
    With `if_empty`, an estate that already has premises is left alone and None returned."""
    if current_app.config["IS_PRODUCTION"]:
        raise DemoRefused("Demo data is never loaded when the service is configured for production")
    if not _estate_is_empty():
        if if_empty:
            return None
        raise DemoRefused("The database already has premises: demo data is only loaded into an empty estate")
    emails = [demo_user.email for demo_user in DEMO_USERS]
    if taken := list(db.session.scalars(db.select(User.email).where(User.email.in_(emails)))):
        raise DemoRefused(f"These demo accounts already exist: {', '.join(taken)}")

    sync_reference_data()
    today = today or clock.today()
    rng = random.Random(seed)
    regions = {region.name: region for region in db.session.scalars(db.select(Region))}
    calendar = BedCalendar()
    estate = build_estate(rng, regions)
    out_of_service = take_beds_out_of_service_now(rng, estate, calendar, today)
    stays = house_residents(rng, estate, calendar, today)
    out_of_service += plan_beds_out_of_service(rng, estate, calendar, today)

    _save_estate(estate, out_of_service)
    _save_stays(stays)
    users = _demo_users(estate, regions)
    db.session.add_all(users)
    referrals = plan_referrals(rng, today)
    _save_referrals(referrals, users)
    providers = plan_providers(rng, regions)
    _insert(MoveOnProvider.__table__, providers)
    summary = DemoSummary(
        premises=len(estate),
        beds=sum(len(premises.beds) for premises in estate),
        residents=sum(stay.status is PlacementStatus.ARRIVED for stay in stays),
        upcoming_arrivals=sum(stay.status is PlacementStatus.UPCOMING for stay in stays),
        out_of_service_beds=len(out_of_service),
        users=len(users),
        referrals=len(referrals),
        move_on_providers=len(providers),
    )
    audit.record("demo_data_loaded", object_type="service", seed=seed, **summary._asdict())
    db.session.commit()
    return summary


def _save_estate(estate: list[PlannedPremises], out_of_service: list[PlannedOutOfService]) -> None:
    """Bulk inserts: row-by-row ORM inserts of ten thousand objects take many seconds on SQLite."""
    characteristic_ids = dict(db.session.execute(db.select(Characteristic.code, Characteristic.id)).all())
    rooms = [room for premises in estate for room in premises.rooms]
    _insert_numbered(Premises.__table__, ("code",), [(premises.row(), premises) for premises in estate])
    _insert_numbered(
        Room.__table__,
        ("premises_id", "name"),
        [({"premises_id": premises.id, "name": room.name}, room) for premises in estate for room in premises.rooms],
    )
    _insert_numbered(
        Bed.__table__,
        ("room_id", "name"),
        [({"room_id": room.id, "name": bed.name, "active_from": BEDS_ACTIVE_FROM}, bed) for room in rooms for bed in room.beds],
    )
    _insert(
        premises_characteristics,
        [{"premises_id": p.id, "characteristic_id": characteristic_ids[code]} for p in estate for code in p.characteristics],
    )
    _insert(
        room_characteristics,
        [{"room_id": r.id, "characteristic_id": characteristic_ids[code]} for r in rooms for code in r.characteristics],
    )
    _insert(
        OutOfServiceBed.__table__,
        [
            {
                "bed_id": record.bed.id,
                "reason": record.reason,
                "start_date": record.start_date,
                "end_date": record.end_date,
                "reference": record.reference,
                "notes": record.notes,
            }
            for record in out_of_service
        ],
    )


def _save_stays(stays: list[PlannedStay]) -> None:
    _insert(Person.__table__, [stay.person for stay in stays])
    person_ids = dict(db.session.execute(db.select(Person.crn, Person.id)).all())
    _insert(
        Placement.__table__,
        [
            {
                "person_id": person_ids[stay.person["crn"]],
                "premises_id": stay.premises.id,
                "bed_id": stay.bed.id,
                "expected_arrival": stay.arrival,
                "expected_departure": stay.departure,
                "actual_arrival": stay.arrival if stay.status is PlacementStatus.ARRIVED else None,
                "status": stay.status,
            }
            for stay in stays
        ],
    )


def _save_referrals(referrals: list[PlannedReferral], users: list[User]) -> None:
    """Each referral is written by its region's demo offender manager and decided by the demo assessor."""
    db.session.flush()
    authors = {user.region.name: user for user in users if Role.OFFENDER_MANAGER in user.roles}
    assessor = next(user for user in users if Role.ASSESSOR in user.roles)
    _insert(Person.__table__, [referral.person for referral in referrals])
    person_ids = dict(db.session.execute(db.select(Person.crn, Person.id)).all())
    _insert_numbered(Referral.__table__, ("person_id",), [
        ({"person_id": person_ids[referral.person["crn"]], "created_by_id": authors[referral.region_name].id,
          "region_id": authors[referral.region_name].region_id, "status": referral.status,
          "created_at": referral.created_at, "updated_at": referral.submitted_at or referral.created_at,
          "submitted_at": referral.submitted_at, **referral.answers, **referral.outcome}, referral)
        for referral in referrals
    ])
    _insert(ExclusionZone.__table__, [{"referral_id": referral.id, **zone} for referral in referrals
                                      for zone in referral.zones])
    _insert(NonAssociate.__table__, [{"referral_id": referral.id, **other} for referral in referrals
                                     for other in referral.non_associates])
    _insert(ReferralEvent.__table__, [
        {"referral_id": referral.id, "kind": kind, "at": at, "note": note,
         "by_id": authors[referral.region_name].id if kind in AUTHORS_EVENTS else assessor.id}
        for referral in referrals for kind, at, note in referral.events
    ])
    _insert(Assessment.__table__, [
        {"referral_id": referral.id, "assessor_id": assessor.id,
         "rejection_reason": DEMO_REJECTION_REASON if referral.status is ReferralStatus.REJECTED else None}
        for referral in referrals if referral.status in ASSESSED
    ])
    _save_placement_requests([referral for referral in referrals if referral.status is ReferralStatus.ACCEPTED],
                             person_ids, authors, assessor)


def _save_placement_requests(accepted: list[PlannedReferral], person_ids: dict[str, int], authors: dict[str, User],
                             assessor: User) -> None:
    """The placement requests of accepted referrals, as their assessor confirmed them: the requirements derived
    from the answers and the policy's length of stay."""
    rules = length_of_stay.policy()
    rows = []
    for planned in accepted:
        referral = Referral(person=Person(gender=planned.person["gender"]), submitted_at=planned.submitted_at,
                            **planned.answers)
        derived = requirements.derived(referral)
        rows.append({
            "referral_id": planned.id, "person_id": person_ids[planned.person["crn"]],
            "region_id": authors[planned.region_name].region_id,
            "gender": derived.gender, "ap_type": derived.ap_type, "essential_characteristics": sorted(derived.essential),
            "desirable_characteristics": sorted(derived.desirable), "notice": assessments.notice_of(referral),
            "expected_arrival": referral.arrival_date,
            "length_of_stay_weeks": length_of_stay.most_specific(rules, derived.ap_type, referral).weeks,
            "status": PlacementRequestStatus.READY_TO_MATCH, "created_at": planned.events[-1][1],
            "created_by_id": assessor.id,
        })
    _insert(PlacementRequest.__table__, rows)


def _insert(table: sa.Table, rows: list[dict]) -> None:
    """A Core executemany: the ORM's bulk insert splits rows by which columns are None, and slows down."""
    if rows:
        db.session.execute(table.insert(), rows)


def _insert_numbered(table: sa.Table, natural_key: tuple[str, ...], rows_and_plans: list[tuple[dict, Any]]) -> None:
    """Insert the rows, then give each plan the id the database gave its row, found by the row's natural key."""
    _insert(table, [row for row, _ in rows_and_plans])
    key_columns = [table.c[name] for name in natural_key]
    ids = {tuple(key): id for id, *key in db.session.execute(sa.select(table.c.id, *key_columns))}
    for row, plan in rows_and_plans:
        plan.id = ids[tuple(row[name] for name in natural_key)]


def _demo_users(estate: list[PlannedPremises], regions: dict[str, Region]) -> list[User]:
    staff_premises = next(premises for premises in estate if premises.site.name == STAFF_PREMISES_NAME)
    # One hash for all: they share the demo password, and each hash costs a noticeable fraction of a second.
    password_hash = generate_password_hash(current_app.config["DEMO_PASSWORD"])
    users = []
    for demo_user in DEMO_USERS:
        user = User(
            email=demo_user.email,
            name=demo_user.name,
            password_hash=password_hash,
            premises_id=staff_premises.id if demo_user.works_at_staff_premises else None,
            region=regions[demo_user.region] if demo_user.region else None,
        )
        user.roles = demo_user.roles
        users.append(user)
    return users
