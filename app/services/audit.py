"""Audit events: every sign-in, failed sign-in and administrative change leaves one."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter
from typing import Any, NamedTuple

from flask import g, has_request_context
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.filters import govuk_date
from app.models import (
    AuditEvent,
    Bed,
    Characteristic,
    LengthOfStayRule,
    OutOfServiceBed,
    OutOfServiceReason,
    Person,
    Placement,
    PlacementRequest,
    Premises,
    Referral,
    Room,
    User,
)
from app.permissions import Role
from vocabulary import (
    APType,
    BreachOrRecallReason,
    CancellationReason,
    DepartureReason,
    ExclusionZoneSource,
    Gender,
    MappaCategory,
    MappaLevel,
    MoveOnCategory,
    Need,
    NonArrivalReason,
    NonAssociateReason,
    OffenceHistory,
    PlacementPurpose,
    PoliceNotificationMethod,
    PreparationItem,
    RejectionReason,
    ReleaseType,
    ReoffendingTier,
    RiskFlag,
    RiskLevel,
    SentenceType,
    UnableToMatchReason,
    VictimContactScheme,
)
from vocabulary.referrals import WithdrawalReason


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


# --- reading the log --------------------------------------------------------------------------------------------
# Events keep codes and ids, which never change meaning; they are put into words only when read, so an event
# recorded before a label was reworded reads in today's words.


@dataclass(frozen=True)
class Entry:
    """An audit event as a person reads it: labels and names, never codes or ids."""

    event: AuditEvent
    who: str
    action: str
    subject: str
    details: list[str]


def _plain(value) -> str:
    """Yes or No for a flag, items joined for a list, anything else as it is."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(_plain(item) for item in value) or "None"
    return "None" if value is None or value == "" else str(value)


class Detail(NamedTuple):
    label: str
    show: Callable[[Any], str] = _plain


@dataclass(frozen=True)
class Describer:
    """How to read the events about one type of object: what it is called, and what its details mean."""

    noun: str
    model: type | None = None
    name: Callable[[Any], str] = attrgetter("name")
    details: dict[str, Detail] = field(default_factory=dict)


def readable(events: list[AuditEvent]) -> list[Entry]:
    return [_entry(event) for event in events]


def _entry(event: AuditEvent) -> Entry:
    describer = DESCRIBERS.get(event.object_type) or Describer(_words(event.object_type))
    meanings = COMMON_DETAILS | describer.details
    details = dict(event.details or {})
    changes = details.pop("changes", {})
    return Entry(
        event=event,
        who=event.user.name if event.user else ("Not signed in" if event.request_id else "System"),
        action=_words(event.action),
        subject=_subject(describer, event.object_id),
        details=[_change(meanings, key, before, after) for key, (before, after) in changes.items()]
        + [f"{_detail(meanings, key).label}: {_shown(meanings, key, value)}" for key, value in details.items()],
    )


def _subject(describer: Describer, object_id: str | None) -> str:
    """The object's name today; its kind and id if it has gone, or just its kind when the event names none."""
    if object_id is None:
        return describer.noun
    found = db.session.get(describer.model, int(object_id)) if describer.model and object_id.isdigit() else None
    return describer.name(found) if found is not None else f"{describer.noun} {object_id}"


def _change(meanings: dict[str, Detail], key: str, before, after) -> str:
    return f"{_detail(meanings, key).label}: {_shown(meanings, key, before)} → {_shown(meanings, key, after)}"


def _detail(meanings: dict[str, Detail], key: str) -> Detail:
    return meanings.get(key) or Detail(_words(key))


def _shown(meanings: dict[str, Detail], key: str, value) -> str:
    """A value in words; a code that no longer means anything is shown as it was stored rather than failing."""
    if value is None or value == "" or value == []:
        return _plain(value)
    try:
        return _detail(meanings, key).show(value)
    except (ValueError, KeyError, TypeError):
        return _plain(value)


def _words(code: str) -> str:
    return code.replace("_", " ").capitalize()


def _labels(enum_class) -> Callable[[Any], str]:
    """Shows a stored enum value, or a list of them, by their labels; a value the enum no longer has, as stored."""

    def label(code) -> str:
        return enum_class(code).label if code in {member.value for member in enum_class} else str(code)

    return lambda value: _plain([label(code) for code in value] if isinstance(value, list) else label(value))


def _characteristics(codes: list[str]) -> str:
    labels = dict(db.session.execute(select(Characteristic.code, Characteristic.label).where(Characteristic.code.in_(codes))).all())
    return ", ".join(labels.get(code, code) for code in codes)


def _name_of(model) -> Callable[[Any], str]:
    return lambda object_id: _subject(DESCRIBERS_BY_MODEL[model], str(object_id))


def _date(value: str) -> str:
    return govuk_date(date.fromisoformat(value))


def _bed_name(bed: Bed) -> str:
    return f"{bed.name}, {bed.room.name}, {bed.room.premises.name}"


COMMON_DETAILS = {
    "email": Detail("Email address"),
    "premises": Detail("Premises"),
    "premises_id": Detail("Premises", _name_of(Premises)),
    "region": Detail("Probation region"),
    "bed_id": Detail("Bed", _name_of(Bed)),
    "characteristics": Detail("Characteristics", _characteristics),
}

# A person's risk, as a referral records it and as the person carries it once the referral is submitted.
RISK_DETAILS = {
    "rosh_overall": Detail("Risk of serious harm overall", _labels(RiskLevel)),
    "rosh_children": Detail("Risk of serious harm to children", _labels(RiskLevel)),
    "rosh_public": Detail("Risk of serious harm to the public", _labels(RiskLevel)),
    "rosh_known_adult": Detail("Risk of serious harm to a known adult", _labels(RiskLevel)),
    "rosh_staff": Detail("Risk of serious harm to staff", _labels(RiskLevel)),
    "mappa_category": Detail("MAPPA category", _labels(MappaCategory)),
    "mappa_level": Detail("MAPPA level", _labels(MappaLevel)),
}

DESCRIBERS = {
    "user": Describer("User", User, details={"name": Detail("Full name"), "roles": Detail("Roles", _labels(Role))}),
    "premises": Describer("Premises", Premises, details={
        "code": Detail("Premises code"),
        "gender": Detail("For", _labels(Gender)),
        "ap_type": Detail("Type of AP", _labels(APType)),
        "is_active": Detail("Status", lambda active: "Active" if active else "Inactive"),
    }),
    "room": Describer("Room", Room, name=lambda room: f"{room.name}, {room.premises.name}"),
    "bed": Describer("Bed", Bed, name=_bed_name, details={
        "active_to": Detail("Last day available", _date),
        "previous_active_to": Detail("Previously last day available", _date),
    }),
    "outofservicebed": Describer(
        "Out-of-service period", OutOfServiceBed, name=lambda period: f"Out-of-service period for {_bed_name(period.bed)}",
        details={
            "reason": Detail("Reason", _labels(OutOfServiceReason)),
            "start_date": Detail("From", _date),
            "end_date": Detail("To", _date),
        },
    ),
    "person": Describer("Person", Person, name=lambda person: f"{person.name} ({person.crn})",
                        details={"crn": Detail("CRN"), **RISK_DETAILS,
                                 "risk_assessed_on": Detail("Date of the risk assessment", _date),
                                 "reference": Detail("Referral reference")}),
    "placement": Describer(
        "Placement", Placement,
        name=lambda placement: f"Placement of {placement.person.name} ({placement.person.crn}) at {placement.premises.name}",
        details={
            "arrived_on": Detail("Arrival date", _date),
            "arrived_at": Detail("Arrival time"),
            "expected_arrival": Detail("Expected arrival date", _date),
            "expected_departure": Detail("Expected departure date", _date),
            "departed_on": Detail("Departure date", _date),
            "departed_at": Detail("Departure time"),
            "departure_reason": Detail("Reason", _labels(DepartureReason)),
            "breach_or_recall_reason": Detail("Breach or recall reason", _labels(BreachOrRecallReason)),
            "move_on_category": Detail("Moved on to", _labels(MoveOnCategory)),
            "non_arrival_reason": Detail("Reason", _labels(NonArrivalReason)),
            "ticked": Detail("Ticked", _labels(PreparationItem)),
            "unticked": Detail("Unticked", _labels(PreparationItem)),
            "police_notified_on": Detail("Police told on", _date),
            "police_notified_by": Detail("Police told by", _labels(PoliceNotificationMethod)),
            "placement_request_id": Detail("Placement request"),
            "overbooked": Detail("Overbooked"),
            "overbook_reason": Detail("Reason for overbooking"),
            "from_placement": Detail("Moved from placement"),
            "cancellation_reason": Detail("Reason", _labels(CancellationReason)),
        },
    ),
    "placementrequest": Describer(
        "Placement request", PlacementRequest,
        name=lambda request: f"Placement request for {request.person.name} ({request.person.crn})",
        details={"reason": Detail("Reason", _labels(UnableToMatchReason))},
    ),
    "referral": Describer(
        "Referral", Referral, name=lambda referral: f"Referral for {referral.person.name} ({referral.person.crn})",
        details={
            "person": Detail("CRN"),
            "sentence_type": Detail("Sentence type", _labels(SentenceType)),
            "release_type": Detail("Release type", _labels(ReleaseType)),
            "arrival_date": Detail("Date of release or arrival", _date),
            "licence_expiry_date": Detail("Licence expiry date", _date),
            "is_mappa_case": Detail("MAPPA case"),
            "placement_purpose": Detail("Purpose of the placement", _labels(PlacementPurpose)),
            "requested_ap_type": Detail("Type of AP", _labels(APType)),
            **RISK_DETAILS,
            "rosh_assessed_on": Detail("Date of the risk assessment", _date),
            "rosh_review_due_on": Detail("Risk review due by", _date),
            "risk_flags": Detail("Risk flags", _labels(RiskFlag)),
            "ogrs_percentage": Detail("OGRS score"),
            "reoffending_tier": Detail("Likelihood of reoffending tier", _labels(ReoffendingTier)),
            "arson_offence": Detail("Arson", _labels(OffenceHistory)),
            "sexual_offence_against_adults": Detail("Sexual offences against adults", _labels(OffenceHistory)),
            "contact_sexual_offence_against_children": Detail("Contact sexual offences against children",
                                                              _labels(OffenceHistory)),
            "non_contact_sexual_offence_against_children": Detail("Non-contact sexual offences against children",
                                                                  _labels(OffenceHistory)),
            "non_sexual_offence_against_children": Detail("Non-sexual offences against children",
                                                          _labels(OffenceHistory)),
            "hate_crime_offence": Detail("Hate crime", _labels(OffenceHistory)),
            **{need.value: Detail(need.label) for need in Need},
            "health_needs_detail": Detail("Health needs"),
            "medication_detail": Detail("Medication"),
            "interpreter_language": Detail("Interpreter language"),
            "has_standard_licence_conditions": Detail("Standard licence conditions"),
            "additional_licence_conditions": Detail("Additional licence conditions"),
            "has_electronic_monitoring": Detail("Electronic monitoring"),
            "has_curfew": Detail("Curfew"),
            "curfew_starts_at": Detail("Curfew starts"),
            "curfew_ends_at": Detail("Curfew ends"),
            "move_on_category": Detail("Expected move-on", _labels(MoveOnCategory)),
            "relocation_area": Detail("Relocation area"),
            "has_move_on_plans": Detail("Move-on plans in place"),
            "has_immigration_issues": Detail("Immigration or deportation issues"),
            "home_area": Detail("Home area"),
            "home_area_ties": Detail("What ties the person to their home area"),
            "max_distance_miles": Detail("Furthest distance in miles"),
            "areas_to_avoid": Detail("Areas to avoid"),
            "has_preferred_premises": Detail("Has preferred APs"),
            "preferred_premises_ids": Detail("Preferred APs", lambda ids: ", ".join(map(_name_of(Premises), ids))),
            "victim_contact_scheme": Detail("Victim contact scheme", _labels(VictimContactScheme)),
            "has_exclusion_zones": Detail("Has exclusion zones"),
            "has_non_associates": Detail("Has non-associates"),
            "zone": Detail("Exclusion zone"),
            "source": Detail("Given as", _labels(ExclusionZoneSource)),
            "non_associate": Detail("Non-associate"),
            "non_associate_reason": Detail("Why not together", _labels(NonAssociateReason)),
            "seen_on": Detail("Seen on"),
            "contingency_plan": Detail("Contingency plan"),
            "arrival_information": Detail("What staff must know before arrival"),
            "assessor_id": Detail("Assessor", _name_of(User)),
            "rejection_reason": Detail("Rejection reason", _labels(RejectionReason)),
            "placement_request_id": Detail("Placement request"),
            "ap_type": Detail("Type of AP", _labels(APType)),
            "gender": Detail("AP for", _labels(Gender)),
            "essential": Detail("Essential characteristics", _characteristics),
            "desirable": Detail("Desirable characteristics", _characteristics),
            "length_of_stay_weeks": Detail("Authorised length of stay (weeks)"),
            "withdrawal_reason": Detail("Reason for withdrawal", _labels(WithdrawalReason)),
            "withdrawal_detail": Detail("Details of the withdrawal"),
        },
    ),
    "lengthofstayrule": Describer("Length-of-stay rule", LengthOfStayRule, name=attrgetter("criteria"), details={
        "ap_type": Detail("Type of AP", _labels(APType)),
        "sentence_type": Detail("Sentence type", _labels(SentenceType)),
        "reoffending_tier": Detail("Likelihood of reoffending tier", _labels(ReoffendingTier)),
        "gender": Detail("Gender", _labels(Gender)),
        "weeks": Detail("Weeks"),
    }),
    "service": Describer("The service"),
    "postcode_district": Describer("Postcode districts"),
}
DESCRIBERS_BY_MODEL = {describer.model: describer for describer in DESCRIBERS.values() if describer.model}
