"""All models, imported here so that Alembic and the app see one metadata.

The terms the models store (genders, AP types, risk levels...) come from the vocabulary package."""

from app.models.assessment import Assessment
from app.models.audit import AuditEvent
from app.models.geography import Area, PostcodeDistrict, Region
from app.models.length_of_stay import LengthOfStayRule
from app.models.move_on import MoveOnProvider
from app.models.optimiser_run import OptimiserRun, Proposal, ProposalDecision, RunStatus
from app.models.outbox import OutboxMessage
from app.models.person import Person, Placement, PlacementStatus, PreparationCheck
from app.models.placement_request import PlacementRequest, PlacementRequestStatus
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
from app.models.referral_location import PreferredPremises
from app.models.scenario import ChangeKind, Scenario, ScenarioChange
from app.models.user import User, UserRole
from app.models.victims import ExclusionZone, NonAssociate

__all__ = [
    "Area",
    "Assessment",
    "AuditEvent",
    "Bed",
    "ChangeKind",
    "Characteristic",
    "ExclusionZone",
    "NonAssociate",
    "OptimiserRun",
    "LengthOfStayRule",
    "MoveOnProvider",
    "OutOfServiceBed",
    "OutOfServiceReason",
    "OutboxMessage",
    "Person",
    "Placement",
    "PlacementRequest",
    "PlacementRequestStatus",
    "PlacementStatus",
    "PostcodeDistrict",
    "Proposal",
    "ProposalDecision",
    "PreferredPremises",
    "Scenario",
    "ScenarioChange",
    "PreparationCheck",
    "Premises",
    "Referral",
    "ReferralEvent",
    "ReferralEventKind",
    "Region",
    "Room",
    "RunStatus",
    "User",
    "UserRole",
]
