"""Signing in and managing accounts."""


from app.extensions import db
from app.models import User
from app.services import audit


class SignInError(Exception):
    """Raised with a message safe to show: it never says whether the email exists."""




def find_by_email(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(db.func.lower(User.email) == email.strip().lower()))


def authenticate(email: str, password: str) -> User:
    user = find_by_email(email)
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
