from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from app.auth.forms import SignInForm
from app.extensions import limiter
from app.permissions import Permission, public, requires
from app.services import accounts
from app.services.users import normalised_email

bp = Blueprint("auth", __name__)


def _account_limit() -> str:
    return current_app.config["SIGN_IN_ACCOUNT_LIMIT"]


def _address_limit() -> str:
    return current_app.config["SIGN_IN_ADDRESS_LIMIT"]


def _account_tried() -> str:
    return f"account:{normalised_email(request.form.get('email'))}"


def _failed(response) -> bool:
    """Only failed sign-ins count towards the limits: a successful one redirects."""
    return response.status_code != 302


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_account_limit, key_func=_account_tried, methods=["POST"], deduct_when=_failed)
@limiter.limit(_address_limit, methods=["POST"], deduct_when=_failed)
@public
def sign_in():
    """Failures are limited per account, so guessing at one account cannot go on from many addresses, and per
    address with a far higher ceiling, so one attacked account does not lock out an office behind one proxy."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignInForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.email.data, form.password.data)
        except accounts.SignInError as error:
            form.email.errors.append(str(error))
        else:
            login_user(user)
            return redirect(_safe_next() or url_for("main.home"))
    return render_template("auth/sign_in.html", form=form, title="Sign in")


@bp.post("/sign-out")
@requires(Permission.USE_SERVICE)
def sign_out():
    accounts.sign_out(current_user._get_current_object())
    logout_user()
    flash("You have signed out", "success")
    return redirect(url_for("auth.sign_in"))


def _safe_next() -> str | None:
    """Only follow a `next` that stays on this site, so sign-in cannot be used to redirect elsewhere."""
    target = request.args.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else None
