"""Demo data: a realistic, clearly fictional national estate so that anyone can try every role."""

import random
from datetime import date, timedelta
from typing import Any, NamedTuple

import sqlalchemy as sa
from flask import current_app
from werkzeug.security import generate_password_hash

from app import clock
from app.demo.data import REGION_CODES, STAFF_PREMISES_NAME, STAFF_PREMISES_REGION
from app.demo.estate import PlannedPremises, build_estate
from app.demo.history import HISTORY_YEARS, History, PastReferral, plan_history
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
    PreparationCheck,
    Referral,
    ReferralEvent,
    ReferralEventKind,
    Region,
    Room,
    User,
)
from app.models.premises import premises_characteristics, room_characteristics
from app.permissions import Role
from app.services import assessments, audit, length_of_stay, referrals, requirements
from app.services.reference import sync_reference_data
from vocabulary import PreparationItem, ReferralStatus, RejectionReason

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
    is_active: bool = True


PAST_REFERRALS_AUTHOR = "past.referrals@demo.test"


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
    # The author of the history's referrals: signed out for good, so that nobody's list of referrals holds them.
    DemoUser(PAST_REFERRALS_AUTHOR, "Past referrals Demo", (Role.OFFENDER_MANAGER,), is_active=False),
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
    past_placements: int

    def __str__(self) -> str:
        return (
            f"Loaded demo data: {self.premises} premises, {self.beds} beds, {self.residents} residents, "
            f"{self.upcoming_arrivals} upcoming arrivals, {self.out_of_service_beds} out-of-service beds, "
            f"{self.users} users, {self.referrals} referrals, {self.move_on_providers} move-on providers, "
            f"{self.past_placements:,} past placements"
        )


def _estate_is_empty() -> bool:
    return db.session.scalar(db.select(Premises.id).limit(1)) is None


def load_demo_data(seed: int, *, if_empty: bool = False, today: date | None = None,
                   history_years: int = HISTORY_YEARS) -> DemoSummary | None:
    """Build the whole demo in one transaction; the same seed on the same day always gives the same data.
    With `if_empty`, an estate that already has premises is left alone and None returned. Fewer `history_years`
    load faster, for tests that need less of the past."""
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
    history = plan_history(rng, estate, calendar, stays, today, history_years)

    _save_estate(estate, out_of_service + history.out_of_service)
    _save_stays(stays)
    users = _demo_users(estate, regions)
    db.session.add_all(users)
    referrals = plan_referrals(rng, today)
    _save_referrals(referrals, users)
    providers = plan_providers(rng, regions)
    _insert(MoveOnProvider.__table__, providers)
    _save_history(history, users, regions)
    summary = DemoSummary(
        premises=len(estate),
        beds=sum(len(premises.beds) for premises in estate),
        residents=sum(stay.status is PlacementStatus.ARRIVED for stay in stays),
        upcoming_arrivals=sum(stay.status is PlacementStatus.UPCOMING for stay in stays),
        out_of_service_beds=len(out_of_service),
        users=len(users),
        referrals=len(referrals),
        move_on_providers=len(providers),
        past_placements=len(history.placements),
    )
    audit.record("demo_data_loaded", object_type="service", seed=seed, **summary._asdict())
    # The query planner's statistics, so the figures' queries use the placements' date indexes from the start:
    # PostgreSQL would gather them in a while, SQLite never does by itself.
    db.session.execute(sa.text("ANALYZE"))
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
    authors = {user.region.name: user for user in users if Role.OFFENDER_MANAGER in user.roles and user.region}
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


def _save_history(history: History, users: list[User], regions: dict[str, Region]) -> None:
    """The past placements with the referrals, assessments and requests behind them, and the requests behind
    today's stays; then the move-on plans known of today's residents."""
    author = next(user for user in users if user.email == PAST_REFERRALS_AUTHOR)
    assessor = next(user for user in users if Role.ASSESSOR in user.roles)
    staff = next(user for user in users if user.premises_id is not None)
    past = history.placements
    _insert(Person.__table__, [placement.referral.person for placement in past])
    person_ids = dict(db.session.execute(db.select(Person.crn, Person.id).where(Person.crn.like("H%")
                                                                                | Person.crn.like("D%"))).all())
    made = [placement.referral for placement in past] + list(history.referrals_of_today.values())
    _insert_numbered(Referral.__table__, ("person_id",),
                     [(_past_referral_row(referral, person_ids, author, regions), referral) for referral in made])
    _insert(ReferralEvent.__table__, [
        {"referral_id": referral.id, "kind": kind, "at": at, "by_id": by.id}
        for referral in made for kind, at, by in ((ReferralEventKind.SUBMITTED, referral.submitted_at, author),
                                                  (ReferralEventKind.ACCEPTED, referral.decided_at, assessor))
    ])
    _insert(Assessment.__table__, [{"referral_id": referral.id, "assessor_id": assessor.id} for referral in made])
    _insert(PlacementRequest.__table__, [
        {"referral_id": referral.id, "person_id": person_ids[referral.person["crn"]],
          "region_id": regions[referral.region_name].id, "gender": referral.premises.site.gender,
          "ap_type": referral.premises.site.ap_type, "essential_characteristics": [], "desirable_characteristics": [],
          "notice": referrals.notice_for(referral.arrival, False, referral.submitted_at.date()),
          "expected_arrival": referral.arrival, "length_of_stay_weeks": referral.weeks,
          "status": PlacementRequestStatus.BOOKED, "created_at": referral.decided_at, "created_by_id": assessor.id}
        for referral in made
    ])
    request_of = dict(db.session.execute(sa.select(PlacementRequest.referral_id, PlacementRequest.id)).all())
    _insert(Placement.__table__, [
        {"person_id": person_ids[placement.referral.person["crn"]], "premises_id": placement.premises.id,
         "bed_id": placement.bed.id, "placement_request_id": request_of[placement.referral.id],
         "expected_arrival": placement.expected_arrival, "expected_departure": placement.expected_departure,
         "actual_arrival": placement.expected_arrival if placement.actual_departure else None,
         "actual_departure": placement.actual_departure, "status": placement.status, **placement.outcome_row}
        for placement in past
    ])
    db.session.execute(
        sa.update(Placement.__table__).where(Placement.__table__.c.person_id == sa.bindparam("person"))
        .values(placement_request_id=sa.bindparam("request")),
        [{"person": person_ids[crn], "request": request_of[referral.id]}
         for crn, referral in history.referrals_of_today.items()],
    )
    secured = [person_ids[crn] for crn in history.move_on_secured]
    known = db.session.execute(sa.select(Placement.id, Placement.actual_arrival, Placement.premises_id)
                               .where(Placement.person_id.in_(secured))).all()
    staff_of = _staff_of({premises_id for _, _, premises_id in known}, staff)
    _insert(PreparationCheck.__table__, [
        {"placement_id": placement_id, "item": PreparationItem.MOVE_ON_PLAN_KNOWN, "checked_at": arrival,
         "checked_by_id": staff_of[premises_id]}
        for placement_id, arrival, premises_id in known
    ])


def _staff_of(premises_ids: set[int], staff: User) -> dict[int, int]:
    """Who ticked the checklists at each premises: the demo's AP staff at their own, and at every other an account
    of that premises' staff, signed out for good (as the past referrals' author), so that nobody seems to work
    everywhere."""
    others = db.session.execute(sa.select(Premises.id, Premises.code, Premises.name)
                                .where(Premises.id.in_(premises_ids - {staff.premises_id})).order_by(Premises.id))
    accounts = {premises_id: User(email=f"staff.{code.lower()}@demo.test", name=f"{name} staff Demo",
                                  password_hash=staff.password_hash, premises_id=premises_id, is_active=False)
                for premises_id, code, name in others}
    for account in accounts.values():
        account.roles = (Role.AP_STAFF,)
    db.session.add_all(accounts.values())
    db.session.flush()
    return {premises_id: account.id for premises_id, account in accounts.items()} | {staff.premises_id: staff.id}


def _past_referral_row(referral: PastReferral, person_ids: dict[str, int], author: User,
                       regions: dict[str, Region]) -> dict:
    return {
        "person_id": person_ids[referral.person["crn"]], "created_by_id": author.id,
        "region_id": regions[referral.region_name].id, "status": ReferralStatus.ACCEPTED,
        "reference": f"AP-{referral.submitted_at:%y}-H{referral.number:05d}",
        "created_at": referral.submitted_at - timedelta(days=2), "updated_at": referral.decided_at,
        "submitted_at": referral.submitted_at, "arrival_date": referral.arrival, "is_emergency": False,
        "requested_ap_type": referral.premises.site.ap_type, "home_area": referral.home_area,
        "move_on_category": referral.expected_move_on, "has_move_on_plans": referral.has_move_on_plans,
    }


def _insert(table: sa.Table, rows: list[dict]) -> None:
    """A Core executemany (the ORM's bulk insert splits rows by which columns are None, and slows down); on
    PostgreSQL a COPY, many times faster for the history's hundreds of thousands of rows."""
    if not rows:
        return
    if db.engine.dialect.name == "postgresql":
        _copy(table, rows)
    else:
        db.session.execute(table.insert(), rows)


def _copy(table: sa.Table, rows: list[dict]) -> None:
    """The rows through PostgreSQL's COPY, each value as an INSERT would send it (the column type's own
    processing, for enums and JSON) and the columns' Python-side defaults filled in, as an INSERT would."""
    dialect = db.engine.dialect
    given = list(rows[0])
    defaults = {column.name: column.default for column in table.columns
                if column.name not in given and column.default is not None and not column.primary_key}
    columns = [table.c[name] for name in [*given, *defaults]]
    processors = [column.type._cached_bind_processor(dialect) or (lambda value: value) for column in columns]
    names = ", ".join(dialect.identifier_preparer.quote(column.name) for column in columns)
    cursor = db.session.connection().connection.cursor()
    with cursor.copy(f"COPY {dialect.identifier_preparer.format_table(table)} ({names}) FROM STDIN") as copy:
        for row in rows:
            values = [row[name] for name in given] + [
                default.arg(None) if default.is_callable else default.arg for default in defaults.values()]
            copy.write_row([process(value) for process, value in zip(processors, values)])


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
            is_active=demo_user.is_active,
        )
        user.roles = demo_user.roles
        users.append(user)
    return users
