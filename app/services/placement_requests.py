"""The queue of placement requests that the referral unit and managers work: what waits, what is proposed, booked
or cannot be matched; and "unable to match", recorded with the rule that binds and reopened when it no longer does.

A request is due on its expected arrival date: one not booked by then is overdue. The most urgent notice comes
first, then the longest waiting (since the assessor accepted the referral).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app import clock
from app.extensions import db
from app.models import (
    Placement,
    PlacementRequest,
    PlacementRequestStatus,
    PlacementStatus,
    ReferralEvent,
    ReferralEventKind,
    Region,
    User,
)
from app.permissions import Permission
from app.services import access, audit, matching, referral_timeline
from app.services.locking import write_transaction
from app.services.validation import Refused, refuse_if_any, text_problem
from vocabulary import Notice, UnableToMatchReason

MAX_DETAIL_LENGTH = 2000
URGENCY = {Notice.EMERGENCY: 0, Notice.SHORT_NOTICE: 1, Notice.STANDARD: 2}


# --- the dashboard ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardFilters:
    status: PlacementRequestStatus = PlacementRequestStatus.READY_TO_MATCH
    region_id: int | None = None


@dataclass(frozen=True)
class Row:
    """A placement request as the dashboard shows it on `today`."""

    request: PlacementRequest
    days_waiting: int
    arrival_window: tuple[date, date]
    is_overdue: bool


def regions_to_filter(user: User) -> list[Region]:
    """The regions whose requests the user may see: the choices of the region filter."""
    return list(db.session.scalars(sa.select(Region).where(access.visible_regions(user)).order_by(Region.name)))


def _in_scope(user: User, region_id: int | None):
    query = sa.select(PlacementRequest).where(access.visible(user, PlacementRequest))
    return query if region_id is None else query.where(PlacementRequest.region_id == region_id)


def dashboard(user: User, filters: DashboardFilters = DashboardFilters()) -> sa.Select:
    """The requests of one status that the user may see, the most urgent first and then the longest waiting, for
    app.pagination.paginate."""
    urgency = sa.case({notice.value: rank for notice, rank in URGENCY.items()},
                      value=sa.cast(PlacementRequest.notice, sa.String))
    return (
        _in_scope(user, filters.region_id)
        .where(PlacementRequest.status == filters.status)
        .options(joinedload(PlacementRequest.person), joinedload(PlacementRequest.region))
        .order_by(urgency, PlacementRequest.created_at, PlacementRequest.id)
    )


def status_counts(user: User, region_id: int | None = None) -> dict[PlacementRequestStatus, int]:
    """How many requests of each status the user may see (in the region, when one is chosen)."""
    counted = _in_scope(user, region_id).with_only_columns(PlacementRequest.status, sa.func.count()).group_by(
        PlacementRequest.status)
    counts = dict(db.session.execute(counted).all())
    return {status: counts.get(status, 0) for status in PlacementRequestStatus}


def rows(requests: list[PlacementRequest], today: date | None = None) -> list[Row]:
    today = today or clock.today()
    return [Row(request, days_waiting(request, today), arrival_window(request), is_overdue(request, today))
            for request in requests]


def days_waiting(request: PlacementRequest, today: date) -> int:
    """Whole days since the assessor accepted the referral."""
    return max((today - clock.in_london(request.created_at).date()).days, 0)


def arrival_window(request: PlacementRequest) -> tuple[date, date]:
    """The first and last days the person may arrive (the optimiser plans an overdue one from today)."""
    return request.expected_arrival, request.expected_arrival + timedelta(days=matching.ARRIVAL_FLEXIBILITY_DAYS)


def is_overdue(request: PlacementRequest, today: date) -> bool:
    """Still not booked on or after the day the person is expected."""
    return request.status is not PlacementRequestStatus.BOOKED and request.expected_arrival <= today


# --- a request's page -------------------------------------------------------------------------------------------------


def history(request: PlacementRequest) -> list[ReferralEvent]:
    """Everything that happened to the referral and its placement request, newest first."""
    return sorted(request.referral.events, key=lambda event: (event.at, event.id), reverse=True)


# --- unable to match ----------------------------------------------------------------------------------------------


def booking(request: PlacementRequest) -> Placement | None:
    """The placement booked for the request and not cancelled, if any: a request is booked once at a time."""
    return db.session.scalar(sa.select(Placement).where(Placement.placement_request_id == request.id,
                                                        Placement.status != PlacementStatus.CANCELLED)
                             .order_by(Placement.id.desc()).limit(1))


def unable_to_match_problems(reason: UnableToMatchReason | None, detail: str | None) -> dict[str, str]:
    if reason is None:
        return {"reason": "Select why no premises can take the person"}
    missing = "Describe why no premises can take the person" if reason is UnableToMatchReason.OTHER else ""
    if (missing or (detail or "").strip()) and (problem := text_problem(
            detail, missing=missing, max_length=MAX_DETAIL_LENGTH, what="The detail")):
        return {"detail": problem}
    return {}


def record_unable_to_match(user: User, request: PlacementRequest, reason: UnableToMatchReason | None,
                           detail: str | None) -> None:
    """Take the request out of matching with the rule that binds; it waits, seen by all, until reopened."""
    with _placing(user, request) as request:
        if request.status is not PlacementRequestStatus.READY_TO_MATCH:
            raise Refused(f"This placement request is {request.status.label.lower()}: only a request ready to match "
                          "can be recorded as unable to match")
        refuse_if_any(unable_to_match_problems(reason, detail))
        detail = (detail or "").strip() or None
        request.status = PlacementRequestStatus.UNABLE_TO_MATCH
        request.unable_to_match_reason, request.unable_to_match_detail = reason, detail
        note = f"{reason.label}: {detail}" if detail else reason.label
        referral_timeline.record(request.referral, ReferralEventKind.UNABLE_TO_MATCH, user, note=note)
        audit.record("unable_to_match", request, user=user, reason=reason.value)


def reopen(user: User, request: PlacementRequest) -> None:
    """Make a request unable to match ready to match again, for the next run or a manual search."""
    with _placing(user, request) as request:
        if request.status is not PlacementRequestStatus.UNABLE_TO_MATCH:
            raise Refused(f"This placement request is {request.status.label.lower()}: only a request unable to "
                          "match can be reopened")
        request.status = PlacementRequestStatus.READY_TO_MATCH
        request.unable_to_match_reason = request.unable_to_match_detail = None
        referral_timeline.record(request.referral, ReferralEventKind.MATCHING_REOPENED, user)
        audit.record("matching_reopened", request, user=user)


@contextmanager
def _placing(user: User, request: PlacementRequest) -> Iterator[PlacementRequest]:
    """The request's write transaction, refused unless the user may place it."""
    access.require(user, request, Permission.PLACE_PEOPLE)
    with write_transaction(PlacementRequest, request.id) as locked:
        yield locked
