"""Signing in and out: a session lasts until its account's session token changes."""

import re
import secrets
from functools import cache

from flask import current_app
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models import User
from app.services import audit

SESSION_USER_ID = re.compile(r"(\d{1,10}):([A-Za-z0-9_-]+)")


@cache
def _unknown_user_hash(method: str) -> str:
    """Checked against when the email is unknown, so a wrong email takes as long as a wrong password: hashed by
    the method real passwords use."""
    return generate_password_hash("no account has this password", method=method)


class SignInError(Exception):
    """Raised with a message safe to show: it never says whether the email exists."""


def find_by_email(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(db.func.lower(User.email) == email.strip().lower()))


def authenticate(email: str, password: str) -> User:
    user = find_by_email(email)
    if user is None:
        check_password_hash(_unknown_user_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
    if user is None or not user.check_password(password):
        audit.record("sign_in_failed", user, object_type="user", email=email.strip().lower())
        db.session.commit()
        raise SignInError("Enter a correct email address and password")
    if not user.is_active:
        audit.record("sign_in_refused_inactive", user, email=user.email)
        db.session.commit()
        raise SignInError("Your account has been deactivated. Contact your administrator")
    audit.record("signed_in", user, user=user)
    db.session.commit()
    return user


def user_for_session(session_user_id: str) -> User | None:
    """Flask-Login's user loader: the active account whose current session token the session holds, else None.

    A session copied before sign-out, deactivation or a role change holds an old token and so signs no one in."""
    match = SESSION_USER_ID.fullmatch(session_user_id)
    # Every signed-in request runs this, so the roles come in the same query.
    user = db.session.get(User, int(match[1]), options=[joinedload(User.role_rows)]) if match else None
    if user is None or not user.is_active or not secrets.compare_digest(user.session_token, match[2]):
        return None
    return user


def sign_out(user: User) -> None:
    """End every session of the account, not just this browser's: the session cookie alone proves nothing after."""
    user.end_sessions()
    audit.record("signed_out", user, user=user)
    db.session.commit()
