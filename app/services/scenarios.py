"""What-if scenarios: a planner's named changes to capacity and demand, planned by the optimiser beside today.

A scenario keeps only its changes. A run of it (app/services/optimiser_runs.py) reads today's instance from the
live data with `matching.instance_for`, plans it, applies the changes to a copy (`applied`) and plans that too,
then keeps the two plans' figures side by side (`outcome`). Nothing live is written: no proposal, no request.

Changes, and the columns each uses:
- add beds at an AP (premises, number): beds with no room characteristics join it;
- remove beds from an AP (premises, number) and close an AP (premises): beds out of service for the whole plan,
  the plainest rooms' first, so an AP closed takes no one new and its residents stay until they leave;
- beds out of service for a period (premises, number, start and end days);
- more referrals in a region (region, number, AP type): generated as the optimiser's benchmark generates them,
  homes in the region's towns, arriving within four weeks.
"""

from collections import Counter
from dataclasses import replace
from datetime import date

import sqlalchemy as sa

from app.extensions import db
from app.models import ChangeKind, Premises, Region, Scenario, ScenarioChange, User
from app.permissions import Permission
from app.services import access, audit, matching
from app.services.validation import refuse_if_any, text_problem
from optimizer import schema
from optimizer.capacity import plan_days
from optimizer.generator import TIERS, Generator
from vocabulary import APType, Gender, distance_km

MAX_BEDS_CHANGED = 100
MAX_EXTRA_REFERRALS = 500
EXTRA_REFERRAL_DAYS = 28  # the extra referrals' earliest arrivals fall within this many days from today
OCCUPANCY_DAYS = 28  # a plan's occupancy is of its first four weeks
AT_PREMISES = (ChangeKind.ADD_BEDS, ChangeKind.REMOVE_BEDS, ChangeKind.CLOSE_PREMISES, ChangeKind.BEDS_OUT)
OF_BEDS = (ChangeKind.ADD_BEDS, ChangeKind.REMOVE_BEDS, ChangeKind.BEDS_OUT)
EXTRA = "X"  # the optimiser ids of the extra referrals: X<change id>.<n>


# --- keeping scenarios -------------------------------------------------------------------------------------------


def scenarios_of(user: User) -> list[Scenario]:
    """The user's own scenarios, newest first: a scenario is its owner's alone."""
    return list(db.session.scalars(sa.select(Scenario).where(access.visible_scenarios(user))
                                   .order_by(Scenario.id.desc())))


def regions_for(user: User) -> list[Region]:
    return list(db.session.scalars(sa.select(Region).where(access.visible_regions(user)).order_by(Region.name)))


def open_premises() -> list[Premises]:
    """The premises a change may name: those the optimiser plans."""
    return list(db.session.scalars(sa.select(Premises).where(Premises.is_active).order_by(Premises.name)))


def scenario_problems(user: User, name: str | None, region_id: int | None) -> dict[str, str]:
    problems = {}
    if problem := text_problem(name, missing="Enter a name for the scenario", max_length=120, what="The name"):
        problems["name"] = problem
    if region_id is None and not user.can(Permission.VIEW_ALL_REGIONS):
        problems["region_id"] = "Select your region"
    elif region_id is not None and region_id not in {region.id for region in regions_for(user)}:
        problems["region_id"] = "Select a region from the list"
    return problems


def create(user: User, name: str | None, region_id: int | None) -> Scenario:
    """A scenario of today as it stands, planning the region's requests (None: the country's)."""
    refuse_if_any(scenario_problems(user, name, region_id))
    scenario = Scenario(name=name.strip(), created_by=user, region_id=region_id)
    db.session.add(scenario)
    db.session.flush()
    audit.record("scenario_created", scenario, user=user, name=scenario.name)
    db.session.commit()
    return scenario


def delete(user: User, scenario: Scenario) -> None:
    """The scenario, its changes and its runs."""
    access.require(user, scenario)
    audit.record("scenario_deleted", scenario, user=user, name=scenario.name)
    db.session.delete(scenario)
    db.session.commit()


def change_problems(scenario: Scenario, kind: ChangeKind | None, *, premises_id: int | None = None,
                    region_id: int | None = None, number: int | None = None, ap_type: APType | None = None,
                    start_on: date | None = None, end_on: date | None = None) -> dict[str, str]:
    """What is wrong with a change, by field: only the fields its kind uses are checked."""
    if kind is None:
        return {"kind": "Select what to change"}
    problems = {}
    if kind in AT_PREMISES:
        premises = db.session.get(Premises, premises_id) if premises_id is not None else None
        if premises is None or not premises.is_active:  # the optimiser plans the open premises only
            problems["premises_id"] = "Select an open AP from the list"
        elif kind is ChangeKind.CLOSE_PREMISES and any(
                change.kind is ChangeKind.CLOSE_PREMISES and change.premises_id == premises_id
                for change in scenario.changes):
            problems["premises_id"] = "This AP is already closed in this scenario"
    if kind in OF_BEDS and (number is None or not 1 <= number <= MAX_BEDS_CHANGED):
        problems["number"] = f"Enter a number of beds from 1 to {MAX_BEDS_CHANGED}"
    if kind is ChangeKind.BEDS_OUT:
        if start_on is None:
            problems["start_on"] = "Enter the first day the beds are out of service"
        if end_on is None:
            problems["end_on"] = "Enter the last day the beds are out of service"
        elif start_on is not None and end_on < start_on:
            problems["end_on"] = "The last day must be the same as or after the first day"
    if kind is ChangeKind.MORE_REFERRALS:
        if region_id is None or db.session.get(Region, region_id) is None:
            problems["region_id"] = "Select a region from the list"
        if number is None or not 1 <= number <= MAX_EXTRA_REFERRALS:
            problems["number"] = f"Enter a number of referrals from 1 to {MAX_EXTRA_REFERRALS}"
        if ap_type is None:
            problems["ap_type"] = "Select the AP type the referrals ask for"
    return problems


def add_change(user: User, scenario: Scenario, kind: ChangeKind | None, **fields) -> ScenarioChange:
    access.require(user, scenario)
    refuse_if_any(change_problems(scenario, kind, **fields))
    used = {"premises_id"} if kind is ChangeKind.CLOSE_PREMISES else (
        {"region_id", "number", "ap_type"} if kind is ChangeKind.MORE_REFERRALS else
        {"premises_id", "number"} | ({"start_on", "end_on"} if kind is ChangeKind.BEDS_OUT else set()))
    change = ScenarioChange(kind=kind, **{name: value for name, value in fields.items() if name in used})
    scenario.changes.append(change)
    db.session.flush()
    audit.record("scenario_changed", scenario, user=user, change=kind.value,
                 **{name: str(value) for name, value in fields.items() if name in used})
    db.session.commit()
    return change


def remove_change(user: User, scenario: Scenario, change_id: int) -> None:
    access.require(user, scenario)
    change = next((change for change in scenario.changes if change.id == change_id), None)
    if change is not None:
        scenario.changes.remove(change)
        audit.record("scenario_change_removed", scenario, user=user, change=change.kind.value)
        db.session.commit()


# --- the changed instance ------------------------------------------------------------------------------------------


def applied(scenario: Scenario, translation: matching.Translation) -> schema.Instance:
    """Today's instance with the scenario's changes; a change to an AP closed since (not in the instance) is moot."""
    instance = translation.instance
    extra = [referral for change in scenario.changes if change.kind is ChangeKind.MORE_REFERRALS
             for referral in _extra_referrals(change, instance)]
    instance = replace(instance, referrals=(*instance.referrals, *extra))
    end = plan_days(instance)
    premises = {p.id: p for p in instance.premises}
    for change in scenario.changes:
        key = matching.optimiser_id(matching.PREMISES, change.premises_id) if change.premises_id else None
        if key not in premises:
            continue
        if change.kind is ChangeKind.ADD_BEDS:
            premises[key] = _with_beds(premises[key], change.number)
        elif change.kind is ChangeKind.REMOVE_BEDS:
            premises[key] = _out(premises[key], change.number, 0, end)
        elif change.kind is ChangeKind.CLOSE_PREMISES:
            premises[key] = _out(premises[key], sum(group.beds for group in premises[key].bed_groups), 0, end)
        elif change.kind is ChangeKind.BEDS_OUT:
            start, stop = translation.day_of(change.start_on), translation.day_of(change.end_on) + 1
            if stop > 0:
                premises[key] = _out(premises[key], change.number, max(start, 0), stop)
    return replace(instance, premises=tuple(premises.values()))


def _with_beds(premises: schema.Premises, beds: int) -> schema.Premises:
    """New beds have no room characteristics: they join the plain group, or make one."""
    groups = list(premises.bed_groups)
    plain = next((index for index, group in enumerate(groups) if not group.characteristics), None)
    if plain is None:
        groups.append(schema.BedGroup(frozenset(), beds))
    else:
        groups[plain] = replace(groups[plain], beds=groups[plain].beds + beds)
    return replace(premises, bed_groups=tuple(groups))


def _out(premises: schema.Premises, beds: int, start: int, stop: int) -> schema.Premises:
    """`beds` out of service from day `start` up to `stop`, taken from the plainest groups first."""
    out = []
    for group in sorted(premises.bed_groups, key=lambda group: (len(group.characteristics), sorted(group.characteristics))):
        taken = min(group.beds, beds)
        if taken:
            out.append(schema.BedsOut(group.characteristics, start, stop, taken))
            beds -= taken
    return replace(premises, beds_out=(*premises.beds_out, *out))


def _extra_referrals(change: ScenarioChange, instance: schema.Instance) -> list[schema.Referral]:
    """The change's referrals, the same every run: its id seeds them."""
    tier = replace(TIERS["tiny"], region=change.region.name, days=EXTRA_REFERRAL_DAYS)
    generator = Generator(tier, seed=change.id)
    estate = list(instance.premises)
    gender = Gender.MALE  # the AP types other than standard are men's; women's demand is a change of its own
    return [replace(generator.referral(n, gender, change.ap_type, estate), id=f"{EXTRA}{change.id}.{n}")
            for n in range(1, change.number + 1)]


# --- the figures of a plan -----------------------------------------------------------------------------------------


def outcome(instance: schema.Instance, result: schema.Result) -> dict:
    """What a plan achieves, as the comparison shows it: people placed and not (by region), the average distance
    from home of those placed, move-on places secured, and the occupancy of its first four weeks."""
    referrals = {referral.id: referral for referral in instance.referrals}
    premises = {p.id: p for p in instance.premises}
    assignments = list(result.assignments.values())
    placed = [a for a in assignments if a.premises_id is not None]
    distances = [distance_km(referrals[a.referral_id].home, premises[a.premises_id].location) for a in placed]
    in_service = sum(_bed_nights_in_service(p) for p in instance.premises)
    occupied = sum(_nights_in_window(r.arrival, r.departure) for r in instance.residents) + sum(
        _nights_in_window(a.arrival, a.arrival + referrals[a.referral_id].length_of_stay) for a in placed)
    return {
        "referrals": len(assignments),
        "placed": len(placed),
        "unplaced_by_region": dict(sorted(Counter(referrals[a.referral_id].region for a in assignments
                                                  if a.premises_id is None).items())),
        "average_distance_km": round(sum(distances) / len(distances), 1) if distances else None,
        "move_on_secured": sum(a.provider_id is not None for a in placed),
        "occupancy_percent": round(100 * occupied / in_service, 1) if in_service else None,
    }


def _nights_in_window(arrival: int, departure: int) -> int:
    return max(min(departure, OCCUPANCY_DAYS) - max(arrival, 0), 0)


def _bed_nights_in_service(premises: schema.Premises) -> int:
    nights = sum(group.beds for group in premises.bed_groups) * OCCUPANCY_DAYS
    return max(nights - sum(out.beds * _nights_in_window(out.start, out.end) for out in premises.beds_out), 0)
