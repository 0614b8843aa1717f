"""Browse the national estate and take beds out of service: load in scope, validate, call the service.

Objects out of the user's scope raise NotInScope while loading, which answers 404 (app/errors.py).
"""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app import clock
from app.downloads import FILE_FORMATS, download
from app.filters import govuk_date
from app.flashes import flash_outcome
from app.manage.forms import (
    CancelOutOfServiceBedForm,
    OutOfServiceBedForm,
    PremisesFilterForm,
)
from app.models import OutOfServiceBed, Premises
from app.permissions import Permission, requires
from app.services import access, arrivals, estate
from app.services.validation import InvalidInput

bp = Blueprint("manage", __name__, url_prefix="/premises")


def _premises_to_manage(premises_id: int) -> Premises:
    return access.find(current_user, Premises, premises_id, to=Permission.MANAGE_OUT_OF_SERVICE_BEDS)


def _filters(form: PremisesFilterForm) -> estate.EstateFilters:
    return estate.EstateFilters(
        region_id=form.region.data, gender=form.gender.data, ap_type=form.ap_type.data, characteristic=form.characteristic.data
    )


def _filter_form() -> PremisesFilterForm:
    return PremisesFilterForm(estate.regions_in_scope(current_user), formdata=request.args or None)


@bp.get("")
@requires(Permission.VIEW_ESTATE)
def premises_list():
    form = _filter_form()
    summaries = estate.list_premises(current_user, _filters(form)) if not request.args or form.validate() else None
    return render_template(
        "manage/premises_list.html",
        title="Approved premises",
        form=form,
        summaries=summaries,
        totals=estate.total_counts(summaries or []),
        filtered=bool(request.args),
    )


@bp.get(f"/download.<{FILE_FORMATS}:file_format>")
@requires(Permission.VIEW_ESTATE)
def premises_download(file_format: str):
    """The list as the filters choose it; filters with a mistake go back to the list, which shows it."""
    form = _filter_form()
    if request.args and not form.validate():
        return redirect(url_for(".premises_list", **request.args))
    today = clock.today()
    return download(estate.premises_table(estate.list_premises(current_user, _filters(form), today), today),
                    file_format, today)


@bp.get("/<int:premises_id>")
@requires(Permission.VIEW_ESTATE)
def premises_detail(premises_id: int):
    premises = access.find(current_user, Premises, premises_id, options=estate.PREMISES_PAGE_LOADS)
    today = clock.today()
    show_residents = current_user.can(Permission.VIEW_RESIDENTS)
    return render_template(
        "manage/premises_detail.html",
        title=premises.name,
        premises=premises,
        today=today,
        counts=estate.bed_counts([premises.id], today)[premises.id],
        rooms=estate.rooms_with_beds(premises),
        out_of_service=estate.out_of_service_periods(premises, today),
        residents=estate.current_residents(current_user, premises, today) if show_residents else None,
        risk_review=arrivals.risk_review,
        can_see_arrivals=current_user.can(Permission.VIEW_ARRIVALS),
        # The premises is in the user's scope (find loaded it), so managing it needs only the permission.
        can_manage=current_user.can(Permission.MANAGE_OUT_OF_SERVICE_BEDS),
    )


@bp.route("/<int:premises_id>/out-of-service-beds/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_OUT_OF_SERVICE_BEDS)
def new_out_of_service_bed(premises_id: int):
    premises = _premises_to_manage(premises_id)
    form = OutOfServiceBedForm(estate.bookable_beds(premises), bed=request.args.get("bed_id"))
    if form.validate_on_submit():
        try:
            period = estate.take_bed_out_of_service(
                current_user,
                premises,
                bed_id=form.bed.data,
                reason=form.reason.data,
                start_date=form.start_date.data,
                end_date=form.end_date.data,
                reference=form.reference.data or "",
                notes=form.notes.data or "",
            )
        except InvalidInput as refusal:
            form.add_problems(refusal.problems)
        else:
            flash(
                f"{period.bed.label} is out of service from {govuk_date(period.start_date)} "
                f"to {govuk_date(period.end_date)}",
                "success",
            )
            return redirect(url_for(".premises_detail", premises_id=premises.id))
    return render_template(
        "manage/out_of_service_bed_form.html", title="Take a bed out of service", premises=premises, form=form
    )


@bp.route("/<int:premises_id>/out-of-service-beds/<int:out_of_service_bed_id>/cancel", methods=["GET", "POST"])
@requires(Permission.MANAGE_OUT_OF_SERVICE_BEDS)
def cancel_out_of_service_bed(premises_id: int, out_of_service_bed_id: int):
    premises = _premises_to_manage(premises_id)
    period = access.find(current_user, OutOfServiceBed, out_of_service_bed_id, at_premises=premises.id)
    form = CancelOutOfServiceBedForm()
    if form.validate_on_submit():
        flash_outcome(lambda: estate.cancel_out_of_service_bed(current_user, period),
                      f"{period.bed.label} is back in service")
        return redirect(url_for(".premises_detail", premises_id=premises.id))
    return render_template(
        "manage/cancel_out_of_service_bed.html",
        title="Cancel this out-of-service period?",
        premises=premises,
        period=period,
        refusal=estate.cancellation_refusal(period),
        form=form,
    )
