"""The Victims and exclusion zones section's own pages: the lists of exclusion zones and non-associates, adding and
removing them, and the map's base layer.

They are the offender manager's, so they need the permission to manage referrals; a page that shows zones or
non-associates also reads them through victim_details.reveal, which needs the victim-details permission and writes
the audit event. Their addresses are more specific than the question pages' (/referrals/<id>/<section>/<page>), so
these views answer them.
"""

from flask import flash, jsonify, redirect, render_template, url_for
from flask_login import current_user

from app.apply.blueprint import bp, referral_to_manage, section_url
from app.apply.forms import (
    AddedListForm,
    ExclusionZoneForm,
    NonAssociateForm,
    RemoveForm,
)
from app.geo.base_map import base_layer
from app.models import Referral
from app.permissions import Permission, requires
from app.services import exclusion_zones, non_associates, referrals, victim_details
from app.services.referral_location import home_point
from app.services.referrals import VICTIMS

LISTS = {"zones": "exclusion zones", "non-associates": "non-associates"}


def _list_url(referral: Referral, page_slug: str) -> str:
    return url_for(".question", referral_id=referral.id, section_slug=VICTIMS.slug, page_slug=page_slug)


@bp.route("/referrals/<int:referral_id>/victims/zones", methods=["GET", "POST"])
@requires(Permission.MANAGE_REFERRALS)
def zones(referral_id: int):
    return _added_list(referral_to_manage(referral_id), "zones")


@bp.route("/referrals/<int:referral_id>/victims/non-associates", methods=["GET", "POST"])
@requires(Permission.MANAGE_REFERRALS)
def non_associates_list(referral_id: int):
    return _added_list(referral_to_manage(referral_id), "non-associates")


def _added_list(referral: Referral, page_slug: str):
    page = VICTIMS.page(page_slug)
    if page not in referrals.applicable_pages(referral, VICTIMS):
        return redirect(section_url(referral, VICTIMS))
    form = AddedListForm()
    if form.submitted_and_valid(lambda: referrals.page_problems(referral, page, {})):
        following = referrals.next_page_after(referral, VICTIMS, page)
        return redirect(_list_url(referral, following.slug) if following else
                        url_for(".check_answers", referral_id=referral.id, section_slug=VICTIMS.slug))
    details = victim_details.reveal(current_user, referral, seen_on=LISTS[page_slug])
    return render_template(f"apply/victims/{page_slug}.html", title=page.question, referral=referral, section=VICTIMS,
                           form=form, details=details, remove_form=RemoveForm())


@bp.route("/referrals/<int:referral_id>/victims/zones/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_REFERRALS)
def add_zone(referral_id: int):
    referral = referral_to_manage(referral_id)
    form = ExclusionZoneForm()
    if form.submitted_and_valid(lambda: exclusion_zones.zone_problems(referral, form.details())):
        zone = exclusion_zones.add_zone(current_user, referral, form.details())
        flash(f"Exclusion zone ‘{zone.label}’ added", "success")
        return redirect(_list_url(referral, "zones"))
    return render_template("apply/victims/add_zone.html", title="Add an exclusion zone", referral=referral,
                           section=VICTIMS, form=form, start=home_point(referral))


@bp.post("/referrals/<int:referral_id>/victims/zones/<int:zone_id>/remove")
@requires(Permission.MANAGE_REFERRALS)
def remove_zone(referral_id: int, zone_id: int):
    referral = referral_to_manage(referral_id)
    if RemoveForm().validate_on_submit():
        zone = exclusion_zones.remove_zone(current_user, referral, zone_id)
        flash(f"Exclusion zone ‘{zone.label}’ removed", "success")
    return redirect(_list_url(referral, "zones"))


@bp.route("/referrals/<int:referral_id>/victims/non-associates/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_REFERRALS)
def add_non_associate(referral_id: int):
    referral = referral_to_manage(referral_id)
    form = NonAssociateForm()
    if form.submitted_and_valid(lambda: non_associates.non_associate_problems(referral, form.details())):
        added = non_associates.add_non_associate(current_user, referral, form.details())
        flash(f"{added.name} ({added.crn}) added as a non-associate", "success")
        return redirect(_list_url(referral, "non-associates"))
    return render_template("apply/victims/add_non_associate.html", title="Add a non-associate", referral=referral,
                           section=VICTIMS, form=form)


@bp.post("/referrals/<int:referral_id>/victims/non-associates/<int:non_associate_id>/remove")
@requires(Permission.MANAGE_REFERRALS)
def remove_non_associate(referral_id: int, non_associate_id: int):
    referral = referral_to_manage(referral_id)
    if RemoveForm().validate_on_submit():
        removed = non_associates.remove_non_associate(current_user, referral, non_associate_id)
        flash(f"{removed.name} ({removed.crn}) removed", "success")
    return redirect(_list_url(referral, "non-associates"))


@bp.get("/map/base-layer.json")
@requires(Permission.USE_SERVICE)
def map_base_layer():
    return jsonify(base_layer())
