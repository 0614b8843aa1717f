"""Finding and adding people: the CRN's format and uniqueness, a plausible date of birth, nothing saved when refused."""

from datetime import date, datetime

import pytest
import sqlalchemy as sa

from app.clock import LONDON
from app.extensions import db
from app.models import AuditEvent, Person
from app.permissions import Role
from app.services import people
from app.services.people import PersonDetails
from app.services.validation import InvalidInput
from vocabulary import Gender


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime(2030, 6, 15, 12, tzinfo=LONDON), tick=False)


@pytest.fixture
def manager(make_user, region):
    return make_user(Role.OFFENDER_MANAGER, region=region)


def _details(**overrides) -> PersonDetails:
    fields = {"crn": " x654321 ", "name": "Sam Fictional", "date_of_birth": date(1990, 1, 2), "gender": Gender.MALE,
              "gender_identity": "", "nationality": "Welsh"}
    return PersonDetails(**(fields | overrides))


def _refused(manager, **overrides) -> dict[str, str]:
    count = db.session.scalar(sa.select(sa.func.count(Person.id)))
    with pytest.raises(InvalidInput) as refusal:
        people.add_person(manager, _details(**overrides))
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Person.id))) == count
    return refusal.value.problems


def test_a_person_is_added_with_their_crn_in_upper_case_and_audited(manager):
    person = people.add_person(manager, _details())
    assert (person.crn, person.nationality, person.gender_identity, person.rosh_overall) == ("X654321", "Welsh", None, None)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "person_added"))
    assert (event.user_id, event.object_id) == (manager.id, str(person.id))


@pytest.mark.parametrize("crn", ["123456", "XX12345", "X12345", "X1234567", "X12 3456", "É123456"])
def test_a_crn_in_the_wrong_format_is_refused(manager, crn):
    assert _refused(manager, crn=crn) == {"crn": "Enter a CRN in the correct format: one letter and six numbers, like X123456"}


def test_a_crn_already_in_use_is_refused_whatever_its_case(manager, make_person):
    make_person(crn="X654321")
    assert _refused(manager, crn="x654321") == {"crn": "A person with CRN X654321 already exists"}


@pytest.mark.parametrize(("born", "problem"), [
    (date(2030, 6, 15), "Date of birth must be in the past"),
    (date(2012, 6, 16), "The person must be 18 or older: approved premises are for adults"),
    (date(1919, 6, 15), "The person cannot be older than 110: check the date of birth"),
    (None, "Enter the person's date of birth"),
])
def test_an_implausible_date_of_birth_is_refused(manager, born, problem):
    assert _refused(manager, date_of_birth=born) == {"date_of_birth": problem}


def test_the_youngest_and_oldest_ages_are_allowed(manager):
    people.add_person(manager, _details(date_of_birth=date(2012, 6, 15)))
    people.add_person(manager, _details(crn="X000001", date_of_birth=date(1919, 6, 16)))


def test_every_missing_answer_is_reported_at_once(manager):
    problems = _refused(manager, crn="", name=" ", gender=None, nationality="", gender_identity="x" * 61)
    assert set(problems) == {"crn", "name", "gender", "nationality", "gender_identity"}


def test_people_are_found_by_exact_crn_or_by_part_of_their_name(manager, make_person):
    jane = make_person(crn="X111111", name="Jane Fictional")
    john = make_person(crn="X222222", name="John Madeup")
    assert people.find_people(manager, " x222222 ") == [john]
    assert people.find_people(manager, "fiction") == [jane]
    assert people.find_people(manager, "X2222") == []
    assert people.find_people(manager, "") == []
