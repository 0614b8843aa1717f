"""Our own CSS and JavaScript come from the top-level static/; GOV.UK Frontend's from static/govuk/, copied at set-up."""

import pytest

from app import ASSETS_DIR, PROJECT_DIR


@pytest.mark.parametrize("filename", ["app.css", "app.js"])
def test_our_own_assets_are_served_from_the_top_level_static_folder(client, filename):
    response = client.get(f"/static/{filename}")
    assert response.status_code == 200
    assert response.get_data() == (PROJECT_DIR / "static" / filename).read_bytes()


def test_govuk_frontend_assets_are_served_at_assets_where_its_css_expects_them(client):
    """GOV.UK Frontend's CSS points its fonts and images at /assets/..., so that is where they are served."""
    css = client.get("/assets/govuk-frontend.min.css")
    assert css.status_code == 200
    assert css.get_data() == (ASSETS_DIR / "govuk-frontend.min.css").read_bytes()
    assert b"/assets/fonts/" in css.get_data()
    assert client.get("/assets/images/favicon.ico").status_code == 200


def test_pages_link_the_stylesheets_from_both_folders(client_request, make_user):
    client_request.sign_in(make_user())
    page = client_request.get("/")
    stylesheets = [link["href"] for link in page.select("link[rel=stylesheet]")]
    assert stylesheets == ["/assets/govuk-frontend.min.css", "/static/app.css"]
