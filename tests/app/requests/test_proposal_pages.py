"""Reviewing a run's proposals in pages: the list with its checkboxes, a proposal's page, accepting, choosing an
alternative and rejecting; refusals as GOV.UK errors."""

from datetime import date

import pytest

from app.models import PlacementRequestStatus
from tests.app.pages import error_messages


@pytest.fixture
def estate(make_premises):
    return (make_premises("Near House", beds=1, longitude=-2.70, latitude=53.76),
            make_premises("Far House", beds=3, longitude=-2.30, latitude=53.70))


@pytest.fixture
def run(estate, make_placement_request, finished_run):
    for _ in range(2):
        make_placement_request(answers={"arrival_date": date(2030, 7, 1)}, expected_arrival=date(2030, 7, 1))
    return finished_run()


def _error_summary(page) -> list[str]:
    return [link.get_text(strip=True) for link in page.select(".govuk-error-summary a")]


def test_a_runs_proposals_are_listed_with_a_checkbox_each(client_request, placer, run):
    page = client_request.get(f"/placement-requests/runs/{run.id}/proposals")
    rows = [[cell.get_text(" ", strip=True) for cell in row.select("td")] for row in page.select("tbody tr")]
    assert sorted(row[3] for row in rows) == ["Far House", "Near House"]
    assert {row[5] for row in rows} == {"Proposed"}
    assert len(page.select('input[name="proposals"]')) == 2


def test_accepting_nothing_ticked_is_an_error(client_request, placer, run):
    page = client_request.post(f"/placement-requests/runs/{run.id}/proposals", {}, expected_status=200)
    assert _error_summary(page) == ["Select the proposals to accept"]


def test_accepting_a_selection_books_them(client_request, placer, run):
    ids = [box["value"] for box in client_request.get(f"/placement-requests/runs/{run.id}/proposals").select(
        'input[name="proposals"]')]
    url = f"/placement-requests/runs/{run.id}/proposals"
    assert client_request.post(url, {"proposals": ids}) == url
    page = client_request.get(url)
    assert not page.select('input[name="proposals"]')
    assert "2 placements booked" in page.select_one(".govuk-notification-banner").text


def test_a_proposals_page_shows_where_why_the_mix_and_the_map(client_request, placer, run):
    proposal = next(p for p in run.proposals if p.premises and p.premises.name == "Far House")
    page = client_request.get(f"/placement-requests/proposals/{proposal.id}")
    summary = {row.dt.get_text(strip=True): row.dd.get_text(" ", strip=True)
               for row in page.select(".govuk-summary-list__row")}
    assert summary["Proposed AP"].startswith("Far House")
    assert summary["Arrival"] == "1 July 2030"
    assert summary["From the home area"] == "28 km (17 miles), Preston"
    assert "Near House" in page.select_one(".govuk-details").text
    assert '"label": "Proposed: Far House"' in page.select_one("[data-zone-map]")["data-places"]
    assert page.select_one('form[action$="/accept"]')


def test_a_proposals_page_says_who_else_the_run_proposes_there(client_request, placer, estate,
                                                               make_placement_request, finished_run):
    for _ in range(3):  # one fits at Near House, two go to Far House
        make_placement_request(answers={"arrival_date": date(2030, 7, 1)}, expected_arrival=date(2030, 7, 1))
    proposal = next(p for p in finished_run().proposals if p.premises and p.premises.name == "Far House")
    page = client_request.get(f"/placement-requests/proposals/{proposal.id}")
    assert "This run also proposes 1 more person there that day, not yet booked" in page.get_text(" ")


def test_accepting_a_proposal_books_it_and_the_request_shows_booked(client_request, placer, run):
    proposal = run.proposals[0]
    request_url = f"/placement-requests/{proposal.placement_request_id}"
    assert client_request.post(f"/placement-requests/proposals/{proposal.id}/accept") == request_url
    assert client_request.get(request_url).select_one(".govuk-summary-list .govuk-tag").text.strip() == "Booked"


def test_a_booking_the_live_data_refuses_is_a_gov_uk_error_naming_the_rule(client_request, placer, run, fill):
    proposal = next(p for p in run.proposals if p.premises)
    fill(proposal.premises, date(2030, 6, 1), date(2030, 12, 1))
    page = client_request.post(f"/placement-requests/proposals/{proposal.id}/accept", expected_status=200)
    assert page.title.string.startswith("Error: ")
    assert _error_summary(page)[0].startswith(f"No bed free: {proposal.premises.name}")
    assert proposal.placement_request.status is PlacementRequestStatus.PROPOSED


def test_rejecting_needs_a_reason_and_sends_the_request_back(client_request, placer, run):
    proposal = run.proposals[0]
    url = f"/placement-requests/proposals/{proposal.id}/reject"
    assert f"will not propose {proposal.premises.name} for this person again" in client_request.get(url).get_text()
    page = client_request.post(url, {"reason": ""}, expected_status=200)
    assert error_messages(page) == {"reason": "Enter why the proposal is rejected"}
    assert client_request.post(url, {"reason": "Too far from family"}) == \
        f"/placement-requests/{proposal.placement_request_id}"
    assert proposal.placement_request.status is PlacementRequestStatus.READY_TO_MATCH


def test_a_request_the_run_left_unplaced_is_recorded_unable_to_match_with_the_optimisers_reason(
        client_request, placer, estate, make_placement_request, finished_run):
    for _ in range(5):  # four beds for five people
        make_placement_request(answers={"arrival_date": date(2030, 7, 1)}, expected_arrival=date(2030, 7, 1))
    run = finished_run()
    unplaced = next(p for p in run.proposals if p.premises is None)
    request_url = f"/placement-requests/{unplaced.placement_request_id}"

    page = client_request.get(request_url)
    assert "The latest optimiser run left this request unplaced" in page.select_one(".govuk-inset-text").text

    form = client_request.get(f"{request_url}/unable-to-match?proposal={unplaced.id}")
    assert form.select_one('input[name="reason"][checked]')["value"] == "left_unplaced"
    detail = form.select_one("textarea#detail").text.strip()
    assert "Near House" in detail or "Far House" in detail, "the optimiser's ids are named"
    assert client_request.post(f"{request_url}/unable-to-match", {"reason": "left_unplaced", "detail": detail}) == \
        request_url
    assert unplaced.placement_request.status is PlacementRequestStatus.UNABLE_TO_MATCH
