"""Factories for people and referrals, shared by the referral service and page tests."""

from datetime import date

import pytest

from app.extensions import db
from app.models import Person, Referral
from vocabulary import Gender


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
