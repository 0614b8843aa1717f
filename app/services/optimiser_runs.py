"""Optimiser runs: start one over a region or the whole country, run it as a background job that reports its
progress on the run's row and stops when asked, and store what it proposes.

Two runs over the same placement requests never run at once. Starting a run locks the rows of the regions it
covers (a national run every region, in id order) before it looks for queued or running runs there, so of two
people pressing run together the second waits for the first's transaction and then sees its run.

A run ends in one transaction that locks its row: finished with every proposal, cancelled, or failed with the
error, and never half-stored. Cancelling takes the same lock, so a run cancelled as it finishes stores nothing.
"""

import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app

from app import clock, jobs
from app.extensions import db
from app.filters import govuk_datetime
from app.models import (
    OptimiserRun,
    Person,
    Placement,
    PlacementRequest,
    PlacementRequestStatus,
    Premises,
    Proposal,
    ProposalDecision,
    Region,
    RunStatus,
    Scenario,
    User,
)
from app.models.optimiser_run import ACTIVE_RUN_STATUSES
from app.permissions import Permission
from app.services import access, audit, matching, scenario_plans
from app.services.locking import write_transaction, write_transaction_over
from app.services.validation import InvalidInput, Refused, refuse_if_any
from optimizer.schema import Assignment, Explanation, Progress, Result, SolverParams, Watch
from optimizer.solve import solve

METHOD = "cpsat"
DEFAULT_TIME_LIMIT_S = 60
SHORTEST_TIME_LIMIT_S, LONGEST_TIME_LIMIT_S = 10, 600
# Of a run's time limit, what is kept for explaining and storing the plan once solving stops, so that the whole
# run (building the instance included) finishes within its limit.
FINISHING_SHARE = 0.1
PROGRESS_EVERY_S = 0.5  # a run writes its progress, and reads its cancel flag, at most this often
# How long past its time limit a run may still be queued or running before it counts as lost (its process ended).
LOST_AFTER = timedelta(minutes=15)
LOST = "It stopped without finishing: the process running it ended"
OPTIMISER_ID = re.compile(r"\b([PRS])(\d+)\b")


# --- starting and cancelling ---------------------------------------------------------------------------------


def regions_for(user: User) -> list[Region]:
    """The regions the user may run the optimiser over."""
    return list(db.session.scalars(sa.select(Region).where(access.visible_regions(user)).order_by(Region.name)))


def start_problems(user: User, region_id: int | None, time_limit_s: int | None) -> dict[str, str]:
    """What is wrong with starting a run over `region_id` (None: nationally) for `time_limit_s`, by field."""
    problems = {}
    if region_id is None and not user.can(Permission.VIEW_ALL_REGIONS):
        problems["region_id"] = "Select your region"
    elif region_id is not None and region_id not in {region.id for region in regions_for(user)}:
        problems["region_id"] = "Select a region from the list"
    if time_limit_s is None:
        problems["time_limit_s"] = "Enter how many seconds the optimiser may take"
    elif not SHORTEST_TIME_LIMIT_S <= time_limit_s <= LONGEST_TIME_LIMIT_S:
        problems["time_limit_s"] = (f"The time limit must be between {SHORTEST_TIME_LIMIT_S} and "
                                    f"{LONGEST_TIME_LIMIT_S} seconds")
    return problems


def start(user: User, region_id: int | None, time_limit_s: int | None, scenario: Scenario | None = None
          ) -> OptimiserRun:
    """Queue a run over the region's open placement requests (None: the whole country's) and its background job;
    with a scenario, a what-if run that plans today and the scenario and compares them (it changes nothing live).

    Refused, keyed by the region field, while a queued or running run covers any of the same requests (of the same
    scenario, for a what-if run).
    """
    refuse_if_any(start_problems(user, region_id, time_limit_s))
    if scenario is not None:
        access.require(user, scenario)
    covered = [region_id] if region_id is not None else db.session.scalars(sa.select(Region.id)).all()
    with write_transaction_over(Region, covered):
        _refuse_while_running(region_id, scenario)
        run = OptimiserRun(created_by=user, region_id=region_id, method=METHOD, time_limit_s=time_limit_s,
                           parameters=_solver_parameters(), status=RunStatus.QUEUED, progress=[], scenario=scenario)
        db.session.add(run)
        db.session.flush()
        audit.record("optimiser_run_started", run, user=user, region=run.scope, time_limit_s=time_limit_s,
                     **({"scenario": scenario.name} if scenario else {}))
    plans = 2 if scenario is not None else 1
    jobs.enqueue(perform, run.id, time_limit_s=plans * time_limit_s)
    return run


def _solver_parameters() -> dict:
    """The solver's parameters other than the time limit, kept with the run (workers from OPTIMISER_WORKERS)."""
    params = SolverParams(workers=current_app.config["OPTIMISER_WORKERS"])
    return {name: value for name, value in asdict(params).items() if name not in ("time_limit_s", "watch")}


def _refuse_while_running(region_id: int | None, scenario: Scenario | None) -> None:
    """Refuse while an active run covers the region (or any region, for a national run); a run that has outlived
    its time limit by LOST_AFTER lost its process and is marked failed instead. What-if runs and live runs never
    meet: only a scenario's own runs stop it running again."""
    overlapping = OptimiserRun.status.in_(ACTIVE_RUN_STATUSES) & (
        OptimiserRun.scenario_id == scenario.id if scenario is not None else OptimiserRun.scenario_id.is_(None))
    if region_id is not None:
        overlapping &= sa.or_(OptimiserRun.region_id == region_id, OptimiserRun.region_id.is_(None))
    for run in db.session.scalars(sa.select(OptimiserRun).where(overlapping).order_by(OptimiserRun.id)):
        if _is_lost(run):
            _end(run, RunStatus.FAILED, error=LOST)
            continue
        over = "the whole country" if run.region_id is None else run.scope
        raise InvalidInput({"region_id": f"A run over {over} started by {run.created_by.name} on "
                                         f"{govuk_datetime(run.created_at)} is still {run.status.value}: "
                                         "wait for it to end, or cancel it"})


def _is_lost(run: OptimiserRun) -> bool:
    return clock.utc_now() > run.created_at + timedelta(seconds=run.time_limit_s) + LOST_AFTER


def settle(runs: Iterable[OptimiserRun]) -> None:
    """Mark failed, as they are read, the active runs that have outlived their time limit by LOST_AFTER: the
    process running them ended (a thread of a web worker that restarted), and nobody should watch them for ever."""
    lost = [run.id for run in runs if run.status.is_active and _is_lost(run)]
    if lost:
        with write_transaction_over(OptimiserRun, lost) as locked:
            for run in locked:
                if run.status.is_active:
                    _end(run, RunStatus.FAILED, error=LOST)


def cancel(user: User, run: OptimiserRun) -> None:
    """Cancel a queued run at once; ask a running one to stop, which its job does within a second or so."""
    access.require(user, run, Permission.RUN_OPTIMISER)
    with write_transaction(OptimiserRun, run.id) as locked:
        if not locked.status.is_active:
            raise Refused(f"This run has already {_ended_as(locked.status)}")
        if locked.status is RunStatus.QUEUED:
            _end(locked, RunStatus.CANCELLED)
        locked.cancel_requested = True
        audit.record("optimiser_run_cancelled", locked, user=user)


def finish_now(user: User, run: OptimiserRun) -> None:
    """Ask a running run to stop searching and store its best plan so far as proposals, as its time limit would:
    for when the plan on screen is good enough to review."""
    access.require(user, run, Permission.RUN_OPTIMISER)
    with write_transaction(OptimiserRun, run.id) as locked:
        if not locked.status.is_active:
            raise Refused(f"This run has already {_ended_as(locked.status)}")
        if locked.status is RunStatus.QUEUED:
            raise Refused("This run has not started, so it has no plan to keep yet: cancel it instead")
        if locked.cancel_requested or locked.scenario_id is not None:
            raise Refused("This run is stopping without keeping its plan")
        locked.finish_requested = True
        audit.record("optimiser_run_finished_early", locked, user=user)


def _ended_as(status: RunStatus) -> str:
    return {RunStatus.FINISHED: "finished", RunStatus.FAILED: "failed", RunStatus.CANCELLED: "been cancelled"}[status]


# --- the job ---------------------------------------------------------------------------------------------------


def perform(run_id: int) -> None:
    """The background job: solve the run's instance, following and obeying its row, and store how it ended."""
    if not _begin(run_id):
        return
    run = db.session.get(OptimiserRun, run_id)
    watch = RunWatch(db.engine, run_id)
    begun = time.monotonic()
    try:
        translation = matching.instance_for(run.region_id, clock.today())
        solving_s = run.time_limit_s * (1 - FINISHING_SHARE) - (time.monotonic() - begun)
        params = SolverParams(time_limit_s=max(solving_s, 1.0), watch=watch, **run.parameters)
        if run.scenario is not None:
            _compare(run_id, run.scenario, translation, params, watch)
            return
        watch.translation = translation  # a what-if plan's people are not all rows: it keeps no plan so far
        result = solve(translation.instance, params, run.method)
        watch.close()
        proposals = _proposals(translation, result) if not watch.cancelled else []
        _finish(run_id, result, proposals, watch.points)
    except Exception as error:
        watch.close()
        db.session.rollback()
        current_app.logger.exception("Optimiser run %s failed", run_id)
        _fail(run_id, error, watch.points)


def _compare(run_id: int, scenario: Scenario, translation: matching.Translation, params: SolverParams,
             watch: "RunWatch") -> None:
    """A what-if run: today's plan, then the scenario's, each with the run's time limit; the progress shown is the
    scenario's. Only the two plans' figures are kept."""
    today = solve(translation.instance, params, METHOD)
    watch.begin_again()
    changed = scenario_plans.applied(scenario, translation)
    result = solve(changed, params, METHOD)
    watch.close()
    comparison = {"today": scenario_plans.outcome(translation.instance, today), "scenario": scenario_plans.outcome(changed, result)}
    _finish(run_id, result, [], watch.points, comparison=comparison)


def _begin(run_id: int) -> bool:
    """Mark the run running, unless it was cancelled while queued."""
    with write_transaction(OptimiserRun, run_id) as run:
        if run is None or run.status is not RunStatus.QUEUED:
            return False
        run.status, run.started_at = RunStatus.RUNNING, clock.utc_now()
    return True


def _finish(run_id: int, result: Result, proposals: list[Proposal], points: list, comparison: dict | None = None
            ) -> None:
    with write_transaction(OptimiserRun, run_id) as run:
        run.progress = points
        if run.cancel_requested:
            _end(run, RunStatus.CANCELLED)
            return
        db.session.execute(  # a request has one proposal waiting for a decision: this run's
            sa.update(Proposal)
            .where(Proposal.placement_request_id.in_([p.placement_request_id for p in proposals]),
                   Proposal.decision == ProposalDecision.PENDING)
            .values(decision=ProposalDecision.SUPERSEDED)
        )
        run.proposals, run.plan_so_far, run.comparison = proposals, [], comparison
        run.objective, run.bound, run.gap = result.objective, result.best_bound, result.gap
        run.placed, run.unplaced = result.placed, len(result.assignments) - result.placed
        _end(run, RunStatus.FINISHED)
        db.session.execute(
            sa.update(PlacementRequest)
            .where(PlacementRequest.id.in_([p.placement_request_id for p in proposals if p.premises_id is not None]),
                   PlacementRequest.status == PlacementRequestStatus.READY_TO_MATCH)
            .values(status=PlacementRequestStatus.PROPOSED)
        )
        audit.record("optimiser_run_finished", run, placed=run.placed, unplaced=run.unplaced)


def _fail(run_id: int, error: Exception, points: list) -> None:
    with write_transaction(OptimiserRun, run_id) as run:
        run.progress = points
        _end(run, RunStatus.FAILED, error=f"{type(error).__name__}: {error}"[:2000])
        audit.record("optimiser_run_failed", run, error=run.error)


def _end(run: OptimiserRun, status: RunStatus, *, error: str | None = None) -> None:
    run.status, run.finished_at, run.error = status, clock.utc_now(), error


# --- proposals -------------------------------------------------------------------------------------------------


def _proposals(translation: matching.Translation, result: Result) -> list[Proposal]:
    """One proposal per placement request of the instance, with its explanation (worked out here, outside any
    transaction: a national plan's take seconds)."""
    stays = {referral.id: referral.length_of_stay for referral in translation.instance.referrals}
    return [_proposal(translation, result.assignments[rid], result.explanations[rid], stays[rid])
            for rid in stays]


def _proposal(translation: matching.Translation, assignment: Assignment, explanation: Explanation,
              length_of_stay: int) -> Proposal:
    placed = assignment.premises_id is not None
    return Proposal(
        placement_request_id=translation.placement_request_id(assignment.referral_id),
        premises_id=translation.premises_id(assignment.premises_id) if placed else None,
        arrival_on=translation.date_of(assignment.arrival) if placed else None,
        departure_on=translation.date_of(assignment.arrival + length_of_stay) if placed else None,
        move_on_provider_id=translation.provider_id(assignment.provider_id) if assignment.provider_id else None,
        cost_terms=dict(assignment.terms),
        alternatives=[{"premises_id": translation.premises_id(a.premises_id),
                       "arrival_on": translation.date_of(a.arrival).isoformat(), "extra_cost": a.extra_cost}
                      for a in explanation.alternatives],
        ruled_out=[{"premises_id": translation.premises_id(pid), "reason": reason}
                   for pid, reason in explanation.ruled_out.items()],
        unplaced_reason=explanation.unplaced_reason,
    )


def unplaced_reasons(user: User, proposals: list[Proposal]) -> dict[int, str]:
    """Why each unplaced proposal is unplaced, by proposal id, in words `namer` gives this user."""
    unplaced = {p.id: p.unplaced_reason for p in proposals if p.premises_id is None and p.unplaced_reason}
    named = namer(user, list(unplaced.values()))
    return {pid: (words := named(text))[:1].upper() + words[1:] for pid, text in unplaced.items()}


def namer(user: User, texts: list[str]) -> Callable[[str], str]:
    """A function that names the optimiser's ids in these texts: premises by name, people by name and CRN only for
    those who may see victim details (a non-associate is one), "another person" for anyone else."""
    ids = {(kind, int(number)) for text in texts for kind, number in OPTIMISER_ID.findall(text)}
    premises = dict(db.session.execute(sa.select(Premises.id, Premises.name).where(
        Premises.id.in_([number for kind, number in ids if kind == "P"]))).all())
    people = {}
    if user.can(Permission.VIEW_VICTIM_DETAILS):
        for kind, model in (("R", PlacementRequest), ("S", Placement)):
            people |= {(kind, row_id): f"{name} ({crn})" for row_id, name, crn in db.session.execute(
                sa.select(model.id, Person.name, Person.crn).join(model.person)
                .where(model.id.in_([number for found, number in ids if found == kind])))}
    return lambda text: in_words(text, premises, lambda kind, row_id: people.get((kind, row_id), "another person"))


def in_words(text: str, premises: Mapping[int, str], people: Callable[[str, int], str]) -> str:
    """An explanation's words with the optimiser's ids named: P12 by the premises' name, R7 (a placement request)
    and S3 (a resident's placement) by `people(kind, id)`."""
    return OPTIMISER_ID.sub(lambda m: premises.get(int(m[2]), m[0]) if m[1] == "P" else people(m[1], int(m[2])), text)


# --- following a run -----------------------------------------------------------------------------------------


class RunWatch(Watch):
    """Follows a solve on the run's row: each better plan joins the row's progress and the cancel flag stops it.

    The solver calls it from its own threads, so it writes and reads through the engine in short transactions
    of its own, never the job's session; a timer thread writes, at most every PROGRESS_EVERY_S, so the solver never
    waits for the database.
    """

    def __init__(self, engine: sa.Engine, run_id: int):
        self.engine, self.run_id = engine, run_id
        self.translation: matching.Translation | None = None  # set once built: the plans so far name rows then
        self.points: list[list] = []
        self.plan: dict[str, Assignment] | None = None
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._written_at = self._read_at = float("-inf")
        self._stopped = False
        self.cancelled = False  # stopped by a cancel, which keeps nothing, rather than asked to finish now

    def improved(self, progress: Progress) -> None:
        with self._lock:
            self.points.append([round(progress.seconds, 2), progress.objective, progress.bound, progress.placed])
            self.plan = progress.plan if progress.plan is not None else self.plan
            if self._timer is None:
                wait = max(0.0, self._written_at + PROGRESS_EVERY_S - time.monotonic())
                self._timer = threading.Timer(wait, self._write)
                self._timer.daemon = True
                self._timer.start()

    def _write(self) -> None:
        with self._lock:
            points, plan, self._timer, self._written_at = list(self.points), self.plan, None, time.monotonic()
        with self.engine.begin() as connection:
            connection.execute(sa.update(OptimiserRun).where(OptimiserRun.id == self.run_id)
                               .values(progress=points, plan_so_far=self._rows(plan)))

    def _rows(self, plan: dict[str, Assignment] | None) -> list[list]:
        """The people the plan places, as [placement request id, premises id, arrival (ISO date)]."""
        ids = self.translation
        if plan is None or ids is None:
            return []
        return [[ids.placement_request_id(a.referral_id), ids.premises_id(a.premises_id),
                 ids.date_of(a.arrival).isoformat()] for a in plan.values() if a.premises_id is not None]

    def stopped(self) -> bool:
        """Whether the run was cancelled, or asked to finish now with its best plan (read every few seconds)."""
        if not self._stopped and time.monotonic() - self._read_at >= PROGRESS_EVERY_S:
            self._read_at = time.monotonic()
            with self.engine.connect() as connection:
                cancelled, finishing = connection.execute(
                    sa.select(OptimiserRun.cancel_requested, OptimiserRun.finish_requested)
                    .where(OptimiserRun.id == self.run_id)).one()
            self.cancelled, self._stopped = cancelled, cancelled or finishing
        return self._stopped

    def begin_again(self) -> None:
        """A second solve follows: its points replace the first's."""
        with self._lock:
            self.points.clear()

    def close(self) -> None:
        """Stop writing: the run's last transaction writes every point."""
        with self._lock:
            timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()
            timer.join()


# --- reading runs ----------------------------------------------------------------------------------------------


def runs_for(user: User, limit: int = 50) -> list[OptimiserRun]:
    """The latest runs the user may see, newest first; what-if runs are their scenarios'."""
    query = sa.select(OptimiserRun).where(access.visible_runs(user), OptimiserRun.scenario_id.is_(None)).order_by(OptimiserRun.id.desc()).limit(limit)
    runs = list(db.session.scalars(query))
    settle(runs)
    return runs


@dataclass(frozen=True)
class Chart:
    """The best objective and bound over time as steps in an SVG box of `width` by `height`: each line's points
    as the SVG polyline's "x,y x,y..." (the bound's empty until the solver proves one)."""

    width: int
    height: int
    objective: str
    bound: str
    seconds: float
    lowest: float
    highest: float


def chart(run: OptimiserRun, width: int = 600, height: int = 200) -> Chart | None:
    """The run's progress drawn over its time limit (or longer, if it ran over), each line held to the end of the
    run or to now; None before the first plan."""
    points = list(run.progress or [])
    if not points:
        return None
    until = (run.finished_at or clock.utc_now()) - (run.started_at or run.created_at)
    seconds = max(float(run.time_limit_s), points[-1][0])
    points.append([min(max(until.total_seconds(), points[-1][0]), seconds), *points[-1][1:]])
    values = [p[1] for p in points] + [p[2] for p in points if p[2] is not None]
    lowest, highest = min(values), max(values)

    def line(pairs: list[tuple[float, float]]) -> str:
        """Each value holds until the next is found: a step down, never a slope."""
        corners = []
        for (second, value), (later, _) in zip(pairs, pairs[1:]):
            corners += [(second, value), (later, value)]
        if pairs and corners[-1:] != pairs[-1:]:
            corners.append(pairs[-1])
        span = (highest - lowest) or 1
        return " ".join(f"{width * second / seconds:.1f},{height * (highest - value) / span:.1f}"
                        for second, value in corners)

    return Chart(width, height, line([(p[0], p[1]) for p in points]),
                 line([(p[0], p[2]) for p in points if p[2] is not None]), seconds, lowest, highest)


@dataclass(frozen=True)
class Standing:
    """Where a run has got to: its best plan's objective and placements, and the best bound, so far or at the end."""

    objective: float | None
    bound: float | None
    placed: int | None


def standing(run: OptimiserRun) -> Standing:
    if run.status is RunStatus.FINISHED:
        return Standing(run.objective, run.bound, run.placed)
    points = run.progress or []
    return Standing(points[-1][1] if points else None,
                    next((p[2] for p in reversed(points) if p[2] is not None), None),
                    next((p[3] for p in reversed(points) if p[3] is not None), None))


@dataclass(frozen=True)
class PlannedSoFar:
    """Somebody the best plan so far of a running run places: who, where and from when."""

    person: Person
    premises: Premises
    arrival: date


def plan_so_far(run: OptimiserRun) -> list[PlannedSoFar]:
    """While the run is active, the people its best plan so far places, by arrival date; nothing once it ends."""
    if not run.status.is_active or not run.plan_so_far:
        return []
    people = dict(db.session.execute(sa.select(PlacementRequest.id, Person).join(PlacementRequest.person)
                                     .where(PlacementRequest.id.in_([row[0] for row in run.plan_so_far]))).all())
    premises = {p.id: p for p in db.session.scalars(
        sa.select(Premises).where(Premises.id.in_({row[1] for row in run.plan_so_far})))}
    return sorted((PlannedSoFar(people[request_id], premises[premises_id], date.fromisoformat(arrival))
                   for request_id, premises_id, arrival in run.plan_so_far if request_id in people),
                  key=lambda planned: (planned.arrival, planned.person.name))


def time_left_s(run: OptimiserRun) -> int | None:
    """Seconds until a running run's time limit."""
    if run.status is not RunStatus.RUNNING or run.started_at is None:
        return None
    deadline = run.started_at + timedelta(seconds=run.time_limit_s)
    return max(0, round((deadline - clock.utc_now()).total_seconds()))

