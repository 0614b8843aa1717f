"""Administrators read every email the service has written, and why any was not sent."""

from datetime import datetime

from app.extensions import db
from app.models import OutboxMessage
from app.permissions import Role


def _message(**fields) -> OutboxMessage:
    message = OutboxMessage(**{"recipient": "om@example.test", "subject": "Referral assessed",
                               "body": "Olu Manager,\n\nThe referral has been assessed.", **fields})
    db.session.add(message)
    db.session.commit()
    return message


def test_the_outbox_lists_emails_newest_first_with_their_status(client_request, make_user):
    _message(subject="Older", created_at=datetime(2030, 3, 1, 9, 0))
    _message(subject="Newer", created_at=datetime(2030, 3, 2, 14, 5), attempts=2, last_error="Connection refused")
    client_request.sign_in(make_user(Role.ADMIN))

    page = client_request.get("/admin/outbox")

    rows = [[cell.get_text(" ", strip=True) for cell in row.find_all("td")] for row in page.select("tbody tr")]
    assert rows == [
        ["2 March 2030 at 2:05pm", "om@example.test", "Newer", "Kept in the outbox: no mail server is configured"],
        ["1 March 2030 at 9:00am", "om@example.test", "Older", "Kept in the outbox: no mail server is configured"],
    ]
    assert "No mail server is configured" in page.select_one("main p").get_text()


def test_an_email_shows_its_whole_body_and_its_last_error(client_request, make_user):
    message = _message(attempts=3, last_error="SMTPServerDisconnected: gone")
    client_request.sign_in(make_user(Role.ADMIN))

    page = client_request.get(f"/admin/outbox/{message.id}")

    assert page.h1.get_text(strip=True) == "Referral assessed"
    assert page.select_one(".app-email-body").get_text() == "Olu Manager,\n\nThe referral has been assessed."
    summary = {row.dt.get_text(strip=True): row.dd.get_text(strip=True) for row in page.select(".govuk-summary-list__row")}
    assert (summary["Attempts"], summary["Last error"], summary["Sent"]) == ("3", "SMTPServerDisconnected: gone", "Not sent")


def test_an_email_that_does_not_exist_is_not_found(client_request, make_user):
    client_request.sign_in(make_user(Role.ADMIN))
    client_request.get("/admin/outbox/999", expected_status=404)


def test_only_administrators_read_the_outbox(client_request, make_user):
    _message()
    client_request.sign_in(make_user(Role.OFFENDER_MANAGER))
    client_request.get("/admin/outbox", expected_status=403)
