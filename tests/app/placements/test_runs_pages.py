"""The optimiser-run pages: start (region and time limit, errors beside the fields), the progress page (state,
chart with its table, self-refreshing while active, cancel), the list of runs and a finished run's proposals."""

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app import clock
from app.extensions import db
from app.models import OptimiserRun, Proposal, Region, RunStatus
from app.permissions import Role
from app.services import optimiser_runs
from tests.app.pages import error_messages


@pytest.fixture
def referral_unit(make_user, region):
    return make_user(Role.REFERRAL_UNIT, region=region, name="Rita Unit")


@pytest.fixture
def signed_in(client_request, referral_unit):
    return client_request.sign_in(referral_unit)


@pytest.fixture
def no_jobs(monkeypatch):
    monkeypatch.setattr(optimiser_runs.jobs, "enqueue", lambda *args, **kwargs: None)


def _options(page, name: str) -> list[str]:
    return [option.get_text(strip=True) for option in page.select(f"select[name={name}] option")]


def _summary(page) -> dict[str, str]:
    return {row.select_one(".govuk-summary-list__key").get_text(strip=True):
            row.select_one(".govuk-summary-list__value").get_text(" ", strip=True)
            for row in page.select(".govuk-summary-list__row")}


def _rows(page, label: str) -> list[list[str]]:
    table = page.find(attrs={"aria-label": label}).find("table")
    return [[cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])] for row in table.select("tbody tr")]


def _run(region, user, **fields) -> OptimiserRun:
    run = OptimiserRun(created_by=user, region=region, method="cpsat", time_limit_s=60, parameters={},
                       **{"progress": []} | fields)
    db.session.add(run)
    db.session.commit()
    return run


# --- starting ----------------------------------------------------------------------------------------------------


def test_a_regional_user_runs_over_their_region_only(signed_in, no_jobs, region):
    page = signed_in.get("/placements/runs/new")
    assert _options(page, "region_id") == ["North West"]
    assert page.select_one("input[name=time_limit_s]")["value"] == "60"
    location = signed_in.post("/placements/runs/new", {"region_id": str(region.id), "time_limit_s": "30"})
    run = db.session.scalar(sa.select(OptimiserRun))
    assert location == f"/placements/runs/{run.id}"
    assert (run.region_id, run.time_limit_s, run.status) == (region.id, 30, RunStatus.QUEUED)


def test_a_national_user_may_run_over_every_region_at_once(client_request, make_user, no_jobs):
    signed_in = client_request.sign_in(make_user(Role.NATIONAL_MANAGER))
    options = _options(signed_in.get("/placements/runs/new"), "region_id")
    assert options[:2] == ["Select a region", "All regions (a national run)"] and len(options) == 14
    signed_in.post("/placements/runs/new", {"region_id": "national", "time_limit_s": "60"})
    assert db.session.scalar(sa.select(OptimiserRun)).region_id is None


@pytest.mark.parametrize("form, errors", [
    ({"region_id": "", "time_limit_s": ""}, {"region_id": "Select a region",
                                          "time_limit_s": "Enter how many seconds the optimiser may take"}),
    ({"region_id": "national", "time_limit_s": "ten"}, {"region_id": "Select a region from the list",
                                                     "time_limit_s": "Enter the time limit as a whole number of seconds"}),
    ({"region_id": "other", "time_limit_s": "5"}, {"region_id": "Select a region from the list",
                                                "time_limit_s": "The time limit must be between 10 and 600 seconds"}),
])
def test_bad_input_is_shown_beside_each_field_and_nothing_starts(signed_in, no_jobs, region, form, errors):
    other = db.session.scalar(sa.select(Region).where(Region.id != region.id))
    form = {**form, "region_id": str(other.id) if form["region_id"] == "other" else form["region_id"]}
    page = signed_in.post("/placements/runs/new", form, expected_status=200)
    assert error_messages(page) == errors
    assert page.select_one("input[name=time_limit_s]")["value"] == form["time_limit_s"]
    assert db.session.scalar(sa.select(sa.func.count(OptimiserRun.id))) == 0


def test_a_second_run_over_the_same_requests_is_refused_beside_the_region(signed_in, no_jobs, region, make_user):
    _run(region, make_user(Role.REGIONAL_MANAGER, region=region, name="Maya Manager"))
    page = signed_in.post("/placements/runs/new", {"region_id": str(region.id), "time_limit_s": "60"},
                          expected_status=200)
    assert error_messages(page)["region_id"].startswith("A run over North West started by Maya Manager on ")
    assert db.session.scalar(sa.select(sa.func.count(OptimiserRun.id))) == 1


# --- following a run ---------------------------------------------------------------------------------------------


def test_a_running_run_shows_its_progress_refreshes_itself_and_can_be_cancelled(
        signed_in, referral_unit, region, time_machine):
    started = clock.utc_now()
    time_machine.move_to(clock.now() + timedelta(seconds=15), tick=False)
    run = _run(region, referral_unit, status=RunStatus.RUNNING, started_at=started,
               progress=[[1.2, 5_000_000, None, 3], [4.0, 4_000_000, 3_500_000.0, None]])
    page = signed_in.get(f"/placements/runs/{run.id}")
    assert page.select_one("#run-status").get_text(strip=True) == "Running: 3 placed so far, 45 seconds left."
    summary = _summary(page)
    assert (summary["Status"], summary["Placed so far"], summary["Best objective"], summary["Best bound"]) == (
        "Running", "3", "4,000,000", "3,500,000")
    assert page.select_one("noscript meta[http-equiv=refresh]")["content"] == "2"
    assert page.select_one("#run-progress")["data-refresh-s"] == "2"
    svg = page.select_one("figure svg")
    assert svg["role"] == "img" and svg.title.get_text().startswith("Best objective and bound over 60 seconds")
    # Steps down from 5,000,000 at 1.2 s to 4,000,000 at 4 s, held to now (15 s); the bound from 4 s.
    assert svg.select_one(".app-run-chart__objective")["points"] == "12.0,0.0 40.0,0.0 40.0,133.3 150.0,133.3"
    assert svg.select_one(".app-run-chart__bound")["points"] == "40.0,200.0 150.0,200.0"
    assert _rows(page, "Progress of the run") == [["1.2", "5,000,000", "None yet", "3"],
                                                  ["4.0", "4,000,000", "3,500,000", "Not reported"]]

    location = signed_in.post(f"/placements/runs/{run.id}/cancel")
    assert location == f"/placements/runs/{run.id}"
    page = signed_in.get(location)
    assert "The run is stopping" in page.select_one(".govuk-notification-banner").get_text()
    assert page.select_one("#run-status").get_text(strip=True) == "Stopping."
    assert not page.find("button", string=lambda text: text and "Cancel this run" in text)


def test_a_running_run_shows_the_people_its_best_plan_so_far_places(
        signed_in, referral_unit, region, make_premises, make_placement_request):
    premises = make_premises("Plan House")
    request = make_placement_request()
    run = _run(region, referral_unit, status=RunStatus.RUNNING, started_at=clock.utc_now(),
               progress=[[1.0, 900, None, 1]], plan_so_far=[[request.id, premises.id, "2030-09-01"]])
    page = signed_in.get(f"/placements/runs/{run.id}")
    assert _rows(page, "The best plan so far") == [
        [f"{request.person.name} {request.person.crn}", "Plan House", "1 September 2030"]]

    location = signed_in.post(page.find("button", string=re.compile("Stop and keep the best plan so far"))
                              .find_parent("form")["action"])
    page = signed_in.get(location)
    assert "its best plan so far will be its proposals" in page.select_one(".govuk-notification-banner").get_text()
    assert page.select_one("#run-status").get_text(strip=True) == "Stopping: keeping the best plan so far."
    assert not page.find("button", string=re.compile("Stop and keep|Cancel this run"))


def test_a_run_with_no_plan_yet_can_only_be_cancelled(signed_in, referral_unit, region):
    run = _run(region, referral_unit, status=RunStatus.RUNNING, started_at=clock.utc_now())
    page = signed_in.get(f"/placements/runs/{run.id}")
    assert [button.get_text(strip=True) for button in page.select("main form button")] == ["Cancel this run"]


def test_a_queued_run_is_cancelled_at_once_and_stops_refreshing(signed_in, referral_unit, region):
    run = _run(region, referral_unit)
    assert signed_in.get(f"/placements/runs/{run.id}").select_one("#run-status").get_text(strip=True) == (
        "Waiting to start.")
    page = signed_in.post(f"/placements/runs/{run.id}/cancel", follow=True, expected_status=200)
    assert page.select_one("#run-status").get_text(strip=True) == "Cancelled. Nothing it found was kept."
    assert page.select_one("noscript") is None and not page.select_one("#run-progress").get("data-refresh-s")
    page = signed_in.post(f"/placements/runs/{run.id}/cancel", follow=True, expected_status=200)
    assert "This run has already been cancelled" in page.select_one(".govuk-notification-banner").get_text()


def test_a_failed_run_shows_its_error(signed_in, referral_unit, region):
    run = _run(region, referral_unit, status=RunStatus.FAILED, error="RuntimeError: no instance")
    page = signed_in.get(f"/placements/runs/{run.id}")
    assert page.select_one("#run-status").get_text(strip=True) == "The run failed. Nothing it found was kept."
    assert "The error: RuntimeError: no instance" in page.select_one(".govuk-warning-text").get_text(" ", strip=True)


def test_a_run_whose_process_ended_is_shown_failed_not_running_for_ever(signed_in, referral_unit, region,
                                                                        time_machine):
    run = _run(region, referral_unit, status=RunStatus.RUNNING, started_at=clock.utc_now())
    time_machine.move_to(clock.now() + optimiser_runs.LOST_AFTER + timedelta(seconds=61), tick=False)
    page = signed_in.get(f"/placements/runs/{run.id}")
    assert page.select_one("#run-status").get_text(strip=True) == "The run failed. Nothing it found was kept."
    assert optimiser_runs.LOST in page.select_one(".govuk-warning-text").get_text(" ", strip=True)
    assert "Failed" in signed_in.get("/placements/runs").select_one("tbody tr").get_text(" ", strip=True)


def test_runs_of_other_regions_and_national_runs_are_not_found_by_regional_users(
        signed_in, region, make_user):
    national = make_user(Role.NATIONAL_MANAGER)
    other = db.session.scalar(sa.select(Region).where(Region.id != region.id))
    for run in (_run(other, national), _run(None, national)):
        signed_in.get(f"/placements/runs/{run.id}", expected_status=404)
        signed_in.post(f"/placements/runs/{run.id}/cancel", expected_status=404)
        assert db.session.get(OptimiserRun, run.id).status is RunStatus.QUEUED
    assert "Nobody has run the optimiser yet" in signed_in.get("/placements/runs").get_text()


def test_the_list_shows_who_when_where_status_objective_and_gap(signed_in, referral_unit, region):
    _run(region, referral_unit, status=RunStatus.FINISHED, objective=1_234_567, bound=1_200_000.0, gap=0.028)
    _run(region, referral_unit, status=RunStatus.FAILED)
    rows = _rows(signed_in.get("/placements/runs"), "Optimiser runs")
    assert [row[2:] for row in rows] == [["Rita Unit", "North West", "Failed", "", ""],
                                         ["Rita Unit", "North West", "Finished", "1,234,567", "2.8%"]]


# --- a whole run, both ways ----------------------------------------------------------------------------------------


def test_a_finished_run_links_to_its_proposals(background, signed_in, region, make_premises,
                                               make_placement_request):
    premises = make_premises("Proposal House", beds=1)
    first = make_placement_request()
    second = make_placement_request(expected_arrival=date(2030, 9, 3))
    location = signed_in.post("/placements/runs/new", {"region_id": str(region.id), "time_limit_s": "10"})
    run = background.ended(int(location.rsplit("/", 1)[1]))
    page = signed_in.get(f"/placements/runs/{run.id}")
    assert page.select_one("#run-status").get_text(strip=True) == "Finished: 1 placed, 1 not placed."
    assert page.find("a", string=lambda text: text and "See the proposals" in text)["href"] == (
        f"/placement-requests/runs/{run.id}/proposals")

    rows = _rows(signed_in.get(f"/placement-requests/runs/{run.id}/proposals"), "Proposed placements")
    placed = db.session.scalar(sa.select(Proposal).where(Proposal.premises_id.is_not(None)))
    assert rows[0][1:4] == [f"{placed.placement_request.person.name} {placed.placement_request.person.crn}",
                            "Standard", "Proposal House"]
    assert rows[0][4] == f"{placed.arrival_on.day} {placed.arrival_on:%B %Y}"
    assert {placed.placement_request_id} < {first.id, second.id}
    assert rows[1][3].startswith("Not placed Each of the 1 premises that meet the hard rules is full")
    assert "at the nearest, Proposal House:" in rows[1][3] and f"P{premises.id}" not in rows[1][3]
