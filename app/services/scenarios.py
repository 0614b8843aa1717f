"""What-if scenarios: a planner's named changes to capacity and demand, kept by their owner alone.

A scenario keeps only its changes (FIELDS says which columns each kind uses); a run of it plans today and the
changed instance side by side (app/services/scenario_plans.py), writing nothing live.
"""

from datetime import date

import sqlalchemy as sa

from app.extensions import db
from app.models import ChangeKind, Premises, Region, Scenario, ScenarioChange, User
from app.services import access, audit, optimiser_runs
from app.services.scenario_plans import new_premises_region
from app.services.validation import InvalidInput, Refused, existing, refuse_if_any, text_problem
from vocabulary import APType, Gender

MAX_BEDS_CHANGED = 100
MAX_EXTRA_REFERRALS = 500
MOST_COMPARED = 6  # scenarios side by side: two columns each
FIELDS = {  # what each kind of change keeps
    ChangeKind.ADD_BEDS: ("premises_id", "number"),
    ChangeKind.REMOVE_BEDS: ("premises_id", "number"),
    ChangeKind.CLOSE_PREMISES: ("premises_id",),
    ChangeKind.OPEN_PREMISES: ("premises_id",),
    ChangeKind.NEW_PREMISES: ("place", "gender", "ap_type", "number"),
    ChangeKind.BEDS_OUT: ("premises_id", "number", "start_on", "end_on"),
    ChangeKind.MORE_REFERRALS: ("region_id", "number", "ap_type", "gender"),
    ChangeKind.CHANGE_MIX: ("region_id", "number", "from_ap_type", "ap_type"),
}
AT_PREMISES = tuple(kind for kind, fields in FIELDS.items() if "premises_id" in fields)
OF_BEDS = (ChangeKind.ADD_BEDS, ChangeKind.REMOVE_BEDS, ChangeKind.BEDS_OUT, ChangeKind.NEW_PREMISES)
KINDS_BY_FIELD = {name: [kind.value for kind, fields in FIELDS.items() if name in fields]
                  for name in dict.fromkeys(name for fields in FIELDS.values() for name in fields)}
ONCE_PER_PREMISES = {ChangeKind.CLOSE_PREMISES: "closed", ChangeKind.OPEN_PREMISES: "reopened"}


# --- keeping scenarios -------------------------------------------------------------------------------------------


def scenarios_of(user: User) -> list[Scenario]:
    """The user's own scenarios, newest first: a scenario is its owner's alone."""
    return list(db.session.scalars(sa.select(Scenario).where(access.visible_scenarios(user))
                                   .order_by(Scenario.id.desc())))


def every_premises() -> list[Premises]:
    """The premises a change may name: those open today, and those closed today that a scenario may reopen."""
    return list(db.session.scalars(sa.select(Premises).order_by(Premises.name)))


def every_region() -> list[Region]:
    """Where more referrals may come from: any region, whoever plans, as APs are a national resource."""
    return list(db.session.scalars(sa.select(Region).order_by(Region.name)))


def scenario_problems(user: User, name: str | None, region_id: int | None) -> dict[str, str]:
    """A scenario plans the requests of a region the user may run the optimiser over (None: every region's)."""
    problems = {}
    if problem := text_problem(name, missing="Enter a name for the scenario", max_length=120, what="The name"):
        problems["name"] = problem
    of_runs = optimiser_runs.start_problems(user, region_id, optimiser_runs.DEFAULT_TIME_LIMIT_S)
    return problems | ({"region_id": of_runs["region_id"]} if "region_id" in of_runs else {})


def create(user: User, name: str | None, region_id: int | None) -> Scenario:
    """A scenario of today as it stands, planning the region's requests (None: the country's)."""
    refuse_if_any(scenario_problems(user, name, region_id))
    scenario = Scenario(name=name.strip(), created_by=user, region_id=region_id)
    db.session.add(scenario)
    db.session.flush()
    audit.record("scenario_created", scenario, user=user, name=scenario.name)
    db.session.commit()
    return scenario


def to_compare(user: User, scenario_ids: list[int]) -> list[Scenario]:
    """The user's scenarios chosen to compare, in the order chosen; InvalidInput unless two to MOST_COMPARED."""
    if not 2 <= len(set(scenario_ids)) <= MOST_COMPARED:
        raise InvalidInput({"scenario": f"Select from 2 to {MOST_COMPARED} scenarios to compare"})
    return [access.find(user, Scenario, scenario_id) for scenario_id in dict.fromkeys(scenario_ids)]


def delete(user: User, scenario: Scenario) -> None:
    """The scenario, its changes and its runs; not while a run is planning it, as its job writes to the run."""
    access.require(user, scenario)
    if any(run.status.is_active for run in scenario.runs):
        raise Refused("The scenario's run has not ended: cancel it, or wait for it to end, then delete the scenario")
    audit.record("scenario_deleted", scenario, user=user, name=scenario.name)
    db.session.delete(scenario)
    db.session.commit()


def change_problems(scenario: Scenario, kind: ChangeKind | None, *, premises_id: int | None = None,
                    region_id: int | None = None, number: int | None = None, ap_type: APType | None = None,
                    from_ap_type: APType | None = None, start_on: date | None = None, end_on: date | None = None,
                    place: str | None = None, gender: Gender | None = None) -> dict[str, str]:
    """What is wrong with a change, by field: only the fields its kind uses are checked."""
    if kind is None:
        return {"kind": "Select what to change"}
    problems = _premises_problems(scenario, kind, premises_id) if kind in AT_PREMISES else {}
    if kind is ChangeKind.NEW_PREMISES:
        problems |= _new_premises_problems(place, gender, ap_type)
    if kind in OF_BEDS and (number is None or not 1 <= number <= MAX_BEDS_CHANGED):
        problems["number"] = f"Enter a number of beds from 1 to {MAX_BEDS_CHANGED}"
    if kind is ChangeKind.BEDS_OUT:
        if start_on is None:
            problems["start_on"] = "Enter the first day the beds are out of service"
        if end_on is None:
            problems["end_on"] = "Enter the last day the beds are out of service"
        elif start_on is not None and end_on < start_on:
            problems["end_on"] = "The last day must be the same as or after the first day"
    if kind in (ChangeKind.MORE_REFERRALS, ChangeKind.CHANGE_MIX):
        if existing(Region, region_id) is None:
            problems["region_id"] = "Select a region from the list"
        if number is None or not 1 <= number <= MAX_EXTRA_REFERRALS:
            problems["number"] = f"Enter a number of referrals from 1 to {MAX_EXTRA_REFERRALS}"
        if ap_type is None:
            problems["ap_type"] = "Select the AP type the referrals ask for"
    if kind is ChangeKind.MORE_REFERRALS and gender is None:
        problems["gender"] = "Select whether the referrals are of men or of women"
    if kind is ChangeKind.CHANGE_MIX:
        if from_ap_type is None:
            problems["from_ap_type"] = "Select the AP type they ask for now"
        elif from_ap_type is ap_type:
            problems["ap_type"] = "Select an AP type other than the one they ask for now"
    return problems


def _premises_problems(scenario: Scenario, kind: ChangeKind, premises_id: int | None) -> dict[str, str]:
    """An AP is reopened only if it is closed today; every other change names an AP open today or reopened by the
    scenario; an AP is closed, or reopened, once."""
    premises = existing(Premises, premises_id)
    if kind is ChangeKind.OPEN_PREMISES:
        if premises is None or premises.is_active:
            return {"premises_id": "Select an AP that is closed today from the list"}
    elif premises is None or not (premises.is_active or premises_id in reopened_premises_ids(scenario)):
        return {"premises_id": "Select an open AP from the list"}
    if kind in ONCE_PER_PREMISES and any(change.kind is kind and change.premises_id == premises_id
                                         for change in scenario.changes):
        return {"premises_id": f"This AP is already {ONCE_PER_PREMISES[kind]} in this scenario"}
    return {}


def reopened_premises_ids(scenario: Scenario) -> set[int]:
    return {change.premises_id for change in scenario.changes if change.kind is ChangeKind.OPEN_PREMISES}


def _new_premises_problems(place: str | None, gender: Gender | None, ap_type: APType | None) -> dict[str, str]:
    """A new AP stands in a place we can locate in England or Wales, and is for men or for women."""
    problems = {}
    if problem := text_problem(place, missing="Enter the town or postcode district of the new AP", max_length=120,
                               what="The town or postcode district"):
        problems["place"] = problem
    elif new_premises_region(place) is None:
        problems["place"] = "Enter a town or postcode district in England or Wales, like Leeds or LS1"
    if gender is None:
        problems["gender"] = "Select whether the new AP is for men or for women"
    if ap_type is None:
        problems["ap_type"] = "Select the new AP's type"
    return problems


def add_change(user: User, scenario: Scenario, kind: ChangeKind | None, **fields) -> ScenarioChange:
    access.require(user, scenario)
    refuse_if_any(change_problems(scenario, kind, **fields))
    kept = {name: fields[name] for name in FIELDS[kind]}  # a field the kind does not use is left out
    if kind is ChangeKind.NEW_PREMISES:
        kept["place"] = kept["place"].strip()
    change = ScenarioChange(kind=kind, **kept)
    scenario.changes.append(change)
    db.session.flush()
    audit.record("scenario_changed", scenario, user=user, change=kind.value,
                 **{name: str(value) for name, value in kept.items()})
    db.session.commit()
    return change


def remove_change(user: User, scenario: Scenario, change_id: int) -> None:
    access.require(user, scenario)
    change = next((change for change in scenario.changes if change.id == change_id), None)
    if change is not None:
        scenario.changes.remove(change)
        audit.record("scenario_change_removed", scenario, user=user, change=change.kind.value)
        db.session.commit()
