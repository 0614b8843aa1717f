"""Finding and adding a person, and their page with their referrals."""


import sqlalchemy as sa

from app.extensions import db
from app.models import Person, Referral
from tests.app.pages import error_messages


def _form(**overrides) -> dict:
    return {"crn": "x765432", "name": "Sam Fictional", "date_of_birth": ["2", "1", "1990"], "gender": "male",
            "gender_identity": "", "nationality": "Welsh"} | overrides


def test_a_search_that_finds_nobody_offers_to_add_the_person(client_request, manager):
    page = client_request.get("/people?q=X999999")
    assert "Nobody matches ‘X999999’" in page.text
    assert page.find("a", string="add them")["href"] == "/people/new"


def test_a_search_lists_people_by_crn_or_name(client_request, manager, make_person):
    make_person(crn="X111111", name="Jane Fictional")
    page = client_request.get("/people?q=jane")
    assert [cell.text for cell in page.select("tbody td:nth-of-type(2)")] == ["X111111"]


def test_adding_a_person_leads_to_their_page(client_request, manager):
    location = client_request.post("/people/new", _form())
    person = db.session.scalar(sa.select(Person))
    assert (location, person.crn) == (f"/people/{person.id}", "X765432")
    page = client_request.get(location)
    assert page.h1.text == "Sam Fictional"
    details = {row.dt.text.strip(): row.dd.text.strip() for row in page.select(".govuk-summary-list__row")}
    assert (details["Gender"], details["Nationality"], details["Gender identity"]) == ("Male", "Welsh", "Not given")
    assert "has no referrals you can see" in page.text


def test_bad_input_is_shown_at_each_field_and_nothing_is_saved(client_request, manager):
    page = client_request.post("/people/new", _form(crn="12", name="", date_of_birth=["31", "2", "1990"], gender=""),
                               expected_status=200)
    assert error_messages(page) == {
        "crn": "Enter a CRN in the correct format: one letter and six numbers, like X123456",
        "name": "Enter the person's full name",
        "date_of_birth-day": "Date of birth must be a real date",
        "gender": "Select the person's gender",
    }
    assert page.select_one("#crn")["value"] == "12"
    assert db.session.scalar(sa.select(sa.func.count(Person.id))) == 0


def test_a_crn_in_use_links_to_the_person_who_has_it(client_request, manager, make_person):
    existing = make_person(crn="X765432")
    page = client_request.post("/people/new", _form(), expected_status=200)
    assert error_messages(page) == {"crn": "A person with CRN X765432 already exists"}
    assert page.select_one(".govuk-inset-text a")["href"] == f"/people/{existing.id}"


def test_starting_a_referral_opens_its_task_list(client_request, manager, make_person):
    person = make_person()
    location = client_request.post(f"/people/{person.id}/referrals")
    referral = db.session.scalar(sa.select(Referral))
    assert location == f"/referrals/{referral.id}"
    page = client_request.get(f"/people/{person.id}")
    assert "0 of 10 sections completed" in page.select_one("tbody").text


def test_the_home_page_links_to_my_referrals_and_find_a_person(client_request, manager):
    page = client_request.get("/")
    links = {link.text.strip(): link["href"] for link in page.select("main h2 a")}
    assert (links["My referrals"], links["Find a person"]) == ("/referrals", "/people")
