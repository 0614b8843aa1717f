"""Browsing the estate and taking beds out of service, as offender managers, regional staff and AP staff do.

The session's other journeys change the same demo data, so these pick what they need from the page and
check what must hold whatever else has been added, never exact totals."""

import csv
import uuid
from datetime import date, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.filters import govuk_date
from app.models import Premises, Region

pytestmark = pytest.mark.browser

REGION = "North West"
ROSH_LEVELS = {"Low", "Medium", "High", "Very high"}


@pytest.fixture(scope="module")
def premises_outside_region(live_app) -> str:
    """The address of a premises outside the North West: no page shows it to the journeys scoped to that region."""
    with live_app.app_context():
        premises_id = db.session.scalar(select(Premises.id).join(Premises.region).where(Region.name != REGION).limit(1))
    return f"/premises/{premises_id}"


def _column(page: Page, number: int) -> list[str]:
    """The texts of one column of the premises table; the first column is the row header with the name."""
    return page.locator(f".govuk-table__body tr > :nth-child({number})").all_inner_texts()


def _with_query_value(path: str, name: str, value: str) -> str:
    """The path with one query-string value replaced, as someone editing the address bar would."""
    parts = urlsplit(path)
    return parts._replace(query=urlencode({**dict(parse_qsl(parts.query)), name: value})).geturl()


def _expect_not_found(page: Page) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")


def test_offender_manager_filters_the_estate_and_opens_a_premises(journey):
    page = journey.sign_in("offender.manager@demo.test")
    journey.navigate_to("Approved premises")
    caption = page.locator(".govuk-table__caption")
    national_totals = caption.inner_text()
    assert len(set(_column(page, 3))) > 1, "the whole estate spans several regions"

    page.get_by_label("Region").select_option(label=REGION)
    page.get_by_label("Gender").select_option(label="Men")
    page.get_by_label("AP type").select_option(label="Standard")  # a type and a characteristic can be combined
    page.get_by_label("Characteristic").select_option(label="Hearing loop")
    journey.click("button", "Apply filters")
    expect(caption).not_to_have_text(national_totals)
    assert set(_column(page, 3)) == {REGION}
    assert set(_column(page, 4)) == {"Men"}
    assert set(_column(page, 5)) == {"Standard"}
    expect(page.get_by_label("Characteristic").locator("option:checked")).to_have_text("Hearing loop")
    expect(page.get_by_role("link", name="Clear filters")).to_be_visible()
    journey.screenshot("estate-filtered")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV", exact=True).click()
    header, *rows = list(csv.reader(open(download.value.path(), newline="", encoding="utf-8")))
    assert header[0] == "Name" and sorted(row[0] for row in rows) == sorted(_column(page, 1))
    tampered_list = _with_query_value(page.url.removeprefix(journey.base_url), "gender", "robots")

    name = page.locator(".govuk-table__body th a").first.inner_text()
    journey.click("link", name, exact=True)
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.locator(".govuk-summary-list__row", has_text="Characteristics")).to_contain_text("Hearing loop")
    beds = page.locator("table", has=page.get_by_role("columnheader", name="Room characteristics")).locator("tbody tr")
    expect(beds.first).to_be_visible()
    expect(page.get_by_role("heading", name="Current residents")).to_have_count(0)
    expect(page.get_by_role("columnheader", name="CRN")).to_have_count(0)
    expect(page.get_by_role("link", name="Take a bed out of service")).to_have_count(0)
    journey.screenshot("estate-premises-offender-manager")

    journey.open(tampered_list)
    journey.expect_error("gender", "Select men, women or both")
    expect(page.get_by_label("Region").locator("option:checked")).to_have_text(REGION)
    expect(page.locator(".govuk-table")).to_have_count(0)
    journey.screenshot("estate-filter-error")


def test_regional_user_sees_only_their_region(journey, premises_outside_region):
    page = journey.sign_in("referral.unit@demo.test")
    journey.navigate_to("Approved premises")
    expect(page.get_by_label("Region").locator("option")).to_have_text([REGION])  # one region: no "All regions"
    assert _column(page, 1), "the region has premises"
    assert set(_column(page, 3)) == {REGION}
    journey.screenshot("estate-referral-unit")

    _expect_not_found(journey.open(premises_outside_region))


def _fill_out_of_service_dates(page: Page, start: date, end: date) -> None:
    for legend, day in (("Start date", start), ("End date", end)):
        dates = page.get_by_role("group", name=legend)
        dates.get_by_label("Day").fill(str(day.day))
        dates.get_by_label("Month").fill(str(day.month))
        dates.get_by_label("Year").fill(str(day.year))


def _open_ribble_house(journey) -> Page:
    page = journey.sign_in("ap.staff@demo.test")
    journey.navigate_to("Approved premises")
    assert page.locator(".govuk-table__body th").all_inner_texts() == ["Ribble House"]
    journey.click("link", "Ribble House", exact=True)
    return page


def test_ap_staff_take_a_bed_out_of_service_and_cancel_it(journey, premises_outside_region):
    page = _open_ribble_house(journey)
    residents = page.locator("table", has=page.get_by_role("columnheader", name="RoSH"))
    expect(residents.locator("tbody tr").first).to_be_visible()
    assert set(residents.locator(".govuk-tag").all_inner_texts()) <= ROSH_LEVELS | {"Review overdue"}
    journey.screenshot("ap-staff-premises")

    rooms = page.locator("table", has=page.get_by_role("columnheader", name="Room characteristics"))
    bed_row = rooms.locator("tbody tr", has=page.locator(".govuk-tag", has_text="In service")).last
    room_name, bed = bed_row.locator("td").nth(0).inner_text(), bed_row.locator("td").nth(1).inner_text()
    bed_name = f"{room_name}, {bed}"
    reference = f"WO-{uuid.uuid4().hex[:8]}"
    start = clock.today() + timedelta(days=300)

    journey.click("link", f"Take out of service {bed_name}", exact=True)
    expect(page.get_by_label("Bed", exact=True).locator("option:checked")).to_have_text(bed_name)
    page.get_by_label("Planned works", exact=True).check()
    _fill_out_of_service_dates(page, start, start - timedelta(days=1))
    page.get_by_label("Reference (optional)").fill(reference)
    journey.click("button", "Take bed out of service")
    # The date's summary link does not move the focus: see test_error_summary_link_takes_the_focus_to_the_date.
    journey.expect_error("end_date", "The end date must be the same as or after the start date",
                         summary_link_focuses_field=False)
    expect(page.get_by_role("group", name="Start date").get_by_label("Day")).to_have_value(str(start.day))
    expect(page.get_by_label("Reference (optional)")).to_have_value(reference)
    journey.screenshot("out-of-service-error")

    _fill_out_of_service_dates(page, start, start + timedelta(days=6))
    journey.click("button", "Take bed out of service")
    journey.expect_success(f"{bed_name} is out of service from {govuk_date(start)}")
    period = page.locator("tr", has_text=reference)
    expect(period).to_have_count(1)  # the refused submission saved nothing
    expect(period.locator(".govuk-tag")).to_have_text("Planned")
    journey.screenshot("out-of-service-planned")

    journey.click("link", f"Cancel out of service period for {bed_name} from {govuk_date(start)}", exact=True)
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel this out-of-service period?")
    expect(page.locator(".govuk-summary-list")).to_contain_text(reference)
    journey.screenshot("out-of-service-cancel")
    journey.click("button", "Yes, cancel it")
    journey.expect_success(f"{bed_name} is back in service")
    expect(period.locator(".govuk-tag")).to_have_text("Cancelled")
    expect(period.get_by_role("link")).to_have_count(0)

    _expect_not_found(journey.open(premises_outside_region))


def test_a_bed_with_a_resident_in_it_stays_in_service(journey):
    page = _open_ribble_house(journey)
    resident = page.locator("table", has=page.get_by_role("columnheader", name="RoSH")).locator("tbody tr").first
    crn, bed_name = resident.locator("td").nth(1).inner_text(), resident.locator("td").nth(2).inner_text()
    journey.click("link", f"Take out of service {bed_name}", exact=True)
    page.get_by_label("Incident", exact=True).check()
    _fill_out_of_service_dates(page, clock.today(), clock.today() + timedelta(days=2))
    journey.click("button", "Take bed out of service")
    journey.expect_error("bed", f"{bed_name} is occupied by {crn}")
    journey.screenshot("out-of-service-resident-clash")


def test_error_summary_link_takes_the_focus_to_the_date(journey):
    page = _open_ribble_house(journey)
    journey.click("button", "Take a bed out of service", exact=True)
    page.get_by_label("Bed", exact=True).select_option(index=1)
    page.get_by_label("Planned works", exact=True).check()
    start = clock.today() + timedelta(days=330)
    _fill_out_of_service_dates(page, start, start - timedelta(days=1))
    journey.click("button", "Take bed out of service")
    journey.expect_error("end_date", "The end date must be the same as or after the start date")
