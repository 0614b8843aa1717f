"""What the exclusion-zone map draws beneath the zones when it has no map tiles: the outlines of the probation
regions of England and Wales and the gazetteer's towns, all from packaged data, so the map works offline."""

from functools import cache

from shapely import set_precision
from shapely.geometry import mapping

from app.geo.gazetteer import all_towns
from app.geo.outlines import region_outlines

SIMPLIFY_DEGREES = 0.005  # about 500 m: finer than a map of a region shows, and half the size
MINIMUM_POPULATION = 10_000
COORDINATE_DECIMALS = 4


@cache
def base_layer() -> dict:
    """{"regions": a GeoJSON FeatureCollection, "towns": [[name, longitude, latitude, population], ...]}."""
    regions = [{"type": "Feature", "properties": {"region": region},
                "geometry": mapping(set_precision(outline.simplify(SIMPLIFY_DEGREES), 10**-COORDINATE_DECIMALS))}
               for region, outline in sorted(region_outlines().items())]
    towns = [[town.name, round(town.lon, COORDINATE_DECIMALS), round(town.lat, COORDINATE_DECIMALS), town.population]
             for town in all_towns() if town.population >= MINIMUM_POPULATION]
    return {"regions": {"type": "FeatureCollection", "features": regions}, "towns": towns}
