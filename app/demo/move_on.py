"""Demo move-on providers: in each region, one or two made-up services for each kind of accommodation people are
expected to move on to, in the region's towns, each opening a place or a few a week."""

import random

from app.demo.data import TOWNS
from app.demo.referrals import EXPECTED_MOVE_ON
from app.geo.gazetteer import find_town
from app.models import Region
from vocabulary import MoveOnCategory

PROVIDER_NAMES = {
    MoveOnCategory.FAMILY_OR_PARTNER: "{town} Family Resettlement Service",
    MoveOnCategory.PRIVATE_RENTED: "{town} Private Rented Access Scheme",
    MoveOnCategory.SOCIAL_RENTED: "{town} Homes Housing Association",
    MoveOnCategory.SUPPORTED_HOUSING: "{town} Supported Housing Trust",
    MoveOnCategory.CAS3: "{town} CAS3 Homes",
    MoveOnCategory.TEMPORARY: "{town} Short Stay Lodgings",
}
PROVIDERS_PER_KIND = (1, 2)
PLACES_PER_WEEK = (1, 3)  # a region's few dozen people waiting move on over months: a place or a few a week each


def plan_providers(rng: random.Random, regions: dict[str, Region]) -> list[dict]:
    """Rows of move_on_provider, region by region."""
    rows = []
    for region_name, towns in TOWNS.items():
        for category in EXPECTED_MOVE_ON:
            for town_name, _ in rng.sample(towns, rng.randint(*PROVIDERS_PER_KIND)):
                town = find_town(town_name)
                rows.append({"name": PROVIDER_NAMES[category].format(town=town_name), "category": category,
                             "region_id": regions[region_name].id, "town": town_name, "longitude": town.lon,
                             "latitude": town.lat, "places_per_week": rng.randint(*PLACES_PER_WEEK), "is_active": True})
    return rows
