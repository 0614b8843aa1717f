"""What-if scenarios: kept by their owner alone, changes refused by field, applied to today's instance exactly, a
plan's figures counted exactly, and a what-if run that plans today and the scenario and changes nothing live."""

from datetime import date

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import (
    ChangeKind,
    OptimiserRun,
    PlacementRequest,
    PlacementRequestStatus,
    Premises,
    Proposal,
    Region,
    RunStatus,
    Scenario,
    ScenarioChange,
)
from app.permissions import Role
from app.services import access, matching, optimiser_runs, scenario_plans, scenarios
from app.services.validation import InvalidInput, NotInScope
from optimizer import schema
from vocabulary import APType, Gender, Point


@pytest.fixture
def manager(make_user, region):
    return make_user(Role.REGIONAL_MANAGER, region=region)


@pytest.fixture
def scenario(manager, region):
    return scenarios.create(manager, "Spring works", region.id)


# --- keeping scenarios -------------------------------------------------------------------------------------------


def test_a_scenario_is_its_owners_alone(scenario, manager, make_user, region):
    other = make_user(Role.REGIONAL_MANAGER, region=region, email="other.manager@example.test")
    assert scenarios.scenarios_of(manager) == [scenario]
    assert scenarios.scenarios_of(other) == []
    with pytest.raises(NotInScope):
        access.find(other, Scenario, scenario.id)
    with pytest.raises(NotInScope):
        scenarios.delete(other, scenario)
    assert db.session.get(Scenario, scenario.id) is not None


def test_a_regional_manager_plans_their_own_region_only(manager, region):
    other_region = db.session.scalar(sa.select(Region).where(Region.id != region.id))
    assert scenarios.scenario_problems(manager, " ", region.id) == {"name": "Enter a name for the scenario"}
    assert scenarios.scenario_problems(manager, "A", other_region.id) == {"region_id": "Select a region from the list"}
    assert scenarios.scenario_problems(manager, "A", None) == {"region_id": "Select your region"}


@pytest.mark.parametrize(("kind", "fields", "problems"), [
    (ChangeKind.ADD_BEDS, {"number": -2}, {"number": "Enter a number of beds from 1 to 100"}),
    (ChangeKind.CLOSE_PREMISES, {"premises_id": 999_999}, {"premises_id": "Select an open AP from the list"}),
    (ChangeKind.BEDS_OUT, {"number": 1, "start_on": date(2031, 5, 2), "end_on": date(2031, 5, 1)},
     {"end_on": "The last day must be the same as or after the first day"}),
    (ChangeKind.MORE_REFERRALS, {"number": 0}, {"region_id": "Select a region from the list",
                                                "number": "Enter a number of referrals from 1 to 500",
                                                "ap_type": "Select the AP type the referrals ask for",
                                                "gender": "Select whether the referrals are of men or of women"}),
    (ChangeKind.CHANGE_MIX, {"number": 3, "from_ap_type": APType.PIPE, "ap_type": APType.PIPE},
     {"region_id": "Select a region from the list",
      "ap_type": "Select an AP type other than the one they ask for now"}),
    (ChangeKind.OPEN_PREMISES, {}, {"premises_id": "Select an AP that is closed today from the list"}),
    (ChangeKind.NEW_PREMISES, {"place": " ", "number": 0},
     {"place": "Enter the town or postcode district of the new AP",
      "gender": "Select whether the new AP is for men or for women", "ap_type": "Select the new AP's type",
      "number": "Enter a number of beds from 1 to 100"}),
    (ChangeKind.NEW_PREMISES, {"place": "Nowhere-on-Sea", "gender": Gender.FEMALE, "ap_type": APType.STANDARD,
                               "number": 10},
     {"place": "Enter a town or postcode district in England or Wales, like Leeds or LS1"}),
    (None, {}, {"kind": "Select what to change"}),
])
def test_a_bad_change_is_refused_by_field_and_nothing_is_saved(scenario, manager, make_premises, kind, fields,
                                                               problems):
    fields = {"premises_id": make_premises().id} | fields if kind in scenarios.AT_PREMISES else fields
    with pytest.raises(InvalidInput) as refused:
        scenarios.add_change(manager, scenario, kind, **fields)
    assert refused.value.problems == problems
    assert db.session.scalar(sa.select(sa.func.count(ScenarioChange.id))) == 0


def test_an_ap_closed_once_is_not_closed_again(scenario, manager, make_premises):
    premises = make_premises()
    scenarios.add_change(manager, scenario, ChangeKind.CLOSE_PREMISES, premises_id=premises.id)
    with pytest.raises(InvalidInput) as refused:
        scenarios.add_change(manager, scenario, ChangeKind.CLOSE_PREMISES, premises_id=premises.id)
    assert refused.value.problems == {"premises_id": "This AP is already closed in this scenario"}
    assert len(scenario.changes) == 1


def test_an_ap_closed_today_is_reopened_once_and_may_then_change(scenario, manager, make_premises):
    closed = make_premises("Shut House", is_active=False)
    with pytest.raises(InvalidInput) as refused:
        scenarios.add_change(manager, scenario, ChangeKind.ADD_BEDS, premises_id=closed.id, number=2)
    assert refused.value.problems == {"premises_id": "Select an open AP from the list"}
    scenarios.add_change(manager, scenario, ChangeKind.OPEN_PREMISES, premises_id=closed.id)
    scenarios.add_change(manager, scenario, ChangeKind.ADD_BEDS, premises_id=closed.id, number=2)
    with pytest.raises(InvalidInput) as refused:
        scenarios.add_change(manager, scenario, ChangeKind.OPEN_PREMISES, premises_id=closed.id)
    assert refused.value.problems == {"premises_id": "This AP is already reopened in this scenario"}
    assert [change.kind for change in scenario.changes] == [ChangeKind.OPEN_PREMISES, ChangeKind.ADD_BEDS]


def test_deleting_a_scenario_deletes_its_changes_and_runs(scenario, manager, make_premises):
    scenarios.add_change(manager, scenario, ChangeKind.ADD_BEDS, premises_id=make_premises().id, number=2)
    db.session.add(OptimiserRun(created_by=manager, region=scenario.region, method="cpsat", time_limit_s=10,
                                parameters={}, progress=[], scenario=scenario, status=RunStatus.FINISHED))
    db.session.commit()
    scenarios.delete(manager, scenario)
    assert [db.session.scalar(sa.select(sa.func.count(model.id))) for model in (Scenario, ScenarioChange,
                                                                                 OptimiserRun)] == [0, 0, 0]


# --- the changed instance ------------------------------------------------------------------------------------------


def test_the_changes_are_applied_to_todays_instance(scenario, manager, make_premises, region, time_machine):
    time_machine.move_to(date(2031, 5, 1))
    larger, closing = make_premises("Larger House", beds=4), make_premises("Closing House", beds=2)
    for kind, fields in [
        (ChangeKind.ADD_BEDS, {"premises_id": larger.id, "number": 3}),
        (ChangeKind.BEDS_OUT, {"premises_id": larger.id, "number": 2, "start_on": date(2031, 5, 11),
                               "end_on": date(2031, 5, 20)}),
        (ChangeKind.CLOSE_PREMISES, {"premises_id": closing.id}),
        (ChangeKind.MORE_REFERRALS, {"region_id": region.id, "number": 5, "ap_type": APType.PIPE,
                                     "gender": Gender.MALE}),
        (ChangeKind.MORE_REFERRALS, {"region_id": region.id, "number": 2, "ap_type": APType.STANDARD,
                                     "gender": Gender.FEMALE}),
    ]:
        scenarios.add_change(manager, scenario, kind, **fields)
    translation = matching.instance_for(region.id, date(2031, 5, 1))
    changed = scenario_plans.applied(scenario, translation)
    premises = {p.id: p for p in changed.premises}
    single = frozenset({"is_single"})
    extra = [r for r in changed.referrals if r.id.startswith("X")]
    end = max(r.latest_arrival + r.length_of_stay for r in extra)

    assert premises[f"P{larger.id}"].bed_groups == (schema.BedGroup(single, 4), schema.BedGroup(frozenset(), 3))
    assert premises[f"P{larger.id}"].beds_out == (schema.BedsOut(frozenset(), 10, 20, 2),)  # new beds first
    assert premises[f"P{closing.id}"].beds_out == (schema.BedsOut(single, 0, end, 2),)
    assert [(r.ap_type, r.region, r.gender) for r in extra] == [(APType.PIPE, region.name, Gender.MALE)] * 5 + [
        (APType.STANDARD, region.name, Gender.FEMALE)] * 2
    assert translation.instance.referrals == () and len(translation.instance.premises[0].beds_out) == 0
    assert scenario_plans.applied(scenario, translation) == changed  # the same referrals every run


def test_aps_reopened_and_opened_join_the_instance(scenario, manager, make_premises, region, time_machine):
    time_machine.move_to(date(2031, 5, 1))
    make_premises("Open House")
    closed = make_premises("Shut House", beds=3, is_active=False, room_characteristics=("is_arson_suitable",))
    scenarios.add_change(manager, scenario, ChangeKind.OPEN_PREMISES, premises_id=closed.id)
    scenarios.add_change(manager, scenario, ChangeKind.ADD_BEDS, premises_id=closed.id, number=1)
    new = scenarios.add_change(manager, scenario, ChangeKind.NEW_PREMISES, place=" Leeds ", gender=Gender.FEMALE,
                               ap_type=APType.PIPE, number=12)
    translation = matching.instance_for(region.id, date(2031, 5, 1))
    premises = {p.id: p for p in scenario_plans.applied(scenario, translation).premises}

    assert f"P{closed.id}" not in {p.id for p in translation.instance.premises}  # live data stays as it is
    assert premises[f"P{closed.id}"].bed_groups == (schema.BedGroup(frozenset({"is_arson_suitable"}), 3),
                                                    schema.BedGroup(frozenset(), 1))
    opened = premises[f"N{new.id}"]
    assert new.place == "Leeds"
    assert (opened.gender, opened.ap_type, opened.bed_groups, opened.region) == (
        Gender.FEMALE, APType.PIPE, (schema.BedGroup(frozenset(), 12),), "Yorkshire and the Humber")
    assert "accepts_sex_offenders" in opened.characteristics and "has_step_free_access" not in opened.characteristics


def test_a_change_of_mix_turns_the_regions_oldest_requests_of_a_type_to_another(
        scenario, manager, make_premises, make_placement_request, region, time_machine):
    time_machine.move_to(date(2030, 8, 25))
    make_premises()
    first, second, _ = (make_placement_request() for _ in range(3))
    scenarios.add_change(manager, scenario, ChangeKind.CHANGE_MIX, region_id=region.id, number=2,
                         from_ap_type=APType.STANDARD, ap_type=APType.PIPE)
    translation = matching.instance_for(region.id, date(2030, 8, 25))
    changed = scenario_plans.applied(scenario, translation)
    assert [r.ap_type for r in changed.referrals] == [APType.PIPE, APType.PIPE, APType.STANDARD]
    assert [r.id for r in changed.referrals][:2] == [f"R{first.id}", f"R{second.id}"]
    assert {r.ap_type for r in translation.instance.referrals} == {APType.STANDARD}


# --- a plan's figures ----------------------------------------------------------------------------------------------


def test_a_plans_figures_are_counted_exactly():
    here = Point(-2.7, 53.76)
    instance = schema.Instance(
        horizon_days=28,
        premises=(schema.Premises("P1", Gender.MALE, here, APType.STANDARD, frozenset(),
                                  (schema.BedGroup(frozenset(), 2),), (schema.BedsOut(frozenset(), 20, 40, 1),)),),
        residents=(schema.Resident("S1", "P1", 0, 10),),
        referrals=(schema.Referral("R1", Gender.MALE, here, 0, 0, 14, region="North West"),
                   schema.Referral("R2", Gender.MALE, here, 0, 0, 14, region="Wales"),
                   schema.Referral("R3", Gender.MALE, Point(-2.7, 54.76), 20, 20, 14, region="Wales")),
    )
    result = schema.Result("cpsat", "optimal", {
        "R1": schema.Assignment("R1", "P1", 0, "M1"),
        "R2": schema.Assignment("R2", None, None, None),
        "R3": schema.Assignment("R3", "P1", 20, None),
    }, objective=0, best_bound=0)
    # 2 beds for 28 nights, less one for 8 of them; residents 10 nights, R1 14 and R3 the 8 left of the window.
    assert scenario_plans.outcome(instance, result) == {
        "referrals": 3, "placed": 2, "unplaced_by_region": {"Wales": 1}, "average_distance_km": 55.6,
        "move_on_secured": 1, "occupancy_percent": round(100 * (10 + 14 + 8) / 48, 1)}


def test_plans_are_set_side_by_side_figure_by_figure_with_every_region_left_short():
    first = {"referrals": 3, "placed": 2, "unplaced_by_region": {"Wales": 1}, "average_distance_km": 55.6,
             "move_on_secured": 1, "occupancy_percent": 66.7}
    second = first | {"placed": 1, "unplaced_by_region": {"North West": 1, "Wales": 1}, "average_distance_km": None}
    table = scenario_plans.side_by_side([("Today", first), ("Closed", second)])
    assert table.header == ("Figure", "Today", "Closed")
    assert table.rows == [("People to place", 3, 3), ("Placed", 2, 1), ("Average distance from home (km)", 55.6, None),
                          ("Move-on places secured", 1, 1), ("Occupancy of the next 4 weeks (%)", 66.7, 66.7),
                          ("Not placed: North West", 0, 1), ("Not placed: Wales", 1, 1)]


def test_two_or_more_of_ones_own_scenarios_are_compared(scenario, manager, region, make_user):
    second = scenarios.create(manager, "Second", region.id)
    assert scenarios.to_compare(manager, [second.id, scenario.id, second.id]) == [second, scenario]
    with pytest.raises(InvalidInput) as refused:
        scenarios.to_compare(manager, [scenario.id, scenario.id])
    assert refused.value.problems == {"scenario": "Select from 2 to 6 scenarios to compare"}
    with pytest.raises(InvalidInput):
        scenarios.to_compare(manager, list(range(1, 8)))
    other = make_user(Role.REGIONAL_MANAGER, region=region, email="other.manager@example.test")
    with pytest.raises(NotInScope):
        scenarios.to_compare(other, [scenario.id, second.id])


# --- a what-if run ---------------------------------------------------------------------------------------------------


def test_a_what_if_run_compares_today_with_the_scenario_and_changes_nothing_live(
        background, scenario, manager, make_premises, make_placement_request):
    premises = make_premises("Only House", beds=2, room_characteristics=())
    placement_request = make_placement_request()
    scenarios.add_change(manager, scenario, ChangeKind.CLOSE_PREMISES, premises_id=premises.id)

    run = background.ended(optimiser_runs.start(manager, scenario.region_id, 10, scenario=scenario).id)

    assert run.status is RunStatus.FINISHED
    assert (run.comparison["today"]["placed"], run.comparison["scenario"]["placed"]) == (1, 0)
    assert run.comparison["scenario"]["unplaced_by_region"] == {"North West": 1}
    assert run.comparison["scenario"]["occupancy_percent"] is None  # no bed left in service
    assert db.session.scalar(sa.select(sa.func.count(Proposal.id))) == 0
    assert db.session.get(PlacementRequest, placement_request.id).status is PlacementRequestStatus.READY_TO_MATCH
    assert optimiser_runs.runs_for(manager) == []  # what-if runs are their scenario's, not the live list's


def test_a_what_if_run_places_people_in_an_ap_reopened(background, scenario, manager, make_premises,
                                                       make_placement_request):
    make_premises("Full House", beds=0)
    closed = make_premises("Shut House", beds=1, is_active=False)
    make_placement_request()
    scenarios.add_change(manager, scenario, ChangeKind.OPEN_PREMISES, premises_id=closed.id)

    run = background.ended(optimiser_runs.start(manager, scenario.region_id, 10, scenario=scenario).id)

    assert (run.comparison["today"]["placed"], run.comparison["scenario"]["placed"]) == (0, 1)
    assert db.session.get(Premises, closed.id).is_active is False
