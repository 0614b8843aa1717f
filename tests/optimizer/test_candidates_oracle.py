"""The candidate filter against a naive oracle that shares no code with it (nor with capacity or the models).

For every referral, premises and arrival day of a small random instance the oracle decides, night by night
and rule by rule from the plain definitions, whether that placement passes the rules a referral faces
alone: not turned down for it before, gender, AP type, essential characteristics, maximum radius, exclusion
zones with their buffer, the arrival window, a free bed with all its essential room characteristics every
night, and no non-associate resident there. The filter must offer exactly the placements the oracle admits.

Distances are the oracle's own (the law of cosines, and a flat km map around each premises for zones), so
a premises within 50 metres of a radius or a zone's buffer is left undecided: the two measures may differ
there by rounding, and nothing else.
"""

from __future__ import annotations

import math

import pytest
import shapely
from hypothesis import HealthCheck, given, settings, target
from hypothesis import strategies as st

from optimizer.candidates import build_candidates
from optimizer.schema import APType, ExclusionZone, Instance, Point, Premises, Referral, SolverParams

PARAMS = SolverParams()
UNDECIDED_KM = 0.05
ACCEPTS = {  # the AP types each referral type may go to, as the brief states it
    APType.STANDARD: {APType.STANDARD, APType.RECOVERY_FOCUSED},
    APType.PIPE: {APType.PIPE},
    APType.ESAP: {APType.ESAP},
    APType.RECOVERY_FOCUSED: {APType.RECOVERY_FOCUSED},
    APType.MENTAL_HEALTH: {APType.MENTAL_HEALTH},
}
examples = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def distance(a: Point, b: Point) -> float:
    """Great-circle km (the spherical law of cosines, on a sphere of 6,371 km)."""
    lat1, lat2, dlon = math.radians(a.lat), math.radians(b.lat), math.radians(b.lon - a.lon)
    cosine = math.sin(lat1) * math.sin(lat2) + math.cos(lat1) * math.cos(lat2) * math.cos(dlon)
    return 6371.0 * math.acos(min(1.0, cosine))


def plane_km(point: Point, origin: Point) -> tuple[float, float]:
    """km east and north of ``origin`` on a flat map: good to metres within the few km of a zone."""
    km_per_degree = 6371.0 * math.pi / 180
    return (point.lon - origin.lon) * km_per_degree * math.cos(math.radians(origin.lat)), \
        (point.lat - origin.lat) * km_per_degree


def distance_to_zone(point: Point, zone: ExclusionZone) -> float:
    """0 inside the zone, else km to its edge."""
    if zone.centre is not None:
        return max(0.0, distance(point, zone.centre) - zone.radius_km)
    polygon = shapely.Polygon([plane_km(corner, point) for corner in zone.polygon])
    return polygon.distance(shapely.Point(0.0, 0.0))


def near(value: float, limit: float) -> bool:
    return abs(value - limit) < UNDECIDED_KM


def static_verdict(referral: Referral, premises: Premises) -> bool | None:
    """Whether the premises suits the referral on the rules that ignore days; None when too close to call."""
    one_bed_fits = any(g.beds > 0 and referral.essential_room <= g.characteristics for g in premises.bed_groups)
    if (premises.id in referral.rejected_premises or premises.gender != referral.gender
            or premises.ap_type not in ACCEPTS[referral.ap_type]
            or not referral.essential_premises <= premises.characteristics or not one_bed_fits):
        return False
    undecided = False
    if referral.max_radius_km is not None:
        km = distance(referral.home, premises.location)
        undecided |= near(km, referral.max_radius_km)
        if km > referral.max_radius_km + UNDECIDED_KM:
            return False
    for zone in referral.exclusion_zones:
        km = distance_to_zone(premises.location, zone)
        undecided |= near(km, PARAMS.exclusion_buffer_km)
        if km < PARAMS.exclusion_buffer_km - UNDECIDED_KM:
            return False
    return None if undecided else True


def free_beds(instance: Instance, premises: Premises, night: int, needs: frozenset[str]) -> int:
    """Beds with all of ``needs`` in service that night and not held by a resident (each resident holds a
    bed of their own group; a group over-full with residents has none free, and takes none from others)."""
    free = 0
    for signature in {g.characteristics for g in premises.bed_groups if needs <= g.characteristics}:
        beds = sum(g.beds for g in premises.bed_groups if g.characteristics == signature)
        out = sum(o.beds for o in premises.beds_out if o.characteristics == signature and o.start <= night < o.end)
        held = sum(1 for s in instance.residents if s.premises_id == premises.id
                   and s.bed_characteristics == signature and s.arrival <= night < s.departure)
        free += max(0, beds - out - held)
    return free


def night_is_open(instance: Instance, referral: Referral, premises: Premises, night: int) -> bool:
    if free_beds(instance, premises, night, referral.essential_room) < 1:
        return False
    return not any(
        s.premises_id == premises.id and s.arrival <= night < s.departure
        and (s.id in referral.non_associates or referral.id in s.non_associates)
        for s in instance.residents
    )


def oracle(instance: Instance) -> tuple[set[tuple[str, str, int]], set[tuple[str, str]], int]:
    """(referral, premises, arrival) admitted, the (referral, premises) pairs too close to call, and how
    many arrivals passed the static rules but met a night without a bed or with a non-associate."""
    admitted, undecided, refused_nights = set(), set(), 0
    for referral in instance.referrals:
        for premises in instance.premises:
            verdict = static_verdict(referral, premises)
            if verdict is None:
                undecided.add((referral.id, premises.id))
            if verdict is False:
                continue
            for arrival in range(referral.earliest_arrival, referral.latest_arrival + 1):
                nights = range(arrival, arrival + referral.length_of_stay)
                if all(night_is_open(instance, referral, premises, night) for night in nights):
                    admitted.add((referral.id, premises.id, arrival))
                else:
                    refused_nights += 1
    return admitted, undecided, refused_nights


@examples
@given(data=st.data())
def test_the_candidates_are_exactly_the_placements_the_oracle_admits(small_instances, data):
    instance = data.draw(small_instances)
    admitted, undecided, refused_nights = oracle(instance)
    target(float(refused_nights), label="arrivals refused for a night")  # steer towards full premises
    offered = {(rid, c.premises_id, c.arrival) for rid, found in build_candidates(instance, PARAMS).items()
               for c in found}
    decided = {triple for triple in offered | admitted if triple[:2] not in undecided}
    assert offered & decided == admitted & decided


def test_the_oracle_admits_and_refuses_on_a_hand_made_case(build):
    """A check of the checker: one bed, taken on day 2 by a non-associate resident."""
    premises = build.premises("AP1", beds=1)
    referral = build.referral("R1", earliest_arrival=0, latest_arrival=3, length_of_stay=2, non_associates={"S1"})
    instance = build.instance([premises], [referral], [build.resident("S1", "AP1", arrival=2, departure=3)])
    assert oracle(instance) == ({("R1", "AP1", 0), ("R1", "AP1", 3)}, set(), 2)


def offered_arrivals(instance: Instance) -> set[int]:
    return {c.arrival for c in build_candidates(instance, PARAMS)["R1"]}


@pytest.mark.parametrize("named", [True, False], ids=["non-associate resident", "stranger in the only bed"])
@pytest.mark.parametrize("stay, arrivals", [
    ((0, 2), {2, 3, 4}),  # leaves the morning the earliest arrival comes
    ((7, 9), {2, 3, 4}),  # arrives the morning the latest stay ends
    ((6, 7), {2, 3}),  # shares only the last night of an arrival on day 4
    ((2, 3), {3, 4}),  # shares only the first night of an arrival on day 2
    ((3, 5), set()),
])
def test_a_stay_is_refused_exactly_when_it_shares_a_night(build, named, stay, arrivals):
    """Stays are nights ``arrival .. departure-1``: the edges the random instances seldom reach."""
    premises = build.premises("AP1", beds=2 if named else 1)
    referral = build.referral("R1", earliest_arrival=2, latest_arrival=4, length_of_stay=3,
                              non_associates=frozenset({"S1"}) if named else frozenset())
    instance = build.instance([premises], [referral], [build.resident("S1", "AP1", *stay)])
    admitted, _, _ = oracle(instance)
    assert offered_arrivals(instance) == {arrival for _, _, arrival in admitted} == arrivals
