"""Bad input is refused before any solving, with a message that names the field at fault.

Every method calls ``validate_instance`` first, so a reversed window or an unknown premises id is reported
as such, rather than surfacing later as an infeasible model or a wrong proposal.
"""

from __future__ import annotations

from dataclasses import fields

import shapely

from optimizer.capacity import per_instance
from optimizer.geometry import zone_shape
from optimizer.schema import (
    PREMISES_CHARACTERISTICS,
    ROOM_CHARACTERISTICS,
    ExclusionZone,
    Instance,
    Point,
    Premises,
    SolverParams,
)

MIN_AREA_KM2 = 1e-6  # a square metre: anything smaller is a line drawn by mistake


class InvalidInstance(ValueError):
    """Raised for input that cannot be planned; ``field_path`` says where, e.g. ``referrals[3].length_of_stay``."""

    def __init__(self, field_path: str, message: str):
        super().__init__(f"{field_path}: {message}")
        self.field_path = field_path
        self.message = message


def require(condition: bool, field_path: str, message: str) -> None:
    if not condition:
        raise InvalidInstance(field_path, message)


def validate_instance(instance: Instance, params: SolverParams) -> None:
    """Raise ``InvalidInstance`` for the first problem found; return None when the input can be planned.

    Instances are immutable, so a pass is remembered: solve() and the method it calls may both ask.
    """
    per_instance(instance, f"valid with {params!r}", lambda: check_everything(instance, params))


def check_everything(instance: Instance, params: SolverParams) -> bool:
    check_params(params)
    require(instance.horizon_days > 0, "horizon_days", f"must be at least 1 day, not {instance.horizon_days}")
    check_weights(instance)
    premises_ids = check_premises(instance)
    check_residents(instance, premises_ids)
    check_referrals(instance, premises_ids)
    check_providers(instance)
    return True


def check_params(params: SolverParams) -> None:
    require(params.time_limit_s > 0, "params.time_limit_s", f"must be positive, not {params.time_limit_s}")
    require(params.workers >= 1, "params.workers", f"must be at least 1, not {params.workers}")
    require(params.target_gap >= 0, "params.target_gap", f"cannot be negative ({params.target_gap})")
    require(params.exclusion_buffer_km >= 0, "params.exclusion_buffer_km",
            f"cannot be negative ({params.exclusion_buffer_km})")


def check_weights(instance: Instance) -> None:
    for f in fields(instance.weights):
        value = getattr(instance.weights, f.name)
        require(isinstance(value, int) and value >= 0, f"weights.{f.name}",
                f"must be a whole number of at least 0, not {value!r}")


def check_point(point: Point, path: str) -> None:
    require(-180 <= point.lon <= 180, f"{path}.lon", f"longitude {point.lon} is not between -180 and 180")
    require(-90 <= point.lat <= 90, f"{path}.lat", f"latitude {point.lat} is not between -90 and 90")


def check_known(names: frozenset[str], known: frozenset[str], path: str, kind: str) -> None:
    unknown = sorted(names - known)
    require(not unknown, path, f"unknown {kind} characteristic {unknown[0]!r}" if unknown else "")


def check_unique(ids: list[str], path: str, taken: frozenset[str] = frozenset()) -> None:
    """Ids must differ from each other and from ``taken`` (ids already used elsewhere)."""
    seen = set()
    for i, item_id in enumerate(ids):
        require(item_id not in seen, f"{path}[{i}].id", f"duplicate id {item_id!r}")
        require(item_id not in taken, f"{path}[{i}].id", f"id {item_id!r} is already a resident's")
        seen.add(item_id)


def check_premises(instance: Instance) -> set[str]:
    check_unique([p.id for p in instance.premises], "premises")
    for i, p in enumerate(instance.premises):
        path = f"premises[{i}]"
        check_point(p.location, f"{path}.location")
        check_known(p.characteristics, PREMISES_CHARACTERISTICS, f"{path}.characteristics", "premises")
        for j, group in enumerate(p.bed_groups):
            require(group.beds >= 0, f"{path}.bed_groups[{j}].beds", f"cannot be negative ({group.beds})")
            check_known(group.characteristics, ROOM_CHARACTERISTICS, f"{path}.bed_groups[{j}].characteristics", "room")
        for j, out in enumerate(p.beds_out):
            require(out.start < out.end, f"{path}.beds_out[{j}].end",
                    f"out-of-service period reversed or empty (start {out.start}, end {out.end})")
            require(out.beds >= 1, f"{path}.beds_out[{j}].beds", f"must be at least 1, not {out.beds}")
            check_known(out.characteristics, ROOM_CHARACTERISTICS, f"{path}.beds_out[{j}].characteristics", "room")
            check_bed_group(p, out.characteristics, f"{path}.beds_out[{j}].characteristics")
        for name in ("very_high_rosh", "mappa_level_3", "high_risk_to_staff"):
            cap = getattr(p.caps, name)
            require(cap is None or cap >= 0, f"{path}.caps.{name}", f"cannot be negative ({cap})")
    return {p.id for p in instance.premises}


def check_bed_group(premises: Premises, characteristics: frozenset[str], path: str) -> None:
    """Beds out of service and residents' beds belong to a bed group, named by its characteristics."""
    words = ", ".join(sorted(characteristics)) or "none"
    require(any(g.characteristics == characteristics for g in premises.bed_groups), path,
            f"{premises.id} has no bed group with exactly these room characteristics ({words})")


def check_residents(instance: Instance, premises_ids: set[str]) -> None:
    """Residents sit in known premises; their ids and the referrals' all differ (non-associates name them)."""
    resident_ids = frozenset(r.id for r in instance.residents)
    check_unique([r.id for r in instance.residents], "residents")
    check_unique([r.id for r in instance.referrals], "referrals", taken=resident_ids)
    premises = {p.id: p for p in instance.premises}
    for i, r in enumerate(instance.residents):
        path = f"residents[{i}]"
        require(r.premises_id in premises_ids, f"{path}.premises_id", f"unknown premises id {r.premises_id!r}")
        require(r.arrival < r.departure, f"{path}.departure",
                f"departure {r.departure} is not after arrival {r.arrival}")
        check_known(r.bed_characteristics, ROOM_CHARACTERISTICS, f"{path}.bed_characteristics", "room")
        check_bed_group(premises[r.premises_id], r.bed_characteristics, f"{path}.bed_characteristics")


def check_referrals(instance: Instance, premises_ids: set[str]) -> None:
    for i, r in enumerate(instance.referrals):
        path = f"referrals[{i}]"
        check_point(r.home, f"{path}.home")
        if r.relocation is not None:
            check_point(r.relocation, f"{path}.relocation")
        require(r.earliest_arrival >= 0, f"{path}.earliest_arrival",
                f"must be day 0 or later, not {r.earliest_arrival}")
        require(r.earliest_arrival <= r.latest_arrival, f"{path}.earliest_arrival",
                f"arrival window reversed (earliest {r.earliest_arrival} > latest {r.latest_arrival})")
        # Refused, not planned by stretching the horizon: the horizon is the span whose arrivals are being
        # planned, and quietly planning beyond it would propose arrivals nobody asked about.
        require(r.latest_arrival < instance.horizon_days, f"{path}.latest_arrival",
                f"arrival window runs past the horizon (latest arrival day {r.latest_arrival}, but the plan "
                f"covers arrivals on days 0 to {instance.horizon_days - 1}): shorten the window or lengthen "
                "the horizon")
        require(r.length_of_stay > 0, f"{path}.length_of_stay",
                f"must be at least 1 night, not {r.length_of_stay}")
        require(r.max_radius_km is None or r.max_radius_km > 0, f"{path}.max_radius_km",
                f"must be positive, not {r.max_radius_km}")
        require(r.days_waiting >= 0, f"{path}.days_waiting", f"cannot be negative ({r.days_waiting})")
        for name in ("essential_premises", "desirable_premises"):
            check_known(getattr(r, name), PREMISES_CHARACTERISTICS, f"{path}.{name}", "premises")
        for name in ("essential_room", "desirable_room"):
            check_known(getattr(r, name), ROOM_CHARACTERISTICS, f"{path}.{name}", "room")
        for j, premises_id in enumerate(r.preferred_premises):
            require(premises_id in premises_ids, f"{path}.preferred_premises[{j}]",
                    f"unknown premises id {premises_id!r}")
        for premises_id in sorted(r.rejected_premises):
            require(premises_id in premises_ids, f"{path}.rejected_premises", f"unknown premises id {premises_id!r}")
        if r.previous is not None:
            require(r.previous.premises_id in premises_ids, f"{path}.previous.premises_id",
                    f"unknown premises id {r.previous.premises_id!r}")
        require(r.id not in r.non_associates, f"{path}.non_associates", "names the referral itself")
        for j, zone in enumerate(r.exclusion_zones):
            check_zone(zone, f"{path}.exclusion_zones[{j}]")


def check_zone(zone: ExclusionZone, path: str) -> None:
    """A zone is either a simple polygon with an area, or a centre with a positive radius."""
    is_polygon, is_circle = zone.polygon is not None, zone.centre is not None or zone.radius_km is not None
    require(is_polygon != is_circle, path, "give either a polygon or a centre and radius, not both or neither")
    if is_circle:
        require(zone.centre is not None, f"{path}.centre", "a circle needs a centre")
        check_point(zone.centre, f"{path}.centre")
        require(zone.radius_km is not None and zone.radius_km > 0, f"{path}.radius_km",
                f"zone with no area: radius must be positive, not {zone.radius_km}")
        return
    for k, point in enumerate(zone.polygon):
        check_point(point, f"{path}.polygon[{k}]")
    ring = [(p.lon, p.lat) for p in zone.polygon]
    require(len(set(ring)) >= 3, f"{path}.polygon", "zone with no area: a polygon needs at least 3 corners")
    polygon = zone_shape(zone).geometry  # on the zone's km plane, so areas are in square km
    hull = shapely.MultiPoint(shapely.get_coordinates(polygon)).convex_hull
    require(hull.area >= MIN_AREA_KM2, f"{path}.polygon", "zone with no area: its corners lie on one line")
    require(polygon.is_valid, f"{path}.polygon", "self-intersecting polygon: its edges cross each other")


def check_providers(instance: Instance) -> None:
    check_unique([m.id for m in instance.providers], "providers")
    for i, m in enumerate(instance.providers):
        check_point(m.location, f"providers[{i}].location")
        require(m.places_per_week >= 0, f"providers[{i}].places_per_week",
                f"cannot be negative ({m.places_per_week})")
