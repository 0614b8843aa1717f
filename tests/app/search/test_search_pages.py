"""The search and booking pages: results and reasons as the service finds them, booking from a result, and the
booking's changes, with bad input beside its field and refusals in the error summary, nothing saved."""

from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Placement, PlacementRequestStatus, PlacementStatus, Region
from app.permissions import Role
from app.services import bookings
from tests.app.conftest import PLACING_DAY
from tests.app.manage.estate_factories import add_placement, beds_of
from tests.app.pages import error_messages
from vocabulary import CancellationReason, Gender

TODAY = PLACING_DAY.date()
ARRIVAL = date(2030, 9, 1)  # the test referrals' expected arrival

pytestmark = pytest.mark.usefixtures("placing_day")


@pytest.fixture
def signed_in(client_request, placer):
    return client_request.sign_in(placer)


@pytest.fixture
def waiting(make_placement_request):
    return make_placement_request()


def _date(name: str, day: date) -> list[tuple[str, str]]:
    return [(name, str(day.day)), (name, str(day.month)), (name, str(day.year))]


def _search_url(placement_request, arrival=ARRIVAL, weeks="12", **more) -> str:
    query = _date("arrival", arrival) + [("length_of_stay_weeks", weeks)] + list(more.items())
    return f"/placement-requests/{placement_request.id}/search?{urlencode(query)}"


def _book_url(placement_request, premises, arrival=ARRIVAL, weeks=12) -> str:
    departure = arrival + timedelta(weeks=weeks)
    return f"/placement-requests/{placement_request.id}/book/{premises.id}?arrival={arrival}&departure={departure}"


def _rows(page) -> list[list[str]]:
    table = page.find("caption", string="Approved premises with room").find_parent("table")
    return [[cell.get_text(" ", strip=True) for cell in row.find_all("td")] for row in table.select("tbody tr")]


def _summary_errors(page) -> list[str]:
    return [item.get_text(" ", strip=True) for item in page.select(".govuk-error-summary__list li")]


def test_the_search_form_starts_from_the_requests_expected_arrival_and_authorised_stay(signed_in, waiting):
    page = signed_in.get(f"/placement-requests/{waiting.id}/search")
    assert [page.find(id=f"arrival-{part}")["value"] for part in ("day", "month", "year")] == ["01", "09", "2030"]
    assert page.find(id="length_of_stay_weeks")["value"] == "12"
    assert page.find(id="include_full") is None  # the referral unit may not overbook
    assert page.find("caption") is None


def test_results_are_nearest_first_with_each_nights_beds_and_the_ruled_out_with_why(signed_in, make_premises,
                                                                                      waiting):
    far = make_premises("Lancaster House", longitude=-2.8, latitude=54.05, beds=2)
    add_placement(far, arrival=TODAY, departure=ARRIVAL + timedelta(days=3), bed=beds_of(far)[0])
    make_premises("Near House", longitude=-2.72)
    make_premises("Women's House", gender=Gender.FEMALE)
    page = signed_in.get(_search_url(waiting, weeks="1"))
    rows = _rows(page)
    assert [row[0].split(" Preston")[0] for row in rows] == ["Near House", "Lancaster House"]
    assert rows[1][1] == "33 km (20 miles)"
    strip = [night.get_text(" ", strip=True) for night in page.select("ol.app-strip")[1].find_all("li")]
    assert strip == ["1 September 2030: 1", "2 September 2030: 1", "3 September 2030: 1", "4 September 2030: 2",
                     "5 September 2030: 2", "6 September 2030: 2", "7 September 2030: 2"]
    assert "Free every night" in rows[1][2] and rows[1][2].endswith("Fewest free over the stay: 1 in total")
    assert page.select_one(".govuk-details").get_text(" ", strip=True).endswith("Women's House: gender: a women's AP")


@pytest.mark.parametrize("query, field, message", [
    (_date("arrival", TODAY - timedelta(days=1)) + [("length_of_stay_weeks", "12")], "arrival-day",
     "The arrival date must be today or in the future"),
    (_date("arrival", ARRIVAL) + [("length_of_stay_weeks", "0")], "length_of_stay_weeks",
     "The length of stay must be between 1 and 104 weeks"),
    (_date("arrival", ARRIVAL) + [("length_of_stay_weeks", "twelve")], "length_of_stay_weeks",
     "Enter the length of stay as a whole number of weeks"),
    ([("arrival", "31"), ("arrival", "2"), ("arrival", "2030"), ("length_of_stay_weeks", "12")], "arrival-day",
     "Arrival date must be a real date"),
])
def test_bad_search_input_is_named_beside_its_field(signed_in, waiting, query, field, message):
    page = signed_in.get(f"/placement-requests/{waiting.id}/search?{urlencode(query)}")
    assert error_messages(page)[field] == message
    assert page.find("caption") is None


def test_a_request_out_of_scope_is_not_found(client_request, make_user, waiting, make_premises):
    wales = db.session.scalar(sa.select(Region).where(Region.name == "Wales"))
    client_request.sign_in(make_user(Role.REFERRAL_UNIT, region=wales))
    house = make_premises()
    client_request.get(f"/placement-requests/{waiting.id}/search", expected_status=404)
    client_request.get(_book_url(waiting, house), expected_status=404)
    client_request.post(_book_url(waiting, house), expected_status=404)
    assert db.session.scalar(sa.select(sa.func.count(Placement.id))) == 0


def test_booking_from_a_result_confirms_then_books_and_shows_the_booking(signed_in, make_premises, waiting):
    house = make_premises("Near House")
    search = signed_in.get(_search_url(waiting))
    link = search.select_one("main a[href*='/book/']")["href"]
    assert link == _book_url(waiting, house)
    check = signed_in.get(link)
    summary = {row.dt.get_text(strip=True): row.dd.get_text(" ", strip=True) for row in check.select(".govuk-summary-list__row")}
    assert summary | {"Arrival": "1 September 2030", "Departure": "24 November 2030", "Bed needed": "Any bed",
                      "Approved premises": "Near House, Preston"} == summary
    location = signed_in.post(link)
    placement = db.session.scalar(sa.select(Placement))
    assert location == f"/placement-requests/{waiting.id}/placements/{placement.id}"
    assert waiting.status is PlacementRequestStatus.BOOKED
    page = signed_in.get(location)
    assert "Upcoming" in page.find("main").get_text(" ") and "Near House" in page.find("main").get_text(" ")
    inset = signed_in.get(_search_url(waiting)).select_one(".govuk-inset-text")
    assert inset.get_text(" ", strip=True) == "Booked at Near House from 1 September 2030. View the booking"
    assert inset.a["href"] == location


def test_booking_a_full_ap_is_refused_with_the_rule_and_nothing_is_saved(signed_in, make_premises, waiting):
    house = make_premises("Full House", beds=1)
    add_placement(house, arrival=TODAY, departure=ARRIVAL + timedelta(days=3), bed=beds_of(house)[0])
    confirm = signed_in.get(_book_url(waiting, house))
    assert "You cannot overbook an AP" in confirm.find("main").get_text(" ")
    assert confirm.select_one("main form") is None
    page = signed_in.post(_book_url(waiting, house), expected_status=200)
    assert _summary_errors(page) == [
        f"No bed free: Full House has no bed for {waiting.person.crn} on 1 September 2030: {waiting.person.crn} "
        "needs a bed and no such bed is free"]
    assert page.title.string.startswith("Error: ")
    assert db.session.scalar(sa.select(sa.func.count(Placement.id)).where(Placement.placement_request_id
                                                                           == waiting.id)) == 0


def test_a_manager_may_include_full_aps_and_overbook_with_a_reason(client_request, make_user, region, make_premises,
                                                                  waiting):
    client_request.sign_in(make_user(Role.REGIONAL_MANAGER, region=region))
    house = make_premises("Full House", beds=1)
    add_placement(house, arrival=TODAY, departure=ARRIVAL + timedelta(days=3), bed=beds_of(house)[0])
    assert client_request.get(_search_url(waiting)).find("caption") is None
    page = client_request.get(_search_url(waiting, include_full="y"))
    assert "Full from 1 September 2030" in _rows(page)[0][2]
    confirm = client_request.get(_book_url(waiting, house))
    assert confirm.find(id="overbook_reason") is not None
    refused = client_request.post(_book_url(waiting, house), {"overbook_reason": ""}, expected_status=200)
    assert _summary_errors(refused)[0].startswith("No bed free: Full House")
    client_request.post(_book_url(waiting, house), {"overbook_reason": "Released tomorrow, nowhere else"})
    assert db.session.scalar(sa.select(Placement).where(Placement.placement_request_id == waiting.id)) is not None


def test_a_results_link_with_dates_nobody_could_follow_is_not_found(signed_in, make_premises, waiting):
    house = make_premises()
    signed_in.get(f"/placement-requests/{waiting.id}/book/{house.id}?arrival=soon&departure=2030-10-01",
                  expected_status=404)


@pytest.fixture
def booked(placer, make_premises, waiting):
    return bookings.book(placer, waiting, make_premises("Near House", beds=1), ARRIVAL)


def _placement_url(placement, action="") -> str:
    return f"/placement-requests/{placement.placement_request_id}/placements/{placement.id}" + (
        f"/{action}" if action else "")


def test_the_dates_change_and_bad_dates_are_named_beside_their_fields(signed_in, booked):
    page = signed_in.post(_placement_url(booked, "dates"), {"arrival": ["24", "8", "2030"],
                                                           "departure": ["23", "8", "2030"]}, expected_status=200)
    assert error_messages(page) == {"arrival-day": "The arrival date must be today or in the future",
                                    "departure-day": "The departure date must be after the arrival date, "
                                                     "24 August 2030"}
    form = {"arrival": ["2", "9", "2030"], "departure": ["1", "10", "2030"]}
    assert signed_in.post(_placement_url(booked, "dates"), form) == _placement_url(booked)
    assert (booked.expected_arrival, booked.expected_departure) == (date(2030, 9, 2), date(2030, 10, 1))


def test_a_date_change_the_beds_cannot_take_is_refused_in_the_summary(signed_in, booked):
    add_placement(booked.premises, arrival=date(2030, 10, 1), departure=date(2030, 12, 1),
                  status=PlacementStatus.UPCOMING, bed=beds_of(booked.premises)[0])
    page = signed_in.post(_placement_url(booked, "dates"), {"arrival": ["1", "9", "2030"],
                                                           "departure": ["2", "12", "2030"]}, expected_status=200)
    assert _summary_errors(page)[0].startswith("No bed free: Near House has no bed")
    db.session.refresh(booked)
    assert booked.expected_departure == date(2030, 11, 24)


def test_a_transfer_searches_again_leaving_out_the_current_ap_and_moves_the_booking(signed_in, booked, make_premises):
    other = make_premises("Other House", longitude=-2.72)
    page = signed_in.get(_placement_url(booked, "transfer") + "?" + urlencode(_date("on", ARRIVAL)))
    rows = _rows(page)
    assert [row[0].split(" Preston")[0] for row in rows] == ["Near House", "Other House"]
    assert rows[0][3] == "" and rows[1][3].startswith("Move here")
    link = page.select_one("main a[href*='/transfer/']")["href"]
    assert signed_in.post(link) == _placement_url(booked)
    assert booked.premises_id == other.id


def test_a_transfer_after_the_departure_is_named_beside_its_field(signed_in, booked):
    page = signed_in.get(_placement_url(booked, "transfer") + "?" + urlencode(_date("on", date(2030, 12, 1))))
    assert error_messages(page) == {"on-day": "The date of the move must be before the expected departure, "
                                              "24 November 2030"}


def test_a_booking_is_cancelled_with_a_reason(signed_in, booked, waiting):
    page = signed_in.post(_placement_url(booked, "cancel"), {}, expected_status=200)
    assert error_messages(page) == {"reason": "Select why the placement is cancelled"}
    page = signed_in.post(_placement_url(booked, "cancel"), {"reason": CancellationReason.OTHER.value},
                          expected_status=200)
    assert _summary_errors(page) == ["Enter why the placement is cancelled"]
    assert signed_in.post(_placement_url(booked, "cancel"), {"reason": CancellationReason.WITHDRAWN.value}) \
        == _placement_url(booked)
    assert (booked.status, waiting.status) == (PlacementStatus.CANCELLED, PlacementRequestStatus.READY_TO_MATCH)
    page = signed_in.get(_placement_url(booked))
    assert page.find("a", string="Cancel the booking") is None
    assert "Withdrawn by the probation practitioner" in page.find("main").get_text(" ")


def test_a_placement_of_another_request_is_not_found_under_this_one(signed_in, booked, make_placement_request):
    other = make_placement_request()
    signed_in.get(f"/placement-requests/{other.id}/placements/{booked.id}", expected_status=404)
