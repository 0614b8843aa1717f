"""Placement requests for the people who place: load in scope, validate, call the service, redirect.

A request out of the user's scope raises NotInScope while loading, which answers 404 (app/errors.py); an action
the rules refuse is flashed.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app import clock
from app.models import PlacementRequest
from app.pagination import paginate, pagination_params
from app.permissions import Permission, requires
from app.requests.forms import ConfirmForm, DashboardFilterForm, UnableToMatchForm
from app.services import access, placement_requests, referrals, victim_details
from app.services.validation import Refused

bp = Blueprint("requests", __name__, url_prefix="/placement-requests")


def _placement_request(placement_request_id: int) -> PlacementRequest:
    return access.find(current_user, PlacementRequest, placement_request_id, to=Permission.PLACE_PEOPLE)


def _request_page(found: PlacementRequest):
    return redirect(url_for(".placement_request", placement_request_id=found.id))


@bp.get("")
@requires(Permission.PLACE_PEOPLE)
def dashboard():
    regions = placement_requests.regions_to_filter(current_user)
    form = DashboardFilterForm(regions, formdata=request.args or None)
    if request.args and not form.validate():
        abort(404)  # only a tampered address names a status or region that is not offered
    filters = placement_requests.DashboardFilters(form.status.data, form.region.data)
    page = paginate(placement_requests.dashboard(current_user, filters))
    return render_template(
        "requests/dashboard.html", title="Placement requests", form=form, filters=filters, page=page,
        rows=placement_requests.rows(page.items), pagination=pagination_params(page),
        counts=placement_requests.status_counts(current_user, filters.region_id), show_regions=len(regions) > 1)


@bp.get("/<int:placement_request_id>")
@requires(Permission.PLACE_PEOPLE)
def placement_request(placement_request_id: int):
    found = _placement_request(placement_request_id)
    victims = (victim_details.reveal(current_user, found.referral, seen_on="placement request")
               if current_user.can(Permission.VIEW_VICTIM_DETAILS) else None)
    return render_template(
        "requests/request.html", title="Placement request", placement_request=found,
        row=placement_requests.rows([found])[0], summary=referrals.summary(found.referral, victims=victims),
        history=placement_requests.history(found), today=clock.today())


@bp.route("/<int:placement_request_id>/unable-to-match", methods=["GET", "POST"])
@requires(Permission.PLACE_PEOPLE)
def unable_to_match(placement_request_id: int):
    found = _placement_request(placement_request_id)
    form = UnableToMatchForm()
    if form.submitted_and_valid(lambda: placement_requests.unable_to_match_problems(form.reason.data,
                                                                                       form.detail.data)):
        try:
            placement_requests.record_unable_to_match(current_user, found, form.reason.data, form.detail.data)
        except Refused as refusal:
            flash(str(refusal), "error")
        else:
            flash("Recorded as unable to match", "success")
        return _request_page(found)
    return render_template("requests/unable_to_match.html", title="Unable to match", placement_request=found,
                           form=form)


@bp.route("/<int:placement_request_id>/reopen", methods=["GET", "POST"])
@requires(Permission.PLACE_PEOPLE)
def reopen(placement_request_id: int):
    found = _placement_request(placement_request_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            placement_requests.reopen(current_user, found)
        except Refused as refusal:
            flash(str(refusal), "error")
        else:
            flash("Ready to match again", "success")
        return _request_page(found)
    return render_template("requests/reopen.html", title="Reopen for matching", placement_request=found, form=form)
