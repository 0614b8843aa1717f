"""Capacity planning for regional and national managers: occupancy across premises, the forecast, move-on and
performance figures, each with its downloads. Every page reads its choices from the query string; a choice the
user may not make (a region out of scope, a period too long) is an error beside its field and nothing is shown.
And what-if scenarios, which their owner keeps, changes, runs and compares with today (posted forms)."""

from datetime import timedelta
from decimal import Decimal

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app import clock
from app.downloads import FILE_FORMATS, download
from app.flashes import flash_outcome
from app.models import Scenario
from app.permissions import Permission, requires
from app.planning.forms import (
    ChangeForm,
    CompareForm,
    FiguresForm,
    ForecastForm,
    OccupancyForm,
    PeriodForm,
    RunScenarioForm,
    ScenarioForm,
)
from app.services import (
    access,
    estate,
    occupancy,
    optimiser_runs,
    planning_figures,
    planning_forecast,
    planning_move_on,
    scenario_plans,
    scenarios,
)
from app.services import planning_occupancy as grid
from app.services.validation import InvalidInput, Refused

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




# --- what-if scenarios ---------------------------------------------------------------------------------------------

REFRESH_S = 2  # how often a scenario's page reloads while its run is queued or running
SCENARIO_TIME_LIMIT_S = 30  # offered for each of a what-if run's two plans


def _scenario(scenario_id: int) -> Scenario:
    return access.find(current_user, Scenario, scenario_id)


def _to_scenario(scenario: Scenario):
    return redirect(url_for(".scenario", scenario_id=scenario.id))


@bp.route("/scenarios", methods=["GET", "POST"])
@requires(Permission.PLAN_CAPACITY)
def scenarios_list():
    form = _scenario_form()
    if form.submitted_and_valid(lambda: scenarios.scenario_problems(current_user, form.name.data, form.scope())):
        created = scenarios.create(current_user, form.name.data, form.scope())
        flash(f"Scenario ‘{created.name}’ created: add its changes, then run it", "success")
        return _to_scenario(created)
    return _scenarios_page(form, CompareForm(formdata=None))


def _scenario_form(**kwargs) -> ScenarioForm:
    """A new scenario plans a region the user may run the optimiser over, or every region for national users."""
    return ScenarioForm(optimiser_runs.regions_for(current_user), current_user.can(Permission.VIEW_ALL_REGIONS),
                        **kwargs)


def _scenarios_page(form: ScenarioForm, compare_form: CompareForm):
    """The list with its two forms; `form`, which the error summary reads, is the one with errors."""
    return render_template("planning/scenarios.html", title="What-if scenarios", create_form=form,
                           compare_form=compare_form, form=compare_form if compare_form.errors else form,
                           scenarios=scenarios.scenarios_of(current_user))


@bp.get("/scenarios/compare")
@requires(Permission.PLAN_CAPACITY)
def compare_scenarios():
    compare_form = CompareForm(request.args)
    try:
        chosen = scenarios.to_compare(current_user, compare_form.chosen())
    except InvalidInput as invalid:
        compare_form.add_problems(invalid.problems)
        return _scenarios_page(_scenario_form(formdata=None), compare_form)
    return render_template("planning/compare.html", title="Scenarios compared", chosen=chosen,
                           table=scenario_plans.compared(chosen))


@bp.get(f"/scenarios/compare/download.<{FILE_FORMATS}:file_format>")
@requires(Permission.PLAN_CAPACITY)
def compare_scenarios_download(file_format: str):
    try:
        chosen = scenarios.to_compare(current_user, CompareForm(request.args).chosen())
    except InvalidInput:  # the comparison's own page says what is wrong
        return redirect(url_for(".compare_scenarios", scenario=request.args.getlist("scenario")))
    return download(scenario_plans.compared(chosen), file_format, clock.today())


def _change_form(scenario: Scenario) -> ChangeForm:
    return ChangeForm(scenarios.every_premises(), scenarios.every_region())


def _scenario_page(scenario: Scenario, change_form: ChangeForm | None = None,
                   run_form: RunScenarioForm | None = None):
    """The scenario with its two forms; `form`, which the error summary reads, is the one posted."""
    change_form, run_form = change_form or _change_form(scenario), run_form or RunScenarioForm(formdata=None, time_limit_s=SCENARIO_TIME_LIMIT_S)
    run = scenario.runs[-1] if scenario.runs else None
    optimiser_runs.settle([run] if run else [])
    comparison = scenario_plans.side_by_side([("Today", run.comparison["today"]), ("Scenario", run.comparison[
        "scenario"])]) if run and run.comparison else None
    return render_template("planning/scenario.html", title=scenario.name, scenario=scenario, run=run,
                           comparison=comparison, change_form=change_form, run_form=run_form,
                           kinds_by_field=scenarios.KINDS_BY_FIELD,
                           form=run_form if run_form.errors else change_form,
                           refresh_s=REFRESH_S if run and run.status.is_active else None)


@bp.get("/scenarios/<int:scenario_id>")
@requires(Permission.PLAN_CAPACITY)
def scenario(scenario_id: int):
    return _scenario_page(_scenario(scenario_id))


@bp.post("/scenarios/<int:scenario_id>/changes")
@requires(Permission.PLAN_CAPACITY)
def add_change(scenario_id: int):
    found = _scenario(scenario_id)
    form = _change_form(found)
    if form.submitted_and_valid(lambda: scenarios.change_problems(found, form.kind.data, **form.fields())):
        scenarios.add_change(current_user, found, form.kind.data, **form.fields())
        flash("Change added", "success")
        return _to_scenario(found)
    return _scenario_page(found, change_form=form)


@bp.post("/scenarios/<int:scenario_id>/changes/<int:change_id>/remove")
@requires(Permission.PLAN_CAPACITY)
def remove_change(scenario_id: int, change_id: int):
    found = _scenario(scenario_id)
    scenarios.remove_change(current_user, found, change_id)
    flash("Change removed", "success")
    return _to_scenario(found)


@bp.post("/scenarios/<int:scenario_id>/run")
@requires(Permission.PLAN_CAPACITY)
def run_scenario(scenario_id: int):
    found = _scenario(scenario_id)
    form = RunScenarioForm()
    if form.submitted_and_valid(lambda: _time_limit_problems(found, form.time_limit_s.data)):
        try:
            optimiser_runs.start(current_user, found.region_id, form.time_limit_s.data, scenario=found)
            flash("The scenario is running: this page shows the comparison when it ends", "success")
            return _to_scenario(found)
        except InvalidInput as refused:  # a run of it is still going
            form.time_limit_s.errors = [*refused.problems.values()]
    return _scenario_page(found, run_form=form)


def _time_limit_problems(scenario: Scenario, time_limit_s: int | None) -> dict[str, str]:
    problems = optimiser_runs.start_problems(current_user, scenario.region_id, time_limit_s)
    return {"time_limit_s": problems["time_limit_s"]} if "time_limit_s" in problems else {}


@bp.post("/scenarios/<int:scenario_id>/cancel")
@requires(Permission.PLAN_CAPACITY)
def cancel_scenario_run(scenario_id: int):
    found = _scenario(scenario_id)
    if found.runs:
        flash_outcome(lambda: optimiser_runs.cancel(current_user, found.runs[-1]), "The run is stopping")
    return _to_scenario(found)


@bp.post("/scenarios/<int:scenario_id>/delete")
@requires(Permission.PLAN_CAPACITY)
def delete_scenario(scenario_id: int):
    found = _scenario(scenario_id)
    name = found.name
    try:
        scenarios.delete(current_user, found)
    except Refused as refusal:
        flash(str(refusal), "error")
        return _to_scenario(found)
    flash(f"Scenario ‘{name}’ deleted", "success")
    return redirect(url_for(".scenarios_list"))
