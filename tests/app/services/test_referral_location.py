"""The Location section: a home area the service can find, a distance in miles, and up to five preferred APs."""


import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.extensions import db
from app.models import AuditEvent, PostcodeDistrict
from app.services import referrals
from app.services.audit import readable
from app.services.referral_location import MAX_DISTANCE_MILES, distance_problem, place_problem
from app.services.referrals import LOCATION, SectionStatus
from app.services.validation import InvalidInput
from vocabulary import KM_PER_MILE, Gender

pytestmark = pytest.mark.usefixtures("referral_day")


@pytest.fixture
def referral(offender_manager, make_referral, make_person):
    return make_referral(offender_manager, make_person(gender=Gender.MALE))


@pytest.fixture
def leeds_district():
    db.session.add(PostcodeDistrict(code="LS1", longitude=-1.55, latitude=53.80))
    db.session.commit()


def _save(user, referral, slug, **answers):
    referrals.save_page(user, referral, LOCATION, LOCATION.page(slug), answers)


def _refused(user, referral, slug, **answers) -> dict[str, str]:
    with pytest.raises(InvalidInput) as refusal:
        _save(user, referral, slug, **answers)
    db.session.rollback()
    return refusal.value.problems


@pytest.mark.parametrize("area", ["Leeds", "leeds", "LS1", "ls 1", "LS1 4AP", "Newport"])
def test_a_home_area_is_a_town_or_an_imported_postcode_district(leeds_district, area):
    assert place_problem(area, missing="Enter it") is None


@pytest.mark.parametrize(("area", "problem"), [
    ("", "Enter it"),
    ("   ", "Enter it"),
    ("Atlantis", "Enter a town in England or Wales, or a postcode district, like Leeds or LS1"),
    ("Glasgow", "Enter a town in England or Wales, or a postcode district, like Leeds or LS1"),
    ("ZZ9", "Enter a town in England or Wales, or a postcode district, like Leeds or LS1"),  # well formed, unknown
    ("LSS1", "Enter a postcode district in the correct format, like LS1 or SE5"),
    ("LS1 99", "Enter a postcode district in the correct format, like LS1 or SE5"),
    ("123", "Enter a postcode district in the correct format, like LS1 or SE5"),
])
def test_an_unknown_town_or_a_malformed_district_is_refused(leeds_district, area, problem):
    assert place_problem(area, missing="Enter it") == problem


def test_the_home_area_and_its_ties_are_needed(offender_manager, referral):
    assert _refused(offender_manager, referral, "home-area", home_area="Atlantis", home_area_ties="") == {
        "home_area": "Enter a town in England or Wales, or a postcode district, like Leeds or LS1",
        "home_area_ties": "Describe what ties the person to their home area",
    }
    _save(offender_manager, referral, "home-area", home_area=" Leeds ", home_area_ties="Mother and two children")
    assert (referral.home_area, referral.home_area_ties) == ("Leeds", "Mother and two children")


@given(miles=st.integers(-10_000, 10_000))
def test_a_distance_is_accepted_exactly_from_1_to_500_miles(miles):
    assert (distance_problem(miles) is None) == (1 <= miles <= MAX_DISTANCE_MILES)


def test_a_distance_of_zero_or_less_or_none_is_refused(offender_manager, referral):
    assert _refused(offender_manager, referral, "distance", max_distance_miles=0, areas_to_avoid="") == {
        "max_distance_miles": "The distance must be more than 0 miles"}
    assert _refused(offender_manager, referral, "distance", max_distance_miles=None, areas_to_avoid="Moss Side") == {
        "max_distance_miles": "Enter the furthest distance the person would accept, in miles"}
    _save(offender_manager, referral, "distance", max_distance_miles=50, areas_to_avoid="")
    assert (referral.max_distance_miles, referral.areas_to_avoid) == (50, None)
    assert referral.max_distance_km == pytest.approx(50 * KM_PER_MILE)


def test_up_to_five_preferred_aps_are_kept_in_order(offender_manager, referral, make_premises):
    houses = [make_premises(f"House {number}") for number in range(6)]
    ids = [house.id for house in houses]
    _save(offender_manager, referral, "preferred-aps", has_preferred_premises=True, preferred_premises_ids=ids[4::-1])
    db.session.expire_all()
    assert referral.preferred_premises_ids == ids[4::-1]
    assert [preference.rank for preference in referral.preferred_premises] == [1, 2, 3, 4, 5]
    assert _refused(offender_manager, referral, "preferred-aps", has_preferred_premises=True, preferred_premises_ids=ids) == {
        "preferred_premises_ids": "Select up to 5 preferred APs"}
    _save(offender_manager, referral, "preferred-aps", has_preferred_premises=True, preferred_premises_ids=[ids[5], ids[0]])
    db.session.expire_all()
    assert referral.preferred_premises_ids == [ids[5], ids[0]]


def test_a_premises_twice_or_not_offered_or_none_when_some_are_preferred_is_refused(offender_manager, referral, make_premises):
    house = make_premises("Fictional House")
    closed = make_premises("Closed House", is_active=False)
    womens = make_premises("Women's House", gender=Gender.FEMALE)
    problems = {
        (house.id, house.id): "You have chosen Fictional House twice: choose each AP once",
        (house.id, closed.id): "Select preferred APs from the list",
        (womens.id,): "Select preferred APs from the list",
        (2**40,): "Select preferred APs from the list",
        (): "Select the person's first preferred AP",
    }
    for ids, problem in problems.items():
        assert _refused(offender_manager, referral, "preferred-aps", has_preferred_premises=True,
                        preferred_premises_ids=list(ids)) == {"preferred_premises_ids": problem}
    problems = _refused(offender_manager, referral, "preferred-aps", has_preferred_premises=False,
                        preferred_premises_ids=[house.id])
    assert problems == {"preferred_premises_ids": "Remove the preferred APs, or select yes"}
    assert _refused(offender_manager, referral, "preferred-aps", has_preferred_premises=None, preferred_premises_ids=None) == {
        "has_preferred_premises": "Select whether the person has preferred APs"}
    assert referral.preferred_premises == []


def test_the_location_section_not_started_then_in_progress_then_completed(offender_manager, referral):
    assert referrals.section_status(referral, LOCATION) is SectionStatus.NOT_STARTED
    _save(offender_manager, referral, "home-area", home_area="Leeds", home_area_ties="Family")
    assert referrals.section_status(referral, LOCATION) is SectionStatus.IN_PROGRESS
    _save(offender_manager, referral, "distance", max_distance_miles=80, areas_to_avoid=None)
    _save(offender_manager, referral, "preferred-aps", has_preferred_premises=False, preferred_premises_ids=None)
    assert referrals.section_status(referral, LOCATION) is SectionStatus.COMPLETED


def test_preferred_aps_are_audited_by_id_and_read_by_name(offender_manager, referral, make_premises):
    house = make_premises("Fictional House")
    _save(offender_manager, referral, "preferred-aps", has_preferred_premises=True, preferred_premises_ids=[house.id])
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "referral_answered"))
    assert event.details["changes"]["preferred_premises_ids"] == [None, [house.id]]
    assert "Preferred APs: None → Fictional House" in readable([event])[0].details
