"""People on probation: found by CRN or name, and added by offender managers who are about to refer them."""

import re
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app import clock
from app.extensions import db
from app.models import Person, Referral, User
from app.services import access, audit
from app.services.validation import refuse_if_any, text_problem
from vocabulary import Gender

# The case reference number as the national probation service writes it: one letter and six digits.
CRN_FORMAT = re.compile(r"[A-Z][0-9]{6}")
YOUNGEST_AGE = 18  # approved premises are for adults
OLDEST_AGE = 110
MAX_RESULTS = 50


@dataclass(frozen=True)
class PersonDetails:
    crn: str
    name: str
    date_of_birth: date | None
    gender: Gender | None
    gender_identity: str = ""
    nationality: str = ""


def normalised_crn(crn: str | None) -> str:
    """CRNs are compared and stored in upper case, without the spaces people type around them."""
    return (crn or "").strip().upper()


def find_people(user: User, search: str) -> list[Person]:
    """People whose CRN is `search`, or whose name contains it, among those the user may see; by name."""
    words = (search or "").strip()
    if not words:
        return []
    matches = (Person.crn == normalised_crn(words)) | Person.name.icontains(words, autoescape=True)
    query = sa.select(Person).where(matches, access.visible(user, Person)).order_by(Person.name, Person.crn)
    return list(db.session.scalars(query.limit(MAX_RESULTS)))


def person_with_crn(crn: str) -> Person | None:
    return db.session.scalar(sa.select(Person).where(Person.crn == normalised_crn(crn)))


def person_problems(details: PersonDetails) -> dict[str, str]:
    """Every rule `details` breaks, keyed by field."""
    checks = {
        "crn": _crn_problem(details.crn),
        "name": text_problem(details.name, missing="Enter the person's full name", max_length=120, what="Full name"),
        "date_of_birth": _date_of_birth_problem(details.date_of_birth),
        "gender": None if details.gender else "Select the person's gender",
        "gender_identity": _optional_text_problem(details.gender_identity, 60, "Gender identity"),
        "nationality": text_problem(details.nationality, missing="Enter the person's nationality", max_length=60,
                                    what="Nationality"),
    }
    return {name: problem for name, problem in checks.items() if problem}


def add_person(user: User, details: PersonDetails) -> Person:
    refuse_if_any(person_problems(details))
    person = Person(
        crn=normalised_crn(details.crn),
        name=details.name.strip(),
        date_of_birth=details.date_of_birth,
        gender=details.gender,
        gender_identity=details.gender_identity.strip() or None,
        nationality=details.nationality.strip(),
    )
    db.session.add(person)
    db.session.flush()
    audit.record("person_added", person, user=user, crn=person.crn)
    db.session.commit()
    return person


def referrals_of(user: User, person: Person) -> list[Referral]:
    """The person's referrals that the user may see, newest first."""
    query = (
        sa.select(Referral)
        .options(selectinload(Referral.created_by))
        .where(Referral.person_id == person.id, access.visible(user, Referral))
    )
    return list(db.session.scalars(query.order_by(Referral.created_at.desc(), Referral.id.desc())))


def _crn_problem(crn: str) -> str | None:
    crn = normalised_crn(crn)
    if not crn:
        return "Enter the person's CRN"
    if not CRN_FORMAT.fullmatch(crn):
        return "Enter a CRN in the correct format: one letter and six numbers, like X123456"
    if person_with_crn(crn):
        return f"A person with CRN {crn} already exists"
    return None


def _date_of_birth_problem(born: date | None) -> str | None:
    if born is None:
        return "Enter the person's date of birth"
    today = clock.today()
    if born >= today:
        return "Date of birth must be in the past"
    if _age_on(born, today) < YOUNGEST_AGE:
        return f"The person must be {YOUNGEST_AGE} or older: approved premises are for adults"
    if _age_on(born, today) > OLDEST_AGE:
        return f"The person cannot be older than {OLDEST_AGE}: check the date of birth"
    return None


def _age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _optional_text_problem(value: str, max_length: int, what: str) -> str | None:
    return f"{what} must be {max_length} characters or fewer" if len((value or "").strip()) > max_length else None
