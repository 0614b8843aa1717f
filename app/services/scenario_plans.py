"""A what-if run's two plans: today's instance with a scenario's changes applied, and what a plan achieves.

A run of a scenario (app/services/optimiser_runs.py) reads today's instance from the live data with
`matching.instance_for`, plans it, applies the scenario's changes to a copy (`applied`) and plans that too, then
keeps the two plans' figures side by side (`outcome`). Nothing live is written: no proposal, no request.

How each change is applied:
- add beds at an AP: beds with no room characteristics join it;
- reopen an AP closed today: it joins with its beds as they stand (and anybody still placed there);
- open a new AP: plain beds (no room characteristics) at the town or postcode district, in the region around it,
  taking people of every offence group; what its building offers (step-free access and so on) is not known, so
  nobody who needs that is planned there;
- remove beds from an AP, and close an AP: beds out of service for the whole plan, the plainest rooms' first, so
  an AP closed takes no one new and its residents stay until they leave;
- beds out of service for a period: the same, over the period's days;
- more referrals in a region: of men or of women, generated as the optimiser's benchmark generates them, homes in
  the region's towns, arriving within four weeks;
- a change of mix: the region's first requests (oldest first) of one AP type ask for another.
"""

from collections import Counter
from dataclasses import replace

from app.geo.outlines import region_containing
from app.geo.postcodes import locate
from app.models import ChangeKind, Scenario, ScenarioChange
from app.services import exports, matching
from optimizer import schema
from optimizer.capacity import plan_days
from optimizer.generator import TIERS, Generator
from vocabulary import PREMISES_CHARACTERISTICS, distance_km

EXTRA_REFERRAL_DAYS = 28  # the extra referrals' earliest arrivals fall within this many days from today
OCCUPANCY_DAYS = 28  # a plan's occupancy is of its first four weeks
EXTRA = "X"  # the optimiser ids of the extra referrals: X<change id>.<n>
NEW = "N"  # the optimiser ids of new APs: N<change id>
NEW_PREMISES_CHARACTERISTICS = frozenset(code for code in PREMISES_CHARACTERISTICS if code.startswith("accepts_"))


def applied(scenario: Scenario, translation: matching.Translation) -> schema.Instance:
    """Today's instance with the scenario's changes; a change to an AP closed since (not in the instance) is moot."""
    instance = translation.instance
    extra = [referral for change in scenario.changes if change.kind is ChangeKind.MORE_REFERRALS
             for referral in _extra_referrals(change, instance)]
    referrals = list(instance.referrals)
    for change in scenario.changes:
        if change.kind is ChangeKind.CHANGE_MIX:
            _change_mix(referrals, change)
    instance = _with_premises_opened(scenario, translation, replace(instance, referrals=(*referrals, *extra)))
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


def _with_premises_opened(scenario: Scenario, translation: matching.Translation,
                          instance: schema.Instance) -> schema.Instance:
    """The instance with the APs the scenario reopens and the new APs it opens."""
    reopened = [change.premises_id for change in scenario.changes if change.kind is ChangeKind.OPEN_PREMISES]
    premises, residents = matching.reopened(reopened, translation.first_day,
                                            translation.date_of(plan_days(instance))) if reopened else ([], [])
    premises += [_new_premises(change) for change in scenario.changes if change.kind is ChangeKind.NEW_PREMISES]
    return replace(instance, premises=(*instance.premises, *premises), residents=(*instance.residents, *residents))


def _new_premises(change: ScenarioChange) -> schema.Premises:
    return schema.Premises(
        id=f"{NEW}{change.id}", gender=change.gender, location=locate(change.place).point, ap_type=change.ap_type,
        characteristics=NEW_PREMISES_CHARACTERISTICS, bed_groups=(schema.BedGroup(frozenset(), change.number),),
        region=new_premises_region(change.place))


def new_premises_region(place: str) -> str | None:
    """The probation region a new AP in `place` would belong to; None when the place is not found in England or
    Wales."""
    found = locate(place.strip())
    return region_containing(found.point) if found else None


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


def _change_mix(referrals: list[schema.Referral], change: ScenarioChange) -> None:
    asking = [index for index, referral in enumerate(referrals)
              if referral.region == change.region.name and referral.ap_type is change.from_ap_type]
    for index in asking[:change.number]:
        referrals[index] = replace(referrals[index], ap_type=change.ap_type)


def _extra_referrals(change: ScenarioChange, instance: schema.Instance) -> list[schema.Referral]:
    """The change's referrals, the same every run: its id seeds them."""
    tier = replace(TIERS["tiny"], region=change.region.name, days=EXTRA_REFERRAL_DAYS)
    generator = Generator(tier, seed=change.id)
    estate = list(instance.premises)
    return [replace(generator.referral(n, change.gender, change.ap_type, estate), id=f"{EXTRA}{change.id}.{n}")
            for n in range(1, change.number + 1)]


# --- the figures of a plan -----------------------------------------------------------------------------------------

FIGURES = (("People to place", "referrals"), ("Placed", "placed"), ("Average distance from home (km)",
           "average_distance_km"), ("Move-on places secured", "move_on_secured"),
           ("Occupancy of the next 4 weeks (%)", "occupancy_percent"))


def side_by_side(plans: list[tuple[str, dict]]) -> exports.Table:
    """Plans' figures (`outcome`) in a column each, headed by its name: a row per figure, then the people not
    placed in each region any of them leaves some in."""
    regions = sorted({region for _, figures in plans for region in figures["unplaced_by_region"]})
    return exports.Table(
        title="Scenarios compared",
        header=("Figure", *(name for name, _ in plans)),
        rows=[(label, *(figures[key] for _, figures in plans)) for label, key in FIGURES]
        + [(f"Not placed: {region}", *(figures["unplaced_by_region"].get(region, 0) for _, figures in plans))
           for region in regions],
    )


def compared(scenarios: list[Scenario]) -> exports.Table:
    """Today's plan and the scenario's from each scenario's latest finished run, side by side, named by the
    scenario: today's may differ between scenarios run on different days."""
    return side_by_side([(f"{scenario.name}: {which}", scenario.latest_comparison[key]) for scenario in scenarios
                         if scenario.latest_comparison
                         for key, which in (("today", "today"), ("scenario", "changed"))])



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
