"""Victims and exclusion zones page by page: the questions, zones given without a map (a centre and a radius, a
file), non-associates, errors at the fields, the map's data, and victims' details only for those allowed, audited."""

import io
import json

import pytest

from app import create_app
from app.extensions import db
from app.models import AuditEvent
from app.permissions import Role
from tests.app.pages import error_messages

SQUARE = {"type": "Polygon", "coordinates": [[[-1.56, 53.79], [-1.55, 53.79], [-1.55, 53.80], [-1.56, 53.80],
                                              [-1.56, 53.79]]]}


def _url(referral, slug: str) -> str:
    return f"/referrals/{referral.id}/victims/{slug}"


def _rows(page) -> dict[str, str]:
    return {row.dt.text.strip(): row.dd.get_text(" ", strip=True) for row in page.select(".govuk-summary-list__row")}


def _summary(page) -> list[str]:
    return [link["href"] for link in page.select(".govuk-error-summary a")]


def _views() -> list[dict]:
    return [event.details for event in db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "victim_details_viewed").order_by(AuditEvent.id))]


@pytest.fixture
def answered(manager, make_referral):
    return make_referral(manager, has_exclusion_zones=True, has_non_associates=True)


def test_the_section_page_by_page_with_a_zone_and_a_non_associate(client_request, referral):
    assert client_request.post(_url(referral, "victim-contact"), {"victim_contact_scheme": "opted_in"}) == \
        _url(referral, "has-zones")
    assert client_request.post(_url(referral, "has-zones"), {"has_exclusion_zones": "yes"}) == _url(referral, "zones")
    page = client_request.get(_url(referral, "zones"))
    assert "No exclusion zones added yet" in page.select_one("table").text
    assert not page.select("[data-zone-map]")
    page = client_request.post(_url(referral, "zones"), {}, expected_status=200)
    assert error_messages(page) == {"add-error": "Add an exclusion zone"}  # beside the button that adds one
    assert _summary(page) == ["#add"] and page.select_one("#add").text == "Add an exclusion zone"

    assert client_request.post(_url(referral, "zones/new"), {
        "label": "Zone 1: city centre", "source": "circle", "centre": "Leeds", "radius_miles": "1"}) == \
        _url(referral, "zones")
    page = client_request.get(_url(referral, "zones"))
    assert [cell.get_text(" ", strip=True) for cell in page.select("tbody tr > *")][:3] == [
        "Zone 1: city centre", "1 mile (1.6 km) around Leeds", "A centre and a radius"]
    [feature] = json.loads(page.select_one("[data-zone-map]")["data-zones"])
    assert (feature["properties"], feature["geometry"]["type"]) == ({"label": "Zone 1: city centre"}, "Polygon")
    assert client_request.post(_url(referral, "zones"), {}) == _url(referral, "has-non-associates")

    assert client_request.post(_url(referral, "has-non-associates"), {"has_non_associates": "yes"}) == \
        _url(referral, "non-associates")
    assert client_request.post(_url(referral, "non-associates/new"), {
        "crn": "a111111", "name": "Sam Fictional", "reason": "other", "reason_detail": "Rival families"}) == \
        _url(referral, "non-associates")
    assert client_request.post(_url(referral, "non-associates"), {}) == _url(referral, "check-answers")

    page = client_request.get(_url(referral, "check-answers"))
    rows = _rows(page)
    assert (rows["Victim contact scheme"], rows["Zones"], rows["Who"]) == (
        "Yes, a victim has opted in to the victim contact scheme", "Zone 1: city centre",
        "Sam Fictional (A111111): Another reason, Rival families")
    assert page.select_one("[data-zone-map]") and page.select_one("table caption").text == "Exclusion zones"
    assert [view["seen_on"] for view in _views()] == ["exclusion zones"] * 3 + ["check answers"]
    task_list = client_request.get(f"/referrals/{referral.id}")
    item = next(item for item in task_list.select(".govuk-task-list__item") if "Victims" in item.text)
    assert item.select_one(".govuk-task-list__status").text.strip() == "Completed"


def test_an_uploaded_geojson_file_is_a_zone(client_request, answered):
    upload = (io.BytesIO(json.dumps({"type": "Feature", "properties": {}, "geometry": SQUARE}).encode()),
              "zone.geojson")
    posted = {"label": "Work", "source": "uploaded", "uploaded": upload}
    assert client_request.post(_url(answered, "zones/new"), posted) == _url(answered, "zones")
    assert [zone.source.value for zone in answered.exclusion_zones] == ["uploaded"]


def test_a_zone_drawn_on_the_map_arrives_as_geojson_in_a_hidden_field(client_request, answered):
    page = client_request.get(_url(answered, "zones/new"))
    assert page.select_one("form.app-zone-form")["enctype"] == "multipart/form-data"
    assert page.select_one("[data-draw-into]")["data-draw-into"] == "drawn"
    assert page.select_one("input#drawn")["type"] == "hidden"
    assert client_request.post(_url(answered, "zones/new"), {"label": "Home", "source": "drawn",
                                                             "drawn": json.dumps(SQUARE)}) == _url(answered, "zones")
    assert answered.exclusion_zones[0].centre_name == "Leeds"


def test_zone_errors_are_at_their_fields_and_the_drawing_is_kept(client_request, answered):
    page = client_request.post(_url(answered, "zones/new"), {"label": "12 Acacia Avenue", "source": "circle",
                                                             "centre": "Atlantis", "radius_miles": "0"},
                               expected_status=200)
    assert error_messages(page) == {
        "label": "The label must not be an address or a postcode: describe the zone, for example ‘Zone 1: town centre’",
        "centre": "Enter a town in England or Wales, or a postcode district, like Leeds or LS1",
        "radius_miles": "The radius must be more than 0 miles"}
    assert _summary(page) == ["#label", "#centre", "#radius_miles"]
    bow_tie = json.dumps({"type": "Polygon", "coordinates": [[[-1.56, 53.79], [-1.55, 53.80], [-1.55, 53.79],
                                                              [-1.56, 53.80], [-1.56, 53.79]]]})
    page = client_request.post(_url(answered, "zones/new"), {"label": "Home", "source": "drawn", "drawn": bow_tie},
                               expected_status=200)
    assert error_messages(page) == {
        "source": "The zone's edges cross each other: draw or export it again so that no edges cross"}
    assert page.select_one("input#drawn")["value"] == bow_tie
    page = client_request.post(_url(answered, "zones/new"), {"label": "Home", "source": "uploaded"},
                               expected_status=200)
    assert error_messages(page) == {"uploaded": "Select a GeoJSON file"}
    page = client_request.post(_url(answered, "zones/new"), {"label": "Home", "radius_miles": "one"},
                               expected_status=200)
    assert error_messages(page) == {"source": "Select how you will give the zone",
                                    "radius_miles": "Enter the radius as a number of miles, like 1 or 0.5"}
    assert answered.exclusion_zones == []


def test_a_zone_and_a_non_associate_are_removed(client_request, answered):
    client_request.post(_url(answered, "zones/new"), {"label": "Zone", "source": "circle", "centre": "Leeds",
                                                      "radius_miles": "2"})
    client_request.post(_url(answered, "non-associates/new"), {"crn": "A111111", "name": "Sam", "reason": "gang"})
    zone, other = answered.exclusion_zones[0], answered.non_associates[0]
    assert client_request.post(_url(answered, f"zones/{zone.id}/remove")) == _url(answered, "zones")
    assert client_request.post(_url(answered, f"non-associates/{other.id}/remove")) == _url(answered, "non-associates")
    db.session.expire_all()
    assert (answered.exclusion_zones, answered.non_associates) == ([], [])
    client_request.post(_url(answered, f"zones/{zone.id}/remove"), expected_status=404)


def test_the_person_themself_as_a_non_associate_is_an_error_at_the_crn(client_request, answered):
    page = client_request.post(_url(answered, "non-associates/new"),
                               {"crn": "X123456", "name": "Jane", "reason": "other"}, expected_status=200)
    assert error_messages(page) == {
        "crn": "X123456 is the CRN of Jane Fictional, who is being referred: enter the non-associate's CRN",
        "reason_detail": "Describe the reason"}
    assert _summary(page) == ["#crn", "#reason_detail"]
    assert answered.non_associates == []


def test_answering_no_while_zones_are_listed_is_an_error(client_request, answered):
    client_request.post(_url(answered, "zones/new"), {"label": "Zone", "source": "circle", "centre": "Leeds",
                                                      "radius_miles": "2"})
    page = client_request.post(_url(answered, "has-zones"), {"has_exclusion_zones": "no"}, expected_status=200)
    assert error_messages(page) == {"has_exclusion_zones": "Remove the exclusion zones first, or select yes"}


def test_a_list_page_that_does_not_apply_leads_back_into_the_section(client_request, referral):
    assert client_request.get(_url(referral, "zones"), expected_status=302)
    assert not _views()


def test_the_map_base_layer_has_the_regions_and_towns(client_request, manager):
    layer = client_request.client.get("/map/base-layer.json").get_json()
    assert len(layer["regions"]["features"]) == 12
    leeds = next(town for town in layer["towns"] if town[0] == "Leeds")
    assert leeds[1:3] == pytest.approx([-1.55, 53.80], abs=0.01) and leeds[3] > 400_000


@pytest.mark.parametrize("role", [Role.ASSESSOR, Role.REGIONAL_MANAGER])
@pytest.mark.parametrize("slug", ["zones", "zones/new", "non-associates", "non-associates/new", "check-answers"])
def test_only_offender_managers_reach_the_victims_pages_they_write(client_request, answered, make_user, role, slug):
    client_request.sign_in(make_user(role, region=answered.region))
    client_request.get(_url(answered, slug), expected_status=403)
    assert not _views()


@pytest.mark.parametrize("slug", ["zones", "zones/new", "non-associates", "non-associates/new", "check-answers"])
def test_another_regions_offender_manager_gets_404(client_request, answered, other_region_manager, slug):
    client_request.sign_in(other_region_manager)
    client_request.get(_url(answered, slug), expected_status=404)
    client_request.post(_url(answered, "zones/new"), {"label": "Zone", "source": "circle", "centre": "Leeds",
                                                      "radius_miles": "2"}, expected_status=404)
    assert answered.exclusion_zones == [] and not _views()


def test_map_tiles_are_drawn_and_allowed_only_when_a_tile_server_is_configured(client_request, answered, app,
                                                                                monkeypatch):
    page = client_request.get(_url(answered, "zones/new"))
    assert not page.select_one("[data-zone-map]").has_attr("data-tile-url")
    monkeypatch.setitem(app.config, "MAP_TILE_URL", "https://{s}.tile.example.org/{z}/{x}/{y}.png")
    page = client_request.get(_url(answered, "zones/new"))
    assert page.select_one("[data-zone-map]")["data-tile-url"] == "https://{s}.tile.example.org/{z}/{x}/{y}.png"
    assert "img-src 'self' data:;" in client_request.client.get("/health").headers["Content-Security-Policy"]
    tiled = create_app("test", MAP_TILE_URL="https://{s}.tile.example.org/{z}/{x}/{y}.png")
    assert "img-src 'self' data: https://*.tile.example.org;" in \
        tiled.test_client().get("/health").headers["Content-Security-Policy"]
