"""Capacity planning for regional and national managers: occupancy across premises, the forecast, move-on and
performance figures, each with its downloads. Every page reads its choices from the query string; a choice the
user may not make (a region out of scope, a period too long) is an error beside its field and nothing is shown."""

from datetime import timedelta
from decimal import Decimal

from flask import Blueprint, current_app, render_template, request, url_for
from flask_login import current_user

from app import clock
from app.downloads import FILE_FORMATS, download
from app.permissions import Permission, requires
from app.planning.forms import FiguresForm, ForecastForm, OccupancyForm, PeriodForm
from app.services import estate, occupancy, planning_figures, planning_forecast, planning_move_on
from app.services import planning_occupancy as grid

bp = Blueprint("planning", __name__, url_prefix="/planning")

DEFAULT_PERIOD_DAYS = 91  # the last quarter, unless the user chooses


def _valid(form) -> bool:
    """An empty query string is the page's defaults; anything else must parse and keep the service's rules."""
    if not request.args:
        return True
    parsed = form.validate()
    if hasattr(form, "start"):
        for name, message in planning_figures.period_problems(form.start.data, form.end.data).items():
            form[name].errors = [*form[name].errors, message]
    return parsed and not form.errors


def _page(template: str, title: str, form, **context):
    return render_template(f"planning/{template}", title=title, form=form, filtered=bool(request.args), **context)


# --- occupancy -----------------------------------------------------------------------------------------------------


def _occupancy_form() -> OccupancyForm:
    return OccupancyForm(estate.regions_in_scope(current_user), formdata=request.args or None)


def _occupancy(form: OccupancyForm):
    week = grid.Week.of(form.week.data or clock.today())
    filters = estate.EstateFilters(region_id=form.region.data, gender=form.gender.data, ap_type=form.ap_type.data,
                                   characteristic=form.characteristic.data)
    return week, grid.occupancy_grid(current_user, filters, week, form.room_characteristic.data)


@bp.get("/occupancy")
@requires(Permission.PLAN_CAPACITY)
def occupancy_grid():
    form = _occupancy_form()
    week, rows = _occupancy(form) if _valid(form) else (None, None)
    code = form.room_characteristic.data
    return _page("occupancy.html", "Occupancy across premises", form, week=week, rows=rows, code=code,
                 totals=grid.daily_totals(rows, code) if rows else [], labels=occupancy.LABELS,
                 can_open_calendars=current_user.can(Permission.VIEW_ARRIVALS), week_url=_week_url)


def _week_url(week: grid.Week) -> str:
    """This page with the same choices, another week."""
    return url_for(".occupancy_grid", **(request.args.to_dict() | {"week": week.first.isoformat()}))


@bp.get(f"/occupancy/download.<{FILE_FORMATS}:file_format>")
@requires(Permission.PLAN_CAPACITY)
def occupancy_download(file_format: str):
    form = _occupancy_form()
    if not _valid(form):
        return occupancy_grid()
    week, rows = _occupancy(form)
    return download(grid.grid_table(rows, week, form.room_characteristic.data), file_format, clock.today())


# --- forecast ------------------------------------------------------------------------------------------------------


def _forecast_form() -> ForecastForm:
    return ForecastForm(estate.regions_in_scope(current_user), formdata=request.args or None)


def _forecast(form: ForecastForm) -> planning_forecast.Forecast:
    return planning_forecast.forecast(current_user, clock.today(), region_id=form.region.data, ap_type=form.ap_type.data)


@bp.get("/forecast")
@requires(Permission.PLAN_CAPACITY)
def forecast():
    form = _forecast_form()
    result = _forecast(form) if _valid(form) else None
    return _page("forecast.html", "Forecast of beds and demand", form, result=result,
                 chart=planning_forecast.chart(result) if result else None)


@bp.get(f"/forecast/download.<{FILE_FORMATS}:file_format>")
@requires(Permission.PLAN_CAPACITY)
def forecast_download(file_format: str):
    form = _forecast_form()
    if not _valid(form):
        return forecast()
    return download(planning_forecast.forecast_table(_forecast(form)), file_format, clock.today())


# --- move-on and figures: a period -----------------------------------------------------------------------------------


def _period_form(form_class):
    today = clock.today()
    form = form_class(estate.regions_in_scope(current_user), formdata=request.args or None)
    if not request.args:
        form.start.data, form.end.data = today - timedelta(days=DEFAULT_PERIOD_DAYS - 1), today
    return form


@bp.get("/move-on")
@requires(Permission.PLAN_CAPACITY)
def move_on():
    form = _period_form(PeriodForm)
    today = clock.today()
    if not _valid(form):
        return _page("move_on.html", "Move-on", form, awaiting=None)
    awaiting = planning_move_on.awaiting_move_on(current_user, today, form.region.data)
    return _page("move_on.html", "Move-on", form, awaiting=awaiting, today=today,
                 summary=planning_move_on.summary_by_region_and_category(awaiting, today),
                 outcomes=planning_move_on.move_on_outcomes(current_user, form.start.data, form.end.data,
                                                            form.region.data),
                 near_days=planning_move_on.NEAR_DEPARTURE_DAYS)


@bp.get(f"/move-on/<any(awaiting, outcomes):table>.<{FILE_FORMATS}:file_format>")
@requires(Permission.PLAN_CAPACITY)
def move_on_download(table: str, file_format: str):
    form = _period_form(PeriodForm)
    if not _valid(form):
        return move_on()
    if table == "awaiting":
        rows = planning_move_on.awaiting_table(
            planning_move_on.awaiting_move_on(current_user, clock.today(), form.region.data))
    else:
        rows = planning_move_on.outcomes_table(
            planning_move_on.move_on_outcomes(current_user, form.start.data, form.end.data, form.region.data))
    return download(rows, file_format, clock.today())


def _figures(form: FiguresForm) -> planning_figures.Figures:
    pence = (current_app.config["COST_PER_BED_NIGHT_PENCE"] if form.cost.data is None
             else int(form.cost.data * 100))
    return planning_figures.figures(current_user, form.start.data, form.end.data, pence, region_id=form.region.data)


def _figures_form() -> FiguresForm:
    form = _period_form(FiguresForm)
    if form.cost.data is None and not request.args:
        form.cost.data = Decimal(current_app.config["COST_PER_BED_NIGHT_PENCE"]) / 100
    return form


@bp.get("/figures")
@requires(Permission.PLAN_CAPACITY)
def figures():
    form = _figures_form()
    return _page("figures.html", "Performance figures", form, result=_figures(form) if _valid(form) else None)


@bp.get(f"/figures/download.<{FILE_FORMATS}:file_format>")
@requires(Permission.PLAN_CAPACITY)
def figures_download(file_format: str):
    form = _figures_form()
    if not _valid(form):
        return figures()
    return download(planning_figures.figures_table(_figures(form)), file_format, clock.today())


@bp.get("/figures/placements.csv")
@requires(Permission.PLAN_CAPACITY)
def placements_download():
    """Streamed: a year of placements is written as it is read, never held whole."""
    form = _figures_form()
    if not _valid(form):
        return figures()
    table = planning_figures.placements_table(current_user, form.start.data, form.end.data, form.region.data)
    return download(table, "csv", clock.today())


