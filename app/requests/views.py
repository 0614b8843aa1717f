"""Placement requests for the people who place: load in scope, validate, call the service, redirect.

A request out of the user's scope raises NotInScope while loading, which answers 404 (app/errors.py); an action
the rules refuse is flashed.
"""

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.filters import govuk_date
from app.flashes import flash_outcome
from app.models import OptimiserRun, Placement, PlacementRequest, Proposal
from app.pagination import paginate, pagination_params
from app.permissions import Permission, requires
from app.requests.forms import (
    AcceptForm,
    AlternativeForm,
    ConfirmForm,
    DashboardFilterForm,
    RejectProposalForm,
    SelectionForm,
    UnableToMatchForm,
)
from app.services import (
    access,
    bookings,
    matching,
    optimiser_runs,
    placement_requests,
    proposals,
    referrals,
    victim_details,
)
from app.services.validation import Refused
from vocabulary import UnableToMatchReason

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
        history=placement_requests.history(found), proposal=proposals.latest_for(found),
        booking=placement_requests.booking(found), is_open=found.status in matching.OPEN_STATUSES)


@bp.route("/<int:placement_request_id>/unable-to-match", methods=["GET", "POST"])
@requires(Permission.PLACE_PEOPLE)
def unable_to_match(placement_request_id: int):
    found = _placement_request(placement_request_id)
    form = UnableToMatchForm.filled_from(_left_unplaced(found))
    if form.submitted_and_valid(lambda: placement_requests.unable_to_match_problems(form.reason.data,
                                                                                       form.detail.data)):
        flash_outcome(lambda: placement_requests.record_unable_to_match(current_user, found, form.reason.data,
                                                                        form.detail.data),
                      "Recorded as unable to match")
        return _request_page(found)
    return render_template("requests/unable_to_match.html", title="Unable to match", placement_request=found,
                           form=form)


def _left_unplaced(found: PlacementRequest) -> dict:
    """The answers a run's unplaced proposal (?proposal=) gives: the optimiser's reason, in words."""
    proposal_id = request.args.get("proposal", type=int)
    if proposal_id is None:
        return {}
    left = _proposal(proposal_id)
    if left.placement_request_id != found.id or left.premises_id is not None:
        abort(404)
    return {"reason": UnableToMatchReason.LEFT_UNPLACED.value, "detail": proposals.unplaced_reason(current_user, left)}


@bp.route("/<int:placement_request_id>/reopen", methods=["GET", "POST"])
@requires(Permission.PLACE_PEOPLE)
def reopen(placement_request_id: int):
    found = _placement_request(placement_request_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        flash_outcome(lambda: placement_requests.reopen(current_user, found), "Ready to match again")
        return _request_page(found)
    return render_template("requests/reopen.html", title="Reopen for matching", placement_request=found, form=form)


# --- reviewing a run's proposals -----------------------------------------------------------------------------------


def _proposal(proposal_id: int) -> Proposal:
    return access.find(current_user, Proposal, proposal_id, to=Permission.PLACE_PEOPLE)


def _proposal_page(proposal: Proposal, *, refused: list[str] = (), alternative_form=None, status: int = 200):
    """The review page, with the problems of a booking the rules refused."""
    found_review = proposals.review(current_user, proposal)
    victims = (victim_details.reveal(current_user, proposal.placement_request.referral, seen_on="proposal review")
               if current_user.can(Permission.VIEW_VICTIM_DETAILS) else None)
    return render_template(
        "requests/proposal.html", title="Proposed placement", review=found_review,
        placement_request=proposal.placement_request, pending=proposals.is_pending(proposal),
        zones=victims.zones if victims else [], refused=[{"text": problem, "href": "#decision"} for problem in refused], accept_form=AcceptForm(),
        alternative_form=alternative_form or AlternativeForm(found_review.alternatives, formdata=None),
        ), status


@bp.route("/runs/<int:run_id>/proposals", methods=["GET", "POST"])
@requires(Permission.PLACE_PEOPLE)
def run_proposals(run_id: int):
    run = access.find(current_user, OptimiserRun, run_id)
    shown = proposals.proposals_of(current_user, run)
    form = SelectionForm()
    outcomes = []
    if form.validate_on_submit():
        chosen = [proposal for proposal in shown if proposal.id in set(form.proposals.data or ())]
        if not chosen:
            form.proposals.errors = ["Select the proposals to accept"]
        else:
            try:
                outcomes = proposals.accept_many(current_user, chosen)
            except Refused as refusal:
                flash(str(refusal), "error")
                return redirect(url_for(".run_proposals", run_id=run.id))
            booked = sum(1 for outcome in outcomes if outcome.placement)
            if booked:
                flash(f"{booked} {'placement' if booked == 1 else 'placements'} booked", "success")
            if booked == len(outcomes):
                return redirect(url_for(".run_proposals", run_id=run.id))
            shown = proposals.proposals_of(current_user, run)
    proposal_of = {proposal.placement_request_id: proposal.id for proposal in shown}
    return render_template(
        "requests/run_proposals.html", title="Review proposed placements", run=run, proposals=shown, form=form,
        pending={p.id for p in shown if proposals.is_pending(p)},
        reasons=optimiser_runs.unplaced_reasons(current_user, shown),
        refused=[{"text": f"{o.choice.placement_request.person.name}: {problem}",
                  "href": f"#proposal-{proposal_of[o.choice.placement_request.id]}"}
                 for o in outcomes if o.placement is None for problem in o.problems])


@bp.get("/proposals/<int:proposal_id>")
@requires(Permission.PLACE_PEOPLE)
def proposal(proposal_id: int):
    return _proposal_page(_proposal(proposal_id))


@bp.post("/proposals/<int:proposal_id>/accept")
@requires(Permission.PLACE_PEOPLE)
def accept_proposal(proposal_id: int):
    found = _proposal(proposal_id)
    if not AcceptForm().validate_on_submit():
        return _proposal_page(found)
    return _booked(found, lambda: proposals.accept(current_user, found))


@bp.post("/proposals/<int:proposal_id>/alternative")
@requires(Permission.PLACE_PEOPLE)
def choose_alternative(proposal_id: int):
    found = _proposal(proposal_id)
    form = AlternativeForm(proposals.review(current_user, found).alternatives)
    if not form.validate_on_submit():
        return _proposal_page(found, alternative_form=form)
    return _booked(found, lambda: proposals.choose_alternative(current_user, found, form.alternative.data))


def _booked(found: Proposal, book: Callable[[], Placement]):
    """Book as `book` does and go to the request; a booking the live data refuses shows why on the proposal."""
    try:
        placement = book()
    except bookings.BookingRefused as refusal:
        return _proposal_page(found, refused=refusal.problems)
    except Refused as refusal:
        flash(str(refusal), "error")
        return redirect(url_for(".proposal", proposal_id=found.id))
    flash(f"Booked at {placement.premises.name} from {govuk_date(placement.expected_arrival)}", "success")
    return _request_page(found.placement_request)


@bp.route("/proposals/<int:proposal_id>/reject", methods=["GET", "POST"])
@requires(Permission.PLACE_PEOPLE)
def reject_proposal(proposal_id: int):
    found = _proposal(proposal_id)
    form = RejectProposalForm()
    if form.submitted_and_valid(lambda: proposals.rejection_problems(form.reason.data)):
        flash_outcome(lambda: proposals.reject(current_user, found, form.reason.data),
                      "Proposal rejected: the request is ready to match again")
        return _request_page(found.placement_request)
    return render_template("requests/reject_proposal.html", title="Reject the proposed placement", proposal=found,
                           placement_request=found.placement_request, form=form)
