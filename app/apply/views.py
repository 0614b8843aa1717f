"""Offender managers find or add a person and write their referral: load in scope, validate, call the service.

Referrals out of the user's scope raise NotInScope while loading, which answers 404 (app/errors.py).
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.apply.blueprint import bp, referral_to_manage, section_url
from app.apply.forms import (
    QUESTION_FORMS,
    FurtherInformationAnswerForm,
    PersonForm,
    PersonSearchForm,
    StartReferralForm,
    WithdrawForm,
)
from app.flashes import flash_outcome
from app.models import Person, Referral
from app.permissions import Permission, requires
from app.services import (
    access,
    assessments,
    people,
    referral_submission,
    referral_timeline,
    referrals,
    victim_details,
)
from app.services.referrals import VICTIMS
from app.services.validation import InvalidInput, Refused


def _victims(referral: Referral, seen_on: str) -> victim_details.VictimDetails:
    """The referral's zones and non-associates, their viewing audited: its offender managers may always see them."""
    return victim_details.reveal(current_user, referral, seen_on=seen_on)


def _section(section_slug: str) -> referrals.Section:
    return referrals.section(section_slug) or abort(404)


@bp.get("/people")
@requires(Permission.MANAGE_REFERRALS)
def find_person():
    form = PersonSearchForm(request.args)
    search = (form.q.data or "").strip()
    found = people.find_people(current_user, search) if search else None
    return render_template("apply/find_person.html", title="Find a person", form=form, search=search, found=found)


@bp.route("/people/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_REFERRALS)
def new_person():
    form = PersonForm()
    if form.submitted_and_valid(lambda: people.person_problems(form.details())):
        person = people.add_person(current_user, form.details())
        flash(f"{person.name} ({person.crn}) added", "success")
        return redirect(url_for(".person", person_id=person.id))
    existing = people.person_with_crn(form.crn.data) if form.crn.data else None
    return render_template("apply/new_person.html", title="Add a person", form=form, existing=existing)


@bp.get("/people/<int:person_id>")
@requires(Permission.MANAGE_REFERRALS)
def person(person_id: int):
    found = access.find(current_user, Person, person_id)
    return render_template("apply/person.html", title=found.name, person=found, form=StartReferralForm(),
                           referrals=people.referrals_of(current_user, found),
                           completed_sections=referrals.completed_sections, sections=referrals.SECTIONS,
                           timeline=referral_timeline.timeline(current_user, found))


@bp.post("/people/<int:person_id>/referrals")
@requires(Permission.MANAGE_REFERRALS)
def start_referral(person_id: int):
    found = access.find(current_user, Person, person_id)
    if StartReferralForm().validate_on_submit():
        try:
            referral = referrals.start_referral(current_user, found)
        except Refused as refusal:
            flash(str(refusal), "error")
        else:
            return redirect(url_for(".task_list", referral_id=referral.id))
    return redirect(url_for(".person", person_id=found.id))


@bp.get("/referrals")
@requires(Permission.MANAGE_REFERRALS)
def my_referrals():
    return render_template("apply/my_referrals.html", title="My referrals", referrals=referrals.my_referrals(current_user),
                           completed_sections=referrals.completed_sections, sections=referrals.SECTIONS)


@bp.get("/referrals/<int:referral_id>")
@requires(Permission.MANAGE_REFERRALS)
def task_list(referral_id: int):
    referral = referral_to_manage(referral_id)
    progress = assessments.progress(referral)
    may_withdraw = referral_submission.may_withdraw(referral)
    if not referral.is_draft:
        return render_template("apply/referral.html", title="Referral",
                               summary=referrals.summary(referral, _victims(referral, "referral")),
                               may_withdraw=may_withdraw, progress=progress)
    sections = [(section, referrals.section_status(referral, section), section_url(referral, section))
                for section in referrals.SECTIONS]
    return render_template("apply/task_list.html", title="Referral", referral=referral, sections=sections,
                           Status=referrals.SectionStatus, may_withdraw=may_withdraw, progress=progress)


@bp.route("/referrals/<int:referral_id>/<section_slug>/<page_slug>", methods=["GET", "POST"])
@requires(Permission.MANAGE_REFERRALS)
def question(referral_id: int, section_slug: str, page_slug: str):
    referral = referral_to_manage(referral_id)
    section = _section(section_slug)
    page = section.page(page_slug) or abort(404)
    if not referral.is_draft:
        return redirect(url_for(".task_list", referral_id=referral.id))
    if page not in referrals.applicable_pages(referral, section):
        return redirect(section_url(referral, section))
    form = QUESTION_FORMS[page.slug].for_referral(referral, page)
    if form.submitted_and_valid(lambda: referrals.page_problems(referral, page, form.answers(page))):
        referrals.save_page(current_user, referral, section, page, form.answers(page))
        following = referrals.next_page_after(referral, section, page)
        if following:
            return redirect(url_for(".question", referral_id=referral.id, section_slug=section.slug,
                                    page_slug=following.slug))
        return redirect(url_for(".check_answers", referral_id=referral.id, section_slug=section.slug))
    return render_template("apply/question.html", title=page.question, referral=referral, section=section, page=page,
                           form=form)


@bp.get("/referrals/<int:referral_id>/<section_slug>/check-answers")
@requires(Permission.MANAGE_REFERRALS)
def check_answers(referral_id: int, section_slug: str):
    referral = referral_to_manage(referral_id)
    section = _section(section_slug)
    if not referral.is_draft:
        return redirect(url_for(".task_list", referral_id=referral.id))
    summary = referrals.summary(referral, _victims(referral, "check answers") if section is VICTIMS else None)
    return render_template("apply/check_section.html", title=f"Check your answers: {section.title.lower()}",
                           summary=summary, shown=summary.of(section))


@bp.route("/referrals/<int:referral_id>/further-information", methods=["GET", "POST"])
@requires(Permission.MANAGE_REFERRALS)
def further_information(referral_id: int):
    """The assessor's questions and the answers given; the answer to a question still open is written here."""
    referral = referral_to_manage(referral_id)
    progress = assessments.progress(referral)
    form = FurtherInformationAnswerForm()
    if progress.open_question and form.submitted_and_valid(lambda: assessments.answer_problems(form.answer.data)):
        flash_outcome(lambda: assessments.provide_information(current_user, referral, form.answer.data),
                      "Answer sent: the referral is back with the assessor")
        return redirect(url_for(".task_list", referral_id=referral.id))
    return render_template("apply/further_information.html", title="Further information", referral=referral,
                           progress=progress, form=form)


# --- after the sections: check, submit, withdraw ------------------------------------------------------------------


@bp.get("/referrals/<int:referral_id>/check-answers")
@requires(Permission.MANAGE_REFERRALS)
def check_referral(referral_id: int):
    referral = referral_to_manage(referral_id)
    if not referral.is_draft:
        return redirect(url_for(".task_list", referral_id=referral.id))
    return _check_referral_page(referral)


def _check_referral_page(referral: Referral, still_to_do: dict[str, str] | None = None) -> str:
    """The whole referral's answers to check, with the sections still to do (by slug) when a submission failed."""
    return render_template("apply/check_referral.html", title="Check your answers before submitting",
                           summary=referrals.summary(referral, _victims(referral, "check answers")),
                           still_to_do=still_to_do or {})


@bp.post("/referrals/<int:referral_id>/submit")
@requires(Permission.MANAGE_REFERRALS)
def submit_referral(referral_id: int):
    referral = referral_to_manage(referral_id)
    try:
        referral_submission.submit(current_user, referral)
    except InvalidInput as refusal:
        return _check_referral_page(referral, refusal.problems)
    except Refused as refusal:
        flash(str(refusal), "error")
        return redirect(url_for(".task_list", referral_id=referral.id))
    return redirect(url_for(".referral_submitted", referral_id=referral.id))


@bp.get("/referrals/<int:referral_id>/submitted")
@requires(Permission.MANAGE_REFERRALS)
def referral_submitted(referral_id: int):
    referral = referral_to_manage(referral_id)
    if referral.submitted_at is None:
        return redirect(url_for(".check_referral", referral_id=referral.id))
    return render_template("apply/submitted.html", title="Referral submitted", referral=referral)


@bp.route("/referrals/<int:referral_id>/withdraw", methods=["GET", "POST"])
@requires(Permission.MANAGE_REFERRALS)
def withdraw_referral(referral_id: int):
    referral = referral_to_manage(referral_id)
    if not referral_submission.may_withdraw(referral):
        return redirect(url_for(".task_list", referral_id=referral.id))
    form = WithdrawForm()
    if form.submitted_and_valid(lambda: referral_submission.withdrawal_problems(form.reason.data, form.detail.data)):
        try:
            referral_submission.withdraw(current_user, referral, form.reason.data, form.detail.data)
        except Refused as refusal:
            flash(str(refusal), "error")
            return redirect(url_for(".task_list", referral_id=referral.id))
        return redirect(url_for(".referral_withdrawn", referral_id=referral.id))
    return render_template("apply/withdraw.html", title="Withdraw the referral", referral=referral, form=form)


@bp.get("/referrals/<int:referral_id>/withdrawn")
@requires(Permission.MANAGE_REFERRALS)
def referral_withdrawn(referral_id: int):
    referral = referral_to_manage(referral_id)
    if referral.withdrawn_at is None:
        return redirect(url_for(".task_list", referral_id=referral.id))
    return render_template("apply/withdrawn.html", title="Referral withdrawn", referral=referral)
