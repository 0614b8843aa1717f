"""The outbox: emails kept with the change they tell of, sent by a real SMTP server when one is configured,
retried after a failure without touching the change, and never sent twice."""

import socket
from datetime import datetime, timedelta

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Sink
from flask import current_app

from app.clock import LONDON
from app.extensions import db, mail
from app.models import OutboxMessage, Person
from app.services import notifications
from app.services.notifications import MAX_ATTEMPTS, MessageStatus
from vocabulary import Gender


class Inbox(Sink):
    """An SMTP server's handler that keeps what it receives."""

    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append((envelope.rcpt_tos, envelope.content.decode()))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _configure_mail(server: str | None, port: int) -> None:
    """Flask-Mailman reads its settings when bound to the app, so bind it again after changing them."""
    current_app.config.update(MAIL_SERVER=server, MAIL_PORT=port)
    mail.init_app(current_app)


@pytest.fixture
def nowhere():
    """A configured mail server that is down: nothing listens on its port."""
    _configure_mail("127.0.0.1", _free_port())
    yield
    _configure_mail(None, 25)


@pytest.fixture
def mail_server(nowhere):
    """A real SMTP server on a free loopback port, the service's mail server for the test."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=current_app.config["MAIL_PORT"])
    controller.start()
    yield inbox
    controller.stop()


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(datetime(2030, 3, 4, 9, 0, tzinfo=LONDON), tick=False)


def _decision_email(person_name="Sam Fictional") -> OutboxMessage:
    """A change and its email committed together, as a service does it."""
    db.session.add(Person(crn="X000001", name=person_name, gender=Gender.MALE, date_of_birth=datetime(1990, 1, 1)))
    message = notifications.notify("om@example.test", "Referral assessed", "referral_assessed",
                                   recipient_name="Olu Manager", person_name=person_name, crn="X000001",
                                   decision="accepted", reason=None, link="https://service.example/referrals/1")
    db.session.commit()
    return message


def test_without_a_mail_server_the_email_is_kept_in_the_outbox_and_not_sent():
    message = _decision_email()
    notifications.send([message])
    assert (message.sent_at, message.attempts) == (None, 0)
    assert notifications.status(message) is MessageStatus.KEPT
    assert "The referral for Sam Fictional (X000001) has been assessed: accepted." in message.body
    assert "Reason" not in message.body


def test_with_a_mail_server_the_email_is_sent_once_after_the_change_commits(mail_server):
    message = _decision_email()
    notifications.send([message])
    notifications.send([message])
    assert notifications.send_due() == 0
    [(recipients, content)] = mail_server.received
    assert recipients == ["om@example.test"]
    assert "Subject: Referral assessed" in content and "Sam Fictional (X000001)" in content
    assert (message.sent_at, message.attempts, notifications.status(message)) == (
        datetime(2030, 3, 4, 9, 0), 1, MessageStatus.SENT)


def test_a_failed_send_keeps_the_change_and_is_retried_later_with_growing_waits(nowhere, time_machine):
    message = _decision_email()
    notifications.send([message])
    assert db.session.scalar(db.select(Person.name)) == "Sam Fictional"  # the change stands
    assert (message.sent_at, message.attempts, notifications.status(message)) == (None, 1, MessageStatus.RETRYING)
    assert "ConnectionRefusedError" in message.last_error
    assert message.next_attempt_at == datetime(2030, 3, 4, 9, 1)

    assert notifications.send_due() == 0  # not due yet: nothing is tried
    assert message.attempts == 1
    time_machine.move_to(datetime(2030, 3, 4, 9, 1, tzinfo=LONDON), tick=False)
    assert notifications.send_due() == 0
    assert (message.attempts, message.next_attempt_at) == (2, datetime(2030, 3, 4, 9, 3))


def test_a_message_that_failed_is_delivered_once_the_server_is_back(nowhere, time_machine):
    message = _decision_email()
    notifications.send([message])
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=current_app.config["MAIL_PORT"])
    controller.start()
    try:
        time_machine.move_to(datetime(2030, 3, 4, 9, 5, tzinfo=LONDON), tick=False)
        assert notifications.send_due() == 1
    finally:
        controller.stop()
    assert len(inbox.received) == 1
    assert (message.attempts, message.last_error, notifications.status(message)) == (2, None, MessageStatus.SENT)


def test_after_the_last_attempt_a_message_is_given_up_and_stays_readable(nowhere, time_machine):
    message = _decision_email()
    for _ in range(MAX_ATTEMPTS + 2):
        notifications.send_due()
        time_machine.shift(timedelta(days=1))
    assert (message.attempts, notifications.status(message)) == (MAX_ATTEMPTS, MessageStatus.GAVE_UP)


def test_a_message_another_sender_has_claimed_is_not_sent_again(mail_server):
    message = _decision_email()
    message.next_attempt_at = datetime(2030, 3, 4, 9, 5)  # claimed by a sender that is still sending
    db.session.commit()
    notifications.send([message])
    assert notifications.send_due() == 0
    assert mail_server.received == []


@pytest.mark.parametrize("attempts, wait", [(1, 1), (2, 2), (3, 4), (5, 16)])
def test_retries_wait_twice_as_long_each_time(attempts, wait):
    assert notifications.retry_delay(attempts) == timedelta(minutes=wait)
