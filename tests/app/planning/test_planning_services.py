"""The planning figures, worked out by hand on the small estate of conftest.py."""

from datetime import date, datetime

import pytest

from app.extensions import db
from app.models import PlacementRequest
from app.services import estate, planning_figures, planning_forecast, planning_move_on
from app.services import planning_occupancy as grid
from app.services.occupancy import Count
from vocabulary import BreachOrRecallReason, DepartureReason, MappaCategory, MappaLevel

from .conftest import TODAY


def test_the_grid_counts_each_premises_in_scope_day_by_day(june, manager, national_manager):
    this_week = grid.occupancy_grid(manager, estate.EstateFilters(), grid.Week.of(TODAY))
    assert [row.premises.name for row in this_week] == ["May House"]  # Wales is out of the region's scope
    assert this_week[0].counts()[0] == Count(3, 2)  # Monday 3 June: the May resident and the one leaving on the 10th
    next_week = grid.occupancy_grid(manager, estate.EstateFilters(), grid.Week.of(TODAY).next)
    assert [count.occupied for count in next_week[0].counts()] == [1, 1, 2, 2, 2, 2, 2]  # the booking from the 12th
    singles = grid.occupancy_grid(manager, estate.EstateFilters(), grid.Week.of(TODAY).next, "is_single")
    assert singles[0].counts("is_single") == next_week[0].counts()  # every room of May House is single
    arson = grid.occupancy_grid(manager, estate.EstateFilters(), grid.Week.of(TODAY).next, "is_arson_suitable")
    assert arson[0].counts("is_arson_suitable") == [Count(0, 0)] * 7
    national = grid.occupancy_grid(national_manager, estate.EstateFilters(), grid.Week.of(TODAY))
    assert grid.daily_totals(national)[0] == Count(8, 2)


def test_out_of_service_beds_are_marked_in_the_grid(may, manager):
    week = grid.occupancy_grid(manager, estate.EstateFilters(), grid.Week.of(date(2030, 5, 13)))[0]
    assert [day.out_of_service for day in week.days] == [1] * 7
    assert week.counts()[0].in_service == 2


def test_the_forecast_weighs_beds_against_residents_requests_and_expected_referrals(june, manager):
    result = planning_forecast.forecast(manager, TODAY)
    weeks = result.weeks[:6]
    assert [week.starts for week in weeks] == [date(2030, 6, 5 + 7 * n) if n < 4 else date(2030, 7, 7 * n - 25)
                                               for n in range(6)]
    assert [week.beds_in_service for week in weeks] == [3] * 6
    assert [week.residents_and_bookings for week in weeks] == [2, 2, 2, 1, 1, 0]
    assert [week.awaiting_placement for week in weeks] == [1, 1, 0, 0, 0, 0]
    # Seven requests in twelve weeks, staying 30 / 7 weeks: four, on average in whole weeks.
    assert [rate.per_week for rate in result.rates] == [pytest.approx(7 / 12)]
    assert [rate.stay_weeks for rate in result.rates] == [4]
    assert [week.expected_referrals for week in weeks] == pytest.approx([7 / 12 * min(n, 4) for n in range(6)])
    assert [week.shortfall for week in weeks] == pytest.approx([0, 7 / 12, 2 / 12, 0, 4 / 12, 0])
    assert len(result.weeks) == 26 and result.weeks[-1].demand == pytest.approx(28 / 12)
    assert [week.starts for week in result.shortfall_weeks] == [date(2030, 6, 12), date(2030, 6, 19), date(2030, 7, 3)]


def test_move_on_lists_residents_due_to_leave_with_nothing_secured(june, manager):
    awaiting = planning_move_on.awaiting_move_on(manager, TODAY)
    assert [(a.expected_departure, a.category_label) for a in awaiting] == [(date(2030, 6, 20), "CAS3 (temporary accommodation)")]
    summary = planning_move_on.summary_by_region_and_category(awaiting, TODAY)
    assert summary == [planning_move_on.AwaitingSummary("North West", "CAS3 (temporary accommodation)", 0, 1)]
    outcomes = planning_move_on.move_on_outcomes(manager, date(2030, 1, 1), TODAY)
    assert outcomes.quarters == ["2030 Q1", "2030 Q2"]
    assert outcomes.categories == ["Custody"] and outcomes.row("Custody") == [0, 1]


def test_the_figures_of_may(may, manager):
    result = planning_figures.figures(manager, date(2030, 5, 1), date(2030, 5, 31), 10_000)
    tally = result.national
    assert (tally.bed_nights, tally.bed_nights_out_of_service, tally.bed_nights_in_service) == (93, 10, 83)
    assert tally.bed_nights_occupied == 10 + 27  # the absconder to 10 May, the resident from 5 May
    assert tally.occupancy_percent == 44.6
    assert (tally.departures, tally.average_stay_days) == (1, 21.0)
    assert (tally.arrivals_located, tally.near_home_percent) == (1, 100.0)
    assert (tally.assessed, tally.days_to_assessment, tally.days_to_placement) == (1, 7.25, 34)
    assert tally.on_time_percent == 100.0
    assert tally.non_arrivals == 1
    assert tally.departure_reasons == {DepartureReason.BREACH_OR_RECALL: 1}
    assert tally.breach_or_recall_reasons == {BreachOrRecallReason.ABSCONDED: 1}
    assert tally.mappa == {(MappaCategory.VIOLENT_OFFENDER, MappaLevel.ORDINARY): 1,
                           (MappaCategory.REGISTERED_SEXUAL_OFFENDER, MappaLevel.MULTI_AGENCY): 1}
    assert tally.risk_reviews_overdue == 1  # assessed on 1 January, due by 23 April
    assert (result.cost_pence(tally), result.out_of_service_cost_pence(tally)) == (930_000, 100_000)
    assert [row.name for row in result.regions] == ["North West"] and result.regions[0].tally == tally


def test_a_late_assessment_is_not_on_time(may, manager):
    db.session.get(PlacementRequest, may["resident"].placement_request_id).referral.events[0].at = datetime(2030, 4, 16)
    db.session.commit()
    result = planning_figures.figures(manager, date(2030, 5, 1), date(2030, 5, 31), 10_000)
    assert result.national.on_time_percent == 0.0


@pytest.mark.parametrize(("start", "end", "problem"), [
    (date(2030, 5, 2), date(2030, 5, 1), "The end date must be the same as or after the start date"),
    (date(2025, 5, 1), date(2030, 5, 1), "The period must be shorter than 5 years: choose an end date before "
                                         "1 May 2030"),
])
def test_a_period_must_run_forwards_and_for_less_than_five_years(start, end, problem):
    assert planning_figures.period_problems(start, end) == {"end": problem}
    assert planning_figures.period_problems(start, start) == {}
