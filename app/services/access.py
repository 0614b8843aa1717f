"""Who may see and who may change what: the one place that answers it, for every object reached by its id.

Seeing fails closed. A user with VIEW_ALL_REGIONS sees the whole estate; otherwise an account with a premises
(AP staff) sees that premises, and an account with a region (regional users) the premises in that region. Anyone
else sees nothing: a scope that was never recorded is never read as "everywhere".

Rooms, beds, out-of-service periods and placements are seen through the premises they belong to, and a person through the
premises where they have a placement. A referral is seen by the offender manager who started it and by offender
managers of its probation region (the region of their account); once submitted, never as a draft, by assessors:
those of its region when their account records one, and every assessor with the national permission when it
records none (assessment is national work, as APs are a national resource). Placement requests are seen by the
people who place people: of their region, or of every region with the national permission; and so are the referral
each was accepted from, which they read to place the person, and what optimiser runs propose for it.

A permission can reach fewer referrals than seeing does: `find(..., to=Permission.ASSESS_REFERRALS)` finds only
the referrals the user sees as an assessor, so that somebody who both writes and assesses referrals never
assesses a colleague's draft, nor answers, as an offender manager, a question on another region's referral.

Changing is seeing plus the permission for that kind of change: `can(user, premises,
Permission.MANAGE_OUT_OF_SERVICE_BEDS)` holds for administrators anywhere (they see everything) and for AP
managers at their own premises only.
"""

from collections.abc import Sequence
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from app.extensions import db
from app.models import (
    Bed,
    OptimiserRun,
    OutOfServiceBed,
    Person,
    Placement,
    PlacementRequest,
    Premises,
    Proposal,
    Referral,
    Region,
    Room,
    Scenario,
    User,
)
from app.permissions import Permission
from app.services.validation import NotInScope
from vocabulary import ReferralStatus

Model = TypeVar("Model")

# How each object of the estate reaches its premises: a condition on the premises becomes one on the object.
_THROUGH_PREMISES = {
    Premises: lambda condition: condition,
    Room: lambda condition: Room.premises.has(condition),
    Bed: lambda condition: Bed.room.has(Room.premises.has(condition)),
    OutOfServiceBed: lambda condition: OutOfServiceBed.bed.has(Bed.room.has(Room.premises.has(condition))),
    Placement: lambda condition: Placement.premises.has(condition),
}


def visible_premises(user: User) -> ColumnElement[bool]:
    """SQL condition on Premises: the premises the user may see, none when no scope is recorded."""
    if user.can(Permission.VIEW_ALL_REGIONS):
        return sa.true()
    if user.premises_id is not None:
        return Premises.id == user.premises_id
    if user.region_id is not None:
        return Premises.region_id == user.region_id
    return sa.false()


def visible_regions(user: User) -> ColumnElement[bool]:
    """SQL condition on Region: every region for national users, otherwise the account's own, none when unrecorded."""
    if user.can(Permission.VIEW_ALL_REGIONS):
        return sa.true()
    return Region.id == user.region_id if user.region_id is not None else sa.false()


def visible_runs(user: User) -> ColumnElement[bool]:
    """SQL condition on OptimiserRun: runs over a region the user sees, national runs for national users only; and
    a what-if run only to its scenario's owner."""
    own_scenario = OptimiserRun.scenario_id.is_(None) | OptimiserRun.scenario.has(visible_scenarios(user))
    if user.can(Permission.VIEW_ALL_REGIONS):
        return own_scenario
    return OptimiserRun.region.has(visible_regions(user)) & own_scenario


def visible_scenarios(user: User) -> ColumnElement[bool]:
    """SQL condition on Scenario: a planner's scenarios are their own."""
    if not user.can(Permission.PLAN_CAPACITY):
        return sa.false()
    return Scenario.created_by_id == user.id


def visible_persons(user: User) -> ColumnElement[bool]:
    """SQL condition on Person: everyone for national users, otherwise people placed at a premises the user sees."""
    if user.can(Permission.VIEW_ALL_REGIONS):
        return sa.true()
    return Person.id.in_(sa.select(Placement.person_id).join(Placement.premises).where(visible_premises(user)))


def visible_placement_requests(user: User) -> ColumnElement[bool]:
    """SQL condition on PlacementRequest: those of the regions the user sees, for people who place."""
    if not user.can(Permission.PLACE_PEOPLE):
        return sa.false()
    return PlacementRequest.region_id.in_(sa.select(Region.id).where(visible_regions(user)))


def _referrals_written(user: User) -> ColumnElement[bool]:
    """Its author's, and its region's offender managers'."""
    if not user.can(Permission.MANAGE_REFERRALS):
        return sa.false()
    same_region = Referral.region_id == user.region_id if user.region_id is not None else sa.false()
    return sa.or_(Referral.created_by_id == user.id, same_region)


def _referrals_to_assess(user: User) -> ColumnElement[bool]:
    """Submitted referrals of the assessor's region, or of every region for a national assessor; never drafts."""
    if not user.can(Permission.ASSESS_REFERRALS):
        return sa.false()
    if user.region_id is not None:
        in_scope = Referral.region_id == user.region_id
    elif user.can(Permission.VIEW_ALL_REGIONS):
        in_scope = sa.true()
    else:
        return sa.false()
    return sa.and_(Referral.status != ReferralStatus.DRAFT, in_scope)


def _referrals_booked_here(user: User) -> ColumnElement[bool]:
    """Referrals of people booked into a premises whose arrivals the user runs or oversees: its staff prepare the
    arrival from the referral (risk, licence conditions, exclusion zones, non-associates)."""
    if not user.can(Permission.VIEW_ARRIVALS):
        return sa.false()
    return Referral.id.in_(sa.select(PlacementRequest.referral_id)
                           .join(Placement, Placement.placement_request_id == PlacementRequest.id)
                           .join(Placement.premises).where(visible_premises(user)))


def _referrals_to_place(user: User) -> ColumnElement[bool]:
    """Accepted referrals whose placement request the user sees."""
    return Referral.id.in_(sa.select(PlacementRequest.referral_id).where(visible_placement_requests(user)))


_REFERRALS_BY_PERMISSION = {
    Permission.MANAGE_REFERRALS: _referrals_written,
    Permission.ASSESS_REFERRALS: _referrals_to_assess,
    Permission.VIEW_ARRIVALS: _referrals_booked_here,
    Permission.PLACE_PEOPLE: _referrals_to_place,
}


def visible_referrals(user: User, permission: Permission | None = None) -> ColumnElement[bool]:
    """SQL condition on Referral: those the user writes or assesses, or with `permission` those it gives."""
    if permission is not None:
        return _REFERRALS_BY_PERMISSION[permission](user) if permission in _REFERRALS_BY_PERMISSION else sa.false()
    return sa.or_(*(condition(user) for condition in _REFERRALS_BY_PERMISSION.values()))


IN_SCOPE = "access.in_scope"  # the key of the scopes proved, in an object's SQLAlchemy instance state info


def visible(user: User, model: type, permission: Permission | None = None) -> ColumnElement[bool]:
    """SQL condition on `model`: the rows of it the user may see, or for referrals act on with `permission`."""
    if model is Person:
        return visible_persons(user)
    if model is Referral:
        return visible_referrals(user, permission)
    if model is PlacementRequest:
        return visible_placement_requests(user)
    if model is Proposal:
        return Proposal.placement_request.has(visible_placement_requests(user))
    if model is OptimiserRun:
        return visible_runs(user)
    if model is Scenario:
        return visible_scenarios(user)
    return _THROUGH_PREMISES[model](visible_premises(user))


def find(user: User, model: type[Model], object_id: int, *, at_premises: int | None = None,
         to: Permission | None = None, options: Sequence = ()) -> Model:
    """The object with this id if the user may see it and, given `to`, holds that permission for it.

    `at_premises` is the premises named in the address: an object of another premises is not found there either.
    `options` are loader options for what the caller will read of it, so that it comes in the same query.
    Raises NotInScope otherwise, which views answer with 404 so that nobody learns what exists out of scope.
    """
    conditions = [model.id == object_id, visible(user, model, to)]
    if at_premises is not None:
        conditions.append(_THROUGH_PREMISES[model](Premises.id == at_premises))
    query = sa.select(model).where(*conditions).options(*options)
    found = db.session.scalar(query) if _holds(user, to) else None
    if found is None:
        raise NotInScope(f"{model.__name__} {object_id} is out of scope for user {user.id}")
    sa.inspect(found).info.setdefault(IN_SCOPE, set()).add(_scope(user, model, to))
    return found


def can(user: User, obj, permission: Permission | None = None) -> bool:
    """Whether the user may see `obj` and, given `permission`, do that to it.

    An object `find` loaded for this user in this session (a request's) was in their scope then: only the permission
    is checked again, and the database is not asked twice the same question.
    """
    model = type(obj)
    if not _holds(user, permission):
        return False
    if _scope(user, model, permission) in sa.inspect(obj).info.get(IN_SCOPE, ()):
        return True
    return bool(db.session.scalar(sa.select(sa.exists().where(model.id == obj.id, visible(user, model, permission)))))


def require(user: User, obj, permission: Permission | None = None) -> None:
    """Services call this before acting on an object, whatever the view already checked."""
    if not can(user, obj, permission):
        raise NotInScope(f"{type(obj).__name__} {obj.id} is out of scope for user {user.id}")


def _scope(user: User, model: type, permission: Permission | None) -> tuple:
    """What a scope check proves: only a referral's visibility depends on the permission asked for."""
    return user.id, permission if model is Referral else None


def _holds(user: User, permission: Permission | None) -> bool:
    return permission is None or user.can(permission)
