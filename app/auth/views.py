from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_user, logout_user

from app.auth.forms import SignInForm
from app.extensions import limiter
from app.permissions import Permission, public, requires
from app.services.accounts import SignInError, authenticate

bp = Blueprint("auth", __name__)


def _sign_in_limit() -> str:
    return current_app.config["SIGN_IN_RATE_LIMIT"]


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
@public
def sign_in():
    form = SignInForm()
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data)
        except SignInError as error:
            form.email.errors.append(str(error))
        else:
            login_user(user)
            return redirect(_safe_next() or url_for("main.home"))
    return render_template("auth/sign_in.html", form=form, title="Sign in")


@bp.get("/sign-out")
@requires(Permission.USE_SERVICE)
def sign_out():
    logout_user()
    flash("You have signed out", "success")
    return redirect(url_for("auth.sign_in"))


def _safe_next() -> str | None:
    """Only follow a `next` that stays on this site, so sign-in cannot be used to redirect elsewhere."""
    target = request.args.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else None
