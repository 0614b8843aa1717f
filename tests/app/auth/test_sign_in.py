import re

import pytest
import sqlalchemy as sa

from app import create_app
from app.extensions import db
from app.models import AuditEvent
from app.permissions import Role
from tests.app.conftest import PASSWORD
from tests.app.pages import error_messages


def _sign_in(client_request, email, password, expected_status=200):
    return client_request.post("/sign-in", {"email": email, "password": password}, expected_status=expected_status)


def _actions():
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def test_sign_in_lands_on_home_and_is_audited(client_request, make_user):
    user = make_user(Role.ASSESSOR, email="a.assessor@example.test")
    assert _sign_in(client_request, "A.Assessor@example.test", PASSWORD, expected_status=302) == "/"
    page = client_request.get("/")
    assert page.h1.get_text(strip=True) == user.name
    assert "Assessor" in page.select_one(".govuk-body-l").get_text()
    assert _actions() == ["signed_in"]


def test_home_names_every_role_by_its_label(client_request, make_user, make_premises):
    client_request.sign_in(make_user(Role.ASSESSOR, Role.AP_MANAGER, premises=make_premises("Fictional House")))
    text = client_request.get("/").select_one(".govuk-body-l").get_text(" ", strip=True)
    assert text == "You are signed in as Assessor, AP premises manager at Fictional House."


def test_wrong_password_shows_error_next_to_email(client_request, make_user):
    make_user(email="om@example.test")
    page = _sign_in(client_request, "om@example.test", "wrong")
    assert error_messages(page) == {"email": "Enter a correct email address and password"}
    assert _actions() == ["sign_in_failed"]


def test_unknown_user_gets_the_same_message_as_a_wrong_password(client_request):
    page = _sign_in(client_request, "nobody@example.test", "whatever")
    assert error_messages(page) == {"email": "Enter a correct email address and password"}


def test_deactivated_user_cannot_sign_in(client_request, make_user):
    make_user(email="gone@example.test", active=False)
    page = _sign_in(client_request, "gone@example.test", PASSWORD)
    assert "deactivated" in error_messages(page)["email"]
    assert _actions() == ["sign_in_refused_inactive"]


def test_missing_fields_are_reported_per_field(client_request):
    page = _sign_in(client_request, "", "")
    assert error_messages(page) == {"email": "Enter your email address", "password": "Enter your password"}


def test_deactivated_user_loses_an_open_session(client_request, make_user):
    user = make_user()
    client_request.sign_in(user)
    user.is_active = False
    db.session.commit()
    assert client_request.client.get("/").status_code == 302


def test_sign_in_is_rate_limited_with_a_clear_message(client_request, app):
    for _ in range(5):
        _sign_in(client_request, "x@example.test", "wrong")
    page = _sign_in(client_request, "x@example.test", "wrong", expected_status=429)
    assert page.h1.get_text(strip=True) == "Too many attempts"


def test_expired_csrf_token_gets_a_friendly_page(client_request, app):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        page = client_request.post("/sign-in", {"email": "a@example.test", "password": "x", "csrf_token": "stale"}, expected_status=400)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert page.h1.get_text(strip=True) == "This form has expired"


def test_next_only_redirects_within_the_site(client_request, make_user):
    make_user(email="om@example.test")
    location = client_request.post("/sign-in?next=//evil.example/x", {"email": "om@example.test", "password": PASSWORD})
    assert location == "/"


def test_signed_in_pages_are_not_cached_and_carry_security_headers(client_request, make_user):
    client_request.sign_in(make_user())
    response = client_request.client.get("/")
    assert response.headers["Cache-Control"] == "no-store"
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "'nonce-" in csp
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.get_data(as_text=True)


def test_session_cookie_is_http_only_and_lax(client, make_user):
    make_user(email="om@example.test")
    response = client.post("/sign-in", data={"email": "om@example.test", "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_asks_browsers_to_use_https_only_and_keeps_the_script_nonce(app):
    production = create_app("production", SECRET_KEY="a production secret",
                            SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        response = production.test_client().get("/sign-in")
    finally:
        with production.app_context():
            db.engine.dispose()
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "'nonce-" in response.headers["Content-Security-Policy"]


def test_development_and_test_do_not_pin_https(client):
    assert "Strict-Transport-Security" not in client.get("/sign-in").headers


@pytest.mark.parametrize("given", ["x" * 500, "has spaces", "<script>", "ünïcode", ""])
def test_an_unsafe_or_long_request_id_is_replaced_and_sign_in_still_works_and_is_audited(client, make_user, given):
    make_user(email="om@example.test")
    response = client.post("/sign-in", data={"email": "om@example.test", "password": PASSWORD},
                           headers={"X-Request-Id": given})
    assert response.headers["Location"] == "/"
    [event] = db.session.scalars(sa.select(AuditEvent)).all()
    assert event.action == "signed_in"
    assert re.fullmatch(r"[0-9a-f]{32}", event.request_id) and response.headers["X-Request-Id"] == event.request_id


def test_a_short_safe_request_id_is_kept_so_logs_can_be_matched(client, make_user):
    make_user(email="om@example.test")
    client.post("/sign-in", data={"email": "om@example.test", "password": PASSWORD}, headers={"X-Request-Id": "lb-1f2e.3_d"})
    assert db.session.scalar(sa.select(AuditEvent.request_id)) == "lb-1f2e.3_d"
