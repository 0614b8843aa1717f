"""Signing in."""

from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models import User
from app.services import audit

# Checked against when the email is unknown, so a wrong email takes as long as a wrong password.
_UNKNOWN_USER_HASH = generate_password_hash("no account has this password")


class SignInError(Exception):
    """Raised with a message safe to show: it never says whether the email exists."""


def find_by_email(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(db.func.lower(User.email) == email.strip().lower()))


def authenticate(email: str, password: str) -> User:
    user = find_by_email(email)
    if user is None:
        check_password_hash(_UNKNOWN_USER_HASH, password)
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
