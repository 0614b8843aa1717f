"""Sessions end on the server: signing out, deactivation and role changes make every earlier session cookie useless."""

import pytest
import sqlalchemy as sa
from flask import g
from flask_login.utils import encode_cookie

from app.extensions import db
from app.models import AuditEvent
from app.permissions import Role
from app.services import users
from app.services.users import UserDetails
from tests.app.conftest import PASSWORD


class Browser:
    """One person's browser: it signs in through the form and keeps its cookies."""

    def __init__(self, app):
        self.client = app.test_client()

    def sign_in(self, user) -> "Browser":
        assert self.post("/sign-in", {"email": user.email, "password": PASSWORD}).headers["Location"] == "/"
        return self

    def get(self, url: str):
        g.pop("_login_user", None)  # requests share the test's app context: forget the user an earlier one loaded
        return self.client.get(url)

    def post(self, url: str, data: dict | None = None):
        g.pop("_login_user", None)
        return self.client.post(url, data=data or {})

    def is_signed_in(self) -> bool:
        response = self.get("/")
        assert response.status_code in {200, 302}
        return response.status_code == 200

    @property
    def session_cookie(self) -> str:
        return self.client.get_cookie("session").value

    @session_cookie.setter
    def session_cookie(self, value: str) -> None:
        self.client.set_cookie("session", value)


@pytest.fixture
def browser(app):
    return Browser(app)


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN, email="admin@example.test", name="Ada Admin")


def test_a_session_cookie_copied_before_sign_out_does_not_work_after_it(browser, make_user):
    user = make_user(email="om@example.test")
    browser.sign_in(user)
    copied = browser.session_cookie

    response = browser.post("/sign-out")

    assert response.headers["Location"] == "/sign-in"
    assert not browser.is_signed_in()
    browser.session_cookie = copied
    response = browser.get("/")
    assert (response.status_code, response.headers["Location"]) == (302, "/sign-in?next=%2F")
    assert db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all() == ["signed_in", "signed_out"]


def test_signing_out_ends_the_accounts_other_sessions_too(app, make_user):
    user = make_user(email="om@example.test")
    office, laptop = Browser(app).sign_in(user), Browser(app).sign_in(user)
    office.post("/sign-out")
    assert not laptop.is_signed_in()


def test_a_remember_me_cookie_cannot_bring_a_session_back(browser, make_user):
    user = make_user(email="om@example.test")
    browser.sign_in(user)
    old_id = user.get_id()
    browser.post("/sign-out")
    browser.client.set_cookie("remember_token", encode_cookie(old_id))
    assert not browser.is_signed_in()


def test_sign_out_is_only_a_post(browser, make_user):
    browser.sign_in(make_user(email="om@example.test"))
    assert browser.get("/sign-out").status_code == 405
    assert browser.is_signed_in()


def test_sign_out_without_the_csrf_token_is_refused(app, browser, make_user):
    browser.sign_in(make_user(email="om@example.test"))
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        refused = browser.post("/sign-out")
        page = browser.get("/")
        token = page.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
        signed_out = browser.post("/sign-out", {"csrf_token": token})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert refused.status_code == 400
    assert signed_out.headers["Location"] == "/sign-in"
    assert not browser.is_signed_in()


def test_the_sign_out_control_is_a_post_form_in_the_service_navigation(client_request, make_user):
    client_request.sign_in(make_user())
    form = client_request.get("/").select_one(".govuk-service-navigation form")
    assert (form["method"], form["action"]) == ("post", "/sign-out")
    assert form.select_one("input[name=csrf_token]") and form.button.get_text(strip=True) == "Sign out"


def test_deactivating_a_user_signs_them_out_and_reactivating_does_not_revive_the_session(browser, make_user, admin):
    user = make_user(email="om@example.test")
    browser.sign_in(user)
    users.set_active(user, False, by=admin)
    users.set_active(user, True, by=admin)
    assert not browser.is_signed_in()


def test_changing_a_users_roles_signs_them_out(browser, make_user, admin):
    user = make_user(Role.ASSESSOR, email="om@example.test", name="Sam Staff")
    browser.sign_in(user)
    users.update_user(user, UserDetails("Sam Staff", user.email, frozenset({Role.NATIONAL_MANAGER})), by=admin)
    assert not browser.is_signed_in()


def test_changing_only_a_users_name_keeps_them_signed_in(browser, make_user, admin):
    user = make_user(Role.ASSESSOR, email="om@example.test", name="Sam Staff")
    browser.sign_in(user)
    users.update_user(user, UserDetails("Sam Staff-Smith", user.email, frozenset({Role.ASSESSOR})), by=admin)
    assert browser.is_signed_in()


def test_administrators_changing_their_own_roles_stay_signed_in_here(app, make_user):
    admin = make_user(Role.ADMIN, email="admin@example.test", name="Ada Admin")
    here, elsewhere = Browser(app).sign_in(admin), Browser(app).sign_in(admin)
    response = here.post(f"/admin/users/{admin.id}/edit",
                         {"name": "Ada Admin", "email": admin.email, "roles": ["admin", "assessor"]})
    assert response.headers["Location"] == f"/admin/users/{admin.id}"
    assert here.is_signed_in() and not elsewhere.is_signed_in()


def test_a_signed_in_user_opening_sign_in_goes_home(browser, make_user):
    browser.sign_in(make_user(email="om@example.test"))
    response = browser.get("/sign-in")
    assert (response.status_code, response.headers["Location"]) == (302, "/")
