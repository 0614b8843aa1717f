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


def test_an_id_too_large_for_the_database_is_not_found(client_request, make_user):
    from app.permissions import Role

    client_request.sign_in(make_user(Role.ADMIN))
    client_request.get("/premises/99999999999999999999", expected_status=404)


def test_several_messages_share_one_notification_banner(client_request, make_user):
    client_request.sign_in(make_user())
    with client_request.client.session_transaction() as session:
        session["_flashes"] = [("success", "First thing done"), ("success", "Second thing done")]
    page = client_request.get("/")
    banners = page.select(".govuk-notification-banner")
    assert len(banners) == 1
    assert [p.get_text() for p in banners[0].select(".govuk-notification-banner__heading")] == ["First thing done", "Second thing done"]
