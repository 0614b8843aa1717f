"""Search the estate for one placement request and book from a result; manage the booking: its dates, a transfer to
another AP (searching again), its cancellation. Load in scope, validate, call the service, flash, redirect.

The pages live under the placement request's address (/placement-requests/<id>/...): a request out of the user's
scope, or a placement of another request, is not found (404).
"""

from collections.abc import Callable
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app import clock
from app.filters import govuk_date
from app.models import Placement, PlacementRequest, PlacementStatus
from app.permissions import Permission, requires
from app.search.forms import BookForm, CancelForm, DatesForm, SearchForm, TransferForm, TransferSearchForm
from app.services import access, bookings, matching, placement_search
from app.services.bookings import BookingRefused

bp = Blueprint("search", __name__, url_prefix="/placement-requests")


def _request(placement_request_id: int) -> PlacementRequest:
    return access.find(current_user, PlacementRequest, placement_request_id, to=Permission.PLACE_PEOPLE)


def _placement(placement_request_id: int, placement_id: int) -> Placement:
    return placement_search.placement_of(current_user, _request(placement_request_id), placement_id)


def _to_placement(placement: Placement):
    return redirect(url_for(".placement", placement_request_id=placement.placement_request_id,
                            placement_id=placement.id))


def _may_overbook() -> bool:
    return current_user.can(Permission.OVERBOOK)


def _overbook_reason(form) -> str | None:
    """The reason given to overbook, heard only from those who may (the field is not shown to others)."""
    return form.overbook_reason.data if _may_overbook() else None


def _dates_given(**defaults: date) -> list[date]:
    """The dates a result's link carries, each by default the search's default; a link nobody could have followed
    is not found."""
    try:
        return [date.fromisoformat(request.args[name]) if name in request.args else default
                for name, default in defaults.items()]
    except ValueError:
        abort(404)


def _attempt(form, problems: Callable[[], dict], act: Callable[[], Placement]) -> tuple[Placement | None, list[str]]:
    """The placement the action made or changed, once done; otherwise None and the booking's refusals to show
    (none when the form was not sent or has errors of its own). A refusal saves nothing."""
    if not form.submitted_and_valid(problems):
        return None, []
    try:
        return act(), []
    except BookingRefused as refusal:
        return None, refusal.problems


# --- search and book -------------------------------------------------------------------------------------------


@bp.get("/<int:placement_request_id>/search")
@requires(Permission.PLACE_PEOPLE)
def search(placement_request_id: int):
    placement_request = _request(placement_request_id)
    default = placement_search.default_criteria(placement_request)
    form = SearchForm(formdata=request.args or None, data={
        "arrival": default.arrival, "length_of_stay_weeks": placement_request.length_of_stay_weeks})
    results = None
    if form.submitted_and_valid(lambda: placement_search.criteria_problems(
            form.arrival.data, form.length_of_stay_weeks.data, form.max_radius_miles.data, today=clock.today())):
        results = placement_search.search(current_user, placement_request, form.criteria(_may_overbook()))
    is_open = placement_request.status in matching.OPEN_STATUSES

    def book_link(found) -> str | None:
        return url_for(".book", placement_request_id=placement_request.id, premises_id=found.premises.id,
                       arrival=results.criteria.arrival.isoformat(),
                       departure=results.criteria.departure.isoformat()) if is_open else None

    return render_template("search/search.html", title="Search for a place", placement_request=placement_request,
                           form=form, results=results, action=book_link, action_text="Book",
                           placements=placement_search.placements_of(placement_request),
                           may_overbook=_may_overbook(), needs=placement_search.room_needs(placement_request),
                           labels=placement_search.LABELS)


@bp.route("/<int:placement_request_id>/book/<int:premises_id>", methods=["GET", "POST"])
@requires(Permission.PLACE_PEOPLE)
def book(placement_request_id: int, premises_id: int):
    placement_request = _request(placement_request_id)
    premises = placement_search.bookable_premises(premises_id)
    default = placement_search.default_criteria(placement_request)
    arrival, departure = _dates_given(arrival=default.arrival, departure=default.departure)
    form = BookForm()
    booked, problems = _attempt(form, dict, lambda: bookings.book(
        current_user, placement_request, premises, arrival, departure=departure, overbook_reason=_overbook_reason(form)))
    if booked:
        flash(f"{placement_request.person.name} is booked into {premises.name} from {govuk_date(arrival)}", "success")
        return _to_placement(booked)
    return render_template("search/confirm.html", title="Check the booking", placement_request=placement_request,
                           premises=premises, arrival=arrival, departure=departure, form=form, problems=problems,
                           full=_nights_without_bed(premises, arrival, departure, placement_request),
                           may_overbook=_may_overbook(), needs=placement_search.room_needs(placement_request),
                           back=url_for(".search", placement_request_id=placement_request.id,
                                        arrival=arrival.isoformat()))


def _nights_without_bed(premises, arrival: date, departure: date, placement_request: PlacementRequest,
                        placement: Placement | None = None) -> list[str]:
    """The booking's own words for the nights without a bed, warned of before the booking is tried."""
    return bookings.stay_problems(matching.Stay(premises.id, arrival, departure, placement_request, placement),
                                  premises)[1]


# --- a booking and its changes ---------------------------------------------------------------------------------


@bp.get("/<int:placement_request_id>/placements/<int:placement_id>")
@requires(Permission.PLACE_PEOPLE)
def placement(placement_request_id: int, placement_id: int):
    found = _placement(placement_request_id, placement_id)
    return render_template("search/placement.html", title="Booking", placement=found,
                           placement_request=found.placement_request, changeable=found.status in bookings.CHANGEABLE,
                           cancellable=found.status is PlacementStatus.UPCOMING)


@bp.route("/<int:placement_request_id>/placements/<int:placement_id>/dates", methods=["GET", "POST"])
@requires(Permission.PLACE_PEOPLE)
def change_dates(placement_request_id: int, placement_id: int):
    found = _placement(placement_request_id, placement_id)
    form = DatesForm.filled_from({"arrival": found.expected_arrival, "departure": found.expected_departure})
    if found.status is not PlacementStatus.UPCOMING:
        del form.arrival  # once arrived, only the departure can change
    arrival = form.arrival.data if "arrival" in form else None
    changed, problems = _attempt(
        form, lambda: placement_search.date_problems(found, arrival, form.departure.data, today=clock.today()),
        lambda: bookings.change_dates(current_user, found, arrival=arrival, departure=form.departure.data,
                                      overbook_reason=_overbook_reason(form)))
    if changed:
        flash(f"The booking is now from {govuk_date(found.arrival)} to {govuk_date(found.expected_departure)}",
              "success")
        return _to_placement(found)
    return _change_page("search/dates.html", found, form, problems, "Change the dates")


@bp.get("/<int:placement_request_id>/placements/<int:placement_id>/transfer")
@requires(Permission.PLACE_PEOPLE)
def transfer_search(placement_request_id: int, placement_id: int):
    found = _placement(placement_request_id, placement_id)
    form = TransferSearchForm(formdata=request.args or None, data={"on": max(found.arrival, clock.today())})
    results = None
    if found.status in bookings.CHANGEABLE and form.submitted_and_valid(
            lambda: placement_search.transfer_problems(found, form.on.data, today=clock.today())):
        results = placement_search.search(current_user, found.placement_request,
                                          form.criteria(found.expected_departure, _may_overbook()), moving=found)

    def transfer_link(result) -> str | None:
        if result.premises.id == found.premises_id:
            return None
        return url_for(".transfer", placement_request_id=placement_request_id, placement_id=found.id,
                       premises_id=result.premises.id, on=results.criteria.arrival.isoformat())

    return render_template("search/search.html", title="Transfer to another AP", placement=found,
                           placement_request=found.placement_request, form=form, results=results,
                           action=transfer_link, action_text="Move here", may_overbook=_may_overbook(),
                           needs=placement_search.room_needs(found.placement_request), labels=placement_search.LABELS)


@bp.route("/<int:placement_request_id>/placements/<int:placement_id>/transfer/<int:premises_id>",
          methods=["GET", "POST"])
@requires(Permission.PLACE_PEOPLE)
def transfer(placement_request_id: int, placement_id: int, premises_id: int):
    found = _placement(placement_request_id, placement_id)
    premises = placement_search.bookable_premises(premises_id)
    on, = _dates_given(on=max(found.arrival, clock.today()))
    form = TransferForm()
    moved, problems = _attempt(form, dict, lambda: bookings.transfer(
        current_user, found, premises, on, overbook_reason=_overbook_reason(form)))
    if moved:
        flash(f"{found.person.name} moves to {premises.name} on {govuk_date(on)}", "success")
        return _to_placement(moved)
    full = _nights_without_bed(premises, on, found.expected_departure, found.placement_request, found) \
        if on < found.expected_departure else []
    return render_template("search/confirm.html", title="Check the transfer", placement=found,
                           placement_request=found.placement_request, premises=premises, arrival=on,
                           departure=found.expected_departure, form=form, problems=problems, full=full,
                           may_overbook=_may_overbook(), needs=placement_search.room_needs(found.placement_request),
                           back=url_for(".transfer_search", placement_request_id=placement_request_id,
                                        placement_id=found.id, on=on.isoformat()))


@bp.route("/<int:placement_request_id>/placements/<int:placement_id>/cancel", methods=["GET", "POST"])
@requires(Permission.PLACE_PEOPLE)
def cancel(placement_request_id: int, placement_id: int):
    found = _placement(placement_request_id, placement_id)
    form = CancelForm()
    cancelled, problems = _attempt(form, lambda: placement_search.cancel_problems(form.reason.data),
                                   lambda: bookings.cancel(current_user, found, form.reason.data, form.detail.data))
    if cancelled:
        flash(f"The booking of {found.person.name} at {found.premises.name} is cancelled", "success")
        return _to_placement(found)
    return _change_page("search/cancel.html", found, form, problems, "Cancel the booking")


def _change_page(template: str, found: Placement, form, problems: list[str], title: str):
    return render_template(template, title=title, placement=found, placement_request=found.placement_request,
                           form=form, problems=problems, may_overbook=_may_overbook())

