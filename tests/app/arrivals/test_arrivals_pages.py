"""AP staff's pages: the board, a placement, and each form with its errors beside the field and in the summary."""

from datetime import date

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEvent, NonAssociate, Placement, PlacementStatus, PreparationCheck
from app.permissions import Role
from tests.app.manage.estate_factories import add_placement, days
from tests.app.pages import error_messages
from vocabulary import RiskLevel
from vocabulary.victims import NonAssociateReason


@pytest.fixture
def signed_in(client_request, staff):
    return client_request.sign_in(staff)


def _url(placement, action: str = "") -> str:
    return f"/arrivals/{placement.premises_id}/placements/{placement.id}" + (f"/{action}" if action else "")


def _date(name: str, day: date) -> dict:
    return {name: [str(day.day), str(day.month), str(day.year)]}


def _table(page, caption: str) -> list[list[str]]:
    table = page.find("caption", string=caption).find_parent("table")
    return [[cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])] for row in table.select("tbody tr")]


def _summary_links(page) -> list[str]:
    return [link["href"] for link in page.select(".govuk-error-summary a")]


def _link(page, text: str):
    return next((link for link in page.find("main").find_all("a") if link.get_text(" ", strip=True) == text), None)


def _summary(page) -> dict[str, str]:
    return {row.select_one(".govuk-summary-list__key").get_text(strip=True):
            row.select_one(".govuk-summary-list__value").get_text(" ", strip=True)
            for row in page.select(".govuk-summary-list__row")}


def _form(page):
    return page.select_one("main form")


def _banner(page) -> str:
    return page.select_one(".govuk-notification-banner").get_text(" ", strip=True)


def _actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


# --- the board ---------------------------------------------------------------------------------------------------


def test_the_board_shows_arrivals_with_their_preparation_and_departures_due(signed_in, premises, beds, upcoming,
                                                                              resident):
    tomorrow = add_placement(premises, arrival=days(1), departure=days(50), status=PlacementStatus.UPCOMING,
                             name="Tom Tomorrow", rosh=RiskLevel.VERY_HIGH)
    tomorrow.person.risk_assessed_on = date(2030, 1, 2)
    db.session.commit()
    page = signed_in.get(f"/arrivals/{premises.id}")
    assert page.h1.get_text(strip=True) == "Arrivals and departures"
    assert _table(page, "Arrivals in the next 14 days") == [
        ["Tom Tomorrow X000003", "16 June 2030", "Not allocated", "Not assigned",
         "Very high Review due 24 April 2030 Review overdue", "0 of 7 done Not ready"],
        ["Una Upcoming X000001", "18 June 2030", "Room 1, Bed 1", "Not assigned", "High Review due 5 September 2030",
         "1 of 7 done"],
    ]
    assert page.find("caption", string=lambda text: text and text.startswith("Departures due")) is None  # Rex leaves later
    assert _link(page, "Una Upcoming")["href"] == _url(upcoming)


def test_departures_due_are_grouped_overdue_today_and_soon(signed_in, premises, beds):
    add_placement(premises, arrival=days(-30), departure=days(-2), name="Olga Overdue", bed=beds[0])
    add_placement(premises, arrival=days(-30), departure=days(0), name="Tess Today", bed=beds[1])
    add_placement(premises, arrival=days(-30), departure=days(9), name="Sid Soon", bed=beds[2])
    page = signed_in.get(f"/arrivals/{premises.id}")
    assert [row[:3] for row in _table(page, "Departures due: overdue")] == [["Olga Overdue X000001", "13 June 2030 Overdue", "Room 1, Bed 1"]]
    assert [row[0] for row in _table(page, "Departures due: today")] == ["Tess Today X000002"]
    assert [row[0] for row in _table(page, "Departures due: in the next 14 days")] == ["Sid Soon X000003"]
    assert "Nobody is expected in the next 14 days." in page.get_text()


def test_the_navigation_takes_ap_staff_to_their_board(signed_in, premises):
    home = signed_in.get("/")
    links = {link.get_text(strip=True): link["href"] for link in home.select(".govuk-service-navigation a")}
    assert links["Arrivals and departures"] == "/arrivals"
    assert signed_in.get("/arrivals").select_one(".govuk-caption-l").get_text(strip=True) == "Preston House"


def test_an_ap_staff_account_without_a_premises_is_told_so(client_request, make_user):
    client_request.sign_in(make_user(Role.AP_STAFF))
    assert client_request.get("/arrivals").h1.get_text(strip=True) == "Your account has no premises"


def test_the_premises_page_shows_risk_reviews_and_links_to_the_board(client_request, make_user, region, premises,
                                                                     resident):
    resident.person.risk_assessed_on = date(2030, 1, 2)
    db.session.commit()
    client_request.sign_in(make_user(Role.REGIONAL_MANAGER, region=region))
    page = client_request.get(f"/premises/{premises.id}")
    row = page.find("td", string="X000001").find_parent("tr")
    assert "High Review due 24 April 2030 Review overdue" in row.get_text(" ", strip=True)
    assert _link(page, "Arrivals and departures")["href"] == f"/arrivals/{premises.id}"
    assert _link(page, "Occupancy calendar")["href"] == f"/arrivals/{premises.id}/occupancy"
    client_request.sign_in(make_user(Role.OFFENDER_MANAGER))
    assert _link(client_request.get(f"/premises/{premises.id}"), "Arrivals and departures") is None


# --- who may see what ------------------------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_sign_in(client, premises, upcoming):
    for url in (f"/arrivals/{premises.id}", _url(upcoming), _url(upcoming, "arrival"), f"/arrivals/{premises.id}/occupancy"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in"), url


def test_users_without_the_permission_are_refused(client_request, make_user, region, premises, upcoming):
    client_request.sign_in(make_user(Role.OFFENDER_MANAGER, region=region))
    client_request.get(f"/arrivals/{premises.id}", expected_status=403)
    client_request.sign_in(make_user(Role.REGIONAL_MANAGER, region=region))
    client_request.get(_url(upcoming, "arrival"), expected_status=403)
    client_request.post(_url(upcoming, "arrival"), _date("arrival_date", date(2030, 6, 15)), expected_status=403)
    assert upcoming.status is PlacementStatus.UPCOMING


def test_another_premises_is_not_found(client_request, make_user, make_premises, premises, upcoming):
    bolton = make_premises("Bolton House")
    client_request.sign_in(make_user(Role.AP_STAFF, Role.AP_MANAGER, premises=bolton))
    for url in (f"/arrivals/{premises.id}", _url(upcoming), _url(upcoming, "arrival"), _url(upcoming, "checklist"),
                f"/arrivals/{premises.id}/occupancy", f"/arrivals/{premises.id}/occupancy/2030-06-15",
                f"/arrivals/{bolton.id}/placements/{upcoming.id}"):  # a Preston placement at a Bolton address
        client_request.get(url, expected_status=404)
    client_request.post(_url(upcoming, "non-arrival"), {"reason": "failed_to_arrive"}, expected_status=404)
    assert upcoming.status is PlacementStatus.UPCOMING


def test_regional_users_see_a_placement_without_the_actions(client_request, make_user, region, upcoming):
    client_request.sign_in(make_user(Role.REGIONAL_MANAGER, region=region))
    page = client_request.get(_url(upcoming))
    assert page.h1.get_text(strip=True) == "Una Upcoming"
    assert _link(page, "Record arrival") is None
    assert page.select(".govuk-summary-list__actions a") == [] and page.select(".govuk-task-list a") == []


# --- the placement and its checklist ---------------------------------------------------------------------------


def test_a_placement_shows_its_stay_risk_and_checklist(signed_in, premises, beds):
    soon = add_placement(premises, arrival=days(2), departure=days(50), status=PlacementStatus.UPCOMING, bed=beds[2],
                         name="Sue Soon")
    page = signed_in.get(_url(soon))
    assert "Arriving on 17 June 2030 with 6 preparation items still to do" in page.select_one(".govuk-warning-text").get_text()
    tasks = {row.select_one(".govuk-task-list__name-and-hint").get_text(" ", strip=True):
             row.select_one(".govuk-task-list__status").get_text(" ", strip=True) for row in page.select(".govuk-task-list__item")}
    assert tasks["Bed allocated"] == "Done" and tasks["Key worker assigned"] == "Overdue"
    assert _link(page, "Record arrival")["href"] == _url(soon, "arrival")
    assert _link(page, "Record non-arrival")["href"] == _url(soon, "non-arrival")


def test_ticking_the_checklist(signed_in, staff, upcoming):
    page = signed_in.get(_url(upcoming, "checklist"))
    assert [label.get_text(strip=True) for label in page.select(".govuk-checkboxes__label")] == [
        "Risk summary and risk management plan read", "Licence conditions and exclusion zones briefed to staff",
        "Police notified of the licence conditions", "Non-associates checked against current residents",
        "Move-on plan known"]
    location = signed_in.post(_url(upcoming, "checklist"), {
        "items": ["risk_read", "police_notified"], **_date("police_notified_on", date(2030, 6, 14)),
        "police_notified_by": "telephone"})
    assert location == _url(upcoming)
    page = signed_in.get(location)
    assert _banner(page) == "Success Checklist saved"
    [police] = [item for item in page.select(".govuk-task-list__item") if "Police notified" in item.get_text()]
    assert "Ticked by Sam Staff on 15 June 2030 at 12:00pm. Police told on 14 June 2030 by telephone" in police.get_text(" ", strip=True)
    again = signed_in.get(_url(upcoming, "checklist"))
    assert [box["value"] for box in again.select("input[name=items][checked]")] == ["risk_read", "police_notified"]


def test_a_checklist_with_errors_saves_nothing(signed_in, upcoming):
    page = signed_in.post(_url(upcoming, "checklist"), {"items": ["risk_read", "police_notified"],
                                                        "police_notified_on": ["31", "2", "2030"]}, expected_status=200)
    assert error_messages(page) == {"police_notified_on-day": "When were the police told? must be a real date",
                                    "police_notified_by": "Select how the police were told"}
    assert _summary_links(page) == ["#police_notified_on-day", "#police_notified_by"]
    assert page.title.string.startswith("Error: ")
    assert db.session.scalars(sa.select(PreparationCheck)).all() == []


# --- recording ---------------------------------------------------------------------------------------------------


def test_recording_an_arrival(signed_in, upcoming):
    page = signed_in.get(_url(upcoming, "arrival"))
    assert page.h1.get_text(strip=True) == "Record an arrival"
    assert "You can record an arrival on or after 8 June 2030." in page.get_text()
    location = signed_in.post(_url(upcoming, "arrival"), {**_date("arrival_date", date(2030, 6, 15)), "arrival_time": "9.45"})
    assert location == _url(upcoming)
    page = signed_in.get(location)
    assert _banner(page) == "Success Arrival of Una Upcoming recorded"
    assert _summary(page)["Arrived"] == "15 June 2030 at 09:45"
    assert _link(page, "Record departure")["href"] == _url(upcoming, "departure")
    again = signed_in.get(_url(upcoming, "arrival"))
    assert "The arrival of Una Upcoming was already recorded, on 15 June 2030 at 09:45" in again.select_one(".govuk-warning-text").get_text()
    assert _form(again) is None


def test_an_arrival_form_with_errors_says_so_beside_each_field_and_saves_nothing(signed_in, upcoming):
    page = signed_in.post(_url(upcoming, "arrival"), {}, expected_status=200)
    assert error_messages(page) == {"arrival_date-day": "Enter the arrival date", "arrival_time": "Enter the arrival time"}
    assert _summary_links(page) == ["#arrival_date-day", "#arrival_time"]
    page = signed_in.post(_url(upcoming, "arrival"), {**_date("arrival_date", date(2030, 6, 16)), "arrival_time": "25:00"},
                          expected_status=200)
    assert error_messages(page) == {
        "arrival_date-day": "The arrival date must be today or in the past",
        "arrival_time": "Enter the time as hours and minutes on the 24-hour clock, for example 19:00"}
    assert page.select_one("#arrival_time")["value"] == "25:00"  # what was typed stays, to be corrected
    assert upcoming.status is PlacementStatus.UPCOMING and _actions() == []


def test_recording_a_non_arrival(signed_in, upcoming):
    page = signed_in.post(_url(upcoming, "non-arrival"), {"reason": "other"}, expected_status=200)
    assert error_messages(page) == {"detail": "Enter the reason the person did not arrive"}
    location = signed_in.post(_url(upcoming, "non-arrival"), {"reason": "other", "detail": "Deported before release"})
    page = signed_in.get(location)
    assert _summary(page)["Why they did not arrive"] == (
        "Another reason: Deported before release")
    assert _link(page, "Record arrival") is None


def test_recording_a_departure(signed_in, resident):
    page = signed_in.post(_url(resident, "departure"), {"reason": "breach_or_recall"}, expected_status=200)
    assert error_messages(page) == {
        "departure_date-day": "Enter the departure date", "departure_time": "Enter the departure time",
        "breach_or_recall_reason": "Select the breach or recall reason",
        "move_on_category": "Select where the person has moved on to"}
    assert page.select_one("#reason-2")  # the radios keep the reason chosen
    assert page.select_one("input[name=reason][value=breach_or_recall]").has_attr("checked")
    location = signed_in.post(_url(resident, "departure"), {
        **_date("departure_date", date(2030, 6, 15)), "departure_time": "08:00", "reason": "breach_or_recall",
        "breach_or_recall_reason": "absconded", "move_on_category": "no_fixed_abode", "notes": "Left at night"})
    page = signed_in.get(location)
    assert _summary(page)["Why they left"] == "Breach or recall: Absconded"
    assert _summary(page)["Moved on to"] == "No fixed abode"
    assert _actions() == ["departure_recorded"]


def test_a_departure_without_an_arrival_is_refused_on_the_page(signed_in, upcoming):
    page = signed_in.get(_url(upcoming, "departure"))
    assert "Una Upcoming has not arrived yet: record the arrival first" in page.select_one(".govuk-warning-text").get_text()
    page = signed_in.post(_url(upcoming, "departure"), {**_date("departure_date", date(2030, 6, 15)),
                                                       "departure_time": "08:00", "reason": "died"}, expected_status=200)
    assert _form(page) is None and upcoming.status is PlacementStatus.UPCOMING


def test_changing_the_expected_departure(signed_in, resident):
    page = signed_in.post(_url(resident, "expected-departure"), _date("expected_departure", date(2030, 6, 1)),
                          expected_status=200)
    assert error_messages(page) == {
        "expected_departure-day": "The expected departure date must be after the arrival date, 5 June 2030"}
    location = signed_in.post(_url(resident, "expected-departure"), _date("expected_departure", date(2030, 7, 30)))
    page = signed_in.get(location)
    assert _banner(page) == "Success Rex Resident is now expected to leave on 30 July 2030"


def test_assigning_a_key_worker(signed_in, manager, upcoming):
    page = signed_in.get(_url(upcoming, "key-worker"))
    assert [option.get_text() for option in page.select("#key_worker option")] == [
        "Select a member of staff", "Pat Manager", "Sam Staff"]
    page = signed_in.post(_url(upcoming, "key-worker"), {"key_worker": str(manager.id), "key_worker_name": "Kim"},
                          expected_status=200)
    assert error_messages(page) == {"key_worker_name": "Select a key worker or enter a name, not both"}
    location = signed_in.post(_url(upcoming, "key-worker"), {"key_worker": str(manager.id)})
    assert _banner(signed_in.get(location)) == "Success Pat Manager is the key worker of Una Upcoming"


def test_allocating_a_bed(signed_in, beds, upcoming, resident):
    page = signed_in.get(_url(upcoming, "bed"))
    assert [option.get_text() for option in page.select("#bed option")] == [
        "Select a bed", "Room 1, Bed 1 (single room)", "Room 3, Bed 3 (single room)"]
    assert page.select_one("#bed option[selected]").get_text() == "Room 1, Bed 1 (single room)"
    page = signed_in.post(_url(upcoming, "bed"), {"bed": str(beds[1].id)}, expected_status=200)
    assert error_messages(page)["bed"].startswith("Room 2, Bed 2 is booked for X000002")
    location = signed_in.post(_url(upcoming, "bed"), {"bed": str(beds[2].id)})
    assert _banner(signed_in.get(location)) == "Success Una Upcoming is allocated Room 3, Bed 3"


# --- the referral behind a booking -------------------------------------------------------------------------------


@pytest.fixture
def booked(premises, make_placement_request):
    """Booked from a request whose referral names a non-associate: the staff brief each other on them."""
    request = make_placement_request(answers={"has_non_associates": True})
    db.session.add(NonAssociate(referral_id=request.referral_id, crn="X999999", name="Nora Fictional",
                                reason=NonAssociateReason.CO_DEFENDANT))
    placement = Placement(person=request.person, premises=premises, placement_request=request,
                          expected_arrival=days(3), expected_departure=days(59), status=PlacementStatus.UPCOMING)
    db.session.add(placement)
    db.session.commit()
    return placement


def test_staff_read_the_referral_of_somebody_booked_in_with_its_victim_details_logged(signed_in, staff, booked):
    page = signed_in.get(_url(booked))
    link = _link(page, f"Read the referral of {booked.person.name}")
    assert link["href"] == _url(booked, "referral")
    page = signed_in.get(link["href"])
    assert page.h1.get_text(strip=True) == "Referral"
    assert "Nora Fictional (X999999): Co-defendant" in page.find("main").get_text(" ", strip=True)
    viewed = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "victim_details_viewed"))
    assert (viewed.user_id, viewed.details["seen_on"]) == (staff.id, "arrival")


def test_a_placement_without_a_referral_has_no_referral_to_read(signed_in, upcoming):
    assert _link(signed_in.get(_url(upcoming)), f"Read the referral of {upcoming.person.name}") is None
    signed_in.get(_url(upcoming, "referral"), expected_status=404)


def test_staff_of_another_premises_cannot_read_the_referral(client_request, make_user, make_premises, booked):
    other = make_user(Role.AP_STAFF, premises=make_premises("Other House"))
    client_request.sign_in(other).get(_url(booked, "referral"), expected_status=404)
