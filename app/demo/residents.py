"""Clearly fictional residents: about 90% of beds occupied today, and some arrivals on their way."""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from app.demo.data import FIRST_NAMES, SURNAMES
from app.demo.estate import PlannedBed, PlannedPremises
from app.demo.occupancy import BedCalendar
from app.models import PlacementStatus
from vocabulary import APType, MappaCategory, MappaLevel, RiskLevel

OCCUPANCY_TODAY = (0.82, 0.98)  # each AP's share of its beds occupied today: about 90% nationally
MOST_WEEKS_LEFT = 16
UPCOMING_WITHIN_DAYS = 28
UPCOMING_SHARE = 0.35  # of the beds that come free within UPCOMING_WITHIN_DAYS
STAY_WEEKS = {
    APType.STANDARD: (8, 12, 16),
    APType.RECOVERY_FOCUSED: (12, 16),
    APType.PIPE: (26,),
    APType.ESAP: (52,),
    APType.MENTAL_HEALTH: (26,),
}
# Who is most at risk from a resident: the group whose risk of serious harm equals the overall level.
MOST_AT_RISK_WEIGHTS = {"public": 0.45, "known_adult": 0.3, "children": 0.2, "staff": 0.05}
ROSH_LEVELS = (RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.VERY_HIGH)
MAPPA_CATEGORY_WEIGHTS = {
    None: 0.45,
    MappaCategory.REGISTERED_SEXUAL_OFFENDER: 0.2,
    MappaCategory.VIOLENT_OFFENDER: 0.3,
    MappaCategory.OTHER_DANGEROUS_OFFENDER: 0.05,
}
MAPPA_LEVEL_WEIGHTS = {MappaLevel.ORDINARY: 0.55, MappaLevel.MULTI_AGENCY: 0.38, MappaLevel.SENIOR_MULTI_AGENCY: 0.07}
REVIEW_DUE_WEEKS = 16


@dataclass(eq=False)
class PlannedStay:
    """A placement with its person: `person` holds the columns of the person's row."""

    person: dict
    premises: PlannedPremises
    bed: PlannedBed
    arrival: date
    departure: date
    status: PlacementStatus


def house_residents(
    rng: random.Random, estate: list[PlannedPremises], calendar: BedCalendar, today: date
) -> list[PlannedStay]:
    """Residents who arrived in the past and leave in one to sixteen weeks, then arrivals into beds coming free."""
    stays: list[PlannedStay] = []

    def place(premises: PlannedPremises, bed: PlannedBed, arrival: date, departure: date, status: PlacementStatus):
        calendar.take(bed, arrival, departure)
        person = fictional_person(rng, f"D{len(stays) + 1:06d}", premises, today)
        stays.append(PlannedStay(person, premises, bed, arrival, departure, status))

    for premises in estate:
        beds = premises.beds
        free_today = [bed for bed in beds if calendar.is_free(bed, today, today)]
        for bed in rng.sample(free_today, min(len(free_today), round(rng.uniform(*OCCUPANCY_TODAY) * len(beds)))):
            stay = _stay(rng, premises.site.ap_type)
            departure = today + timedelta(days=rng.randint(7, min(7 * MOST_WEEKS_LEFT, stay.days - 7)))
            place(premises, bed, departure - stay, departure, PlacementStatus.ARRIVED)
        for bed in beds:
            free_from = calendar.first_free_day(bed, today)
            if free_from <= today + timedelta(days=UPCOMING_WITHIN_DAYS) and rng.random() < UPCOMING_SHARE:
                arrival = free_from + timedelta(days=rng.randint(0, 7))
                place(premises, bed, arrival, arrival + _stay(rng, premises.site.ap_type), PlacementStatus.UPCOMING)
    return stays


def _stay(rng: random.Random, ap_type: APType) -> timedelta:
    return timedelta(weeks=rng.choice(STAY_WEEKS[ap_type]))


def fictional_person(rng: random.Random, crn: str, premises: PlannedPremises, today: date) -> dict:
    """A clearly fictional person: a 'D' (for demo) CRN and a made-up surname."""
    age_days = round(rng.triangular(19, 70, 32) * 365.25)
    return {
        "crn": crn,
        "name": f"{rng.choice(FIRST_NAMES[premises.site.gender.value])} {rng.choice(SURNAMES)}",
        "gender": premises.site.gender,
        "date_of_birth": today - timedelta(days=age_days),
        **_risk(rng, premises.site.ap_type, today),
    }


def _risk(rng: random.Random, ap_type: APType, today: date) -> dict:
    """Risk of serious harm, overall and per group, kept apart from the likelihood of reoffending (the tier)."""
    overall = rng.choices(ROSH_LEVELS, (0.0, 0.3, 0.7) if ap_type is APType.ESAP else (0.12, 0.63, 0.25))[0]
    most_at_risk = rng.choices(list(MOST_AT_RISK_WEIGHTS), list(MOST_AT_RISK_WEIGHTS.values()))[0]
    per_group = {
        f"rosh_{group}": overall if group == most_at_risk else RiskLevel(rng.randint(RiskLevel.LOW, overall))
        for group in MOST_AT_RISK_WEIGHTS
    }
    mappa_category = rng.choices(list(MAPPA_CATEGORY_WEIGHTS), list(MAPPA_CATEGORY_WEIGHTS.values()))[0]
    mappa_level = rng.choices(list(MAPPA_LEVEL_WEIGHTS), list(MAPPA_LEVEL_WEIGHTS.values()))[0] if mappa_category else None
    tier_letter = rng.choices("ABCD", (4, 3, 2, 1) if overall is RiskLevel.VERY_HIGH else (2, 3, 3, 2))[0]
    return {
        "rosh_overall": overall,
        **per_group,
        # A few reviews are overdue, as they are in real life.
        "risk_assessed_on": today - timedelta(days=rng.randint(3, 7 * (REVIEW_DUE_WEEKS + 2))),
        "mappa_category": mappa_category,
        "mappa_level": mappa_level,
        "reoffending_tier": f"{tier_letter}{rng.randint(0, 3)}",
    }
