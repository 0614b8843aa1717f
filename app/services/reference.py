"""Reference data every deployment needs: the 12 probation regions, their areas and the characteristics."""

from app.extensions import db
from app.models import REGION_NAMES, Area, Characteristic, CharacteristicScope, Region

PREMISES_CHARACTERISTICS = {
    "is_pipe": "Is a PIPE",
    "is_esap": "Is an enhanced security AP (ESAP)",
    "is_recovery_focused": "Is recovery-focused",
    "is_semi_specialist_mental_health": "Is semi-specialist mental health",
    "is_catered": "Is catered",
    "is_suitable_for_vulnerable": "Is suitable for people vulnerable to exploitation",
    "accepts_sex_offenders": "Accepts people with sexual offences against adults",
    "accepts_child_sex_offenders": "Accepts people with sexual offences against children",
    "accepts_non_sexual_child_offenders": "Accepts people with non-sexual offences against children",
    "accepts_hate_crime_offenders": "Accepts people with hate-crime offences",
    "has_step_free_access": "Step-free access",
    "has_lift": "Lift",
    "has_wheelchair_accessible_bathrooms": "Wheelchair-accessible bathrooms",
    "has_tactile_flooring": "Tactile flooring",
    "has_braille_signage": "Braille signage",
    "has_hearing_loop": "Hearing loop",
}

ROOM_CHARACTERISTICS = {
    "is_single": "Single room",
    "has_en_suite": "En-suite",
    "is_step_free_designated": "Step-free designated",
    "is_wheelchair_designated": "Wheelchair designated",
    "is_arson_suitable": "Suitable for people with arson offences",
    "is_suited_for_sex_offenders": "Suited for people with sexual offences",
    "is_ground_floor": "Ground floor",
}

# Central referral unit areas group regions; women's APs form a national estate of their own.
AREAS = {
    "North": ("North East", "North West", "Greater Manchester", "Yorkshire and the Humber"),
    "Midlands and Wales": ("East Midlands", "West Midlands", "Wales"),
    "South and East": ("East of England", "London", "Kent, Surrey and Sussex", "South Central", "South West"),
}
WOMENS_ESTATE = "Women's estate"


def sync_reference_data() -> None:
    """Create any missing region, area or characteristic; safe to run on every deployment."""
    areas = {a.name: a for a in db.session.scalars(db.select(Area))}
    for name in [*AREAS, WOMENS_ESTATE]:
        if name not in areas:
            areas[name] = Area(name=name, is_womens_estate=name == WOMENS_ESTATE)
            db.session.add(areas[name])
    area_of = {region: areas[area] for area, regions in AREAS.items() for region in regions}
    regions = set(db.session.scalars(db.select(Region.name)))
    db.session.add_all(Region(name=name, area=area_of[name]) for name in REGION_NAMES if name not in regions)
    codes = set(db.session.scalars(db.select(Characteristic.code)))
    for scope, labels in ((CharacteristicScope.PREMISES, PREMISES_CHARACTERISTICS), (CharacteristicScope.ROOM, ROOM_CHARACTERISTICS)):
        db.session.add_all(
            Characteristic(code=code, label=label, scope=scope) for code, label in labels.items() if code not in codes
        )
    db.session.commit()
