"""The Location section page by page: home area, distance and preferred APs, with errors at the fields."""

from app.extensions import db
from tests.app.pages import error_messages


def _url(referral, slug: str) -> str:
    return f"/referrals/{referral.id}/location/{slug}"


def _rows(page) -> dict[str, str]:
    return {row.dt.text.strip(): row.dd.get_text(" ", strip=True) for row in page.select(".govuk-summary-list__row")}


def _summary(page) -> list[str]:
    return [link["href"] for link in page.select(".govuk-error-summary a")]


def test_the_location_section_page_by_page_to_completed(client_request, referral, make_premises):
    first, second = make_premises("Fictional House", gender=referral.person.gender), make_premises(
        "Second House", gender=referral.person.gender, town="Leeds")
    assert client_request.post(_url(referral, "home-area"), {"home_area": "Leeds", "home_area_ties": "Family"}) == \
        _url(referral, "distance")
    assert client_request.post(_url(referral, "distance"), {"max_distance_miles": "50"}) == \
        _url(referral, "preferred-aps")
    page = client_request.get(_url(referral, "preferred-aps"))
    assert [option.text for option in page.select("#preferred_1 option")] == [
        "No preference", "Fictional House, Preston", "Second House, Leeds"]
    choices = {"has_preferred_premises": "yes", "preferred_1": "", "preferred_2": str(second.id),
               "preferred_3": str(first.id)}
    assert client_request.post(_url(referral, "preferred-aps"), choices) == _url(referral, "check-answers")
    rows = _rows(client_request.get(_url(referral, "check-answers")))
    assert rows == {"Home area": "Leeds", "What ties the person there": "Family",
                    "Furthest distance": "50 miles (80 km)", "Areas to avoid": "None",
                    "Preferred APs": "Second House, Leeds Fictional House, Preston"}
    task_list = client_request.get(f"/referrals/{referral.id}")
    item = next(item for item in task_list.select(".govuk-task-list__item") if "Location" in item.text)
    assert item.select_one(".govuk-task-list__status").text.strip() == "Completed"
    page = client_request.get(_url(referral, "preferred-aps"))
    assert page.select_one("#preferred_1 option[selected]")["value"] == str(second.id)


def test_an_unknown_home_area_and_no_ties_are_errors_at_their_fields(client_request, referral):
    page = client_request.post(_url(referral, "home-area"), {"home_area": "Atlantis", "home_area_ties": ""},
                               expected_status=200)
    assert error_messages(page) == {
        "home_area": "Enter a town in England or Wales, or a postcode district, like Leeds or LS1",
        "home_area_ties": "Describe what ties the person to their home area"}
    assert _summary(page) == ["#home_area", "#home_area_ties"]
    assert page.select_one("#home_area")["value"] == "Atlantis"
    page = client_request.post(_url(referral, "home-area"), {"home_area": "LSS1", "home_area_ties": "Work"},
                               expected_status=200)
    assert error_messages(page) == {"home_area": "Enter a postcode district in the correct format, like LS1 or SE5"}


def test_a_distance_of_zero_or_not_a_number_is_an_error_and_the_saved_one_kept(client_request, manager, make_referral):
    referral = make_referral(manager, max_distance_miles=40)
    page = client_request.post(_url(referral, "distance"), {"max_distance_miles": "0"}, expected_status=200)
    assert error_messages(page) == {"max_distance_miles": "The distance must be more than 0 miles"}
    assert _summary(page) == ["#max_distance_miles"]
    page = client_request.post(_url(referral, "distance"), {"max_distance_miles": "fifty"}, expected_status=200)
    assert error_messages(page) == {"max_distance_miles": "Enter the distance as a whole number of miles, like 50"}
    db.session.refresh(referral)
    assert referral.max_distance_miles == 40


def test_an_ap_chosen_twice_is_an_error_at_the_second_choice(client_request, referral, make_premises):
    house = make_premises("Fictional House", gender=referral.person.gender)
    twice = {"has_preferred_premises": "yes", "preferred_1": str(house.id), "preferred_2": str(house.id)}
    page = client_request.post(_url(referral, "preferred-aps"), twice, expected_status=200)
    assert error_messages(page) == {"preferred_2": "You have chosen Fictional House twice: choose each AP once"}
    assert _summary(page) == ["#preferred_2"]
    page = client_request.post(_url(referral, "preferred-aps"), {"has_preferred_premises": "yes"}, expected_status=200)
    assert error_messages(page) == {"preferred_1": "Select the person's first preferred AP"}
    page = client_request.post(_url(referral, "preferred-aps"), {"has_preferred_premises": "yes", "preferred_1": "x"},
                               expected_status=200)
    assert error_messages(page) == {"preferred_1": "Select preferred APs from the list"}
    assert referral.preferred_premises == []


def test_aps_chosen_before_answering_no_are_not_saved(client_request, referral, make_premises):
    house = make_premises("Fictional House", gender=referral.person.gender)
    client_request.post(_url(referral, "preferred-aps"), {"has_preferred_premises": "no", "preferred_1": str(house.id)})
    db.session.refresh(referral)
    assert (referral.has_preferred_premises, referral.preferred_premises_ids) == (False, None)


def test_another_regions_offender_manager_gets_404(client_request, referral, other_region_manager):
    client_request.sign_in(other_region_manager)
    for slug in ("home-area", "distance", "preferred-aps", "check-answers"):
        client_request.get(_url(referral, slug), expected_status=404)
    client_request.post(_url(referral, "distance"), {"max_distance_miles": "10"}, expected_status=404)
    db.session.refresh(referral)
    assert referral.max_distance_miles is None
