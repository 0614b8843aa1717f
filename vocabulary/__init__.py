"""The domain vocabulary: the one place where the service's shared terms are defined.

Genders, risk levels and MAPPA (people), AP types and which referrals each takes, premises and room
characteristics (premises), sentence, release and notice (referrals), victim contact, exclusion zones and
non-associates (victims), the preparation checklist and the reasons for a non-arrival or a departure (placements),
probation regions and areas (geography) and the great-circle distance (distance). Both the web application and the
optimiser import these, and `flask reference sync` makes the database's reference tables equal to them, so a term
changes here and nowhere else.

Only the Python standard library may be imported here: the optimiser must stay free of flask, sqlalchemy
and app, and the app must not need numpy to name a gender.
"""

from vocabulary.distance import EARTH_RADIUS_KM, KM_PER_MILE, Point, distance_km, km_to_miles
from vocabulary.geography import AREA_OF_REGION, AREAS, REGION_NAMES, WOMENS_ESTATE
from vocabulary.people import Gender, MappaCategory, MappaLevel, RiskLevel
from vocabulary.placements import (
    ALLOCATED_ITEMS,
    TICKED_ITEMS,
    BreachOrRecallReason,
    CancellationReason,
    DepartureReason,
    NonArrivalReason,
    PoliceNotificationMethod,
    PreparationItem,
    UnableToMatchReason,
)
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
    "ALLOCATED_ITEMS",
    "APType",
    "AREAS",
    "AREA_OF_REGION",
    "BreachOrRecallReason",
    "CHARACTERISTICS",
    "Characteristic",
    "CharacteristicScope",
    "DepartureReason",
    "EARTH_RADIUS_KM",
    "ExclusionZoneSource",
    "Gender",
    "KM_PER_MILE",
    "MappaCategory",
    "MappaLevel",
    "MoveOnCategory",
    "NonAssociateReason",
    "Need",
    "NonArrivalReason",
    "CancellationReason",
    "Notice",
    "OffenceHistory",
    "PlacementPurpose",
    "ReferralStatus",
    "RejectionReason",
    "PREMISES_CHARACTERISTICS",
    "Point",
    "PoliceNotificationMethod",
    "PreparationItem",
    "REGION_NAMES",
    "ROOM_CHARACTERISTICS",
    "ReleaseType",
    "ReoffendingTier",
    "RiskFlag",
    "RiskLevel",
    "SentenceType",
    "TICKED_ITEMS",
    "UnableToMatchReason",
    "VictimContactScheme",
    "WOMENS_ESTATE",
    "distance_km",
    "km_to_miles",
]
