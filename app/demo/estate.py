"""The demo estate: 104 premises in real towns with rooms, beds and characteristics in plausible proportions."""

import random
from dataclasses import dataclass

from app.demo.data import (
    HOUSE_NAME_STEMS,
    HOUSE_NAME_SUFFIXES,
    LOCAL_RESTRICTIONS,
    POSTCODE_INWARD_LETTERS,
    REGION_CODES,
    REGION_POPULATION_MILLIONS,
    STAFF_PREMISES_NAME,
    STAFF_PREMISES_REGION,
    STREETS,
    TOWNS,
)
from app.geo.gazetteer import Town, find_town
from app.models import Region
from vocabulary import APType, Gender

AP_COUNT = 104
WOMENS_AP_COUNT = 8
SPECIALIST_AP_COUNTS = {APType.ESAP: 4, APType.MENTAL_HEALTH: 2, APType.PIPE: 12, APType.RECOVERY_FOCUSED: 6}
MEN_ONLY_TYPES = {APType.ESAP, APType.MENTAL_HEALTH}
BEDS_PER_AP = (14, 30, 26)  # triangular low, high and mode: about 2,400 beds in all
# Share of premises with each characteristic; what kind of AP it is lies in its AP type, not here.
PREMISES_CHARACTERISTIC_SHARES = {
    "is_catered": 0.65,
    "is_suitable_for_vulnerable": 0.3,
    "accepts_sex_offenders": 0.75,
    "accepts_child_sex_offenders": 0.55,
    "accepts_non_sexual_child_offenders": 0.7,
    "accepts_hate_crime_offenders": 0.8,
    "has_step_free_access": 0.5,
    "has_tactile_flooring": 0.08,
    "has_braille_signage": 0.06,
    "has_hearing_loop": 0.15,
}
# Characteristics that only make sense in a step-free building, with their share among those.
STEP_FREE_CHARACTERISTIC_SHARES = {"has_lift": 0.5, "has_wheelchair_accessible_bathrooms": 0.6}
LOCAL_RESTRICTION_SHARE = 0.2


@dataclass(eq=False)
class PlannedBed:
    name: str
    id: int | None = None


@dataclass(eq=False)
class PlannedRoom:
    name: str
    characteristics: list[str]
    beds: list[PlannedBed]
    id: int | None = None


@dataclass
class Site:
    """Where an AP stands and what kind it is, decided before its building is furnished."""

    region: Region
    town: Town
    district: str
    name: str
    street: str
    code: str
    gender: Gender = Gender.MALE
    ap_type: APType = APType.STANDARD


@dataclass(eq=False)
class PlannedPremises:
    """A premises to be saved: plain data, because the demo is written with bulk inserts to load quickly."""

    site: Site
    address: str
    postcode: str
    longitude: float
    latitude: float
    local_restrictions: str
    characteristics: list[str]
    rooms: list[PlannedRoom]
    id: int | None = None

    @property
    def beds(self) -> list[PlannedBed]:
        return [bed for room in self.rooms for bed in room.beds]

    def row(self) -> dict:
        site = self.site
        return {
            "name": site.name,
            "code": site.code,
            "gender": site.gender,
            "ap_type": site.ap_type,
            "address": self.address,
            "town": site.town.name,
            "postcode": self.postcode,
            "longitude": self.longitude,
            "latitude": self.latitude,
            "region_id": site.region.id,
            "is_active": True,
            "local_restrictions": self.local_restrictions,
            "email": f"{site.code.lower()}@demo.test",
        }


def build_estate(rng: random.Random, regions: dict[str, Region]) -> list[PlannedPremises]:
    sites = _sites(rng, regions)
    _assign_kinds(rng, sites)
    return [_premises(rng, site) for site in sites]


def _apportion(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split a whole number in proportion to weights (largest remainder), so the parts add up exactly."""
    shares = {key: total * weight / sum(weights.values()) for key, weight in weights.items()}
    counts = {key: int(share) for key, share in shares.items()}
    by_remainder = sorted(shares, key=lambda key: shares[key] - counts[key], reverse=True)
    for key in by_remainder[: total - sum(counts.values())]:
        counts[key] += 1
    return counts


def _sites(rng: random.Random, regions: dict[str, Region]) -> list[Site]:
    house_names = [f"{stem} {suffix}" for stem in HOUSE_NAME_STEMS for suffix in HOUSE_NAME_SUFFIXES]
    rng.shuffle(house_names)
    used_names = {STAFF_PREMISES_NAME}
    sites = []
    for region_name, count in _apportion(AP_COUNT, REGION_POPULATION_MILLIONS).items():
        towns = TOWNS[region_name]
        for number in range(count):
            town_name, district = towns[number % len(towns)]
            if number == 0 and region_name == STAFF_PREMISES_REGION:
                name, street = STAFF_PREMISES_NAME, rng.choice(STREETS)
            else:
                other_towns = [other for other, _ in towns if other != town_name]
                name, street = _name_and_street(rng, other_towns, house_names, used_names)
            used_names.add(name)
            code = f"{REGION_CODES[region_name]}{number + 1:02d}"
            sites.append(Site(regions[region_name], find_town(town_name), district, name, street, code))
    return sites


def _name_and_street(
    rng: random.Random, other_towns: list[str], house_names: list[str], used_names: set[str]
) -> tuple[str, str]:
    """'Alder House' on an ordinary street, or named after its road as APs often are: 'Derby Road AP'."""
    if rng.random() < 0.35:
        street = f"{rng.choice(other_towns)} Road"
        if f"{street} AP" not in used_names:
            return f"{street} AP", street
    return next(name for name in house_names if name not in used_names), rng.choice(STREETS)


def _assign_kinds(rng: random.Random, sites: list[Site]) -> None:
    """Women's APs in eight different regions; specialist types anywhere; the staff demo AP stays standard."""
    candidates = [site for site in sites if site.name != STAFF_PREMISES_NAME]
    by_region: dict[str, list[Site]] = {}
    for site in candidates:
        by_region.setdefault(site.region.name, []).append(site)
    for region_name in rng.sample(sorted(by_region), WOMENS_AP_COUNT):
        rng.choice(by_region[region_name]).gender = Gender.FEMALE
    for ap_type, count in SPECIALIST_AP_COUNTS.items():
        eligible = [
            site
            for site in candidates
            if site.ap_type is APType.STANDARD and (site.gender is Gender.MALE or ap_type not in MEN_ONLY_TYPES)
        ]
        for site in rng.sample(eligible, count):
            site.ap_type = ap_type


def _premises(rng: random.Random, site: Site) -> PlannedPremises:
    codes, restriction = _premises_characteristics(rng, site)
    inward = f"{rng.randint(1, 9)}{rng.choice(POSTCODE_INWARD_LETTERS)}{rng.choice(POSTCODE_INWARD_LETTERS)}"
    return PlannedPremises(
        site=site,
        address=f"{rng.randint(2, 160)} {site.street}",
        postcode=f"{site.district} {inward}",
        longitude=round(site.town.lon + rng.uniform(-0.025, 0.025), 5),
        latitude=round(site.town.lat + rng.uniform(-0.015, 0.015), 5),
        local_restrictions=restriction,
        characteristics=codes,
        rooms=_rooms(rng, site.ap_type, codes),
    )


def _premises_characteristics(rng: random.Random, site: Site) -> tuple[list[str], str]:
    codes = [code for code, share in PREMISES_CHARACTERISTIC_SHARES.items() if rng.random() < share]
    if "has_step_free_access" in codes:
        codes += [code for code, share in STEP_FREE_CHARACTERISTIC_SHARES.items() if rng.random() < share]
    if site.gender is Gender.FEMALE and "is_suitable_for_vulnerable" not in codes:
        codes.append("is_suitable_for_vulnerable")
    if site.ap_type is APType.ESAP and "accepts_sex_offenders" not in codes:
        codes.append("accepts_sex_offenders")
    restriction = rng.choice(sorted(LOCAL_RESTRICTIONS)) if rng.random() < LOCAL_RESTRICTION_SHARE else ""
    ruled_out = LOCAL_RESTRICTIONS.get(restriction, ())
    return [code for code in codes if code not in ruled_out], restriction


def _rooms(rng: random.Random, ap_type: APType, premises_codes: list[str]) -> list[PlannedRoom]:
    """Mostly single rooms, a few doubles; ground-floor rooms first, where the accessible rooms are."""
    bed_total = round(rng.triangular(*BEDS_PER_AP))
    double_share = 0.0 if ap_type in MEN_ONLY_TYPES else rng.choice((0.0, 0.05, 0.1, 0.2))
    beds_per_room: list[int] = []
    while sum(beds_per_room) < bed_total:
        room_for_two = beds_per_room and bed_total - sum(beds_per_room) >= 2 and rng.random() < double_share
        beds_per_room.append(2 if room_for_two else 1)
    ground_floor = max(2, round(len(beds_per_room) * 0.3))
    singles = [index for index, beds in enumerate(beds_per_room) if beds == 1]
    ground_floor_singles = [index for index in singles if index < ground_floor]
    step_free = ground_floor_singles[: rng.randint(1, 3)] if "has_step_free_access" in premises_codes else []
    wheelchair = step_free[:1] if "has_wheelchair_accessible_bathrooms" in premises_codes else []
    arson_suitable = rng.sample(singles, rng.randint(1, 2)) if rng.random() < 0.4 else []
    en_suite_share = rng.choice((0.0, 0.2, 0.5, 1.0))
    sex_offender_share = rng.uniform(0.3, 0.7) if "accepts_sex_offenders" in premises_codes else 0.0

    rooms = []
    for index, beds in enumerate(beds_per_room):
        codes = {
            "is_single": beds == 1,
            "is_ground_floor": index < ground_floor,
            "is_step_free_designated": index in step_free,
            "is_wheelchair_designated": index in wheelchair,
            "is_arson_suitable": index in arson_suitable,
            "has_en_suite": rng.random() < en_suite_share,
            "is_suited_for_sex_offenders": beds == 1 and rng.random() < sex_offender_share,
        }
        number = index + 1
        bed_names = [f"Bed {number}"] if beds == 1 else [f"Bed {number}A", f"Bed {number}B"]
        rooms.append(
            PlannedRoom(
                name=f"Room {number}",
                characteristics=[code for code, has in codes.items() if has],
                beds=[PlannedBed(name) for name in bed_names],
            )
        )
    return rooms
