"""The domain vocabulary: the one place where the service's shared terms are defined.

Genders, risk levels and MAPPA (people), AP types and which referrals each takes, premises and room
characteristics (premises), sentence, release and notice (referrals), victim contact, exclusion zones and
non-associates (victims), probation regions and areas (geography) and the great-circle distance (distance). Both the
web application and the optimiser import these, and `flask reference sync` makes the database's reference tables
equal to them, so a term changes here and nowhere else.

Only the Python standard library may be imported here: the optimiser must stay free of flask, sqlalchemy
and app, and the app must not need numpy to name a gender.
"""

from vocabulary.distance import EARTH_RADIUS_KM, KM_PER_MILE, Point, distance_km, km_to_miles
from vocabulary.geography import AREA_OF_REGION, AREAS, REGION_NAMES, WOMENS_ESTATE
from vocabulary.people import Gender, MappaCategory, MappaLevel, RiskLevel
from vocabulary.premises import (
    ACCEPTED_AP_TYPES,
    CHARACTERISTICS,
    PREMISES_CHARACTERISTICS,
    ROOM_CHARACTERISTICS,
    APType,
    Characteristic,
    CharacteristicScope,
)
from vocabulary.referrals import (
    MoveOnCategory,
    Need,
    Notice,
    OffenceHistory,
    PlacementPurpose,
    ReferralStatus,
    RejectionReason,
    ReleaseType,
    ReoffendingTier,
    RiskFlag,
    SentenceType,
)
from vocabulary.victims import ExclusionZoneSource, NonAssociateReason, VictimContactScheme

__all__ = [
    "ACCEPTED_AP_TYPES",
    "APType",
    "AREAS",
    "AREA_OF_REGION",
    "CHARACTERISTICS",
    "Characteristic",
    "CharacteristicScope",
    "EARTH_RADIUS_KM",
    "ExclusionZoneSource",
    "Gender",
    "KM_PER_MILE",
    "MappaCategory",
    "MappaLevel",
    "MoveOnCategory",
    "NonAssociateReason",
    "Need",
    "Notice",
    "OffenceHistory",
    "PlacementPurpose",
    "ReferralStatus",
    "RejectionReason",
    "PREMISES_CHARACTERISTICS",
    "Point",
    "REGION_NAMES",
    "ROOM_CHARACTERISTICS",
    "ReleaseType",
    "ReoffendingTier",
    "RiskFlag",
    "RiskLevel",
    "SentenceType",
    "VictimContactScheme",
    "WOMENS_ESTATE",
    "distance_km",
    "km_to_miles",
]
