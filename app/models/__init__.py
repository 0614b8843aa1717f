"""All models, imported here so that Alembic and the app see one metadata."""

from app.models.audit import AuditEvent
from app.models.geography import REGION_NAMES, Area, PostcodeDistrict, Region
from app.models.person import Person, Placement, PlacementStatus, RiskLevel
from app.models.premises import (
    APType,
    Bed,
    Characteristic,
    CharacteristicScope,
    Gender,
    OutOfServiceBed,
    OutOfServiceReason,
    Premises,
    Room,
)
from app.models.user import User, UserRole

__all__ = [
    "APType",
    "Area",
    "AuditEvent",
    "Bed",
    "Characteristic",
    "CharacteristicScope",
    "Gender",
    "OutOfServiceBed",
    "OutOfServiceReason",
    "Person",
    "Placement",
    "PlacementStatus",
    "PostcodeDistrict",
    "Premises",
    "REGION_NAMES",
    "Region",
    "RiskLevel",
    "Room",
    "User",
    "UserRole",
]
