"""Roles are bundles of permissions; every view is guarded by a permission, never by a role."""

from enum import Enum
from functools import wraps

from flask import abort
from flask_login import current_user, login_required


class Permission(str, Enum):
    USE_SERVICE = "use_service"
    VIEW_ESTATE = "view_estate"
    VIEW_RESIDENTS = "view_residents"
    VIEW_ALL_REGIONS = "view_all_regions"
    MANAGE_OUT_OF_SERVICE_BEDS = "manage_out_of_service_beds"
    MANAGE_PREMISES = "manage_premises"
    MANAGE_USERS = "manage_users"
    VIEW_AUDIT = "view_audit"
    MANAGE_REFERRALS = "manage_referrals"
    ASSESS_REFERRALS = "assess_referrals"
    MANAGE_POLICIES = "manage_policies"
    READ_OUTBOX = "read_outbox"
    # Exclusion zones and non-associates; every page showing them is audited. AP staff will see them for the people
    # booked into their premises, through the booking rather than their role, when bookings are built.
    VIEW_VICTIM_DETAILS = "view_victim_details"
    VIEW_ARRIVALS = "view_arrivals"
    RECORD_ARRIVALS = "record_arrivals"
    BACKDATE_ARRIVALS = "backdate_arrivals"
    # Booking, moving and cancelling placements for the placement requests of one's scope; overbooking (beyond the
    # beds free, with a reason that is audited) is a manager's decision.
    PLACE_PEOPLE = "place_people"
    OVERBOOK = "overbook"
    RUN_OPTIMISER = "run_optimiser"
    # Capacity planning: occupancy across premises, the demand forecast, move-on and performance figures, for the
    # regions the user sees (all of them with VIEW_ALL_REGIONS).
    PLAN_CAPACITY = "plan_capacity"


class Role(str, Enum):
    OFFENDER_MANAGER = "offender_manager"
    ASSESSOR = "assessor"
    REFERRAL_UNIT = "referral_unit"
    REGIONAL_MANAGER = "regional_manager"
    NATIONAL_MANAGER = "national_manager"
    AP_STAFF = "ap_staff"
    AP_MANAGER = "ap_manager"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.OFFENDER_MANAGER: "Offender manager",
    Role.ASSESSOR: "Assessor",
    Role.REFERRAL_UNIT: "Central referral unit",
    Role.REGIONAL_MANAGER: "Regional manager",
    Role.NATIONAL_MANAGER: "National capacity manager",
    Role.AP_STAFF: "AP staff",
    Role.AP_MANAGER: "AP premises manager",
    Role.ADMIN: "Administrator",
}

_EVERYONE = {Permission.USE_SERVICE, Permission.VIEW_ESTATE}
# AP staff run their premises' day: arrivals, departures and the preparation before each arrival. Regional and
# national users see the boards and calendars of their scope (VIEW_ARRIVALS) but record nothing; only a premises
# manager may record an arrival more than a week after it happened (BACKDATE_ARRIVALS).
_ARRIVALS = {Permission.VIEW_RESIDENTS, Permission.VIEW_ARRIVALS, Permission.RECORD_ARRIVALS}
# The referral unit and managers place people: they book, move and cancel placements for the requests of their
# region and run the optimiser over it (national users: any region, or the whole country).
_PLACING = {Permission.PLACE_PEOPLE, Permission.RUN_OPTIMISER}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OFFENDER_MANAGER: frozenset(_EVERYONE | {Permission.VIEW_ALL_REGIONS, Permission.MANAGE_REFERRALS,
                                                  Permission.VIEW_VICTIM_DETAILS}),
    Role.ASSESSOR: frozenset(_EVERYONE | {Permission.VIEW_ALL_REGIONS, Permission.ASSESS_REFERRALS,
                                          Permission.VIEW_VICTIM_DETAILS}),
    Role.REFERRAL_UNIT: frozenset(_EVERYONE | _PLACING | {Permission.VIEW_RESIDENTS, Permission.VIEW_ARRIVALS,
                                                          Permission.VIEW_VICTIM_DETAILS}),
    Role.REGIONAL_MANAGER: frozenset(_EVERYONE | _PLACING | {Permission.VIEW_RESIDENTS, Permission.VIEW_ARRIVALS,
                                                             Permission.OVERBOOK, Permission.PLAN_CAPACITY}),
    Role.NATIONAL_MANAGER: frozenset(
        _EVERYONE | _PLACING | {Permission.VIEW_RESIDENTS, Permission.VIEW_ALL_REGIONS, Permission.VIEW_ARRIVALS,
                                Permission.OVERBOOK, Permission.PLAN_CAPACITY}
    ),
    Role.AP_STAFF: frozenset(_EVERYONE | _ARRIVALS),
    Role.AP_MANAGER: frozenset(
        _EVERYONE | _ARRIVALS | {Permission.MANAGE_OUT_OF_SERVICE_BEDS, Permission.BACKDATE_ARRIVALS}
    ),
    Role.ADMIN: frozenset(
        _EVERYONE
        | {
            Permission.VIEW_RESIDENTS,
            Permission.VIEW_ALL_REGIONS,
            Permission.MANAGE_OUT_OF_SERVICE_BEDS,
            Permission.MANAGE_PREMISES,
            Permission.MANAGE_USERS,
            Permission.VIEW_AUDIT,
            Permission.MANAGE_POLICIES,
            Permission.READ_OUTBOX,
        }
    ),
}


def permissions_for(roles) -> frozenset[Permission]:
    return frozenset().union(*(ROLE_PERMISSIONS[Role(role)] for role in roles))


def requires(permission: Permission):
    """Guard a view: anonymous users go to sign-in, signed-in users without the permission get 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def guarded(*args, **kwargs):
            if not current_user.can(permission):
                abort(403)
            return view(*args, **kwargs)

        guarded.required_permission = permission
        return guarded

    return decorator


def public(view):
    """Mark a view that needs no sign-in (sign-in, health, assets); the URL-map test accepts only these."""
    view.is_public = True
    return view
