"""Move-on: residents about to leave, or overdue to, with nowhere secured yet; and where people went.

A resident's move-on is secured once AP staff tick "Move-on plan known" on their preparation checklist. Where a
resident expects to go is the move-on category of the referral behind their placement; where people went is the
category recorded at their departure.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import (
    Person,
    Placement,
    PlacementRequest,
    PlacementStatus,
    Premises,
    PreparationCheck,
    Referral,
    Region,
    User,
)
from app.services import access, exports
from vocabulary import MoveOnCategory, PreparationItem

NEAR_DEPARTURE_DAYS = 28
NOT_KNOWN = "Not known"


@dataclass(frozen=True)
class AwaitingMoveOn:
    placement_id: int
    crn: str
    premises: str
    premises_id: int
    region: str
    expected_departure: date
    expected_category: MoveOnCategory | None

    @property
    def category_label(self) -> str:
        return self.expected_category.label if self.expected_category else NOT_KNOWN

    def is_overdue(self, today: date) -> bool:
        return self.expected_departure < today


def awaiting_move_on(user: User, today: date, region_id: int | None = None) -> list[AwaitingMoveOn]:
    """Residents of the premises the user sees, expected to leave before `NEAR_DEPARTURE_DAYS` from today (or
    already overdue), whose move-on is not secured; the soonest first."""
    secured = sa.select(PreparationCheck.placement_id).where(
        PreparationCheck.item == PreparationItem.MOVE_ON_PLAN_KNOWN)
    query = (
        sa.select(Placement.id, Person.crn, Premises.name, Premises.id, Region.name, Placement.expected_departure,
                  Referral.move_on_category)
        .join(Placement.person).join(Placement.premises).join(Premises.region)
        .outerjoin(PlacementRequest, PlacementRequest.id == Placement.placement_request_id)
        .outerjoin(Referral, Referral.id == PlacementRequest.referral_id)
        .where(access.visible_premises(user), Placement.status == PlacementStatus.ARRIVED,
               Placement.expected_departure < today + timedelta(days=NEAR_DEPARTURE_DAYS),
               Placement.id.not_in(secured))
        .order_by(Placement.expected_departure, Person.crn)
    )
    if region_id is not None:
        query = query.where(Premises.region_id == region_id)
    return [AwaitingMoveOn(*row) for row in db.session.execute(query)]


@dataclass(frozen=True)
class AwaitingSummary:
    region: str
    category: str
    overdue: int
    due_soon: int


def summary_by_region_and_category(awaiting: list[AwaitingMoveOn], today: date) -> list[AwaitingSummary]:
    overdue = Counter((a.region, a.category_label) for a in awaiting if a.is_overdue(today))
    due_soon = Counter((a.region, a.category_label) for a in awaiting if not a.is_overdue(today))
    return [AwaitingSummary(region, category, overdue[region, category], due_soon[region, category])
            for region, category in sorted(overdue.keys() | due_soon.keys())]


@dataclass(frozen=True)
class Outcomes:
    quarters: list[str]  # "2026 Q1"
    categories: list[str]  # labels, in the vocabulary's order, then "Not known"
    counts: dict[tuple[str, str], int]  # (quarter, category) -> departures

    def row(self, category: str) -> list[int]:
        return [self.counts.get((quarter, category), 0) for quarter in self.quarters]


def _quarter(day: date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def move_on_outcomes(user: User, start: date, end: date, region_id: int | None = None) -> Outcomes:
    """Departures from `start` to `end` inclusive by quarter and where people went."""
    query = (
        sa.select(Placement.actual_departure, Placement.move_on_category)
        .join(Placement.premises)
        .where(access.visible_premises(user), Placement.status == PlacementStatus.DEPARTED,
               Placement.actual_departure.between(start, end))
    )
    if region_id is not None:
        query = query.where(Premises.region_id == region_id)
    counts = Counter((_quarter(day), category.label if category else NOT_KNOWN)
                     for day, category in db.session.execute(query))
    quarters = sorted({_quarter(start + timedelta(days=n)) for n in range(0, (end - start).days + 1, 28)}
                      | {_quarter(end)})
    present = {category for _, category in counts}
    categories = [c.label for c in MoveOnCategory if c.label in present] + ([NOT_KNOWN] if NOT_KNOWN in present else [])
    return Outcomes(quarters, categories, dict(counts))


def awaiting_table(awaiting: list[AwaitingMoveOn]) -> exports.Table:
    return exports.Table(
        title="Awaiting move-on",
        header=("CRN", "Premises", "Region", "Expected departure", "Expected move-on"),
        rows=((a.crn, a.premises, a.region, a.expected_departure, a.category_label) for a in awaiting),
    )


def outcomes_table(outcomes: Outcomes) -> exports.Table:
    return exports.Table(
        title="Move-on outcomes",
        header=("Move-on category", *outcomes.quarters),
        rows=((category, *outcomes.row(category)) for category in outcomes.categories),
    )
