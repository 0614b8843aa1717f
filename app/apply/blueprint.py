"""The offender manager's blueprint, shared by its two modules of pages (views.py, and victims.py for the Victims and
exclusion zones section), with the two things both need."""

from flask import Blueprint, url_for
from flask_login import current_user

from app.models import Referral
from app.permissions import Permission
from app.services import access, referrals

bp = Blueprint("apply", __name__)


def referral_to_manage(referral_id: int) -> Referral:
    return access.find(current_user, Referral, referral_id, to=Permission.MANAGE_REFERRALS)


def section_url(referral: Referral, section: referrals.Section) -> str:
    """Where a section's link leads: its first question still to answer, or its answers to check."""
    unfinished = referrals.unfinished_pages(referral, section)
    if unfinished:
        return url_for(".question", referral_id=referral.id, section_slug=section.slug, page_slug=unfinished[0].slug)
    return url_for(".check_answers", referral_id=referral.id, section_slug=section.slug)
