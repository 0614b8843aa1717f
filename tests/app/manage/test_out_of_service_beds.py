import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEvent, OutOfServiceBed, OutOfServiceReason
from app.permissions import Role
from tests.app.manage.estate_factories import add_out_of_service, add_placement, beds_of, days
from tests.app.pages import error_messages


@pytest.fixture
def premises(make_premises):
    return make_premises("Preston House", beds=3)


@pytest.fixture
def manager(make_user, premises, client_request):
    user = make_user(Role.AP_MANAGER, premises=premises)
    client_request.sign_in(user)
    return user


def _url(premises) -> str:
    return f"/premises/{premises.id}/out-of-service-beds/new"


def _date(prefix: str, day) -> dict:
    return {prefix: [str(day.day), str(day.month), str(day.year)]}


def _form(chosen_bed, start=None, end=None, **overrides) -> dict:
    data = {
        "bed": str(chosen_bed.id),
        "reason": OutOfServiceReason.FLOOD_FIRE_REPAIR.value,
        **_date("start_date", start or days(1)),
        **_date("end_date", end or days(10)),
        "reference": "WO-77",
        "notes": "Burst pipe",
    }
    data.update(overrides)
    return data


def _periods() -> list[OutOfServiceBed]:
    return list(db.session.scalars(sa.select(OutOfServiceBed).order_by(OutOfServiceBed.id)))


def _audit_actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


# --- taking a bed out of service -----------------------------------------------------------------------------


def test_form_offers_the_premises_beds_and_every_reason(client_request, manager, premises):
    page = client_request.get(_url(premises))
    assert page.h1.get_text(strip=True) == "Take a bed out of service"
    assert [o.get_text(strip=True) for o in page.select("#bed option")] == [
        "Select a bed", "Room 1, Bed 1", "Room 2, Bed 2", "Room 3, Bed 3",
    ]
    labels = [label.get_text(strip=True) for label in page.select(".govuk-radios__label")]
    assert labels == [reason.label for reason in OutOfServiceReason]
    assert page.select_one("#start_date-day") and page.select_one("#end_date-year")
    assert [legend.get_text(strip=True) for legend in page.select("legend")] == [
        "Why is the bed out of service?", "Start date", "End date",
    ]


def test_a_bed_can_be_chosen_from_the_premises_page(client_request, manager, premises):
    bed = beds_of(premises)[1]
    detail = client_request.get(f"/premises/{premises.id}")
    link = detail.select_one(f"a[href='{_url(premises)}?bed_id={bed.id}']")
    assert link.get_text(" ", strip=True) == "Take out of service Room 2, Bed 2"
    page = client_request.get(f"{_url(premises)}?bed_id={bed.id}")
    assert page.select_one("#bed option[selected]").get_text(strip=True) == "Room 2, Bed 2"


def test_taking_a_bed_out_of_service(client_request, manager, premises):
    bed = beds_of(premises)[2]
    location = client_request.post(_url(premises), _form(bed))
    assert location == f"/premises/{premises.id}"
    [period] = _periods()
    assert (period.bed_id, period.reason, period.start_date, period.end_date) == (
        bed.id, OutOfServiceReason.FLOOD_FIRE_REPAIR, days(1), days(10)
    )
    assert (period.reference, period.notes, period.created_by_id) == ("WO-77", "Burst pipe", manager.id)
    assert _audit_actions() == ["out_of_service_bed_created"]
    page = client_request.get(location)
    banner = page.select_one(".govuk-notification-banner--success").get_text(" ", strip=True)
    assert f"Room 3, Bed 3 is out of service from {days(1).strftime('%-d %B %Y')}" in banner
    assert "Planned" in page.find("td", string="Room 3, Bed 3").find_parent("tr").get_text()


def test_an_admin_can_take_a_bed_out_of_service_anywhere(client_request, make_user, premises):
    client_request.sign_in(make_user(Role.ADMIN))
    assert client_request.post(_url(premises), _form(beds_of(premises)[0])) == f"/premises/{premises.id}"
    assert len(_periods()) == 1


def test_an_empty_form_reports_every_field(client_request, manager, premises):
    page = client_request.post(_url(premises), {}, expected_status=200)
    assert error_messages(page) == {
        "bed": "Select a bed",
        "reason": "Select why the bed is out of service",
        "start_date-day": "Enter the start date",
        "end_date-day": "Enter the end date",
    }
    assert [a["href"] for a in page.select(".govuk-error-summary a")] == ["#bed", "#reason", "#start_date-day", "#end_date-day"]
    assert _periods() == []


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"bed": "999999"}, "bed", "Select a bed"),
        ({"bed": "not-a-bed"}, "bed", "Select a bed"),
        ({"reason": "boredom"}, "reason", "Select why the bed is out of service"),
        ({"start_date": ["", "4", "2031"]}, "start_date-day", "Start date must include a day"),
        ({"start_date": ["1", "", ""]}, "start_date-day", "Start date must include a month and a year"),
        ({"start_date": ["31", "2", "2031"]}, "start_date-day", "Start date must be a real date"),
        ({"start_date": ["x", "2", "2031"]}, "start_date-day", "Start date must be a real date"),
        ({"end_date": ["1", "2", "31"]}, "end_date-day", "Year must include 4 numbers"),
        ({"end_date": ["1", "2"]}, "end_date-day", "End date must include a year"),
        ({"reference": "x" * 61}, "reference", "Reference must be 60 characters or fewer"),
        ({"notes": "x" * 2001}, "notes", "Notes must be 2,000 characters or fewer"),
    ],
)
def test_bad_input_is_reported_next_to_the_field_and_nothing_is_saved(
    client_request, manager, premises, overrides, field, message
):
    page = client_request.post(_url(premises), _form(beds_of(premises)[0], **overrides), expected_status=200)
    assert error_messages(page) == {field: message}
    assert page.title.string.startswith("Error: ")
    assert _periods() == [] and _audit_actions() == []


def test_a_tampered_date_with_four_parts_is_refused_not_crashed(client_request, manager, premises):
    """The fourth part is ignored; the first three must still make a real date."""
    page = client_request.post(
        _url(premises), _form(beds_of(premises)[0], start_date=["30", "2", "2031", "1"]), expected_status=200
    )
    assert error_messages(page) == {"start_date-day": "Start date must be a real date"}


def test_end_before_start_is_reported_on_the_end_date(client_request, manager, premises):
    page = client_request.post(_url(premises), _form(beds_of(premises)[0], days(5), days(4)), expected_status=200)
    assert error_messages(page) == {"end_date-day": "The end date must be the same as or after the start date"}
    assert page.select_one("#start_date-day")["value"] == str(days(5).day)
    assert _periods() == []


def test_an_overlapping_period_is_reported_on_the_start_date(client_request, manager, premises):
    bed = beds_of(premises)[0]
    existing = add_out_of_service(bed, days(3), days(6))
    page = client_request.post(_url(premises), _form(bed, days(6), days(9)), expected_status=200)
    message = error_messages(page)["start_date-day"]
    assert message.startswith("Room 1, Bed 1 is already out of service from")
    assert message.endswith("Choose dates that do not overlap")
    assert _periods() == [existing]


def test_a_bed_of_another_premises_is_refused(client_request, manager, premises, make_premises):
    other = make_premises("Other House")
    page = client_request.post(_url(premises), _form(beds_of(other)[0]), expected_status=200)
    assert error_messages(page) == {"bed": "Select a bed"}
    assert _periods() == []


def test_ap_managers_cannot_reach_another_premises(client_request, manager, make_premises):
    other = make_premises("Other House")
    client_request.get(_url(other), expected_status=404)
    client_request.post(_url(other), _form(beds_of(other)[0]), expected_status=404)
    assert _periods() == []


def test_ap_staff_are_forbidden(client_request, make_user, premises):
    client_request.sign_in(make_user(Role.AP_STAFF, premises=premises))
    client_request.get(_url(premises), expected_status=403)
    assert not client_request.get(f"/premises/{premises.id}").find("a", string="Take a bed out of service")


# --- cancelling ----------------------------------------------------------------------------------------------


def _cancel_url(period) -> str:
    return f"/premises/{period.bed.room.premises_id}/out-of-service-beds/{period.id}/cancel"


def test_cancelling_asks_for_confirmation_then_puts_the_bed_back(client_request, manager, premises):
    period = add_out_of_service(beds_of(premises)[0], days(-1), days(3), reference="WO-9")
    detail = client_request.get(f"/premises/{premises.id}")
    assert detail.select_one(f"a[href='{_cancel_url(period)}']").get_text(strip=True).startswith("Cancel")
    page = client_request.get(_cancel_url(period))
    assert page.h1.get_text(strip=True) == "Cancel this out-of-service period?"
    assert "WO-9" in page.select_one(".govuk-summary-list").get_text()
    assert page.find("button", string=lambda text: text and "Yes, cancel it" in text)
    assert client_request.post(_cancel_url(period)) == f"/premises/{premises.id}"
    assert period.is_cancelled and period.cancelled_by_id == manager.id
    assert _audit_actions() == ["out_of_service_bed_cancelled"]
    page = client_request.get(f"/premises/{premises.id}")
    assert "Room 1, Bed 1 is back in service" in page.select_one(".govuk-notification-banner").get_text()
    assert page.find("td", string="Room 1, Bed 1").find_parent("tr").select_one(".govuk-tag--grey").get_text(strip=True) == "Cancelled"


def test_a_cancelled_period_cannot_be_cancelled_again(client_request, manager, premises):
    period = add_out_of_service(beds_of(premises)[0], days(-1), days(3), cancelled=True)
    reason = "This out-of-service period has already been cancelled"
    page = client_request.get(_cancel_url(period))
    assert reason in page.select_one(".govuk-inset-text").get_text()
    assert not page.select_one("main form")
    assert client_request.post(_cancel_url(period)) == f"/premises/{premises.id}"
    assert reason in client_request.get(f"/premises/{premises.id}").select_one(".govuk-notification-banner").get_text()
    assert _audit_actions() == []


def test_past_periods_are_listed_apart_and_can_be_cancelled(client_request, manager, premises):
    past = add_out_of_service(beds_of(premises)[1], days(-30), days(-20), reference="WO-OLD")
    add_out_of_service(beds_of(premises)[0], days(2), days(4), reference="WO-NEW")
    page = client_request.get(f"/premises/{premises.id}")
    heading = page.find("h3", string="Past out-of-service periods")
    [row] = heading.find_next("table").select("tbody tr")
    cells = [cell.get_text(strip=True) for cell in row.find_all("td")]
    assert cells[0] == "Room 2, Bed 2" and cells[4:6] == ["WO-OLD", "Ended"]
    assert row.select_one(f"a[href='{_cancel_url(past)}']")
    assert "WO-OLD" not in heading.find_previous("table").get_text()
    assert client_request.post(_cancel_url(past)) == f"/premises/{premises.id}"
    assert past.is_cancelled


def test_a_bed_with_a_resident_is_refused_naming_them(client_request, manager, premises):
    bed = beds_of(premises)[0]
    resident = add_placement(premises, arrival=days(-5), departure=days(5), bed=bed)
    page = client_request.post(_url(premises), _form(bed, days(1), days(10)), expected_status=200)
    message = error_messages(page)["bed"]
    assert message.startswith(f"Room 1, Bed 1 is occupied by {resident.person.crn} (from {_long(days(-5))} to {_long(days(5))})")
    assert f"clashes from {_long(days(1))} to {_long(days(4))}" in message
    assert _periods() == []


def test_an_end_more_than_two_years_ahead_is_refused(client_request, manager, premises):
    page = client_request.post(_url(premises), _form(beds_of(premises)[0], days(1), days(800)), expected_status=200)
    assert error_messages(page)["end_date-day"].startswith("The end date must be no more than 2 years from today")
    assert _periods() == []


def _long(day) -> str:
    return day.strftime("%-d %B %Y")


def test_cancelling_at_another_premises_is_not_found(client_request, manager, premises, make_premises):
    other = make_premises("Other House")
    theirs = add_out_of_service(beds_of(other)[0], days(1), days(3))
    client_request.get(_cancel_url(theirs), expected_status=404)
    client_request.post(_cancel_url(theirs), expected_status=404)
    # nor through their own premises' address
    client_request.get(f"/premises/{premises.id}/out-of-service-beds/{theirs.id}/cancel", expected_status=404)
    assert not theirs.is_cancelled
