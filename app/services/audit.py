"""Audit events: every sign-in, failed sign-in and administrative change leaves one."""

from flask import g, has_request_context

from app import clock
from app.extensions import db
from app.models import AuditEvent


def record(action: str, obj=None, *, user=None, object_type: str | None = None, **details) -> AuditEvent:
    """Add an audit event to the current transaction; the caller's commit makes it permanent with the change."""
    event = AuditEvent(
        occurred_at=clock.utc_now(),
        user_id=getattr(user, "id", None),
        action=action,
        object_type=object_type or (type(obj).__name__.lower() if obj is not None else "service"),
        object_id=str(obj.id) if getattr(obj, "id", None) is not None else None,
        request_id=g.get("request_id") if has_request_context() else None,
        details=details,
    )
    db.session.add(event)
    return event


def record_changes(action: str, obj, before: dict, after: dict, *, user=None, **details) -> AuditEvent | None:
    """The audit event of an edit: {field: [old, new]} for each field that changed; none when nothing did."""
    changes = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    return record(action, obj, user=user, changes=changes, **details) if changes else None
