import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEvent
from app.permissions import Role
from app.services import audit


def _events() -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)))


def test_an_edit_records_only_the_fields_that_changed(make_user):
    admin, account = make_user(Role.ADMIN), make_user(Role.ASSESSOR)
    before = {"name": "Ada", "roles": ["assessor"], "region": None}
    after = {"name": "Ada", "roles": ["assessor", "admin"], "region": "London"}
    event = audit.record_changes("user_updated", account, before, after, user=admin, email="ada@example.test")
    db.session.commit()
    assert _events() == [event]
    assert (event.action, event.user_id, event.object_type, event.object_id) == (
        "user_updated", admin.id, "user", str(account.id)
    )
    assert event.details == {
        "changes": {"roles": [["assessor"], ["assessor", "admin"]], "region": [None, "London"]},
        "email": "ada@example.test",
    }


def test_an_edit_that_changes_nothing_leaves_no_event(make_user):
    admin = make_user(Role.ADMIN)
    assert audit.record_changes("user_updated", admin, {"name": "Ada"}, {"name": "Ada"}, user=admin) is None
    db.session.commit()
    assert _events() == []
