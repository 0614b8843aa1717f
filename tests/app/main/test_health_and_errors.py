import pytest

from app import create_app


def test_health_checks_the_database(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_health_reports_an_unreachable_database():
    app = create_app("test", SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none")
    response = app.test_client().get("/health")
    assert response.status_code == 503


def test_unknown_page_is_a_govuk_404(client_request):
    page = client_request.get("/no-such-page", expected_status=404)
    assert page.h1.get_text(strip=True) == "Page not found"


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.setattr("app.config.ProductionConfig.SECRET_KEY", None)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


def test_production_sends_secure_cookies(monkeypatch):
    monkeypatch.setattr("app.config.ProductionConfig.SECRET_KEY", "x" * 32)
    assert create_app("production").config["SESSION_COOKIE_SECURE"] is True
