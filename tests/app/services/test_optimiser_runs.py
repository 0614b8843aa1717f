"""Optimiser runs: starting (scope, time limit, one run at a time over the same requests), the background job both
ways (in a thread and on RQ against the real Redis), progress and cancel through the run's row, failures, and
the proposals stored with their explanation."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app import clock
from app.extensions import db
from app.models import (
    AuditEvent,
    OptimiserRun,
    PlacementRequest,
    PlacementRequestStatus,
    Proposal,
    Region,
    RunStatus,
    User,
)
from app.permissions import Role
from app.services import matching, optimiser_runs
from app.services.validation import InvalidInput, NotInScope, Refused
from optimizer.schema import Assignment, Progress
from tests.app.runs_factories import PLAN_FROM
from vocabulary import Gender

STARTS = 10


@pytest.fixture
def no_jobs(monkeypatch):
    """Runs stay queued: the tests about starting look at nothing else."""
    monkeypatch.setattr(optimiser_runs.jobs, "enqueue", lambda *args, **kwargs: None)


@pytest.fixture
def referral_unit(make_user, region):
    return make_user(Role.REFERRAL_UNIT, region=region)


@pytest.fixture
def national_manager(make_user):
    return make_user(Role.NATIONAL_MANAGER)


def _other_region(region) -> Region:
    return db.session.scalar(sa.select(Region).where(Region.id != region.id).order_by(Region.id))


# --- starting ----------------------------------------------------------------------------------------------------


def test_a_regional_user_may_run_over_their_own_region_only(referral_unit, region):
    assert [r.id for r in optimiser_runs.regions_for(referral_unit)] == [region.id]
    assert optimiser_runs.start_problems(referral_unit, region.id, 60) == {}
    assert optimiser_runs.start_problems(referral_unit, _other_region(region).id, 60) == {
        "region_id": "Select a region from the list"}
    assert optimiser_runs.start_problems(referral_unit, None, 60) == {"region_id": "Select your region"}


def test_a_national_user_may_run_over_any_region_or_the_whole_country(national_manager, region):
    assert len(optimiser_runs.regions_for(national_manager)) == 12
    assert optimiser_runs.start_problems(national_manager, None, 60) == {}
    assert optimiser_runs.start_problems(national_manager, _other_region(region).id, 60) == {}


@pytest.mark.parametrize("time_limit_s, problem", [
    (None, "Enter how many seconds the optimiser may take"),
    (9, "The time limit must be between 10 and 600 seconds"),
    (601, "The time limit must be between 10 and 600 seconds"),
    (10, None),
    (600, None),
])
def test_the_time_limit_is_bounded(referral_unit, region, time_limit_s, problem):
    assert optimiser_runs.start_problems(referral_unit, region.id, time_limit_s).get("time_limit_s") == problem


def test_starting_queues_a_run_with_its_parameters_and_audits_it(no_jobs, referral_unit, region):
    run = optimiser_runs.start(referral_unit, region.id, 30)
    assert (run.status, run.region_id, run.time_limit_s, run.method) == (RunStatus.QUEUED, region.id, 30, "cpsat")
    assert run.parameters["workers"] == 2 and "watch" not in run.parameters
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "optimiser_run_started"))
    assert (event.object_id, event.user_id, event.details) == (
        str(run.id), referral_unit.id, {"region": "North West", "time_limit_s": 30})


def test_a_second_run_over_the_same_region_is_refused_while_the_first_is_active(no_jobs, referral_unit, region):
    first = optimiser_runs.start(referral_unit, region.id, 60)
    with pytest.raises(InvalidInput) as refused:
        optimiser_runs.start(referral_unit, region.id, 60)
    assert refused.value.problems["region_id"].startswith(
        f"A run over North West started by {referral_unit.name} on ")
    assert refused.value.problems["region_id"].endswith("is still queued: wait for it to end, or cancel it")
    optimiser_runs.cancel(referral_unit, first)
    assert optimiser_runs.start(referral_unit, region.id, 60).status is RunStatus.QUEUED


def test_a_national_run_overlaps_every_region_and_regions_do_not_overlap_each_other(
        no_jobs, national_manager, region):
    other = _other_region(region)
    regional = optimiser_runs.start(national_manager, region.id, 60)
    optimiser_runs.start(national_manager, other.id, 60)  # another region's requests: no clash
    with pytest.raises(InvalidInput):
        optimiser_runs.start(national_manager, None, 60)
    for run in db.session.scalars(sa.select(OptimiserRun)).all():
        optimiser_runs.cancel(national_manager, run)
    optimiser_runs.start(national_manager, None, 60)
    with pytest.raises(InvalidInput) as refused:
        optimiser_runs.start(national_manager, regional.region_id, 60)
    assert refused.value.problems["region_id"].startswith("A run over the whole country started by")


def test_a_run_that_outlived_its_time_limit_lost_its_process_and_is_failed_by_the_next_start(
        no_jobs, referral_unit, region, time_machine):
    lost = optimiser_runs.start(referral_unit, region.id, 60)
    time_machine.move_to(clock.now() + timedelta(seconds=60) + optimiser_runs.LOST_AFTER + timedelta(seconds=1))
    assert optimiser_runs.start(referral_unit, region.id, 60).status is RunStatus.QUEUED
    db.session.refresh(lost)
    assert lost.status is RunStatus.FAILED
    assert lost.error == "It stopped without finishing: the process running it ended"


def test_parallel_starts_over_the_same_requests_start_exactly_one(app, no_jobs, make_user, region):
    """Each start in its own thread, app context and database connection, as concurrent requests, half of them
    national: the locks on the regions' rows let one in and the others then see its run (on PostgreSQL with
    TEST_DATABASE_URL; SQLite's BEGIN IMMEDIATE serialises them all)."""
    everyone_ready = threading.Barrier(STARTS)
    user_id, region_id = make_user(Role.REFERRAL_UNIT, Role.NATIONAL_MANAGER, region=region).id, region.id

    def start(_):
        with app.app_context():
            user = db.session.get(User, user_id)
            db.session.commit()  # hand the connection back: the threads share a pool of fifteen
            everyone_ready.wait(timeout=60)
            try:
                optimiser_runs.start(user, region_id if _ % 2 else None, 60)
            except InvalidInput:
                return "refused"
            finally:
                db.session.remove()
            return "started"

    with ThreadPoolExecutor(STARTS) as pool:
        outcomes = list(pool.map(start, range(STARTS)))
    assert outcomes.count("started") == 1
    assert db.session.scalar(sa.select(sa.func.count(OptimiserRun.id))) == 1


# --- the job -------------------------------------------------------------------------------------------------------


def test_a_run_proposes_a_place_for_every_request_it_can_and_stores_why(
        background, referral_unit, region, make_premises, make_placement_request):
    premises = make_premises("Proposal House", beds=1)
    placed = make_placement_request()  # expected on 1 September 2030
    # Arrives while the first still holds the one bed, and cannot wait long enough: left unplaced, with the reason.
    unplaced = make_placement_request(expected_arrival=date(2030, 9, 3))
    run = background.ended(optimiser_runs.start(referral_unit, region.id, 10).id)

    assert run.status is RunStatus.FINISHED and run.error is None
    assert (run.placed, run.unplaced) == (1, 1)
    assert run.objective is not None and run.started_at <= run.finished_at
    assert run.progress and all(len(point) == 4 for point in run.progress)
    assert run.plan_so_far == []  # the proposals replace it
    proposals = {p.placement_request_id: p for p in run.proposals}
    assert set(proposals) == {placed.id, unplaced.id}
    winner = next(p for p in proposals.values() if p.premises_id is not None)
    loser = next(p for p in proposals.values() if p.premises_id is None)
    assert winner.premises_id == premises.id and winner.unplaced_reason is None
    assert winner.departure_on == winner.arrival_on + timedelta(weeks=12)
    assert winner.cost_terms["distance_home"] == 4  # 10 a kilometre: the premises is 400 m from Preston's centre
    assert (loser.arrival_on, loser.move_on_provider_id) == (None, None)
    assert loser.unplaced_reason and f"P{premises.id}" in loser.unplaced_reason
    assert db.session.get(PlacementRequest, winner.placement_request_id).status is PlacementRequestStatus.PROPOSED
    assert db.session.get(PlacementRequest, loser.placement_request_id).status is PlacementRequestStatus.READY_TO_MATCH


def test_alternatives_and_ruled_out_premises_are_stored_by_database_id(
        background, referral_unit, region, make_premises, make_placement_request):
    near, far, women = (make_premises("Near House", beds=2), make_premises("Far House", beds=2, longitude=-2.0),
                        make_premises("Women's House", beds=2, gender=Gender.FEMALE))
    make_placement_request()
    run = background.ended(optimiser_runs.start(referral_unit, region.id, 10).id)
    (proposal,) = run.proposals
    assert proposal.premises_id == near.id
    assert [a["premises_id"] for a in proposal.alternatives] == [far.id]
    assert proposal.alternatives[0]["extra_cost"] > 0
    assert proposal.alternatives[0]["arrival_on"] == proposal.arrival_on.isoformat()
    reasons = {entry["premises_id"]: entry["reason"] for entry in proposal.ruled_out}
    assert set(reasons) == {far.id, women.id}
    assert reasons[far.id].startswith("not ruled out")


def test_a_failing_run_is_failed_with_the_error_and_stores_no_proposal(
        background, referral_unit, region, monkeypatch, make_placement_request):
    def broken(region_id, today):
        raise RuntimeError("the instance could not be built")

    monkeypatch.setattr(optimiser_runs.matching, "instance_for", broken)
    make_placement_request()
    run = background.ended(optimiser_runs.start(referral_unit, region.id, 10).id)
    assert run.status is RunStatus.FAILED
    assert run.error == "RuntimeError: the instance could not be built"
    assert run.proposals == [] and run.finished_at is not None
    assert db.session.scalar(sa.select(PlacementRequest.status)) is PlacementRequestStatus.READY_TO_MATCH


def test_a_failure_while_storing_rolls_back_every_proposal(background, referral_unit, region, make_premises,
                                                           monkeypatch, make_placement_request):
    make_premises()
    make_placement_request()
    record = optimiser_runs.audit.record

    def record_but_the_last(action, *args, **kwargs):
        if action == "optimiser_run_finished":  # the last write of the finishing transaction
            raise RuntimeError("the database went away")
        return record(action, *args, **kwargs)

    monkeypatch.setattr(optimiser_runs.audit, "record", record_but_the_last)
    run = background.ended(optimiser_runs.start(referral_unit, region.id, 10).id)
    assert (run.status, run.error) == (RunStatus.FAILED, "RuntimeError: the database went away")
    assert db.session.scalar(sa.select(sa.func.count(Proposal.id))) == 0
    assert db.session.scalar(sa.select(PlacementRequest.status)) is PlacementRequestStatus.READY_TO_MATCH


def _solve_until_stopped(monkeypatch) -> threading.Event:
    """The solve stands in for one that would run for its whole time limit: it waits for the watch to stop it,
    then returns greedy's plan as its best so far. The event is set once it is solving."""
    solving, solve = threading.Event(), optimiser_runs.solve

    def solve_until_stopped(instance, params, method):
        params.watch.improved(Progress(0.1, 1_000, None, 1))
        solving.set()
        while not params.watch.stopped():
            time.sleep(0.05)
        return solve(instance, params, "greedy")

    monkeypatch.setattr(optimiser_runs, "solve", solve_until_stopped)
    return solving


def test_cancelling_a_running_run_stops_the_solve_and_stores_nothing(
        background, referral_unit, region, make_premises, monkeypatch, make_placement_request):
    make_premises()
    make_placement_request()
    ended = _run_stopped_by(optimiser_runs.cancel, background, referral_unit, region, monkeypatch)
    assert ended.status is RunStatus.CANCELLED and ended.cancel_requested
    assert ended.proposals == [] and ended.progress[0] == [0.1, 1_000, None, 1]
    assert db.session.scalar(sa.select(PlacementRequest.status)) is PlacementRequestStatus.READY_TO_MATCH


def test_a_run_asked_to_finish_now_keeps_its_best_plan_so_far_as_proposals(
        background, referral_unit, region, make_premises, monkeypatch, make_placement_request):
    make_premises()
    make_placement_request()
    ended = _run_stopped_by(optimiser_runs.finish_now, background, referral_unit, region, monkeypatch)
    assert ended.status is RunStatus.FINISHED and ended.finish_requested and ended.placed == 1
    assert [proposal.premises_id is not None for proposal in ended.proposals] == [True]
    assert db.session.scalar(sa.select(PlacementRequest.status)) is PlacementRequestStatus.PROPOSED
    with pytest.raises(Refused, match="This run has already finished"):
        optimiser_runs.finish_now(referral_unit, ended)


def test_a_run_not_started_has_no_plan_to_keep(no_jobs, referral_unit, region):
    run = optimiser_runs.start(referral_unit, region.id, 10)
    with pytest.raises(Refused, match="This run has not started, so it has no plan to keep yet: cancel it instead"):
        optimiser_runs.finish_now(referral_unit, run)
    assert not _fresh(run).finish_requested


def _run_stopped_by(action, background, user, region, monkeypatch) -> OptimiserRun:
    """A run over the region whose solve goes on until `action` (cancel, or finish now) stops it."""
    solving = _solve_until_stopped(monkeypatch)
    run = optimiser_runs.start(user, region.id, 60)
    stopper = threading.Thread(target=_once_solving, args=(background.app, action, user.id, run.id, solving))
    stopper.start()
    ended = background.ended(run.id)
    stopper.join()
    return ended


def _once_solving(app, action, user_id: int, run_id: int, solving: threading.Event) -> None:
    with app.app_context():
        assert solving.wait(timeout=60)
        action(db.session.get(User, user_id), db.session.get(OptimiserRun, run_id))


def test_a_run_cancelled_while_queued_never_starts(background, referral_unit, region, monkeypatch,
                                                   make_placement_request):
    held, enqueue = [], optimiser_runs.jobs.enqueue
    monkeypatch.setattr(optimiser_runs.jobs, "enqueue", lambda *job, **options: held.append((job, options)))
    make_placement_request()
    run = optimiser_runs.start(referral_unit, region.id, 10)
    optimiser_runs.cancel(referral_unit, run)
    (job, options), = held
    enqueue(*job, **options)  # its job comes round only now
    ended = background.ended(run.id)
    assert ended.status is RunStatus.CANCELLED and ended.started_at is None and ended.proposals == []


def test_an_ended_run_cannot_be_cancelled(no_jobs, referral_unit, region):
    run = optimiser_runs.start(referral_unit, region.id, 10)
    optimiser_runs.cancel(referral_unit, run)
    with pytest.raises(Refused, match="This run has already been cancelled"):
        optimiser_runs.cancel(referral_unit, run)


def test_nobody_cancels_a_run_out_of_their_scope(no_jobs, national_manager, make_user, region):
    run = optimiser_runs.start(national_manager, None, 10)
    with pytest.raises(NotInScope):
        optimiser_runs.cancel(make_user(Role.REFERRAL_UNIT, region=region), run)


# --- following a run ---------------------------------------------------------------------------------------------


def test_the_watch_writes_progress_to_the_run_row_and_reads_its_cancel_flag(no_jobs, referral_unit, region):
    run = optimiser_runs.start(referral_unit, region.id, 10)
    watch = optimiser_runs.RunWatch(db.engine, run.id)
    watch.improved(Progress(0.5, 900, None, 3))
    watch.improved(Progress(1.5, 800, 700.0, None))  # within PROGRESS_EVERY_S of the first: written with it
    assert not watch.stopped()
    _until(lambda: _fresh(run).progress == [[0.5, 900, None, 3], [1.5, 800, 700.0, None]])
    optimiser_runs.cancel(referral_unit, run)
    _until(watch.stopped)
    watch.close()


def test_the_watch_keeps_the_best_plan_so_far_by_database_id_until_the_run_ends(
        no_jobs, referral_unit, region, make_premises, make_placement_request):
    premises = make_premises("Plan House", beds=2)
    placed, unplaced = make_placement_request(), make_placement_request()
    run = optimiser_runs.start(referral_unit, region.id, 10)
    watch = optimiser_runs.RunWatch(db.engine, run.id)
    watch.improved(Progress(0.1, 990, None, 0))  # before the instance is built: nothing to name yet
    watch.translation = matching.instance_for(region.id, PLAN_FROM.date())
    first, second = f"R{placed.id}", f"R{unplaced.id}"
    watch.improved(Progress(0.5, 900, None, 1, {first: Assignment(first, f"P{premises.id}", 3, None),
                                                 second: Assignment(second, None, None, None)}))
    watch.improved(Progress(0.6, 950, None, None))  # a solver callback, with no plan: the last plan stays
    _until(lambda: len(_fresh(run).progress) == 3)
    watch.close()
    run = _fresh(run)
    assert run.plan_so_far == [[placed.id, premises.id, "2030-08-28"]]
    (planned,) = optimiser_runs.plan_so_far(run)
    assert (planned.person, planned.premises, planned.arrival) == (placed.person, premises, date(2030, 8, 28))
    run.status = RunStatus.FINISHED
    assert optimiser_runs.plan_so_far(run) == []


def _fresh(run: OptimiserRun) -> OptimiserRun:
    db.session.rollback()
    return db.session.get(OptimiserRun, run.id, populate_existing=True)


def _until(condition, wait_s: float = 30) -> None:
    deadline = time.monotonic() + wait_s
    while not condition():
        assert time.monotonic() < deadline, "never happened"
        time.sleep(0.05)


def test_in_words_names_premises_and_people():
    text = "a bed is free at P12 from 3 May 2030; non-associate R7 is placed there, S3 lives there; P99 is unknown"
    assert optimiser_runs.in_words(text, {12: "Near House"}, lambda kind, row_id: f"person {kind}{row_id}") == (
        "a bed is free at Near House from 3 May 2030; non-associate person R7 is placed there, person S3 lives "
        "there; P99 is unknown")
