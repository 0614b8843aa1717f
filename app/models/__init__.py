"""All models, imported here so that Alembic and the app see one metadata.

The terms the models store (genders, AP types, risk levels...) come from the vocabulary package."""

from app.models.audit import AuditEvent
from app.models.geography import Area, PostcodeDistrict, Region
from app.models.person import Person, Placement, PlacementStatus, PreparationCheck
from app.models.premises import (
    Bed,
    Characteristic,
    OutOfServiceBed,
    OutOfServiceReason,
    Premises,
    Room,
)
from app.models.referral import Referral
from app.models.referral_event import ReferralEvent, ReferralEventKind
from app.models.user import User, UserRole

__all__ = [
    "Area",
    "AuditEvent",
    "Bed",
    "Characteristic",
    "OutOfServiceBed",
    "OutOfServiceReason",
    "Person",
    "Placement",
    "PlacementStatus",
    "PostcodeDistrict",
    "PreparationCheck",
    "Premises",
    "Referral",
    "ReferralEvent",
    "ReferralEventKind",
    "Region",
    "Room",
    "User",
    "UserRole",
]
