from datetime import date

import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEvent, OutOfServiceBed, OutOfServiceReason
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


# --- reading the log ----------------------------------------------------------------------------------------------


def _read(event: AuditEvent) -> audit.Entry:
    db.session.commit()
    [entry] = audit.readable([event])
    return entry


def test_a_user_event_names_the_account_and_shows_role_labels(make_user):
    admin, sam = make_user(Role.ADMIN, name="Ada Admin"), make_user(Role.ASSESSOR, name="Sam Staff")
    event = audit.record_changes("user_updated", sam, {"roles": ["assessor"], "region": None},
                                 {"roles": ["national_manager", "ap_manager"], "region": "London"}, user=admin)
    entry = _read(event)
    assert (entry.who, entry.action, entry.subject) == ("Ada Admin", "User updated", "Sam Staff")
    assert entry.details == ["Roles: Assessor → National capacity manager, AP premises manager",
                             "Probation region: None → London"]


def test_a_premises_event_shows_labels_for_its_codes_and_yes_or_no_for_flags(make_user, make_premises):
    admin, premises = make_user(Role.ADMIN), make_premises("Fictional House")
    event = audit.record("premises_created", premises, user=admin, gender="male", ap_type="mhap", is_active=True,
                         characteristics=["is_catered", "has_lift"], first_room="Room 1", beds=2, signed_off=False)
    assert _read(event).details == [
        "For: Men", "Type of AP: Specialist mental health (MHAP)", "Status: Active", "Characteristics: Is catered, Lift",
        "First room: Room 1", "Beds: 2", "Signed off: No",
    ]


def test_beds_rooms_and_out_of_service_periods_are_named_with_their_room_and_premises(make_user, make_premises):
    admin, premises = make_user(Role.ADMIN), make_premises("Fictional House", beds=2)
    room = premises.rooms[1]
    bed = room.beds[0]
    period = OutOfServiceBed(bed=bed, reason=OutOfServiceReason.PLANNED_WORKS, start_date=date(2030, 1, 5), end_date=date(2030, 1, 9))
    db.session.add(period)
    db.session.flush()

    assert _read(audit.record("room_added", room, user=admin)).subject == "Room 2, Fictional House"
    assert _read(audit.record("bed_ended", bed, user=admin, active_to="2030-02-01")).details == [
        "Last day available: 1 February 2030"
    ]
    entry = _read(audit.record("out_of_service_bed_created", period, user=admin, premises_id=premises.id, bed_id=bed.id,
                               reason="planned_works", start_date="2030-01-05", end_date="2030-01-09", reference=""))
    assert entry.subject == "Out-of-service period for Bed 2, Room 2, Fictional House"
    assert entry.details == ["Premises: Fictional House", "Bed: Bed 2, Room 2, Fictional House", "Reason: Planned works",
                             "From: 5 January 2030", "To: 9 January 2030", "Reference: None"]


def test_gone_objects_and_codes_no_longer_known_are_shown_as_stored_rather_than_failing(make_user):
    admin = make_user(Role.ADMIN)
    bed_event = audit.record("bed_ended", None, user=admin, object_type="bed", bed_id=999, active_to="not a date")
    bed_event.object_id = "998"
    assert (_read(bed_event).subject, _read(bed_event).details) == ("Bed 998", ["Bed: Bed 999", "Last day available: not a date"])
    user_event = audit.record_changes("user_updated", admin, {"roles": ["retired_role"]}, {"roles": ["retired_role", "admin"]})
    assert _read(user_event).details == ["Roles: retired_role → retired_role, Administrator"]


def test_events_from_the_command_line_and_from_anonymous_requests_say_who():
    command = _read(audit.record("demo_data_loaded", object_type="service", seed=1))
    assert (command.who, command.subject, command.details) == ("System", "The service", ["Seed: 1"])
    failed = audit.record("sign_in_failed", None, object_type="user", email="who@example.test")
    failed.request_id = "a-web-request"
    assert (_read(failed).who, _read(failed).subject, _read(failed).details) == (
        "Not signed in", "User", ["Email address: who@example.test"]
    )


def test_referral_answers_read_as_labels_and_dates(make_user, make_referral, region):
    manager = make_user(Role.OFFENDER_MANAGER, name="Olive Manager", region=region)
    referral = make_referral(manager)
    event = audit.record_changes("referral_answered", referral, {"sentence_type": None, "arrival_date": None,
                                                                 "mappa_level": None},
                                 {"sentence_type": "life", "arrival_date": "2030-09-01", "mappa_level": 2}, user=manager)
    entry = _read(event)
    assert entry.subject == "Referral for Jane Fictional (X123456)"
    assert entry.details == ["Sentence type: None → Life sentence", "Date of release or arrival: None → 1 September 2030",
                             "MAPPA level: None → Level 2: multi-agency management"]


def test_risk_answers_read_as_labels(make_user, make_referral, region):
    manager = make_user(Role.OFFENDER_MANAGER, name="Olive Manager", region=region)
    referral = make_referral(manager)
    event = audit.record_changes("referral_answered", referral,
                                 {"rosh_staff": None, "risk_flags": None, "arson_offence": None},
                                 {"rosh_staff": 4, "risk_flags": ["arson", "weapons"], "arson_offence": "previous"},
                                 user=manager)
    assert _read(event).details == ["Risk of serious harm to staff: None → Very high",
                                    "Risk flags: None → Arson, Weapons", "Arson: None → Yes, a previous offence only"]
