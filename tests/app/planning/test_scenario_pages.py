"""The scenario pages as a regional manager uses them: create, change, read the comparison, delete; bad input beside
its field with nothing saved, and somebody else's scenario not found."""

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import OptimiserRun, RunStatus, Scenario, ScenarioChange
from app.permissions import Role
from app.services import scenarios
from tests.app.pages import error_messages


@pytest.fixture
def scenario(manager, region):
    return scenarios.create(manager, "Spring works", region.id)


def test_a_manager_creates_a_scenario_of_their_region(client_request, manager, region, make_premises):
    make_premises()  # the regions offered are those whose premises the user sees
    client = client_request.sign_in(manager)
    assert client.get("/planning/scenarios").select_one("select#region_id option").get_text() == region.name
    location = client.post("/planning/scenarios", {"name": "Close one AP", "region_id": str(region.id)})
    created = db.session.scalar(sa.select(Scenario))
    assert location == f"/planning/scenarios/{created.id}"
    assert (created.name, created.created_by, created.region) == ("Close one AP", manager, region)
    page = client.get("/planning/scenarios")
    assert page.select_one("tbody a").get_text() == "Close one AP"


def test_a_scenario_needs_a_name(client_request, manager, region):
    page = client_request.sign_in(manager).post("/planning/scenarios", {"name": "", "region_id": str(region.id)},
                                                expected_status=200)
    assert error_messages(page) == {"name": "Enter a name for the scenario"}
    assert db.session.scalar(sa.select(sa.func.count(Scenario.id))) == 0


def test_changes_are_added_and_removed(client_request, manager, scenario, make_premises):
    premises = make_premises("Closing House")
    client = client_request.sign_in(manager)
    client.post(f"/planning/scenarios/{scenario.id}/changes", {"kind": "close_premises",
                                                               "premises_id": str(premises.id)})
    page = client.get(f"/planning/scenarios/{scenario.id}")
    assert page.select_one("ul.govuk-list li").get_text(" ", strip=True).startswith("Close Closing House")
    change = db.session.scalar(sa.select(ScenarioChange))
    client.post(f"/planning/scenarios/{scenario.id}/changes/{change.id}/remove")
    assert db.session.scalar(sa.select(sa.func.count(ScenarioChange.id))) == 0


def test_each_question_names_the_kinds_of_change_that_ask_it(client_request, manager, scenario):
    page = client_request.sign_in(manager).get(f"/planning/scenarios/{scenario.id}")
    kinds = {question.select_one("input, select")["name"].split("-")[0]: question["data-change-kinds"].split()
             for question in page.select("[data-change-kinds]")}
    assert kinds["place"] == ["new_premises"]
    assert kinds["premises_id"] == ["add_beds", "remove_beds", "close_premises", "open_premises", "beds_out"]
    assert kinds["gender"] == ["new_premises", "more_referrals"]
    assert set(kinds) == {"premises_id", "place", "gender", "number", "start_on", "end_on", "region_id",
                          "from_ap_type", "ap_type"}


def test_aps_are_reopened_and_opened(client_request, manager, scenario, make_premises):
    closed = make_premises("Shut House", is_active=False)
    client = client_request.sign_in(manager)
    page = client.get(f"/planning/scenarios/{scenario.id}")
    assert "Shut House (closed today)" in [option.get_text() for option in page.select("select#premises_id option")]
    client.post(f"/planning/scenarios/{scenario.id}/changes", {"kind": "open_premises", "premises_id": str(closed.id)})
    client.post(f"/planning/scenarios/{scenario.id}/changes", {"kind": "new_premises", "place": "Leeds",
                                                               "gender": "female", "ap_type": "standard",
                                                               "number": "14"})
    page = client.get(f"/planning/scenarios/{scenario.id}")
    assert [item.get_text(" ", strip=True).split(" Remove")[0] for item in page.select("ul.govuk-list li")] == [
        "Reopen Shut House", "Open a new Standard AP for women in Leeds with 14 beds"]


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"kind": "add_beds", "number": "-3"}, "number", "Enter a number of beds from 1 to 100"),
    ({"kind": "close_premises", "premises_id": "999999"}, "premises_id", "Select an AP from the list"),
    ({"kind": "beds_out", "number": "2", "start_on": ["2", "6", "2031"], "end_on": ["1", "6", "2031"]},
     "end_on-day", "The last day must be the same as or after the first day"),
    ({"kind": "more_referrals", "number": "5", "ap_type": "pipe", "gender": "male"}, "region_id",
     "Select a region from the list"),
    ({"kind": "open_premises"}, "premises_id", "Select an AP that is closed today from the list"),
    ({"kind": "new_premises", "place": "Paris", "gender": "male", "ap_type": "esap", "number": "20"}, "place",
     "Enter a town or postcode district in England or Wales, like Leeds or LS1"),
])
def test_a_bad_change_is_an_error_beside_its_field_and_nothing_is_saved(client_request, manager, scenario,
                                                                       make_premises, data, field, message):
    premises = make_premises()
    data = {"premises_id": str(premises.id)} | data
    page = client_request.sign_in(manager).post(f"/planning/scenarios/{scenario.id}/changes", data,
                                                expected_status=200)
    assert error_messages(page)[field] == message
    assert page.select_one(".govuk-error-summary")
    assert db.session.scalar(sa.select(sa.func.count(ScenarioChange.id))) == 0


def test_the_comparison_shows_today_and_the_scenario_side_by_side(client_request, manager, scenario):
    _ran(scenario, manager)
    page = client_request.sign_in(manager).get(f"/planning/scenarios/{scenario.id}")
    rows = {row.th.get_text(strip=True): [cell.get_text(strip=True) for cell in row.select("td")]
            for row in page.select("table tbody tr")}
    listed = client_request.get("/planning/scenarios").select("tbody tr td")
    assert [cell.get_text(strip=True) for cell in listed[4:6]] == ["38 of 40", "35 of 40"]
    assert rows == {
        "People to place": ["40", "40"], "Placed": ["38", "35"], "Average distance from home (km)": ["31.2", "44.0"],
        "Move-on places secured": ["30", "30"], "Occupancy of the next 4 weeks (%)": ["91.5", "97.0"],
        "Not placed: North West": ["2", "4"], "Not placed: Wales": ["0", "1"],
    }


OUTCOME = {"referrals": 40, "placed": 38, "unplaced_by_region": {"North West": 2}, "average_distance_km": 31.25,
           "move_on_secured": 30, "occupancy_percent": 91.5}


def _ran(scenario, manager, **changed):
    """A finished run of the scenario whose plans of today and of the scenario are OUTCOME and OUTCOME changed."""
    changed = {"placed": 35, "unplaced_by_region": {"North West": 4, "Wales": 1}, "average_distance_km": 44.0,
               "occupancy_percent": 97.0} | changed
    db.session.add(OptimiserRun(created_by=manager, region=scenario.region, method="cpsat", time_limit_s=10,
                                parameters={}, progress=[], scenario=scenario, status=RunStatus.FINISHED,
                                comparison={"today": OUTCOME, "scenario": OUTCOME | changed}))
    db.session.commit()


def test_scenarios_are_compared_side_by_side_and_downloaded(client_request, manager, scenario, region):
    second, unrun = scenarios.create(manager, "More beds", region.id), scenarios.create(manager, "Idea", region.id)
    _ran(scenario, manager)
    _ran(second, manager, placed=40, unplaced_by_region={})
    client = client_request.sign_in(manager)
    query = f"/planning/scenarios/compare?scenario={scenario.id}&scenario={second.id}&scenario={unrun.id}"
    page = client.get(query)
    assert [cell.get_text(strip=True) for cell in page.select("thead th")][1:] == [
        "Spring works: today", "Spring works: changed", "More beds: today", "More beds: changed"]
    rows = {row.th.get_text(strip=True): [cell.get_text(strip=True) for cell in row.select("td")]
            for row in page.select("table tbody tr")}
    assert rows["Placed"] == ["38", "35", "38", "40"]
    assert rows["Not placed: Wales"] == ["0", "1", "0", "0"]
    assert "Not run yet, so not shown: Idea." in page.select_one(".govuk-inset-text").get_text(strip=True)

    csv = client.client.get(query.replace("/compare?", "/compare/download.csv?")).get_data(as_text=True)
    assert csv.splitlines()[:2] == ["Figure,Spring works: today,Spring works: changed,More beds: today,More beds: changed",
                                    "People to place,40,40,40,40"]


def test_comparing_needs_two_scenarios_of_ones_own(client_request, manager, scenario, make_user, region):
    client = client_request.sign_in(manager)
    page = client.get(f"/planning/scenarios/compare?scenario={scenario.id}")
    assert error_messages(page) == {"scenario": "Select from 2 to 6 scenarios to compare"}
    assert page.select_one(f'input[name="scenario"][value="{scenario.id}"]').has_attr("checked")
    other = scenarios.create(make_user(Role.REGIONAL_MANAGER, region=region, email="other@example.test"), "Theirs",
                             region.id)
    client.get(f"/planning/scenarios/compare?scenario={scenario.id}&scenario={other.id}", expected_status=404)


def test_a_run_needs_a_time_limit_in_range(client_request, manager, scenario):
    page = client_request.sign_in(manager).post(f"/planning/scenarios/{scenario.id}/run", {"time_limit_s": "5"},
                                                expected_status=200)
    assert error_messages(page) == {"time_limit_s": "The time limit must be between 10 and 600 seconds"}
    assert db.session.scalar(sa.select(sa.func.count(OptimiserRun.id))) == 0


def test_somebody_elses_scenario_is_not_found(client_request, make_user, region, scenario):
    other = make_user(Role.REGIONAL_MANAGER, region=region, email="other.manager@example.test")
    client = client_request.sign_in(other)
    client.get(f"/planning/scenarios/{scenario.id}", expected_status=404)
    for action in ("delete", "run", "changes"):
        client.post(f"/planning/scenarios/{scenario.id}/{action}", {"time_limit_s": "10"}, expected_status=404)
    assert db.session.get(Scenario, scenario.id) is not None


def test_a_scenario_is_deleted(client_request, manager, scenario):
    assert client_request.sign_in(manager).post(f"/planning/scenarios/{scenario.id}/delete") == "/planning/scenarios"
    assert db.session.scalar(sa.select(sa.func.count(Scenario.id))) == 0


def test_a_running_scenario_is_cancelled_before_it_is_deleted(client_request, manager, scenario):
    run = OptimiserRun(created_by=manager, region=scenario.region, method="cpsat", time_limit_s=30, parameters={},
                       progress=[], scenario=scenario, status=RunStatus.RUNNING)
    db.session.add(run)
    db.session.commit()
    client = client_request.sign_in(manager)
    page = client.post(f"/planning/scenarios/{scenario.id}/delete", follow=True, expected_status=200)
    assert page.select_one(".govuk-notification-banner").get_text(" ", strip=True).endswith(
        "The scenario's run has not ended: cancel it, or wait for it to end, then delete the scenario")
    assert db.session.scalar(sa.select(sa.func.count(Scenario.id))) == 1

    page = client.post(f"/planning/scenarios/{scenario.id}/cancel", follow=True, expected_status=200)
    assert "The run is stopping" in page.select_one(".govuk-notification-banner").get_text()
    assert db.session.get(OptimiserRun, run.id).cancel_requested
    assert not page.find("button", string=re.compile("Cancel the run"))
