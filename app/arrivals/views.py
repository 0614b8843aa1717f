"""AP staff prepare and record arrivals and departures; regional and national users see the same boards and
calendars read-only. Load in scope, validate, call the service, flash, redirect.

Objects out of the user's scope raise NotInScope while loading, which answers 404 (app/errors.py).
"""

from collections.abc import Callable
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app import clock
from app.arrivals.forms import (
    ArrivalForm,
    BedForm,
    ChecklistForm,
    DepartureForm,
    ExpectedDepartureForm,
    KeyWorkerForm,
    NonArrivalForm,
)
from app.filters import govuk_date
from app.forms import ServiceForm
from app.models import Placement, Premises
from app.permissions import Permission, requires
from app.services import access, arrivals, occupancy, referrals, victim_details
from app.services.validation import InvalidInput, Refused

bp = Blueprint("arrivals", __name__, url_prefix="/arrivals")
EARLIEST_MONTH, LATEST_MONTH = date(2000, 1, 1), date(2100, 12, 1)


def _premises(premises_id: int) -> Premises:
    return access.find(current_user, Premises, premises_id, to=Permission.VIEW_ARRIVALS)


def _placement(premises_id: int, placement_id: int, to: Permission) -> Placement:
    return access.find(current_user, Placement, placement_id, at_premises=premises_id, to=to,
                       options=arrivals.PLACEMENT_LOADS)


def _to_placement(placement: Placement):
    return redirect(url_for(".placement", premises_id=placement.premises_id, placement_id=placement.id))


def _done(form: ServiceForm, refusal: str | None, problems: Callable[[], dict], act: Callable[[], object]) -> bool:
    """Whether the form was posted, passed the service's rules and the action was carried out. Problems found again
    under the action's lock (someone changed the placement or the bed meanwhile) show beside the fields; a refusal
    shows on the page, worded from what is saved now."""
    if refusal is not None or not form.submitted_and_valid(problems):
        return False
    try:
        act()
    except InvalidInput as refused:
        form.add_problems(refused.problems)
        return False
    except Refused:
        return False
    return True


def _form_page(placement: Placement, form: ServiceForm, title: str, refusal: str | None, intro: str = ""):
    return render_template("arrivals/form.html", title=title, placement=placement, form=form, refusal=refusal,
                           intro=intro)


@bp.get("")
@requires(Permission.RECORD_ARRIVALS)
def my_arrivals():
    """The navigation's way to the board of the user's own premises."""
    if current_user.premises_id is None:
        return render_template("errors/error.html", title="Your account has no premises",
                               message="Ask your administrator to link your account to the premises you work at.")
    return board(current_user.premises_id)


@bp.get("/<int:premises_id>")
@requires(Permission.VIEW_ARRIVALS)
def board(premises_id: int):
    premises = _premises(premises_id)
    today = clock.today()
    return render_template("arrivals/board.html", title="Arrivals and departures", premises=premises, today=today,
                           board=arrivals.board(current_user, premises, today), checklist=arrivals.checklist,
                           risk_review=arrivals.risk_review)


@bp.get("/<int:premises_id>/placements/<int:placement_id>/referral")
@requires(Permission.VIEW_ARRIVALS)
def referral(premises_id: int, placement_id: int):
    """The referral the placement was booked from, to prepare the arrival: risk, licence conditions, zones."""
    found = _placement(premises_id, placement_id, Permission.VIEW_ARRIVALS)
    if found.placement_request is None:
        abort(404)
    booked_from = found.placement_request.referral
    victims = (victim_details.reveal(current_user, booked_from, seen_on="arrival")
               if current_user.can(Permission.VIEW_VICTIM_DETAILS) else None)
    return render_template("arrivals/referral.html", title="Referral", placement=found, referral=booked_from,
                           summary=referrals.summary(booked_from, victims))


@bp.get("/<int:premises_id>/placements/<int:placement_id>")
@requires(Permission.VIEW_ARRIVALS)
def placement(premises_id: int, placement_id: int):
    found = _placement(premises_id, placement_id, Permission.VIEW_ARRIVALS)
    today = clock.today()
    return render_template("arrivals/placement.html", title=found.person.name, placement=found, today=today,
                           checklist=arrivals.checklist(found, today), review=arrivals.risk_review(found.person, today),
                           can_record=current_user.can(Permission.RECORD_ARRIVALS),
                           can_change=arrivals.change_refusal(found) is None)


@bp.route("/<int:premises_id>/placements/<int:placement_id>/checklist", methods=["GET", "POST"])
@requires(Permission.RECORD_ARRIVALS)
def checklist(premises_id: int, placement_id: int):
    found = _placement(premises_id, placement_id, Permission.RECORD_ARRIVALS)
    form = ChecklistForm.for_placement(found)
    if _done(form, arrivals.change_refusal(found),
             lambda: arrivals.preparation_problems(form.preparation(), clock.today()),
             lambda: flash("Checklist saved" if arrivals.save_preparation(current_user, found, form.preparation())
                           else "Nothing changed on the checklist", "success")):
        return _to_placement(found)
    return render_template("arrivals/checklist.html", title="Preparation checklist", placement=found, form=form,
                           checklist=arrivals.checklist(found, clock.today()), refusal=arrivals.change_refusal(found))


@bp.route("/<int:premises_id>/placements/<int:placement_id>/arrival", methods=["GET", "POST"])
@requires(Permission.RECORD_ARRIVALS)
def record_arrival(premises_id: int, placement_id: int):
    found = _placement(premises_id, placement_id, Permission.RECORD_ARRIVALS)
    form = ArrivalForm()
    if _done(form, arrivals.arrival_refusal(found),
             lambda: arrivals.arrival_problems(current_user, found, form.arrival()),
             lambda: arrivals.record_arrival(current_user, found, form.arrival())):
        flash(f"Arrival of {found.person.name} recorded", "success")
        return _to_placement(found)
    earliest = arrivals.earliest_arrival_allowed(current_user, clock.today())
    intro = (f"Expected on {govuk_date(found.expected_arrival)} in {found.bed.label}." if found.bed else "") + (
        f" You can record an arrival on or after {govuk_date(earliest)}." if earliest else "")
    return _form_page(found, form, "Record an arrival", arrivals.arrival_refusal(found), intro.strip())


@bp.route("/<int:premises_id>/placements/<int:placement_id>/non-arrival", methods=["GET", "POST"])
@requires(Permission.RECORD_ARRIVALS)
def record_non_arrival(premises_id: int, placement_id: int):
    found = _placement(premises_id, placement_id, Permission.RECORD_ARRIVALS)
    form = NonArrivalForm()
    if _done(form, arrivals.non_arrival_refusal(found),
             lambda: arrivals.non_arrival_problems(form.non_arrival()),
             lambda: arrivals.record_non_arrival(current_user, found, form.non_arrival())):
        flash(f"{found.person.name} recorded as not arriving: their bed is free again", "success")
        return _to_placement(found)
    return _form_page(found, form, "Record a non-arrival", arrivals.non_arrival_refusal(found),
                      f"Expected on {govuk_date(found.expected_arrival)}.")


@bp.route("/<int:premises_id>/placements/<int:placement_id>/departure", methods=["GET", "POST"])
@requires(Permission.RECORD_ARRIVALS)
def record_departure(premises_id: int, placement_id: int):
    found = _placement(premises_id, placement_id, Permission.RECORD_ARRIVALS)
    form = DepartureForm()
    if _done(form, arrivals.departure_refusal(found),
             lambda: arrivals.departure_problems(found, form.departure()),
             lambda: arrivals.record_departure(current_user, found, form.departure())):
        flash(f"Departure of {found.person.name} recorded", "success")
        return _to_placement(found)
    return _form_page(found, form, "Record a departure", arrivals.departure_refusal(found),
                      f"Arrived on {govuk_date(found.arrival)}; expected to leave on {govuk_date(found.expected_departure)}.")


@bp.route("/<int:premises_id>/placements/<int:placement_id>/expected-departure", methods=["GET", "POST"])
@requires(Permission.RECORD_ARRIVALS)
def change_expected_departure(premises_id: int, placement_id: int):
    found = _placement(premises_id, placement_id, Permission.RECORD_ARRIVALS)
    form = ExpectedDepartureForm()
    if _done(form, arrivals.change_refusal(found),
             lambda: arrivals.expected_departure_problems(found, form.expected_departure.data),
             lambda: arrivals.change_expected_departure(current_user, found, form.expected_departure.data)):
        flash(f"{found.person.name} is now expected to leave on {govuk_date(found.expected_departure)}", "success")
        return _to_placement(found)
    return _form_page(found, form, "Change the expected departure date", arrivals.change_refusal(found),
                      f"Expected to leave on {govuk_date(found.expected_departure)}.")


@bp.route("/<int:premises_id>/placements/<int:placement_id>/key-worker", methods=["GET", "POST"])
@requires(Permission.RECORD_ARRIVALS)
def assign_key_worker(premises_id: int, placement_id: int):
    found = _placement(premises_id, placement_id, Permission.RECORD_ARRIVALS)
    form = KeyWorkerForm(arrivals.key_worker_choices(found.premises))
    if _done(form, arrivals.change_refusal(found),
             lambda: arrivals.key_worker_problems(found, form.key_worker_chosen()),
             lambda: arrivals.assign_key_worker(current_user, found, form.key_worker_chosen())):
        flash(f"{found.key_worker} is the key worker of {found.person.name}", "success")
        return _to_placement(found)
    return _form_page(found, form, "Assign a key worker", arrivals.change_refusal(found),
                      f"Key worker now: {found.key_worker or 'none'}.")


@bp.route("/<int:premises_id>/placements/<int:placement_id>/bed", methods=["GET", "POST"])
@requires(Permission.RECORD_ARRIVALS)
def allocate_bed(premises_id: int, placement_id: int):
    found = _placement(premises_id, placement_id, Permission.RECORD_ARRIVALS)
    today = clock.today()
    form = BedForm(arrivals.bed_choices(found, today) if arrivals.change_refusal(found) is None else [],
                   bed=found.bed_id)
    if _done(form, arrivals.change_refusal(found),
             lambda: arrivals.bed_problems(found, form.bed.data, today),
             lambda: arrivals.assign_bed(current_user, found, form.bed.data)):
        flash(f"{found.person.name} is allocated {found.bed.label}", "success")
        return _to_placement(found)
    first, end = arrivals.nights_to_come(found, today)
    return _form_page(found, form, "Allocate a bed", arrivals.change_refusal(found),
                      f"Beds free every night from {govuk_date(first)} to the departure on {govuk_date(end)}.")


# --- occupancy -------------------------------------------------------------------------------------------------


def _month(code: str | None) -> occupancy.Month:
    if not code:
        return occupancy.Month.of(clock.today())
    try:
        first = date.fromisoformat(f"{code}-01")
    except ValueError:
        abort(404)
    if not EARLIEST_MONTH <= first <= LATEST_MONTH:
        abort(404)
    return occupancy.Month(first)


@bp.get("/<int:premises_id>/occupancy")
@requires(Permission.VIEW_ARRIVALS)
def calendar(premises_id: int):
    premises = _premises(premises_id)
    month = _month(request.args.get("month"))
    days = occupancy.month_calendar(current_user, premises, month)
    return render_template("arrivals/calendar.html", title=f"Occupancy in {month.name}", premises=premises,
                           month=month, days=days, codes=list(days[0].by_characteristic), labels=occupancy.LABELS,
                           today=clock.today(), earliest=EARLIEST_MONTH, latest=LATEST_MONTH)


@bp.get("/<int:premises_id>/occupancy/<day>")
@requires(Permission.VIEW_ARRIVALS)
def day(premises_id: int, day: str):
    premises = _premises(premises_id)
    try:
        chosen = date.fromisoformat(day)
    except ValueError:
        abort(404)
    if not EARLIEST_MONTH <= chosen.replace(day=1) <= LATEST_MONTH:
        abort(404)
    return render_template("arrivals/day.html", title=f"Occupancy on {govuk_date(chosen)}", premises=premises,
                           day=chosen, detail=occupancy.day_detail(current_user, premises, chosen),
                           month=occupancy.Month.of(chosen), labels=occupancy.LABELS)
