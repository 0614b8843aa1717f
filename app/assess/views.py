"""Assessors work the queue of submitted referrals and decide them; administrators set the length-of-stay policy.

Load in scope, validate, call the service, redirect. A referral the user may not assess (a draft, another region's)
raises NotInScope while loading, which answers 404 (app/errors.py); a decision the rules refuse is flashed.
"""

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app import clock
from app.assess.forms import (
    AcceptanceForm,
    AllocationForm,
    ConfirmForm,
    FurtherInformationForm,
    LengthOfStayRuleForm,
    QueueFilterForm,
    RejectionForm,
)
from app.extensions import db
from app.flashes import flash_outcome
from app.models import Area, LengthOfStayRule, Referral, Region
from app.pagination import paginate_list, pagination_params
from app.permissions import Permission, requires
from app.services import access, assessments, length_of_stay, referrals, victim_details

bp = Blueprint("assess", __name__)


def _referral(referral_id: int) -> Referral:
    return access.find(current_user, Referral, referral_id, to=Permission.ASSESS_REFERRALS)


def _assessment_page(referral: Referral):
    return redirect(url_for(".referral", referral_id=referral.id))


def _authors_link(referral: Referral) -> str:
    """Where the offender manager reads the decision, for the email that tells them of it."""
    return url_for("apply.task_list", referral_id=referral.id, _external=True)


def _refused_unless_undecided(referral: Referral):
    """Decision pages of a decided or withdrawn referral lead back to it, saying why."""
    if referral.status.is_open:
        return None
    flash(f"This referral has been {referral.status.label.lower()}: it can no longer be assessed", "error")
    return _assessment_page(referral)


@bp.get("/assess")
@requires(Permission.ASSESS_REFERRALS)
def queue():
    form = QueueFilterForm(db.session.scalars(sa.select(Area).where(Area.regions.any()).order_by(Area.name)),
                           db.session.scalars(sa.select(Region).order_by(Region.name)), formdata=request.args or None)
    valid = not request.args or form.validate()
    filters = assessments.QueueFilters(area_id=form.area.data, region_id=form.region.data, ap_type=form.ap_type.data,
                                       notice=form.notice.data) if valid else assessments.QueueFilters()
    page = paginate_list(assessments.queue(current_user, filters) if valid else [])
    return render_template("assess/queue.html", title="Referrals to assess", form=form, page=page,
                           pagination=pagination_params(page), now=clock.now(), filtered=bool(request.args))


@bp.get("/assess/referrals/<int:referral_id>")
@requires(Permission.ASSESS_REFERRALS)
def referral(referral_id: int):
    found = _referral(referral_id)
    return render_template(
        "assess/referral.html", title="Assess the referral", referral=found,
        summary=referrals.summary(found, victims=victim_details.reveal(current_user, found, seen_on="assessment")),
        notice=assessments.notice_of(found), deadline=assessments.deadline_of(found), now=clock.now(),
        risk_review_overdue=assessments.is_risk_review_overdue(found), progress=assessments.progress(found))


@bp.route("/assess/referrals/<int:referral_id>/allocate", methods=["GET", "POST"])
@requires(Permission.ASSESS_REFERRALS)
def allocate(referral_id: int):
    found = _referral(referral_id)
    if refused := _refused_unless_undecided(found):
        return refused
    form = AllocationForm(assessments.assessors_for(found), assessor=request.args.get("assessor", type=int))
    if form.submitted_and_valid(lambda: assessments.allocation_problems(found, form.assessor.data)):
        flash_outcome(lambda: assessments.allocate(current_user, found, form.assessor.data),
                      lambda assessor: f"Allocated to {assessor.name}")
        return _assessment_page(found)
    return render_template("assess/allocate.html", title="Allocate the referral", referral=found, form=form)


@bp.route("/assess/referrals/<int:referral_id>/further-information", methods=["GET", "POST"])
@requires(Permission.ASSESS_REFERRALS)
def request_information(referral_id: int):
    found = _referral(referral_id)
    if refused := _refused_unless_undecided(found):
        return refused
    form = FurtherInformationForm()
    if form.submitted_and_valid(lambda: assessments.question_problems(form.question.data)):
        flash_outcome(lambda: assessments.request_information(current_user, found, form.question.data),
                      "Question sent to the offender manager: the clock has stopped until they answer")
        return _assessment_page(found)
    return render_template("assess/request_information.html", title="Request further information", referral=found,
                           form=form)


@bp.route("/assess/referrals/<int:referral_id>/accept", methods=["GET", "POST"])
@requires(Permission.ASSESS_REFERRALS)
def accept(referral_id: int):
    found = _referral(referral_id)
    if refused := _refused_unless_undecided(found):
        return refused
    form = AcceptanceForm.proposing(assessments.proposed_acceptance(found))
    if form.submitted_and_valid(lambda: assessments.acceptance_problems(form.acceptance())):
        flash_outcome(lambda: assessments.accept(current_user, found, form.acceptance(), link=_authors_link(found)),
                      "Referral accepted: the placement request is ready to match")
        return _assessment_page(found)
    return render_template("assess/accept.html", title="Accept the referral", referral=found, form=form,
                           default_weeks=assessments.default_weeks_by_ap_type(found))


@bp.route("/assess/referrals/<int:referral_id>/reject", methods=["GET", "POST"])
@requires(Permission.ASSESS_REFERRALS)
def reject(referral_id: int):
    found = _referral(referral_id)
    if refused := _refused_unless_undecided(found):
        return refused
    form = RejectionForm()
    if form.submitted_and_valid(lambda: assessments.rejection_problems(form.reason.data, form.detail.data)):
        flash_outcome(lambda: assessments.reject(current_user, found, form.reason.data, form.detail.data,
                                                 link=_authors_link(found)),
                      "Referral rejected: the offender manager can see why")
        return _assessment_page(found)
    return render_template("assess/reject.html", title="Reject the referral", referral=found, form=form)


# --- the length-of-stay policy ---------------------------------------------------------------------------------------


def _rule(rule_id: int) -> LengthOfStayRule:
    return db.get_or_404(LengthOfStayRule, rule_id)


@bp.get("/admin/length-of-stay")
@requires(Permission.MANAGE_POLICIES)
def policy():
    return render_template("assess/policy.html", title="Length-of-stay policy", rules=length_of_stay.policy())


@bp.route("/admin/length-of-stay/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_POLICIES)
def new_rule():
    form = LengthOfStayRuleForm()
    if form.submitted_and_valid(lambda: length_of_stay.rule_problems(form.details())):
        rule = length_of_stay.add_rule(current_user, form.details())
        flash(f"Rule added: {rule.criteria}, {rule.weeks} weeks", "success")
        return redirect(url_for(".policy"))
    return render_template("assess/rule.html", title="Add a length-of-stay rule", form=form)


@bp.route("/admin/length-of-stay/<int:rule_id>", methods=["GET", "POST"])
@requires(Permission.MANAGE_POLICIES)
def change_rule(rule_id: int):
    rule = _rule(rule_id)
    form = LengthOfStayRuleForm.editing(rule)
    if form.submitted_and_valid(lambda: length_of_stay.rule_problems(form.details(), rule)):
        length_of_stay.change_rule(current_user, rule, form.details())
        flash(f"Rule changed: {rule.criteria}, {rule.weeks} weeks", "success")
        return redirect(url_for(".policy"))
    return render_template("assess/rule.html", title="Change a length-of-stay rule", form=form, rule=rule)


@bp.route("/admin/length-of-stay/<int:rule_id>/remove", methods=["GET", "POST"])
@requires(Permission.MANAGE_POLICIES)
def remove_rule(rule_id: int):
    rule = _rule(rule_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        flash_outcome(lambda: length_of_stay.remove_rule(current_user, rule), f"Rule removed: {rule.criteria}")
        return redirect(url_for(".policy"))
    return render_template("assess/remove_rule.html", title="Remove a length-of-stay rule", form=form, rule=rule)
