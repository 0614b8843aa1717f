"""The placement requests' pages: the dashboard, a request's page, "unable to match" and reopening."""

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from app.clock import LONDON
from app.extensions import db
from app.models import Placement, PlacementRequestStatus, PlacementStatus, Region
from app.permissions import Role
from tests.app.pages import error_messages
from vocabulary import Notice, UnableToMatchReason


def _accepted(*when) -> datetime:
    """A London time as stored: UTC without its zone."""
    return datetime(*when, tzinfo=LONDON).astimezone(UTC).replace(tzinfo=None)


@pytest.fixture
def wales():
    return db.session.scalar(sa.select(Region).where(Region.name == "Wales"))


def _rows(page) -> list[list[str]]:
    return [[cell.get_text(" ", strip=True) for cell in row.select("td")] for row in page.select("tbody tr")]


def _summary(page) -> dict[str, str]:
    return {row.dt.get_text(strip=True): row.dd.get_text(" ", strip=True)
            for row in page.select(".govuk-summary-list__row")}


def _tabs(page) -> list[str]:
    return [link.get_text(strip=True) for link in page.select(".app-status-tabs a")]


# --- the dashboard --------------------------------------------------------------------------------------------


def test_the_dashboard_lists_the_regions_requests_ready_to_match_most_urgent_first(
        client_request, placer, make_placement_request, make_user, wales):
    standard = make_placement_request(expected_arrival=date(2030, 9, 1),
                                      created_at=_accepted(2030, 6, 1, 10))
    emergency = make_placement_request(notice=Notice.EMERGENCY, expected_arrival=date(2030, 6, 14))
    make_placement_request(target_region=wales)
    make_placement_request(status=PlacementRequestStatus.UNABLE_TO_MATCH,
                           unable_to_match_reason=UnableToMatchReason.OTHER, unable_to_match_detail="Nothing")

    page = client_request.get("/placement-requests")

    assert page.h1.text == "Placement requests"
    assert _rows(page) == [
        [f"{emergency.person.name} {emergency.person.crn}", "Emergency", "14 June 2030 to 21 June 2030",
         "Overdue 14 June 2030", "0 days", "Standard"],
        [f"{standard.person.name} {standard.person.crn}", "Standard", "1 September 2030 to 8 September 2030",
         "1 September 2030", "14 days", "Standard"],
    ]
    assert page.select_one("tbody .govuk-tag--red").text == "Overdue"
    assert {"Ready to match (2)", "Unable to match (1)"} <= set(_tabs(page))
    assert page.select_one('.app-status-tabs [aria-current="page"]').text.startswith("Ready to match")
    assert not page.select("select#region"), "a region's user has no region to choose"
    assert page.select_one(f'tbody a[href="/placement-requests/{emergency.id}"]')


def test_the_dashboard_shows_one_status_at_a_time(client_request, placer, make_placement_request):
    unable = make_placement_request(status=PlacementRequestStatus.UNABLE_TO_MATCH,
                                    unable_to_match_reason=UnableToMatchReason.NON_ASSOCIATES)
    page = client_request.get("/placement-requests?status=unable_to_match")
    assert [row[0] for row in _rows(page)] == [f"{unable.person.name} {unable.person.crn}"]
    assert page.select_one('.app-status-tabs [aria-current="page"]').text.startswith("Unable to match")

    assert "There are no placement requests ready to match." in client_request.get("/placement-requests").text


def test_national_managers_see_every_region_and_filter_by_one(client_request, make_user,
                                                              make_placement_request, wales):
    client_request.sign_in(make_user(Role.NATIONAL_MANAGER))
    ours = make_placement_request()
    theirs = make_placement_request(target_region=wales)

    page = client_request.get("/placement-requests")
    assert {row[-1] for row in _rows(page)} == {ours.region.name, "Wales"}

    page = client_request.get(f"/placement-requests?status=ready_to_match&region={wales.id}")
    assert [row[0] for row in _rows(page)] == [f"{theirs.person.name} {theirs.person.crn}"]
    assert page.select_one("select#region option[selected]").text == "Wales"
    assert all(f"region={wales.id}" in link["href"] for link in page.select(".app-status-tabs a"))


@pytest.mark.parametrize("query", ["status=booked_yesterday", "region=999", "region=abc", "page=7"])
def test_a_dashboard_address_no_link_leads_to_is_not_found(client_request, placer, query):
    client_request.get(f"/placement-requests?{query}", expected_status=404)


def test_a_region_user_cannot_filter_to_another_region(client_request, placer, wales):
    client_request.get(f"/placement-requests?region={wales.id}", expected_status=404)


# --- a request's page ----------------------------------------------------------------------------------------


def test_a_requests_page_shows_the_request_its_history_and_the_whole_referral(
        client_request, placer, make_placement_request):
    placement_request = make_placement_request(essential_characteristics=["is_single"])

    page = client_request.get(f"/placement-requests/{placement_request.id}")

    summary = _summary(page)
    assert summary["Status"] == "Ready to match"
    assert summary["Arrival window"] == "1 September 2030 to 8 September 2030"
    assert summary["Essential"] == "Single room"
    assert summary["Authorised length of stay"] == "12 weeks"
    assert page.select_one("#section-sentence-and-release"), "the referral's answers follow"
    assert page.select_one(f'a[href="/placement-requests/{placement_request.id}/unable-to-match"]')
    assert page.find("a", string=lambda text: text and "Search for a place" in text)["href"] == (
        f"/placement-requests/{placement_request.id}/search")


def test_a_booked_requests_page_leads_to_its_booking_and_no_search(client_request, placer, make_placement_request,
                                                                    make_premises):
    placement_request = make_placement_request(status=PlacementRequestStatus.BOOKED)
    booked = Placement(person=placement_request.person, premises=make_premises("Booked House"),
                       placement_request=placement_request, status=PlacementStatus.UPCOMING,
                       expected_arrival=date(2030, 9, 1), expected_departure=date(2030, 11, 24))
    db.session.add(booked)
    db.session.commit()
    page = client_request.get(f"/placement-requests/{placement_request.id}")
    inset = page.select_one(".govuk-inset-text")
    assert inset.get_text(" ", strip=True) == ("Booked at Booked House from 1 September 2030 to 24 November 2030. "
                                               "Change or cancel the booking")
    assert inset.a["href"] == f"/placement-requests/{placement_request.id}/placements/{booked.id}"
    assert not page.find("a", string=lambda text: text and "Search for a place" in text)


def test_a_request_out_of_scope_is_not_found(client_request, placer, make_user, make_placement_request, wales):
    theirs = make_placement_request(target_region=wales)
    client_request.get(f"/placement-requests/{theirs.id}", expected_status=404)
    client_request.post(f"/placement-requests/{theirs.id}/unable-to-match", {"reason": "other", "detail": "x"},
                        expected_status=404)


# --- unable to match and reopening ---------------------------------------------------------------------------


def test_unable_to_match_without_a_reason_is_an_error_at_the_field(client_request, placer,
                                                                   make_placement_request):
    placement_request = make_placement_request()
    url = f"/placement-requests/{placement_request.id}/unable-to-match"

    page = client_request.post(url, {"detail": "Some words"}, expected_status=200)
    assert error_messages(page) == {"reason": "Select why no premises can take the person"}
    assert page.select_one("textarea#detail").text.strip() == "Some words", "nothing typed is lost"

    page = client_request.post(url, {"reason": "other"}, expected_status=200)
    assert error_messages(page) == {"detail": "Describe why no premises can take the person"}


def test_unable_to_match_is_recorded_shown_on_the_request_and_reopened(client_request, placer,
                                                                       make_placement_request):
    placement_request = make_placement_request()
    url = f"/placement-requests/{placement_request.id}"

    assert client_request.post(f"{url}/unable-to-match", {"reason": "maximum_distance",
                                                          "detail": "The nearest AP is 80 miles away"}) == url
    page = client_request.get(url)
    assert _summary(page)["Status"] == "Unable to match"
    assert _summary(page)["Why it cannot be matched"] == (
        "No suitable AP within the maximum distance: The nearest AP is 80 miles away")
    assert page.select_one(".app-timeline__title").text == "Unable to match"
    assert page.select_one(f'a[href="{url}/reopen"]').text.strip() == "Reopen for matching"

    assert "No suitable AP within the maximum distance" in client_request.get(f"{url}/reopen").text
    assert client_request.post(f"{url}/reopen") == url
    page = client_request.get(url)
    assert _summary(page)["Status"] == "Ready to match"
    assert [title.text for title in page.select(".app-timeline__title")] == ["Ready to match again", "Unable to match"]


def test_reopening_a_request_that_is_ready_to_match_says_why_it_cannot(client_request, placer,
                                                                      make_placement_request):
    placement_request = make_placement_request()
    page = client_request.post(f"/placement-requests/{placement_request.id}/reopen", follow=True,
                               expected_status=200)
    assert "only a request unable to match can be reopened" in page.select_one(".govuk-notification-banner").text
