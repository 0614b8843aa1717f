import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.extensions import db
from app.filters import govuk_date
from app.models import PlacementStatus, Region
from app.permissions import Role
from tests.app.manage.estate_factories import add_out_of_service, add_placement, beds_of, days
from tests.app.pages import error_messages
from vocabulary import CHARACTERISTICS, APType, CharacteristicScope, Gender, MappaLevel, RiskLevel


@pytest.fixture
def london():
    return db.session.scalar(sa.select(Region).where(Region.name == "London"))


@pytest.fixture
def estate(make_premises, london):
    """A small estate: Preston (4 beds, 1 out of service, 2 occupied), Bolton (women, PIPE), Camden (London)."""
    preston = make_premises("Preston House", beds=4, characteristics=("is_catered", "has_lift"), town="Preston",
                            local_restrictions="No sexual offences against children")
    bolton = make_premises("Bolton House", beds=2, gender=Gender.FEMALE, ap_type=APType.PIPE, town="Bolton")
    camden = make_premises("Camden House", beds=3, target_region=london, town="London")
    add_out_of_service(beds_of(preston)[0], days(-1), days(5), reference="WO-1")
    add_placement(preston, arrival=days(-20), departure=days(30), name="Alex Fictional", rosh=RiskLevel.VERY_HIGH,
                  mappa_level=MappaLevel.MULTI_AGENCY, bed=beds_of(preston)[2])
    add_placement(preston, arrival=days(0), departure=days(56), status=PlacementStatus.UPCOMING, name="Bo Fictional")
    add_placement(preston, arrival=days(3), departure=days(56), status=PlacementStatus.UPCOMING, name="Cy Fictional")
    add_placement(camden, arrival=days(-3), departure=days(3))
    return {"preston": preston, "bolton": bolton, "camden": camden}


def _rows(page) -> dict[str, list[str]]:
    return {
        row.th.get_text(strip=True): [cell.get_text(strip=True) for cell in row.find_all("td")]
        for row in page.select("table tbody tr")
    }


def _summary(page, heading: str) -> dict[str, str]:
    summary_list = page.find("h2", string=lambda text: text and text.startswith(heading)).find_next("dl")
    return {
        row.select_one(".govuk-summary-list__key").get_text(strip=True): row.select_one(
            ".govuk-summary-list__value"
        ).get_text(" ", strip=True)
        for row in summary_list.select(".govuk-summary-list__row")
    }


# --- the list ------------------------------------------------------------------------------------------------


def test_list_shows_every_premises_with_counts_for_today(client_request, make_user, estate):
    client_request.sign_in(make_user(Role.ASSESSOR))
    page = client_request.get("/premises")
    assert page.h1.get_text(strip=True) == "Approved premises"
    assert _rows(page) == {
        "Bolton House": ["Bolton", "North West", "Women", "Psychologically informed planned environment (PIPE)", "2", "2", "0", "2"],
        "Camden House": ["London", "London", "Men", "Standard", "3", "3", "1", "2"],
        "Preston House": ["Preston", "North West", "Men", "Standard", "4", "3", "2", "1"],
    }
    caption = page.select_one("caption").get_text(" ", strip=True)
    assert caption == "3 premises: 9 beds, 8 in service, 3 occupied and 5 free today"
    link = page.find("a", string="Preston House")
    assert link["href"] == f"/premises/{estate['preston'].id}"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("gender=female", ["Bolton House"]),
        ("ap_type=pipe", ["Bolton House"]),
        ("characteristic=has_lift", ["Preston House"]),
        ("gender=male&characteristic=is_catered", ["Preston House"]),
        ("ap_type=standard&characteristic=is_catered", ["Preston House"]),
        ("gender=&ap_type=&characteristic=&region=", ["Bolton House", "Camden House", "Preston House"]),
    ],
)
def test_list_filters(client_request, make_user, estate, query, expected):
    client_request.sign_in(make_user(Role.ASSESSOR))
    page = client_request.get(f"/premises?{query}")
    assert sorted(_rows(page)) == expected
    assert page.find("a", string="Clear filters")["href"] == "/premises"


def test_ap_types_and_characteristics_are_each_offered_once(client_request, make_user, estate):
    client_request.sign_in(make_user(Role.ASSESSOR))
    page = client_request.get("/premises")
    assert _options(page, "ap_type") == [ap_type.label for ap_type in APType]
    assert _options(page, "characteristic") == [
        c.label for c in CHARACTERISTICS if c.scope is CharacteristicScope.PREMISES
    ]


def _options(page, field: str) -> list[str]:
    """The choices of a filter, less its first one ("All types", "Any"...)."""
    return [option.get_text(strip=True) for option in page.select(f"#{field} option")][1:]


def test_region_filter_keeps_the_choice_selected(client_request, make_user, estate, london):
    client_request.sign_in(make_user(Role.ASSESSOR))
    page = client_request.get(f"/premises?region={london.id}")
    assert list(_rows(page)) == ["Camden House"]
    assert page.select_one("#region option[selected]").get_text(strip=True) == "London"
    assert [option.get_text(strip=True) for option in page.select("#region option")] == [
        "All regions", "London", "North West",
    ]


def test_no_match_says_so(client_request, make_user, estate):
    client_request.sign_in(make_user(Role.ASSESSOR))
    page = client_request.get("/premises?characteristic=has_braille_signage")
    assert page.find("p", string="No approved premises match these filters.")
    assert not page.select("table")


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("region=999", "region", "Select a region from the list"),
        ("region=north", "region", "Select a region from the list"),
        ("gender=other", "gender", "Select men, women or both"),
        ("ap_type=castle", "ap_type", "Select an AP type from the list"),
        ("characteristic=has_moat", "characteristic", "Select a characteristic from the list"),
        ("characteristic=is_pipe", "characteristic", "Select a characteristic from the list"),  # the AP type says it
    ],
)
def test_unknown_filter_values_get_a_message_next_to_the_field(client_request, make_user, estate, query, field, message):
    client_request.sign_in(make_user(Role.ASSESSOR))
    page = client_request.get(f"/premises?{query}")
    assert error_messages(page) == {field: message}
    assert page.select_one(".govuk-error-summary a")["href"] == f"#{field}"
    assert not page.select("table")


def test_a_region_outside_the_users_scope_is_not_offered(client_request, make_user, estate, region, london):
    client_request.sign_in(make_user(Role.REGIONAL_MANAGER, region=region))
    page = client_request.get("/premises")
    assert sorted(_rows(page)) == ["Bolton House", "Preston House"]
    assert [option.get_text(strip=True) for option in page.select("#region option")] == ["North West"]
    page = client_request.get(f"/premises?region={london.id}")
    assert error_messages(page) == {"region": "Select a region from the list"}


def test_a_single_region_user_can_filter_without_naming_the_region(client_request, make_user, estate, region):
    client_request.sign_in(make_user(Role.REGIONAL_MANAGER, region=region))
    page = client_request.get("/premises?ap_type=pipe")
    assert not error_messages(page)
    assert list(_rows(page)) == ["Bolton House"]


def test_an_account_with_no_scope_sees_no_premises(client_request, make_user, estate):
    client_request.sign_in(make_user(Role.REFERRAL_UNIT))
    page = client_request.get("/premises")
    assert not page.select("table") and not page.select("#region")
    assert page.find("p", string=lambda text: text and text.startswith("There are no approved premises you can see."))
    client_request.get(f"/premises/{estate['preston'].id}", expected_status=404)


def test_ap_staff_see_only_their_premises(client_request, make_user, estate):
    client_request.sign_in(make_user(Role.AP_STAFF, premises=estate["bolton"]))
    assert list(_rows(client_request.get("/premises"))) == ["Bolton House"]


def test_navigation_and_home_page_lead_to_the_estate(client_request, make_user, estate):
    client_request.sign_in(make_user(Role.AP_STAFF, premises=estate["bolton"]))
    home = client_request.get("/")
    assert home.select_one(".govuk-service-navigation a[href='/premises']").get_text(strip=True) == "Approved premises"
    assert home.find("a", string="Go to Bolton House")["href"] == f"/premises/{estate['bolton'].id}"


def test_home_page_has_no_own_premises_link_for_national_users(client_request, make_user, estate):
    client_request.sign_in(make_user(Role.ASSESSOR))
    assert not client_request.get("/").find("a", string=lambda text: text and text.startswith("Go to "))


# --- one premises --------------------------------------------------------------------------------------------


def test_premises_page_shows_details_counts_rooms_and_out_of_service_beds(client_request, make_user, estate):
    preston = estate["preston"]
    client_request.sign_in(make_user(Role.ASSESSOR))
    page = client_request.get(f"/premises/{preston.id}")
    assert page.h1.get_text(strip=True) == "Preston House"
    assert page.title.string.startswith("Preston House")
    assert _summary(page, "Beds today") == {"Beds": "4", "In service": "3", "Occupied": "2", "Free": "1"}
    details = _summary(page, "Premises details")
    assert details["Code"] == preston.code
    assert details["Address"] == "1 Example Street, Preston"
    assert details["Postcode"] == "PR1 1AA"
    assert details["Region"] == "North West"
    assert details["AP type"] == "Standard"
    assert details["Local restrictions"] == "No sexual offences against children"
    assert [li.get_text(strip=True) for li in page.select("dd ul li")] == ["Is catered", "Lift"]
    rooms_table, out_of_service_table, *_ = page.select("table")
    assert [[cell.get_text(strip=True) for cell in row.find_all("td")] for row in rooms_table.select("tbody tr")][:2] == [
        ["Room 1", "Bed 1", "Single room", "Out of service"],
        ["Room 2", "Bed 2", "Single room", "In service"],
    ]
    [period] = out_of_service_table.select("tbody tr")
    assert [cell.get_text(strip=True) for cell in period.find_all("td")][1:] == [
        "Planned works",
        days(-1).strftime("%-d %B %Y"),
        days(5).strftime("%-d %B %Y"),
        "WO-1",
        "Out of service now",
    ]
    assert not page.find("a", string="Take a bed out of service")
    assert not page.find("h2", string="Current residents")


def test_residents_are_shown_to_users_who_may_see_them(client_request, make_user, estate):
    client_request.sign_in(make_user(Role.AP_STAFF, premises=estate["preston"]))
    page = client_request.get(f"/premises/{estate['preston'].id}")
    residents = page.find("h2", string="Current residents").find_next("table")
    rows = [[cell.get_text(" ", strip=True) for cell in row.find_all("td")] for row in residents.select("tbody tr")]
    assert [row[0] for row in rows] == ["Alex Fictional", "Bo Fictional"]
    assert [row[2] for row in rows] == ["Room 3, Bed 3", "Not allocated"]
    review_due = govuk_date(days(-30) + timedelta(weeks=16))  # the factory's people were assessed 30 days ago
    assert rows[0][5:] == [f"Very high Review due {review_due}", "Level 2: multi-agency management"]
    assert rows[1][3].endswith("(expected)") and rows[1][6] == "Not MAPPA"
    assert residents.select_one(".govuk-tag--red").get_text(strip=True) == "Very high"


def test_premises_with_no_beds_or_residents_reads_clearly(client_request, make_user, make_premises):
    empty = make_premises("Empty House", beds=0)
    client_request.sign_in(make_user(Role.ADMIN))
    page = client_request.get(f"/premises/{empty.id}")
    assert _summary(page, "Beds today") == {"Beds": "0", "In service": "0", "Occupied": "0", "Free": "0"}
    assert page.find("p", string="This premises has no rooms or beds recorded.")
    assert page.find("p", string="No beds are out of service now or planned to be.")
    assert page.find("p", string="Nobody is resident today.")


def test_closed_premises_page_warns(client_request, make_user, make_premises):
    closed = make_premises("Closed House", is_active=False)
    client_request.sign_in(make_user(Role.ADMIN))
    assert "This premises is closed" in client_request.get(f"/premises/{closed.id}").select_one(".govuk-warning-text").get_text()


@pytest.mark.parametrize(
    ("role", "scope", "target"),
    [
        (Role.AP_STAFF, "preston", "bolton"),
        (Role.AP_MANAGER, "preston", "camden"),
        (Role.REGIONAL_MANAGER, "region", "camden"),
    ],
)
def test_premises_outside_the_users_scope_are_not_found(client_request, make_user, estate, region, role, scope, target):
    user = make_user(role, premises=estate["preston"] if scope == "preston" else None, region=region)
    client_request.sign_in(user)
    page = client_request.get(f"/premises/{estate[target].id}", expected_status=404)
    assert page.h1.get_text(strip=True) == "Page not found"
    client_request.get(f"/premises/{estate['preston'].id}")


def test_unknown_premises_is_not_found(client_request, make_user):
    client_request.sign_in(make_user(Role.ADMIN))
    client_request.get("/premises/999999", expected_status=404)


# --- downloads -----------------------------------------------------------------------------------------------


def _download(client_request, url: str) -> list[list[str]]:
    response = client_request.client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="approved-premises-')
    return list(csv.reader(io.StringIO(response.get_data(as_text=True), newline="")))


def test_the_list_downloads_as_csv_with_its_filters_and_counts(client_request, make_user, estate):
    client_request.sign_in(make_user(Role.NATIONAL_MANAGER))
    page = client_request.get("/premises?gender=male")
    assert page.find("a", string="CSV")["href"] == "/premises/download.csv?gender=male"

    header, *rows = _download(client_request, "/premises/download.csv?gender=male")

    assert header[:8] == ["Name", "Code", "Town", "Postcode", "Region", "Gender", "AP type", "Beds"]
    assert [row[0] for row in rows] == ["Camden House", "Preston House"]
    assert rows[1][2:] == ["Preston", "PR1 1AA", "North West", "Men", "Standard", "4", "3", "2", "1"]


def test_the_download_holds_only_premises_the_user_may_see(client_request, make_user, estate):
    client_request.sign_in(make_user(Role.AP_STAFF, premises=estate["bolton"]))
    assert [row[0] for row in _download(client_request, "/premises/download.csv")[1:]] == ["Bolton House"]


def test_the_list_downloads_as_a_workbook(client_request, make_user, estate):
    client_request.sign_in(make_user(Role.NATIONAL_MANAGER))
    response = client_request.client.get("/premises/download.xlsx?ap_type=pipe")
    sheet = load_workbook(io.BytesIO(response.data))["Approved premises"]
    assert [row[:8] for row in sheet.iter_rows(values_only=True)][1:] == [
        ("Bolton House", "BOL2", "Bolton", "PR1 1AA", "North West", "Women",
         "Psychologically informed planned environment (PIPE)", 2)]


def test_a_download_with_a_wrong_filter_goes_back_to_the_list_which_explains(client_request, make_user, estate):
    client_request.sign_in(make_user(Role.NATIONAL_MANAGER))
    assert client_request.client.get("/premises/download.csv?gender=other").headers["Location"] == "/premises?gender=other"
    client_request.get("/premises/download.pdf", expected_status=404)
