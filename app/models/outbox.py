"""Emails the service owes people, kept whether or not they could be sent."""

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app import clock
from app.extensions import db


class OutboxMessage(db.Model):
    """Written in the transaction of the change it tells of, so a message exists exactly when the change does;
    sent after that commits, and retried until it goes, so a mail server that is down never undoes the change."""

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=clock.utc_now, index=True)
    sent_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    # When a sender may next try it: now for a new message, later after a failure or while one sender holds it.
    next_attempt_at: Mapped[datetime] = mapped_column(default=clock.utc_now, index=True)
    last_error: Mapped[str | None] = mapped_column(String(500))
