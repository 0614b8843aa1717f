"""Performance figures over a period, per premises, per region and nationally.

Every figure is a sum over premises first (a `Tally`), so that a region's figures are its premises' tallies added
up and never an average of averages. Over the period, from `start` to `end` inclusive:
- bed-nights: a bed in use on a day is one bed-night, in service unless an uncancelled out-of-service period covers
  it; occupied bed-nights are the nights placements occupy (app/services/estate.py); occupancy is occupied over in
  service;
- length of stay: of the departures in the period, from arrival to departure, in days;
- arrivals in the period that came from a referral give the share placed within 50 km of the home area (of those
  whose home area is found), the days from submission to the assessor's acceptance and to the arrival, and whether
  the assessment met its deadline (app/services/assessment_deadlines.py);
- non-arrivals: placements expected to arrive in the period who did not; departures by reason, breach and recall
  by its own reasons;
- MAPPA caseload: the people resident at any time in the period, by category and level; risk reviews overdue:
  residents on the period's last day (today, if it ends later) whose review was due before it;
- cost: every bed-night in use, in service or not, at the cost per bed-night; and what the out-of-service ones cost.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from functools import cache

import sqlalchemy as sa

from app import clock
from app.clock import LONDON
from app.extensions import db
from app.filters import govuk_date
from app.geo.postcodes import locate
from app.models import (
    Bed,
    OutOfServiceBed,
    Person,
    Placement,
    PlacementRequest,
    PlacementStatus,
    Premises,
    Referral,
    ReferralEvent,
    ReferralEventKind,
    Room,
    User,
)
from app.services import arrivals, estate, exports
from app.services.assessment_deadlines import due
from app.services.periods import dates_overlap, day_after, days_between, earlier, later, nights, years_after
from vocabulary import DepartureReason, Notice, Point, distance_km

MAX_PERIOD_YEARS = 5
NEAR_HOME_KM = 50
SECONDS_IN_DAY = 86_400


def period_problems(start: date | None, end: date | None) -> dict[str, str]:
    """What is wrong with a period, by field; dates missing are the form's to report."""
    if start is None or end is None:
        return {}
    if end < start:
        return {"end": "The end date must be the same as or after the start date"}
    if end >= years_after(start, MAX_PERIOD_YEARS):
        return {"end": f"The period must be shorter than {MAX_PERIOD_YEARS} years: choose an end date before "
                       f"{govuk_date(years_after(start, MAX_PERIOD_YEARS))}"}
    return {}


@dataclass
class Tally:
    """The sums behind the figures of one premises, or of several added up."""

    bed_nights: int = 0
    bed_nights_out_of_service: int = 0
    bed_nights_occupied: int = 0
    departures: int = 0
    days_stayed: int = 0
    arrivals_located: int = 0
    arrivals_near_home: int = 0
    assessed: int = 0
    days_to_assessment: float = 0.0
    days_to_placement: int = 0
    assessed_on_time: int = 0
    non_arrivals: int = 0
    departure_reasons: Counter = field(default_factory=Counter)
    breach_or_recall_reasons: Counter = field(default_factory=Counter)
    mappa: Counter = field(default_factory=Counter)  # (category, level) -> people
    risk_reviews_overdue: int = 0

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(**{name: getattr(self, name) + getattr(other, name) for name in self.__dataclass_fields__})

    @property
    def bed_nights_in_service(self) -> int:
        return self.bed_nights - self.bed_nights_out_of_service

    @property
    def occupancy_percent(self) -> float | None:
        return _percent(self.bed_nights_occupied, self.bed_nights_in_service)

    @property
    def average_stay_days(self) -> float | None:
        return _ratio(self.days_stayed, self.departures)

    @property
    def near_home_percent(self) -> float | None:
        return _percent(self.arrivals_near_home, self.arrivals_located)

    @property
    def average_days_to_assessment(self) -> float | None:
        return _ratio(self.days_to_assessment, self.assessed)

    @property
    def average_days_to_placement(self) -> float | None:
        return _ratio(self.days_to_placement, self.assessed)

    @property
    def on_time_percent(self) -> float | None:
        return _percent(self.assessed_on_time, self.assessed)

    @property
    def mappa_caseload(self) -> int:
        return sum(self.mappa.values())


def _ratio(part, whole) -> float | None:
    return round(part / whole, 1) if whole else None


def _percent(part, whole) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass(frozen=True)
class Row:
    name: str
    region: str
    tally: Tally
    premises_id: int | None = None  # None for a region's or the nation's row


@dataclass(frozen=True)
class Figures:
    start: date
    end: date
    cost_per_bed_night_pence: int
    national: Tally
    regions: list[Row]
    premises: list[Row]

    def cost_pence(self, tally: Tally) -> int:
        return tally.bed_nights * self.cost_per_bed_night_pence

    def out_of_service_cost_pence(self, tally: Tally) -> int:
        return tally.bed_nights_out_of_service * self.cost_per_bed_night_pence


def figures(user: User, start: date, end: date, cost_per_bed_night_pence: int, *, region_id: int | None = None,
            today: date | None = None) -> Figures:
    """The figures of the premises the user may see (of one region, when given)."""
    premises = list(db.session.scalars(estate.premises_in_scope(user, estate.EstateFilters(region_id=region_id))))
    ids = [p.id for p in premises]
    tallies: dict[int, Tally] = defaultdict(Tally)
    if ids:
        as_of = min(end, today or clock.today())
        _count_bed_nights(tallies, ids, start, end)
        _count_residents(tallies, ids, start, end, as_of)
        _count_departures_and_non_arrivals(tallies, ids, start, end)
        _count_arrivals(tallies, {p.id: p for p in premises}, start, end)
    rows = [Row(p.name, p.region.name, tallies[p.id], p.id) for p in premises]
    by_region: dict[str, Tally] = defaultdict(Tally)
    for row in rows:
        by_region[row.region] += row.tally
    return Figures(start, end, cost_per_bed_night_pence, sum(by_region.values(), Tally()),
                   [Row(name, name, tally) for name, tally in sorted(by_region.items())], rows)


def _count_bed_nights(tallies: dict[int, Tally], ids: list[int], start: date, end: date) -> None:
    for premises_id, bed_nights in db.session.execute(
        sa.select(Room.premises_id,
                  sa.func.sum(nights(later(Bed.active_from, start), earlier(sa.func.coalesce(Bed.active_to, end), end))))
        .join(Bed.room).where(Room.premises_id.in_(ids)).group_by(Room.premises_id)
    ):
        tallies[premises_id].bed_nights += bed_nights
    for premises_id, out_of_service in db.session.execute(
        sa.select(Room.premises_id, sa.func.sum(nights(later(OutOfServiceBed.start_date, start),
                                                       earlier(OutOfServiceBed.end_date, end))))
        .join(OutOfServiceBed.bed).join(Bed.room)
        .where(Room.premises_id.in_(ids), OutOfServiceBed.cancelled_at.is_(None),
               dates_overlap(OutOfServiceBed.start_date, OutOfServiceBed.end_date, start, end, end_included=True))
        .group_by(Room.premises_id)
    ):
        tallies[premises_id].bed_nights_out_of_service += out_of_service


def _count_residents(tallies: dict[int, Tally], ids: list[int], start: date, end: date, as_of: date) -> None:
    arrival = sa.func.coalesce(Placement.actual_arrival, Placement.expected_arrival)
    departure = sa.func.coalesce(Placement.actual_departure, Placement.expected_departure)
    overdue = (arrival <= as_of) & (departure > as_of) & arrivals.risk_review_overdue(Person.risk_assessed_on, as_of)
    for premises_id, category, level, occupied, overdue_reviews, people in db.session.execute(
        sa.select(Placement.premises_id, Person.mappa_category, Person.mappa_level,
                  sa.func.sum(days_between(later(arrival, start), earlier(departure, day_after(end)))),
                  sa.func.sum(sa.case((overdue, 1), else_=0)), sa.func.count(sa.distinct(Person.id)))
        .join(Placement.person)
        .where(Placement.premises_id.in_(ids), estate.occupying_during(start, day_after(end)))
        .group_by(Placement.premises_id, Person.mappa_category, Person.mappa_level)
    ):
        tally = tallies[premises_id]
        tally.bed_nights_occupied += occupied
        tally.risk_reviews_overdue += overdue_reviews
        if category is not None and level is not None:
            tally.mappa[category, level] += people


def _count_departures_and_non_arrivals(tallies: dict[int, Tally], ids: list[int], start: date, end: date) -> None:
    for premises_id, reason, breach, departures, days_stayed in db.session.execute(
        sa.select(Placement.premises_id, Placement.departure_reason, Placement.breach_or_recall_reason,
                  sa.func.count(), sa.func.sum(days_between(Placement.actual_arrival, Placement.actual_departure)))
        .where(Placement.premises_id.in_(ids), Placement.status == PlacementStatus.DEPARTED,
               Placement.actual_departure.between(start, end))
        .group_by(Placement.premises_id, Placement.departure_reason, Placement.breach_or_recall_reason)
    ):
        tally = tallies[premises_id]
        tally.departures += departures
        tally.days_stayed += days_stayed
        if reason is not None:
            tally.departure_reasons[reason] += departures
        if breach is not None:
            tally.breach_or_recall_reasons[breach] += departures
    for premises_id, number in db.session.execute(
        sa.select(Placement.premises_id, sa.func.count())
        .where(Placement.premises_id.in_(ids), Placement.status == PlacementStatus.NOT_ARRIVED,
               Placement.expected_arrival.between(start, end))
        .group_by(Placement.premises_id)
    ):
        tallies[premises_id].non_arrivals += number


def _count_arrivals(tallies: dict[int, Tally], premises: dict[int, Premises], start: date, end: date) -> None:
    arrived = (
        sa.select(Placement.premises_id)
        .join(PlacementRequest, PlacementRequest.id == Placement.placement_request_id)
        .join(Referral, Referral.id == PlacementRequest.referral_id)
        .where(Placement.premises_id.in_(list(premises)),
               Placement.status.in_((PlacementStatus.ARRIVED, PlacementStatus.DEPARTED)),
               Placement.actual_arrival.between(start, end))
    )
    homes: dict[str, Point | None] = {}
    for premises_id, home_area, number in db.session.execute(
        arrived.add_columns(Referral.home_area, sa.func.count()).where(Referral.home_area != "")
        .group_by(Placement.premises_id, Referral.home_area)
    ):
        if home_area not in homes:
            homes[home_area] = place.point if (place := locate(home_area)) else None
        if (home := homes[home_area]) is not None:
            at = premises[premises_id]
            tallies[premises_id].arrivals_located += number
            tallies[premises_id].arrivals_near_home += number * (
                distance_km(home, Point(at.longitude, at.latitude)) <= NEAR_HOME_KM)
    accepted_at = (sa.select(sa.func.min(ReferralEvent.at))
                   .where(ReferralEvent.referral_id == Referral.id, ReferralEvent.kind == ReferralEventKind.ACCEPTED)
                   .scalar_subquery())
    for premises_id, arrived_on, submitted_at, notice, decided_at in db.session.execute(
        arrived.add_columns(Placement.actual_arrival, Referral.submitted_at, PlacementRequest.notice, accepted_at)
        .where(Referral.submitted_at.is_not(None))
    ):
        if decided_at is None:
            continue
        tally = tallies[premises_id]
        tally.assessed += 1
        tally.days_to_assessment += (decided_at - submitted_at).total_seconds() / SECONDS_IN_DAY
        tally.days_to_placement += (arrived_on - submitted_at.date()).days
        submitted = clock.in_london(submitted_at)
        deadline = (due(notice, submitted).at if notice is Notice.EMERGENCY
                    else _end_of_working_day_due(notice, submitted.date()))
        tally.assessed_on_time += decided_at.replace(tzinfo=UTC) <= deadline


@cache
def _end_of_working_day_due(notice: Notice, submitted_on: date) -> datetime:
    """A deadline in working days depends on the day of submission alone: worked out once a day and notice."""
    return due(notice, datetime.combine(submitted_on, time(12), tzinfo=LONDON)).at


# --- downloads -----------------------------------------------------------------------------------------------------

HEADER = ("Name", "Region", "Bed-nights", "Bed-nights in service", "Bed-nights out of service", "Occupied bed-nights",
          "Occupancy %", "Departures", "Average stay (days)", f"Placed within {NEAR_HOME_KM} km of home %",
          "Average days to assessment", "Average days to placement", "Assessments on time %", "Non-arrivals",
          "Breach or recall departures", "MAPPA caseload", "Risk reviews overdue", "Cost (£)",
          "Cost of beds out of service (£)")


def _cells(result: Figures, row: Row) -> tuple:
    tally = row.tally
    return (row.name, row.region, tally.bed_nights, tally.bed_nights_in_service, tally.bed_nights_out_of_service,
            tally.bed_nights_occupied, tally.occupancy_percent, tally.departures, tally.average_stay_days,
            tally.near_home_percent, tally.average_days_to_assessment, tally.average_days_to_placement,
            tally.on_time_percent, tally.non_arrivals, tally.departure_reasons[DepartureReason.BREACH_OR_RECALL],
            tally.mappa_caseload, tally.risk_reviews_overdue, result.cost_pence(tally) / 100,
            result.out_of_service_cost_pence(tally) / 100)


def figures_table(result: Figures) -> exports.Table:
    national = Row("All premises in scope", "", result.national)
    return exports.Table(
        title=f"Performance {result.start.isoformat()} to {result.end.isoformat()}",
        header=HEADER,
        rows=(_cells(result, row) for row in [national, *result.regions, *result.premises]),
    )


def placements_table(user: User, start: date, end: date, region_id: int | None = None) -> exports.Table:
    """Every placement due to arrive in the period, whether they came or not, read from the database in batches as
    the download is written, so a year of them is never held in memory."""
    query = (
        sa.select(Person.crn, Premises.name, Premises.code, Placement.status, Placement.expected_arrival,
                  Placement.actual_arrival, Placement.expected_departure, Placement.actual_departure,
                  Placement.non_arrival_reason, Placement.departure_reason, Placement.breach_or_recall_reason,
                  Placement.move_on_category)
        .join(Placement.person).join(Placement.premises)
        .where(Placement.expected_arrival.between(start, end),
               Premises.id.in_(estate.premises_in_scope(user, estate.EstateFilters(region_id=region_id))
                               .with_only_columns(Premises.id)))
        .order_by(Placement.expected_arrival, Placement.id)
        .execution_options(yield_per=1000)
    )
    return exports.Table(
        title=f"Placements {start.isoformat()} to {end.isoformat()}",
        header=("CRN", "Premises", "Code", "Status", "Expected arrival", "Arrival", "Expected departure", "Departure",
                "Non-arrival reason", "Departure reason", "Breach or recall reason", "Move-on category"),
        rows=((crn, name, code, status.label, *row[:4], *(_label(reason) for reason in row[4:]))
              for crn, name, code, status, *row in db.session.execute(query)),
    )


def _label(reason) -> str:
    return reason.label if reason is not None else ""
