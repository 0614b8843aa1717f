"""Builders for hand-made optimiser cases and a hypothesis strategy for random small instances.

Places are given as kilometres east and north of one origin, so a test can say "3 km away" plainly.
Tests get the builders through the ``build`` fixture and the strategy through ``small_instances``
(draw it with ``data.draw(small_instances)`` inside ``@given(data=st.data())``).
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import strategies as st

from optimizer.generator import offset
from optimizer.schema import (
    APType,
    BedGroup,
    BedsOut,
    ExclusionZone,
    Gender,
    Instance,
    MixCaps,
    MoveOnCategory,
    MoveOnProvider,
    Notice,
    Point,
    Premises,
    PreviousProposal,
    Referral,
    Resident,
    Risk,
    RiskLevel,
    Weights,
)

ORIGIN = Point(-1.5, 52.5)


def at(east_km: float = 0.0, north_km: float = 0.0) -> Point:
    return offset(ORIGIN, east_km, north_km)


class Build:
    """Small objects with sensible defaults; every argument can be overridden by keyword."""

    at = staticmethod(at)

    @staticmethod
    def premises(id: str = "AP1", east_km: float = 0.0, north_km: float = 0.0, beds: int = 2, **fields) -> Premises:
        values = dict(
            id=id,
            gender=Gender.MALE,
            location=at(east_km, north_km),
            ap_type=APType.STANDARD,
            characteristics=frozenset(),
            bed_groups=(BedGroup(frozenset(), beds),),
        )
        values.update(fields)
        return Premises(**values)

    @staticmethod
    def referral(id: str = "R1", east_km: float = 0.0, north_km: float = 0.0, **fields) -> Referral:
        values = dict(
            id=id,
            gender=Gender.MALE,
            home=at(east_km, north_km),
            earliest_arrival=0,
            latest_arrival=fields.get("earliest_arrival", 0),
            length_of_stay=7,
        )
        values.update(fields)
        return Referral(**values)

    @staticmethod
    def resident(id: str = "S1", premises_id: str = "AP1", arrival: int = 0, departure: int = 7, **fields) -> Resident:
        return Resident(id=id, premises_id=premises_id, arrival=arrival, departure=departure, **fields)

    @staticmethod
    def instance(premises=(), referrals=(), residents=(), providers=(), horizon_days: int = 14, **fields) -> Instance:
        return Instance(horizon_days, tuple(premises), tuple(residents), tuple(referrals), tuple(providers), **fields)

    @staticmethod
    def circle(east_km: float, north_km: float, radius_km: float) -> ExclusionZone:
        return ExclusionZone(centre=at(east_km, north_km), radius_km=radius_km)

    @staticmethod
    def square(east_km: float, north_km: float, half_side_km: float) -> ExclusionZone:
        h = half_side_km
        corners = [(-h, -h), (h, -h), (h, h), (-h, h)]
        return ExclusionZone(polygon=tuple(at(east_km + x, north_km + y) for x, y in corners))


@pytest.fixture(scope="session")
def build() -> type[Build]:
    return Build


# -- random small instances ---------------------------------------------------------------------------

ROOMS = ["is_single", "has_en_suite", "is_arson_suitable"]
FEATURES = ["accepts_sex_offenders", "has_step_free_access"]
TYPES = [APType.STANDARD] * 3 + list(APType)  # every type, standard the commonest as in the estate
GENDERS = [Gender.MALE, Gender.MALE, Gender.FEMALE]  # both, men more often as in the estate
km = st.integers(-40, 40)
subset = lambda names: st.frozensets(st.sampled_from(names), max_size=2)  # noqa: E731
risks = st.builds(
    Risk,
    overall=st.sampled_from(list(RiskLevel)),
    staff=st.sampled_from(list(RiskLevel)),
    mappa_level=st.sampled_from([None, 1, 2, 3]),
)


@st.composite
def zones(draw, premises: list[Premises]) -> ExclusionZone:
    """A circle or square drawn near one of the premises, so that zones really bite."""
    centre = draw(st.sampled_from(premises)).location
    east, north = draw(st.integers(-4, 4)), draw(st.integers(-4, 4))
    size = draw(st.sampled_from([0.5, 1.0, 2.5]))
    if draw(st.booleans()):
        return ExclusionZone(centre=offset(centre, east, north), radius_km=size)
    corners = [(-size, -size), (size, -size), (size, size), (-size, size)]
    return ExclusionZone(polygon=tuple(offset(centre, east + x, north + y) for x, y in corners))


@st.composite
def premises_list(draw) -> list[Premises]:
    found = []
    for i in range(draw(st.integers(1, 4))):
        groups = draw(st.lists(st.tuples(subset(ROOMS), st.integers(0, 3)), min_size=1, max_size=4))
        beds_out = ()
        if draw(st.booleans()):
            start = draw(st.integers(0, 10))
            beds_out = (BedsOut(draw(st.sampled_from(groups))[0], start, start + draw(st.integers(1, 6))),)
        found.append(
            Premises(
                id=f"AP{i}",
                gender=draw(st.sampled_from(GENDERS)),
                location=at(draw(km), draw(km)),
                ap_type=draw(st.sampled_from(TYPES)),
                characteristics=draw(subset(FEATURES)),
                bed_groups=tuple(BedGroup(c, n) for c, n in groups),
                beds_out=beds_out,
                caps=MixCaps(*(draw(st.sampled_from([None, 0, 1, 2])) for _ in range(3))),
            )
        )
    return found


@st.composite
def small_instance(draw) -> Instance:
    premises = draw(premises_list())
    residents = []
    for i in range(draw(st.integers(0, 6))):
        arrival = draw(st.integers(-5, 5))
        home = draw(st.sampled_from(premises))
        residents.append(
            Resident(
                id=f"S{i}",
                premises_id=home.id,
                arrival=arrival,
                departure=arrival + draw(st.integers(1, 15)),
                risk=draw(risks),
                bed_characteristics=draw(st.sampled_from(home.bed_groups)).characteristics,
            )
        )
    referrals = []
    for i in range(draw(st.integers(1, 8))):
        earliest = draw(st.integers(0, 9))
        previous = None
        if draw(st.integers(0, 4)) == 0:
            previous = PreviousProposal(draw(st.sampled_from(premises)).id, earliest)
        referrals.append(
            Referral(
                id=f"R{i}",
                gender=draw(st.sampled_from(GENDERS)),
                home=at(draw(km), draw(km)),
                earliest_arrival=earliest,
                latest_arrival=min(13, earliest + draw(st.integers(0, 4))),
                length_of_stay=draw(st.integers(1, 10)),
                ap_type=draw(st.sampled_from(TYPES)),
                move_on_category=draw(st.sampled_from([None, MoveOnCategory.CAS3, MoveOnCategory.FAMILY_OR_PARTNER])),
                relocation=draw(st.none() | st.builds(at, km, km)),
                essential_premises=draw(subset(FEATURES)),
                essential_room=draw(subset(ROOMS)),
                desirable_room=draw(subset(ROOMS)),
                preferred_premises=tuple(draw(st.lists(st.sampled_from([p.id for p in premises]), max_size=2,
                                                       unique=True))),
                max_radius_km=draw(st.sampled_from([None, None, 20.0, 45.0])),
                risk=draw(risks),
                notice=draw(st.sampled_from(list(Notice))),
                days_waiting=draw(st.integers(0, 30)),
                exclusion_zones=tuple(draw(st.lists(zones(premises), max_size=2))),
                previous=previous,
                rejected_premises=frozenset(draw(st.lists(st.sampled_from([p.id for p in premises]), max_size=1))),
            )
        )
    # Non-associate pairs, named by either side: a referral, or a resident, names the other.
    people = [r.id for r in referrals] + [s.id for s in residents]
    pairs = draw(st.lists(st.tuples(st.sampled_from(people), st.sampled_from(people)), max_size=3))
    for a, b in pairs:
        named_by = referrals if a.startswith("R") else residents
        i = int(a[1:])
        if a != b:
            named_by[i] = replace(named_by[i], non_associates=named_by[i].non_associates | {b})
    providers = [
        MoveOnProvider(f"M{i}", draw(st.sampled_from([MoveOnCategory.CAS3, MoveOnCategory.FAMILY_OR_PARTNER])),
                       at(draw(km), draw(km)), draw(st.integers(0, 2)))
        for i in range(draw(st.integers(0, 3)))
    ]
    return Instance(14, tuple(premises), tuple(residents), tuple(referrals), tuple(providers), Weights())


@pytest.fixture(scope="session")
def small_instances() -> st.SearchStrategy[Instance]:
    return small_instance()
