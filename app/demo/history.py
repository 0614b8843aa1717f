"""Three years of clearly fictional history, so that the planning figures mean something on the demo.

Each bed is filled from three years ago up to the first day today's demo takes it (a resident, a booking or an
out-of-service period), stay after stay with a few days between, now and then out of service or left empty by a
person who never arrived. Every placement, past or today's, comes from an accepted referral: submitted some weeks
before the arrival, assessed within a few working days (now and then late), with the person's home area, the
move-on they expected and a placement request it booked. People leave for the national list of reasons (breach
and recall among them) and say where they moved on to.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from app.demo.data import TOWNS
from app.demo.estate import PlannedBed, PlannedPremises
from app.demo.occupancy import CURRENT_REASONS, BedCalendar, PlannedOutOfService
from app.demo.residents import STAY_WEEKS, PlannedStay, fictional_person
from app.models import PlacementStatus
from app.services.assessment_deadlines import add_working_days
from vocabulary import (
    BreachOrRecallReason,
    DepartureReason,
    Gender,
    MoveOnCategory,
    NonArrivalReason,
)

HISTORY_YEARS = 3
OUTCOME_COLUMNS = ("non_arrival_reason", "departure_reason", "breach_or_recall_reason", "move_on_category")
NON_ARRIVAL_SHARE = 0.05
OUT_OF_SERVICE_SHARE = 0.03  # of the turns between stays: a bed out of service for a few weeks
HOME_REGION_SHARE = {Gender.MALE: 0.85, Gender.FEMALE: 0.5}  # women's APs are a national estate
GAP_DAYS = (0, 1, 1, 2, 3, 4, 5, 7, 10, 14, 21)  # a bed's empty days between stays
DEPARTURE_WEIGHTS = {
    DepartureReason.PLANNED_MOVE_ON: 0.6,
    DepartureReason.BREACH_OR_RECALL: 0.2,
    DepartureReason.ARRESTED: 0.07,
    DepartureReason.ORDER_OR_LICENCE_EXPIRED: 0.06,
    DepartureReason.ADMITTED_TO_HOSPITAL: 0.03,
    DepartureReason.BED_WITHDRAWN: 0.025,
    DepartureReason.END_OF_ROTL: 0.01,
    DepartureReason.DIED: 0.005,
}
MOVE_ON_WEIGHTS = {
    MoveOnCategory.FAMILY_OR_PARTNER: 0.22,
    MoveOnCategory.PRIVATE_RENTED: 0.12,
    MoveOnCategory.SOCIAL_RENTED: 0.1,
    MoveOnCategory.SUPPORTED_HOUSING: 0.18,
    MoveOnCategory.CAS3: 0.2,
    MoveOnCategory.CAS2: 0.03,
    MoveOnCategory.TEMPORARY: 0.07,
    MoveOnCategory.OWNER_OCCUPIED: 0.02,
    MoveOnCategory.ANOTHER_AP: 0.02,
    MoveOnCategory.NO_FIXED_ABODE: 0.04,
}
# Where people went when they did not leave as planned; None when nobody could record it.
MOVE_ON_AFTER = {
    DepartureReason.BREACH_OR_RECALL: MoveOnCategory.CUSTODY,
    DepartureReason.ARRESTED: MoveOnCategory.CUSTODY,
    DepartureReason.ADMITTED_TO_HOSPITAL: None,
    DepartureReason.DIED: None,
    DepartureReason.END_OF_ROTL: MoveOnCategory.CUSTODY,
}
ASSESSMENT_WORKING_DAYS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15)  # mostly within the 10 of standard notice
MOVE_ON_SECURED_SHARE = 0.55  # of today's residents, whose "move-on plan known" is ticked


@dataclass(eq=False)
class PastReferral:
    """An accepted referral and its placement request: `person` holds the columns of the person's row."""

    person: dict
    premises: PlannedPremises  # where it was placed: its AP type and gender are the request's
    region_name: str
    home_area: str
    submitted_at: datetime  # UTC, as stored
    decided_at: datetime
    arrival: date
    weeks: int
    expected_move_on: MoveOnCategory
    has_move_on_plans: bool
    number: int
    id: int | None = None


@dataclass(eq=False)
class PastPlacement:
    referral: PastReferral
    premises: PlannedPremises
    bed: PlannedBed
    status: PlacementStatus
    expected_arrival: date
    expected_departure: date
    actual_departure: date | None = None
    outcome: dict = field(default_factory=dict)  # reasons and move-on, as columns of the placement

    @property
    def outcome_row(self) -> dict:
        """The outcome's columns, every one named so that the rows insert together."""
        return dict.fromkeys(OUTCOME_COLUMNS) | self.outcome


@dataclass
class History:
    placements: list[PastPlacement]
    out_of_service: list[PlannedOutOfService]
    referrals_of_today: dict[str, PastReferral]  # today's stays' referrals, by the person's CRN
    move_on_secured: list[str]  # CRNs of today's residents whose move-on plan is known


def plan_history(rng: random.Random, estate: list[PlannedPremises], calendar: BedCalendar, stays: list[PlannedStay],
                 today: date, years: int = HISTORY_YEARS) -> History:
    start = today - timedelta(days=365 * years)
    referrals = _Referrals(rng, today)
    placements: list[PastPlacement] = []
    out_of_service: list[PlannedOutOfService] = []
    for premises in estate:
        for bed in premises.beds:
            until = calendar.first_taken_day(bed) or today
            _fill_bed(rng, premises, bed, start + timedelta(days=rng.choice(GAP_DAYS)), min(until, today),
                      referrals, placements, out_of_service)
    of_today = {stay.person["crn"]: referrals.new(stay.premises, stay.arrival, stay.departure, stay.person)
                for stay in stays}
    secured = [stay.person["crn"] for stay in stays
               if stay.status is PlacementStatus.ARRIVED and rng.random() < MOVE_ON_SECURED_SHARE]
    return History(placements, out_of_service, of_today, secured)


def _fill_bed(rng: random.Random, premises: PlannedPremises, bed: PlannedBed, day: date, until: date,
              referrals: "_Referrals", placements: list[PastPlacement], out_of_service: list[PlannedOutOfService]):
    """Stays one after another from `day`, each leaving on or before `until`."""
    while True:
        if rng.random() < OUT_OF_SERVICE_SHARE:
            end = day + timedelta(days=rng.randint(7, 42))
            if end >= until:
                return
            out_of_service.append(PlannedOutOfService(bed, rng.choice(CURRENT_REASONS), day, end,
                                                      f"WO-{rng.randint(100000, 999999)}", "Past works (demo history)"))
            day = end + timedelta(days=1)
            continue
        expected_departure = day + timedelta(weeks=rng.choice(STAY_WEEKS[premises.site.ap_type]))
        placement = PastPlacement(referrals.new(premises, day, expected_departure), premises, bed,
                                  PlacementStatus.DEPARTED, day, expected_departure)
        if rng.random() < NON_ARRIVAL_SHARE:
            placement.status = PlacementStatus.NOT_ARRIVED
            placement.outcome = {"non_arrival_reason": rng.choice(list(NonArrivalReason))}
            if expected_departure > until:
                return
            placements.append(placement)
            day += timedelta(days=rng.randint(1, 7))  # the bed was offered to somebody else
            continue
        reason = rng.choices(list(DEPARTURE_WEIGHTS), list(DEPARTURE_WEIGHTS.values()))[0]
        if reason is DepartureReason.PLANNED_MOVE_ON:
            departure = expected_departure - timedelta(days=rng.choice((0, 0, 0, 1, 2, 7)))
        else:
            departure = day + timedelta(days=rng.randint(3, (expected_departure - day).days - 1))
        if departure > until:
            return
        placement.actual_departure = departure
        placement.outcome = {
            "departure_reason": reason,
            "breach_or_recall_reason": (rng.choice(list(BreachOrRecallReason))
                                        if reason is DepartureReason.BREACH_OR_RECALL else None),
            "move_on_category": MOVE_ON_AFTER.get(reason, placement.referral.expected_move_on),
        }
        placements.append(placement)
        day = departure + timedelta(days=rng.choice(GAP_DAYS))


class _Referrals:
    """Makes the accepted referral behind each placement, numbered in the order they are made."""

    def __init__(self, rng: random.Random, today: date):
        self.rng = rng
        self.today = today
        self.made = 0

    def new(self, premises: PlannedPremises, arrival: date, departure: date, person: dict | None = None) -> PastReferral:
        """The referral of a new fictional person, or of `person` when they are already planned."""
        rng = self.rng
        self.made += 1
        submitted = datetime.combine(arrival - timedelta(days=rng.randint(21, 90)), time(10, rng.randint(0, 59)))
        decided = datetime.combine(add_working_days(submitted.date(), rng.choice(ASSESSMENT_WORKING_DAYS)), time(15))
        home_region = premises.site.region.name
        if rng.random() >= HOME_REGION_SHARE[premises.site.gender]:
            home_region = rng.choice(sorted(TOWNS))
        return PastReferral(
            person=person or fictional_person(rng, f"H{self.made:06d}", premises, min(arrival, self.today)),
            premises=premises,
            region_name=home_region,
            home_area=rng.choice(TOWNS[home_region])[0],
            submitted_at=submitted,
            decided_at=decided,
            arrival=arrival,
            weeks=(departure - arrival).days // 7,
            expected_move_on=rng.choices(list(MOVE_ON_WEIGHTS), list(MOVE_ON_WEIGHTS.values()))[0],
            has_move_on_plans=rng.random() < 0.6,
            number=self.made,
        )
