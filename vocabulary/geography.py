"""The 12 probation regions of England and Wales and the areas that group them for central referral units."""

# Every region belongs to exactly one area; women's APs form a national estate, an area with no region.
AREAS: dict[str, tuple[str, ...]] = {
    "North": ("North East", "North West", "Greater Manchester", "Yorkshire and the Humber"),
    "Midlands and Wales": ("East Midlands", "West Midlands", "Wales"),
    "South and East": ("East of England", "London", "Kent, Surrey and Sussex", "South Central", "South West"),
}
WOMENS_ESTATE = "Women's estate"

REGION_NAMES: tuple[str, ...] = tuple(sorted(region for regions in AREAS.values() for region in regions))
AREA_OF_REGION: dict[str, str] = {region: area for area, regions in AREAS.items() for region in regions}
