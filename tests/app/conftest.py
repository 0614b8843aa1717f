"""Fixtures for the web application: a migrated database per test worker, emptied after each test,
object factories, and `client_request`, which signs in and checks every page it fetches."""

import os
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.clock import LONDON
from app.extensions import db, limiter
from app.models import (
    Bed,
    Characteristic,
    OptimiserRun,
    Person,
    Placement,
    PlacementRequest,
    PlacementStatus,
    Premises,
    Referral,
    Region,
    Room,
    User,
)
from app.permissions import Role
from app.services import optimiser_runs
from app.services.reference import sync_reference_data
from tests.app.pages import PageClient
from tests.app.referral_answers import COMPLETE_ANSWERS
from vocabulary import APType, Gender, Notice, ReferralStatus

REFERENCE_TABLES = {"region", "area", "characteristic", "alembic_version"}
PASSWORD = "correct horse battery staple"


def _database_url(tmp_path_factory, worker_id: str) -> str:
    """One database per xdist worker: a SQLite file, or a PostgreSQL database made from TEST_DATABASE_URL."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    url = sa.engine.make_url(base)
    name = f"{url.database}_{worker_id}"
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("PostgreSQL is not reachable")
    finally:
        engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def app(tmp_path_factory, worker_id):
    app = create_app("test", SQLALCHEMY_DATABASE_URI=_database_url(tmp_path_factory, worker_id), WTF_CSRF_ENABLED=False)
    with app.app_context():
        upgrade()
        sync_reference_data()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def worker_id(request):
    return getattr(request.config, "workerinput", {}).get("workerid", "main")


@pytest.fixture(autouse=True)
def _clean_database(app):
    """Every test starts from reference data only; deleting rather than rolling back lets tests commit."""
    with app.app_context():
        yield
        _empty_tables()


def _empty_tables() -> None:
    db.session.rollback()
    for table in reversed(db.metadata.sorted_tables):
        if table.name not in REFERENCE_TABLES:
            db.session.execute(table.delete())
    db.session.commit()
    limiter.reset()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def region():
    return db.session.scalar(sa.select(Region).where(Region.name == "North West"))


@pytest.fixture
def make_premises(region):
    def make(name="Fictional House", *, beds=4, gender=Gender.MALE, ap_type=APType.STANDARD, target_region=None,
             characteristics=(), room_characteristics=("is_single",), **fields):
        premises = Premises(
            name=name,
            code=fields.pop("code", name[:3].upper() + str(db.session.scalar(sa.select(sa.func.count(Premises.id))) + 1)),
            gender=gender,
            ap_type=ap_type,
            address=fields.pop("address", "1 Example Street"),
            town=fields.pop("town", "Preston"),
            postcode=fields.pop("postcode", "PR1 1AA"),
            longitude=fields.pop("longitude", -2.7),
            latitude=fields.pop("latitude", 53.76),
            region=target_region or region,
            characteristics=_characteristics(characteristics),
            **fields,
        )
        for number in range(1, beds + 1):
            room = Room(name=f"Room {number}", characteristics=_characteristics(room_characteristics))
            room.beds.append(Bed(name=f"Bed {number}", active_from=date(2020, 1, 1)))
            premises.rooms.append(room)
        db.session.add(premises)
        db.session.commit()
        return premises

    return make


def _characteristics(codes) -> list[Characteristic]:
    return list(db.session.scalars(sa.select(Characteristic).where(Characteristic.code.in_(codes)))) if codes else []


@pytest.fixture
def make_user():
    def make(*roles: Role, email=None, premises=None, region=None, active=True, name=None):
        roles = roles or (Role.OFFENDER_MANAGER,)
        user = User(
            name=name or f"Test {roles[0].label}",
            email=email or f"{'-'.join(r.value for r in roles)}.{db.session.scalar(sa.select(sa.func.count(User.id)))}@example.test",
            is_active=active,
            premises=premises,
            region=region,
        )
        user.roles = roles
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def client_request(client):
    return PageClient(client)


@pytest.fixture
def make_person():
    def make(crn="X123456", name="Jane Fictional", **fields):
        person = Person(crn=crn, name=name, gender=fields.pop("gender", Gender.FEMALE),
                        date_of_birth=fields.pop("date_of_birth", date(1990, 5, 17)), nationality="British", **fields)
        db.session.add(person)
        db.session.commit()
        return person

    return make


@pytest.fixture
def make_referral(make_person):
    def make(author, person=None, **answers):
        referral = Referral(person=person or make_person(), created_by=author, region=author.region, **answers)
        db.session.add(referral)
        db.session.commit()
        return referral

    return make


@pytest.fixture
def make_submitted_referral(make_referral, make_person):
    """A complete referral submitted at `submitted_at` (London time), for a new fictional person unless one is given;
    `status` may say where it has got to since."""

    def make(author, person=None, submitted_at=datetime(2030, 6, 10, 10, tzinfo=LONDON), **answers):
        person = person or make_person(crn=f"S{db.session.scalar(sa.select(sa.func.count(Person.id))):06d}")
        return make_referral(author, person, **(COMPLETE_ANSWERS | {
            "status": ReferralStatus.SUBMITTED, "submitted_at": submitted_at.astimezone(UTC).replace(tzinfo=None)}
            | answers))

    return make


PLACING_DAY = datetime(2030, 8, 25, 12, tzinfo=LONDON)  # a week before the test requests' expected arrival


@pytest.fixture
def placing_day(time_machine):
    """Noon on 25 August 2030 in London: the day placing people is tested on, a week before the arrival that
    make_placement_request's referrals expect (1 September 2030)."""
    time_machine.move_to(PLACING_DAY, tick=False)


@pytest.fixture
def placer(make_user, region):
    """A central referral unit user of `region`: who places that region's people."""
    return make_user(Role.REFERRAL_UNIT, region=region, email="cru@example.test", name="Cara Unit")


@pytest.fixture
def referral_day(time_machine):
    """Noon on 15 June 2030 in London: the day tests/app/referral_answers.py's dates are complete on."""
    time_machine.move_to(datetime(2030, 6, 15, 12, tzinfo=LONDON), tick=False)


@pytest.fixture
def offender_manager(make_user, region):
    return make_user(Role.OFFENDER_MANAGER, region=region)


@pytest.fixture
def make_placement_request(make_submitted_referral, make_user, region):
    """A placement request accepted from a new submitted referral (by its own offender manager, of `region`);
    `answers` change the referral, `fields` the request."""

    def make(answers=None, **fields):
        author = make_user(Role.OFFENDER_MANAGER, region=fields.pop("target_region", None) or region)
        referral = make_submitted_referral(author, status=ReferralStatus.ACCEPTED, **(answers or {}))
        placement_request = PlacementRequest(
            referral=referral, person=referral.person, region=referral.region, created_by=author,
            **({"gender": Gender.MALE, "ap_type": APType.STANDARD, "essential_characteristics": [],
                "desirable_characteristics": [], "notice": Notice.STANDARD, "expected_arrival": referral.arrival_date,
                "length_of_stay_weeks": 12} | fields))
        db.session.add(placement_request)
        db.session.commit()
        return placement_request

    return make


@pytest.fixture
def finished_run(make_user, region):
    """Runs the optimiser now over the region's open requests, as its background job does, and returns the run:
    proposals to review, from the real optimiser."""

    def run() -> OptimiserRun:
        started = OptimiserRun(created_by=make_user(Role.REFERRAL_UNIT, region=region), region=region, method="cpsat", time_limit_s=10,
                               parameters={"workers": 1}, progress=[])
        db.session.add(started)
        db.session.commit()
        optimiser_runs.perform(started.id)
        db.session.expire_all()
        return db.session.get(OptimiserRun, started.id)

    return run


@pytest.fixture
def fill(make_person):
    """Takes every bed of a premises for a stay, as bookings made since a run would."""

    def take(premises, arrival, departure):
        for number, room in enumerate(premises.rooms):
            db.session.add(Placement(person=make_person(crn=f"F{premises.id:03d}{number:03d}", name="Fictional Resident"),
                                     premises=premises, status=PlacementStatus.UPCOMING, expected_arrival=arrival,
                                     expected_departure=departure))
        db.session.commit()

    return take


@pytest.fixture(params=["thread", "rq"])
def background(request, app, monkeypatch, time_machine):
    """Optimiser runs' background jobs, in a thread and on RQ (Redis), on the day the runs plan from."""
    from tests.app.runs_factories import Background  # it imports this module's PLACING_DAY

    time_machine.move_to(PLACING_DAY)
    found = Background(app, request.param, monkeypatch)
    yield found
    found.close()
