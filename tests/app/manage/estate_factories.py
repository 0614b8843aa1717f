"""Small builders for people, placements and out-of-service periods, shared by the estate tests."""

from datetime import date, timedelta

from app import clock
from app.extensions import db
from app.models import OutOfServiceBed, OutOfServiceReason, Person, Placement, PlacementStatus
from vocabulary import RiskLevel


def days(n: int) -> date:
    """A date n days from the service's today: page tests run against the real clock, so fixtures follow it."""
    return clock.today() + timedelta(days=n)


def add_placement(premises, *, arrival: date, departure: date, status=PlacementStatus.ARRIVED, name=None,
                  rosh=RiskLevel.HIGH, mappa_level=None, actual_departure=None, bed=None) -> Placement:
    number = db.session.query(Person).count() + 1
    person = Person(
        crn=f"X{number:06d}",
        name=name or f"Fictional Person {number}",
        gender=premises.gender,
        date_of_birth=date(1980, 1, 1),
        rosh_overall=rosh,
        rosh_children=RiskLevel.LOW,
        rosh_public=rosh,
        rosh_known_adult=RiskLevel.LOW,
        rosh_staff=RiskLevel.MEDIUM,
        risk_assessed_on=days(-30),
        mappa_level=mappa_level,
    )
    placement = Placement(
        person=person,
        premises_id=premises.id,
        bed=bed,
        expected_arrival=arrival,
        expected_departure=departure,
        actual_arrival=arrival if status in (PlacementStatus.ARRIVED, PlacementStatus.DEPARTED) else None,
        actual_departure=actual_departure,
        status=status,
    )
    db.session.add(placement)
    db.session.commit()
    return placement


def add_out_of_service(bed, start: date, end: date, *, reason=OutOfServiceReason.PLANNED_WORKS, cancelled=False,
                       reference="") -> OutOfServiceBed:
    period = OutOfServiceBed(bed=bed, reason=reason, start_date=start, end_date=end, reference=reference)
    if cancelled:
        period.cancelled_at = clock.utc_now()
    db.session.add(period)
    db.session.commit()
    return period


def beds_of(premises):
    return [bed for room in premises.rooms for bed in room.beds]

