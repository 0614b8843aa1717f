"""A small estate with a known past and future, whose figures are worked out by hand in the tests: today is
Wednesday 5 June 2030 in London."""

from datetime import date, datetime

import pytest
import sqlalchemy as sa

from app.clock import LONDON
from app.extensions import db
from app.models import (
    OutOfServiceBed,
    OutOfServiceReason,
    Person,
    Placement,
    PlacementRequest,
    PlacementRequestStatus,
    PlacementStatus,
    PreparationCheck,
    Referral,
    ReferralEvent,
    ReferralEventKind,
    Region,
)
from app.permissions import Role
from vocabulary import (
    APType,
    BreachOrRecallReason,
    DepartureReason,
    Gender,
    MappaCategory,
    MappaLevel,
    MoveOnCategory,
    NonArrivalReason,
    Notice,
    PreparationItem,
    ReferralStatus,
)

TODAY = date(2030, 6, 5)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime(2030, 6, 5, 12, tzinfo=LONDON), tick=False)


@pytest.fixture
def manager(make_user, region):
    return make_user(Role.REGIONAL_MANAGER, region=region)


@pytest.fixture
def national_manager(make_user):
    return make_user(Role.NATIONAL_MANAGER)


@pytest.fixture
def people():
    made = []

    def make(mappa=None, assessed_on=date(2030, 5, 1)) -> Person:
        person = Person(crn=f"P{len(made) + 1:06d}", name="Fictional Person", gender=Gender.MALE,
                        date_of_birth=date(1980, 1, 1), risk_assessed_on=assessed_on,
                        mappa_category=mappa and mappa[0], mappa_level=mappa and mappa[1])
        db.session.add(person)
        made.append(person)
        return person

    return make


@pytest.fixture
def request_for(people, make_user, region):
    """An accepted referral's placement request, created when the assessor accepted it."""
    author = make_user(Role.OFFENDER_MANAGER, region=region)

    def make(*, person=None, status=PlacementRequestStatus.BOOKED, created_at=datetime(2030, 5, 1, 12),
             expected_arrival=date(2030, 6, 1), weeks=4, submitted_at=None, home_area="Preston"):
        person = person or people()
        referral = Referral(person=person, created_by=author, region=region, status=ReferralStatus.ACCEPTED,
                            submitted_at=submitted_at or created_at, home_area=home_area,
                            move_on_category=MoveOnCategory.CAS3)
        referral.events.append(ReferralEvent(kind=ReferralEventKind.ACCEPTED, at=created_at, by_id=author.id))
        placement_request = PlacementRequest(
            referral=referral, person=person, region=region, gender=Gender.MALE, ap_type=APType.STANDARD,
            essential_characteristics=[], desirable_characteristics=[], notice=Notice.STANDARD,
            expected_arrival=expected_arrival, length_of_stay_weeks=weeks, status=status, created_at=created_at,
            created_by_id=author.id)
        db.session.add(placement_request)
        db.session.commit()
        return placement_request

    return make


@pytest.fixture
def may(make_premises, people, request_for):
    """Three beds through May 2030: one out of service for ten nights, a resident who absconded, one who arrived
    from a referral in Preston, and one who never came; and a premises in another region nobody here sees."""
    premises = make_premises("May House", beds=3)
    beds = [room.beds[0] for room in premises.rooms]
    elsewhere = db.session.scalar(sa.select(Region).where(Region.name == "Wales"))
    make_premises("Elsewhere House", beds=5, target_region=elsewhere, town="Cardiff")
    db.session.add(OutOfServiceBed(bed=beds[2], reason=OutOfServiceReason.INCIDENT, start_date=date(2030, 5, 10),
                                   end_date=date(2030, 5, 19)))
    absconded = Placement(
        person=people(mappa=(MappaCategory.VIOLENT_OFFENDER, MappaLevel.ORDINARY)), premises=premises, bed=beds[0],
        status=PlacementStatus.DEPARTED, expected_arrival=date(2030, 4, 20), actual_arrival=date(2030, 4, 20),
        expected_departure=date(2030, 7, 13), actual_departure=date(2030, 5, 11),
        departure_reason=DepartureReason.BREACH_OR_RECALL, breach_or_recall_reason=BreachOrRecallReason.ABSCONDED,
        move_on_category=MoveOnCategory.CUSTODY)
    resident_person = people(mappa=(MappaCategory.REGISTERED_SEXUAL_OFFENDER, MappaLevel.MULTI_AGENCY),
                             assessed_on=date(2030, 1, 1))
    # Submitted at 10:00 on Monday 1 April (09:00 UTC), accepted at 15:00 UTC on 8 April, due by 15 April.
    resident_request = request_for(person=resident_person, submitted_at=datetime(2030, 4, 1, 9),
                                   created_at=datetime(2030, 4, 8, 15), expected_arrival=date(2030, 5, 5), weeks=8)
    resident = Placement(person=resident_person, premises=premises, bed=beds[1], status=PlacementStatus.ARRIVED,
                         expected_arrival=date(2030, 5, 5), actual_arrival=date(2030, 5, 5),
                         expected_departure=date(2030, 6, 20), placement_request_id=resident_request.id)
    no_show = Placement(person=people(), premises=premises, status=PlacementStatus.NOT_ARRIVED,
                        expected_arrival=date(2030, 5, 20), expected_departure=date(2030, 7, 15),
                        non_arrival_reason=NonArrivalReason.FAILED_TO_ARRIVE)
    db.session.add_all([absconded, resident, no_show])
    db.session.commit()
    return {"premises": premises, "beds": beds, "resident": resident}


@pytest.fixture
def june(may, people, request_for, manager):
    """May's resident (leaving on 20 June), a resident leaving on 10 June whose move-on is known, from 12 June a
    booking for four weeks into bed three, a request awaiting placement since 1 June for two weeks; so seven
    requests accepted in the last twelve weeks: May's resident's (8 weeks), that one and five of four weeks."""
    beds = may["beds"]
    booking = Placement(person=people(), premises=may["premises"], bed=beds[2], status=PlacementStatus.UPCOMING,
                        expected_arrival=date(2030, 6, 12), expected_departure=date(2030, 7, 10))
    settled = Placement(person=people(), premises=may["premises"], bed=beds[0], status=PlacementStatus.ARRIVED,
                        expected_arrival=date(2030, 5, 20), actual_arrival=date(2030, 5, 20),
                        expected_departure=date(2030, 6, 10))
    db.session.add_all([booking, settled, PreparationCheck(placement=settled, item=PreparationItem.MOVE_ON_PLAN_KNOWN,
                                                           checked_at=datetime(2030, 6, 1), checked_by_id=manager.id)])
    request_for(status=PlacementRequestStatus.READY_TO_MATCH, created_at=datetime(2030, 5, 30, 12),
                expected_arrival=date(2030, 6, 1), weeks=2)
    for day in range(5):
        request_for(created_at=datetime(2030, 3, 20 + day, 12), weeks=4)
    return may | {"booking": booking, "settled": settled}
