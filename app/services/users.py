"""User administration: accounts, their roles, and the premises or region those roles are scoped to."""

from dataclasses import dataclass, field

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Premises, Region, User, UserRole
from app.permissions import Role
from app.services import audit
from app.services.validation import (
    EMAIL_FORMAT_MESSAGE,
    Refused,
    existing,
    is_email_address,
    refuse_if_any,
    text_problem,
)

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128  # hashing a huge password is a cheap denial of service
PREMISES_ROLES = frozenset({Role.AP_STAFF, Role.AP_MANAGER})
# An offender manager's region is their probation area: their colleagues there may resume their referrals.
REGION_ROLES = frozenset({Role.OFFENDER_MANAGER, Role.REFERRAL_UNIT, Role.REGIONAL_MANAGER})


@dataclass(frozen=True)
class UserDetails:
    name: str
    email: str
    roles: frozenset[Role] = field(default_factory=frozenset)
    premises_id: int | None = None
    region_id: int | None = None


def users_query(search: str = "", role: Role | None = None, active: bool | None = None) -> Select:
    """Users whose name or email contains `search`, optionally holding `role` or in one status, by name, each with
    the premises or region they work in (the list shows it)."""
    query = select(User).options(selectinload(User.premises), selectinload(User.region)).order_by(User.name, User.email)
    if search.strip():
        words = search.strip()
        query = query.where(User.name.icontains(words, autoescape=True) | User.email.icontains(words, autoescape=True))
    if role is not None:
        query = query.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == role)))
    if active is not None:
        query = query.where(User.is_active.is_(active))
    return query


def normalised_email(email: str | None) -> str:
    """Emails are compared and stored in lower case: sign-in looks them up the same way."""
    return (email or "").strip().lower()


def user_problems(details: UserDetails, *, user: User | None = None, by: User | None = None) -> dict[str, str]:
    """Every rule `details` breaks, keyed by field; `user` is the account being changed, `by` who changes it."""
    checks = {
        "name": text_problem(details.name, missing="Enter the person's full name", max_length=120, what="Full name"),
        "email": _email_problem(details.email, user),
        "roles": _roles_problem(details.roles, user, by),
        "premises": _scope_problem(
            details.premises_id, Premises, details.roles & PREMISES_ROLES,
            missing="Select a premises for AP staff and AP premises managers", unknown="Select a premises from the list",
        ),
        "region": _scope_problem(
            details.region_id, Region, details.roles & REGION_ROLES,
            missing="Select a region for offender managers, central referral unit staff and regional managers",
            unknown="Select a region from the list",
        ),
    }
    return {name: problem for name, problem in checks.items() if problem}


def password_problem(password: str | None) -> str | None:
    if not password:
        return "Enter an initial password"
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Password must be {MIN_PASSWORD_LENGTH} characters or more"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Password must be {MAX_PASSWORD_LENGTH} characters or fewer"
    return None


def _email_problem(email: str, user: User | None) -> str | None:
    email = normalised_email(email)
    if not email:
        return "Enter an email address"
    if len(email) > 254:
        return "Email address must be 254 characters or fewer"
    if not is_email_address(email):
        return EMAIL_FORMAT_MESSAGE
    holder = db.session.scalar(select(User).where(db.func.lower(User.email) == email))
    if holder is not None and not _same(holder, user):
        return "An account already uses this email address"
    return None


def _roles_problem(roles: frozenset[Role], user: User | None, by: User | None) -> str | None:
    if not roles:
        return "Select at least one role"
    if _same(user, by) and Role.ADMIN in user.roles and Role.ADMIN not in roles:
        return "You cannot remove the administrator role from your own account"
    return None


def _scope_problem(object_id: int | None, model, roles_needing_it, *, missing: str, unknown: str) -> str | None:
    if object_id is None:
        return missing if roles_needing_it else None
    return None if existing(model, object_id) is not None else unknown


def new_user_problems(details: UserDetails, password: str | None) -> dict[str, str]:
    problems = user_problems(details)
    if problem := password_problem(password):
        problems["password"] = problem
    return problems


def create_user(details: UserDetails, password: str, *, by: User) -> User:
    refuse_if_any(new_user_problems(details, password))
    user = User(name=details.name.strip(), email=normalised_email(details.email), is_active=True)
    _apply_scope(user, details)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("user_created", user, user=by, **_describe(user))
    db.session.commit()
    return user


def update_user(user: User, details: UserDetails, *, by: User) -> User:
    """A change of roles, or of the premises or region they cover, ends the account's sessions: the person
    signs in again to work with what they may now do."""
    refuse_if_any(user_problems(details, user=user, by=by))
    before = _describe(user)
    user.name = details.name.strip()
    user.email = normalised_email(details.email)
    _apply_scope(user, details)
    db.session.flush()
    after = _describe(user)
    if any(before[key] != after[key] for key in ("roles", "premises", "region")):
        user.end_sessions()
    audit.record_changes("user_updated", user, before, after, user=by)
    db.session.commit()
    return user


def set_active(user: User, active: bool, *, by: User) -> User:
    """Deactivated users cannot sign in and lose any open session; their history stays."""
    if user.is_active == active:
        return user
    if _same(user, by) and not active:
        raise Refused("You cannot deactivate your own account")
    user.is_active = active
    if not active:
        user.end_sessions()
    audit.record("user_reactivated" if active else "user_deactivated", user, user=by, email=user.email)
    db.session.commit()
    return user


def _same(user: User | None, other: User | None) -> bool:
    """Compared by id: the acting user is often Flask-Login's proxy, never the same object as a loaded account."""
    return user is not None and other is not None and user.id == other.id


def _apply_scope(user: User, details: UserDetails) -> None:
    user.roles = details.roles
    user.premises = existing(Premises, details.premises_id)
    user.region = existing(Region, details.region_id)


def _describe(user: User) -> dict:
    """What an audit event records about an account: readable names, never the password."""
    return {
        "name": user.name,
        "email": user.email,
        "roles": [role.value for role in user.roles],
        "premises": user.premises.name if user.premises else None,
        "region": user.region.name if user.region else None,
    }
