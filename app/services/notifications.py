"""Emails to offender managers and premises: an outbox in the database, sent by SMTP when a server is configured.

`notify` adds a message to the caller's transaction; once that commits, `send` tries it at once. Without
MAIL_SERVER nothing is sent and administrators read the outbox instead. A failed send is kept with its error and
tried again later by `flask outbox send` (run it every few minutes), waiting longer after each failure, until
MAX_ATTEMPTS. A sender claims a message before sending it, so two senders never send the same one twice.
"""

from datetime import timedelta
from enum import StrEnum

import sqlalchemy as sa
from flask import current_app, render_template
from flask_mailman import EmailMessage

from app import clock
from app.extensions import db
from app.models import OutboxMessage

MAX_ATTEMPTS = 6
FIRST_RETRY_AFTER = timedelta(minutes=1)  # then 2, 4, 8 and 16 minutes
# Long enough for any SMTP exchange (MAIL_TIMEOUT), short enough that a sender that died frees it soon.
CLAIM_FOR = timedelta(minutes=5)


class MessageStatus(StrEnum):
    SENT = "Sent"
    KEPT = "Kept in the outbox: no mail server is configured"
    WAITING = "Waiting to be sent"
    RETRYING = "Failed, will be tried again"
    GAVE_UP = "Failed, no more attempts"


def notify(recipient: str, subject: str, template: str, **context) -> OutboxMessage:
    """Add an email to the current transaction; its body is the text template emails/<template>.txt."""
    message = OutboxMessage(recipient=recipient, subject=subject,
                            body=render_template(f"emails/{template}.txt", **context))
    db.session.add(message)
    return message


def mail_configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def send(messages: list[OutboxMessage]) -> None:
    """Try the messages a change has just committed; any that fail wait for `send_due`."""
    if mail_configured():
        for message in messages:
            _send_one(message.id)


def send_due() -> int:
    """Send every message whose time has come; the number sent."""
    if not mail_configured():
        return 0
    due = db.session.scalars(
        sa.select(OutboxMessage.id)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS,
               OutboxMessage.next_attempt_at <= clock.utc_now())
        .order_by(OutboxMessage.next_attempt_at)
    ).all()
    return sum(_send_one(message_id) for message_id in due)


def status(message: OutboxMessage) -> MessageStatus:
    if message.sent_at is not None:
        return MessageStatus.SENT
    if not mail_configured():
        return MessageStatus.KEPT
    if message.attempts == 0:
        return MessageStatus.WAITING
    return MessageStatus.RETRYING if message.attempts < MAX_ATTEMPTS else MessageStatus.GAVE_UP


def outbox_query() -> sa.Select:
    return sa.select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure: doubling, so a long outage costs few attempts."""
    return FIRST_RETRY_AFTER * 2 ** (attempts - 1)


def _send_one(message_id: int) -> bool:
    message = _claim(message_id)
    if message is None:
        return False
    try:
        EmailMessage(message.subject, message.body, current_app.config["MAIL_DEFAULT_SENDER"],
                     [message.recipient]).send()
    except Exception as failure:  # any failure of the server or the network: keep the message, try again later
        message.attempts += 1
        message.last_error = f"{type(failure).__name__}: {failure}"[:500]
        message.next_attempt_at = clock.utc_now() + retry_delay(message.attempts)
        current_app.logger.warning("Email %s to the outbox's recipient failed: %s", message.id, message.last_error)
    else:
        message.attempts += 1
        message.sent_at = clock.utc_now()
        message.last_error = None
    db.session.commit()
    return message.sent_at is not None


def _claim(message_id: int) -> OutboxMessage | None:
    """Take the message for this sender if it is still due and unsent: one UPDATE, so only one sender wins."""
    now = clock.utc_now()
    claimed = db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.sent_at.is_(None),
               OutboxMessage.attempts < MAX_ATTEMPTS, OutboxMessage.next_attempt_at <= now)
        .values(next_attempt_at=now + CLAIM_FOR)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if not claimed:
        return None
    message = db.session.get(OutboxMessage, message_id)
    db.session.refresh(message)
    return message
