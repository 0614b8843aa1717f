"""Optimiser runs: start one, follow its progress (the page refreshes itself while it runs), cancel it, list the
runs and see a finished run's proposals. Load in scope, validate, call the service, flash, redirect."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from app.flashes import flash_outcome
from app.models import OptimiserRun, RunStatus
from app.permissions import Permission, requires
from app.placements.forms import StartRunForm
from app.services import access, optimiser_runs
from app.services.validation import InvalidInput

bp = Blueprint("placements", __name__, url_prefix="/placements")
REFRESH_S = 2  # how often a run's page reloads while the run is queued or running


def _run(run_id: int) -> OptimiserRun:
    return access.find(current_user, OptimiserRun, run_id, to=Permission.RUN_OPTIMISER)


def _to_run(run: OptimiserRun):
    return redirect(url_for(".run", run_id=run.id))


@bp.get("/runs")
@requires(Permission.RUN_OPTIMISER)
def runs():
    return render_template("placements/runs.html", title="Optimiser runs", runs=optimiser_runs.runs_for(current_user))


@bp.route("/runs/new", methods=["GET", "POST"])
@requires(Permission.RUN_OPTIMISER)
def start_run():
    form = StartRunForm(optimiser_runs.regions_for(current_user), current_user.can(Permission.VIEW_ALL_REGIONS))
    if form.submitted_and_valid(lambda: optimiser_runs.start_problems(current_user, form.scope(),
                                                                      form.time_limit_s.data)):
        try:
            return _to_run(optimiser_runs.start(current_user, form.scope(), form.time_limit_s.data))
        except InvalidInput as refused:
            form.add_problems(refused.problems)
    return render_template("placements/start.html", title="Run the optimiser", form=form)


@bp.get("/runs/<int:run_id>")
@requires(Permission.RUN_OPTIMISER)
def run(run_id: int):
    found = _run(run_id)
    optimiser_runs.settle([found])
    return render_template("placements/run.html", title=f"Optimiser run {found.id}", run=found,
                           best=optimiser_runs.standing(found), chart=optimiser_runs.chart(found),
                           plan_so_far=optimiser_runs.plan_so_far(found),
                           time_left_s=optimiser_runs.time_left_s(found),
                           refresh_s=REFRESH_S if found.status.is_active else None)


@bp.post("/runs/<int:run_id>/finish")
@requires(Permission.RUN_OPTIMISER)
def finish_run(run_id: int):
    found = _run(run_id)
    flash_outcome(lambda: optimiser_runs.finish_now(current_user, found),
                  "The run is stopping: its best plan so far will be its proposals")
    return _to_run(found)


@bp.post("/runs/<int:run_id>/cancel")
@requires(Permission.RUN_OPTIMISER)
def cancel_run(run_id: int):
    found = _run(run_id)
    flash_outcome(lambda: optimiser_runs.cancel(current_user, found),
                  lambda _: "The run is cancelled" if found.status is RunStatus.CANCELLED else "The run is stopping")
    return _to_run(found)
