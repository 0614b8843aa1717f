"""Beds against demand, week by week for 26 weeks, for a region or the whole country.

Each week is measured on its first day, today and every seventh day after. Supply is the beds in service then,
counted as the occupancy calendar counts them. Demand is four things:
- residents and bookings still occupying a bed then (a resident leaves on their expected departure);
- accepted placement requests awaiting placement, each arriving on its expected arrival (today, if that has
  passed) and staying its authorised length of stay;
- referrals not made yet: for each region and AP type, as many a week as were accepted a week over the last
  twelve, each arriving at the start of a coming week (the first one week from today) and staying as long as
  those recent requests were authorised to, on average, in whole weeks.
A request counts in the region of its referral, a resident in the region of their premises: a region's forecast
is its own people against its own beds.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import PlacementRequest, PlacementRequestStatus, Premises, Region, User
from app.services import estate, exports, occupancy, planning_charts
from vocabulary import APType

WEEKS_AHEAD = 26
RATE_WEEKS = 12


@dataclass(frozen=True)
class ForecastWeek:
    starts: date
    beds_in_service: int
    residents_and_bookings: int
    awaiting_placement: int
    expected_referrals: float

    @property
    def demand(self) -> float:
        return self.residents_and_bookings + self.awaiting_placement + self.expected_referrals

    @property
    def shortfall(self) -> float:
        """Beds short of demand, or 0 when there are enough."""
        return max(self.demand - self.beds_in_service, 0)


@dataclass(frozen=True)
class ReferralRate:
    region: str
    ap_type: APType
    per_week: float
    stay_weeks: int


@dataclass(frozen=True)
class Forecast:
    weeks: list[ForecastWeek]
    rates: list[ReferralRate]

    @property
    def shortfall_weeks(self) -> list[ForecastWeek]:
        return [week for week in self.weeks if week.shortfall > 0]


def forecast(user: User, today: date, *, region_id: int | None = None, ap_type: APType | None = None) -> Forecast:
    """The forecast over the premises the user may see, of a region and an AP type when given."""
    days = [today + timedelta(weeks=week) for week in range(WEEKS_AHEAD)]
    premises_ids = list(db.session.scalars(
        estate.premises_in_scope(user, estate.EstateFilters(region_id=region_id, ap_type=ap_type))
        .with_only_columns(Premises.id)))
    supply = _beds_and_residents(premises_ids, days)
    in_scope = _requests_in_scope(user, region_id, ap_type)
    awaiting = _awaiting(in_scope, days)
    rates = _rates(in_scope, today)
    weeks = [ForecastWeek(day, *supply[index], awaiting[index],
                          sum(rate.per_week * min(index, rate.stay_weeks) for rate in rates))
             for index, day in enumerate(days)]
    return Forecast(weeks, rates)


def _beds_and_residents(premises_ids: list[int], days: list[date]) -> list[tuple[int, int]]:
    counted = occupancy.occupancy_of_many(premises_ids, days, codes=()) if premises_ids else {}
    return [(sum(counts[index].total.in_service for counts in counted.values()),
             sum(counts[index].total.occupied for counts in counted.values())) for index in range(len(days))]


def _requests_in_scope(user: User, region_id: int | None, ap_type: APType | None) -> sa.Select:
    """Requests of the regions whose premises the user sees: a regional manager plans for their own region."""
    regions = [region.id for region in estate.regions_in_scope(user)]
    query = sa.select(PlacementRequest).where(PlacementRequest.region_id.in_(regions))
    if region_id is not None:
        query = query.where(PlacementRequest.region_id == region_id)
    if ap_type is not None:
        query = query.where(PlacementRequest.ap_type == ap_type)
    return query


def _awaiting(in_scope: sa.Select, days: list[date]) -> list[int]:
    stays = [(max(arrival, days[0]), timedelta(weeks=weeks)) for arrival, weeks in db.session.execute(
        in_scope.where(PlacementRequest.status == PlacementRequestStatus.READY_TO_MATCH)
        .with_only_columns(PlacementRequest.expected_arrival, PlacementRequest.length_of_stay_weeks))]
    return [sum(arrival <= day < arrival + stay for arrival, stay in stays) for day in days]


def _rates(in_scope: sa.Select, today: date) -> list[ReferralRate]:
    since = datetime.combine(today - timedelta(weeks=RATE_WEEKS), datetime.min.time())
    stays: dict[tuple[int, APType], list[int]] = defaultdict(list)
    for region, request_ap_type, weeks in db.session.execute(
        in_scope.where(PlacementRequest.created_at >= since,
                       PlacementRequest.created_at < datetime.combine(today, datetime.min.time()))
        .with_only_columns(PlacementRequest.region_id, PlacementRequest.ap_type, PlacementRequest.length_of_stay_weeks)
    ):
        stays[region, request_ap_type].append(weeks)
    names = dict(db.session.execute(sa.select(Region.id, Region.name)).all())
    return sorted((ReferralRate(names[region], kind, len(weeks) / RATE_WEEKS, round(sum(weeks) / len(weeks)))
                   for (region, kind), weeks in stays.items()), key=lambda rate: (rate.region, rate.ap_type.label))


def forecast_table(result: Forecast) -> exports.Table:
    return exports.Table(
        title="Forecast",
        header=("Week starting", "Beds in service", "Residents and bookings", "Accepted, awaiting placement",
                "Expected from new referrals", "Demand", "Shortfall"),
        rows=((week.starts, week.beds_in_service, week.residents_and_bookings, week.awaiting_placement,
               round(week.expected_referrals, 1), round(week.demand, 1), round(week.shortfall, 1))
              for week in result.weeks),
    )


def chart(result: Forecast) -> planning_charts.LineChart:
    return planning_charts.line_chart(
        [f"{week.starts:%-d %b}" for week in result.weeks],
        {"Beds in service": ([week.beds_in_service for week in result.weeks], "app-chart__supply"),
         "Expected demand": ([week.demand for week in result.weeks], "app-chart__demand")},
        [week.shortfall > 0 for week in result.weeks],
    )
