"""Clearly fictional referrals in every state, across every region, so each role's queue has real work.

Each referral's answers keep the rules the referral pages enforce (release types that fit the sentence, a review
within 16 weeks of the risk assessment, an arrival in the future for drafts...), so a demo referral reads like one
an offender manager wrote; drafts stop after a random number of sections, as drafts do.
"""

import json
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from shapely.geometry import mapping

from app.demo.data import FIRST_NAMES, REGION_POPULATION_MILLIONS, SURNAMES, TOWNS
from app.geo.gazetteer import find_town
from app.models import ReferralEventKind
from app.services import exclusion_zones
from app.services.referral_submission import REFERENCE_CHARACTERS, RISK_COPIED_TO_PERSON
from app.services.referrals import (
    RELEASE_TYPES_FOR_SENTENCE,
    SECTIONS,
    is_on_licence,
    is_short_notice,
)
from vocabulary import (
    KM_PER_MILE,
    APType,
    ExclusionZoneSource,
    Gender,
    MappaCategory,
    MappaLevel,
    MoveOnCategory,
    NonAssociateReason,
    OffenceHistory,
    PlacementPurpose,
    ReferralStatus,
    ReoffendingTier,
    RiskFlag,
    RiskLevel,
    SentenceType,
    VictimContactScheme,
)
from vocabulary.referrals import WithdrawalReason

# How many referrals of each state nationally; accepted ones are the open placement requests the referral unit
# and the optimiser work on.
REFERRALS_BY_STATUS = {
    ReferralStatus.ACCEPTED: 440,
    ReferralStatus.SUBMITTED: 75,
    ReferralStatus.AWAITING_INFORMATION: 15,
    ReferralStatus.REJECTED: 25,
    ReferralStatus.WITHDRAWN: 20,
    ReferralStatus.DRAFT: 60,
}
WOMEN_SHARE = 0.07
SENTENCE_WEIGHTS = {
    SentenceType.STANDARD_DETERMINATE: 0.55,
    SentenceType.EXTENDED_DETERMINATE: 0.15,
    SentenceType.LIFE: 0.07,
    SentenceType.IPP: 0.05,
    SentenceType.COMMUNITY_ORDER: 0.08,
    SentenceType.BAIL_PLACEMENT: 0.08,
    SentenceType.NON_STATUTORY_MAPPA: 0.02,
}
# Most people need a standard AP; the specialist types take few, as the estate has few of them.
AP_TYPE_WEIGHTS = {
    APType.STANDARD: 0.8,
    APType.PIPE: 0.08,
    APType.RECOVERY_FOCUSED: 0.06,
    APType.MENTAL_HEALTH: 0.03,
    APType.ESAP: 0.03,
}
PURPOSE_WEIGHTS = {
    PlacementPurpose.PUBLIC_PROTECTION: 0.5,
    PlacementPurpose.PREVENT_CONTACT: 0.2,
    PlacementPurpose.READJUST_TO_COMMUNITY: 0.15,
    PlacementPurpose.MONITOR_DRUGS_AND_ALCOHOL: 0.1,
    PlacementPurpose.PREVENT_SELF_HARM: 0.05,
}
# Share of referrals with each offence, current or previous: they drive requirements (arson-suitable rooms...).
OFFENCE_SHARES = {
    "arson_offence": 0.08,
    "sexual_offence_against_adults": 0.15,
    "contact_sexual_offence_against_children": 0.08,
    "non_contact_sexual_offence_against_children": 0.05,
    "non_sexual_offence_against_children": 0.06,
    "hate_crime_offence": 0.05,
}
NEED_SHARES = {
    "uses_wheelchair": 0.03,
    "has_mobility_needs": 0.07,
    "has_sight_impairment": 0.02,
    "has_hearing_impairment": 0.02,
    "has_learning_disability": 0.06,
    "is_neurodivergent": 0.08,
    "has_health_needs": 0.2,
    "takes_medication": 0.35,
    "needs_catering": 0.1,
    "needs_single_room": 0.15,
    "is_vulnerable_to_exploitation": 0.1,
    "needs_interpreter": 0.03,
}
# Where people are expected to go when referred (custody, deportation and transfers are only ever outcomes).
EXPECTED_MOVE_ON = (
    MoveOnCategory.FAMILY_OR_PARTNER, MoveOnCategory.PRIVATE_RENTED, MoveOnCategory.SOCIAL_RENTED,
    MoveOnCategory.SUPPORTED_HOUSING, MoveOnCategory.CAS3, MoveOnCategory.TEMPORARY,
)
OUTCOME_COLUMNS = ("reference", "withdrawn_at", "withdrawal_reason", "withdrawal_detail")
DEMO_WITHDRAWAL_REASON = WithdrawalReason.OTHER_ACCOMMODATION_FOUND
HOME_TIES = ("Family live here", "Works locally", "Supported by local services", "Grew up here")
ZONES_SHARE = 0.35
ZONE_LABELS = ("Around the victim's home area", "Around the victim's workplace", "Around the children's school")
NON_ASSOCIATE_PAIRS_PER_REGION = 2
INTERPRETER_LANGUAGES = ("Polish", "Romanian", "Albanian", "Urdu", "Arabic", "Lithuanian")
CONTINGENCY_PLANS = (
    "If the person does not arrive by 5pm, staff call the offender manager and the police single point of contact.",
    "Any breach of curfew is reported to the offender manager the same evening; recall is considered at once.",
    "If the placement breaks down, the person is to report to the probation office the next working day.",
)
ARRIVAL_NOTES = (
    "Travelling by train from the releasing prison with a travel warrant.",
    "Will be collected from the prison gate by the offender manager.",
    None,
)


@dataclass
class PlannedReferral:
    """A referral to insert: its person's row, its own columns and its events (kind, when, note)."""

    person: dict
    region_name: str
    status: ReferralStatus
    answers: dict
    created_at: datetime
    submitted_at: datetime | None
    events: list[tuple[ReferralEventKind, datetime, str | None]] = field(default_factory=list)
    # What submitting and withdrawing record: every referral has these columns, as one bulk insert needs.
    outcome: dict = field(default_factory=lambda: dict.fromkeys(OUTCOME_COLUMNS))
    zones: list[dict] = field(default_factory=list)  # exclusion zones' columns
    non_associates: list[dict] = field(default_factory=list)


def plan_referrals(rng: random.Random, today: date) -> list[PlannedReferral]:
    """Every state in proportion to each region's population, people numbered from R000001."""
    regions = list(REGION_POPULATION_MILLIONS)
    weights = list(REGION_POPULATION_MILLIONS.values())
    planned = []
    for status, count in REFERRALS_BY_STATUS.items():
        for _ in range(count):
            crn = f"R{len(planned) + 1:06d}"
            planned.append(_referral(rng, crn, rng.choices(regions, weights)[0], status, today))
    _pair_non_associates(rng, [referral for referral in planned if referral.status is ReferralStatus.ACCEPTED])
    return planned


def _referral(rng: random.Random, crn: str, region_name: str, status: ReferralStatus, today: date) -> PlannedReferral:
    gender = Gender.FEMALE if rng.random() < WOMEN_SHARE else Gender.MALE
    person = {
        "crn": crn,
        "name": f"{rng.choice(FIRST_NAMES[gender.value])} {rng.choice(SURNAMES)}",
        "gender": gender,
        "date_of_birth": today - timedelta(days=round(rng.triangular(19, 68, 33) * 365.25)),
        # Their current risk: none until a referral is submitted, which makes its assessment theirs.
        **dict.fromkeys((*RISK_COPIED_TO_PERSON, "risk_assessed_on")),
    }
    created = _moment(today - timedelta(days=rng.randint(3, 40)), rng)
    submitted = None if status is ReferralStatus.DRAFT else _submission(rng, created, status, today)
    arrival = _arrival(rng, status, today)
    answers = _answers(rng, gender, arrival, today)
    answers |= _location(rng, region_name)
    if status is ReferralStatus.DRAFT:
        answers = _draft_of(rng, answers)
    planned = PlannedReferral(person, region_name, status, answers, created, submitted)
    if answers["has_exclusion_zones"]:
        planned.zones = _zones(rng, region_name)
    planned.events = _events(rng, planned, today)
    if submitted:
        planned.outcome["reference"] = f"AP-{submitted:%y}-" + "".join(rng.choices(REFERENCE_CHARACTERS, k=6))
        person |= {name: answers[name] for name in RISK_COPIED_TO_PERSON}
        person["risk_assessed_on"] = answers["rosh_assessed_on"]
    if status is ReferralStatus.WITHDRAWN:
        planned.outcome |= {"withdrawn_at": planned.events[-1][1], "withdrawal_reason": DEMO_WITHDRAWAL_REASON}
    return planned


def _moment(day: date, rng: random.Random) -> datetime:
    """A time in the working day, in UTC as stored (close enough to London time for demo data)."""
    return datetime.combine(day, time(rng.randint(8, 17), rng.choice((0, 15, 30, 45))))


def _submission(rng: random.Random, created: datetime, status: ReferralStatus, today: date) -> datetime:
    """Awaiting assessment: submitted up to three weeks ago, so some are overdue; decided ones earlier on."""
    latest = today - timedelta(days=1 if status is ReferralStatus.SUBMITTED else 5)
    earliest = max(created.date(), today - timedelta(days=21))
    day = earliest + timedelta(days=rng.randint(0, max(0, (latest - earliest).days)))
    return max(created + timedelta(hours=1), _moment(day, rng))


def _arrival(rng: random.Random, status: ReferralStatus, today: date) -> date:
    """Accepted referrals wait to arrive within twelve weeks; others mostly later, some at short notice."""
    if status is ReferralStatus.ACCEPTED:
        return today + timedelta(days=rng.randint(2, 84))
    return today + timedelta(days=rng.choice((rng.randint(7, 27), rng.randint(28, 120), rng.randint(28, 120))))


def _answers(rng: random.Random, gender: Gender, arrival: date, today: date) -> dict:
    sentence = rng.choices(list(SENTENCE_WEIGHTS), list(SENTENCE_WEIGHTS.values()))[0]
    release = rng.choice(RELEASE_TYPES_FOR_SENTENCE[sentence])
    short_notice = is_short_notice(arrival, today)
    is_mappa = rng.random() < 0.55
    purpose = rng.choices(list(PURPOSE_WEIGHTS), list(PURPOSE_WEIGHTS.values()))[0]
    return {
        "sentence_type": sentence,
        "release_type": release,
        "arrival_date": arrival,
        "is_emergency": (rng.random() < 0.15) if short_notice else None,
        "lateness_reason": "Release date brought forward by the Parole Board." if short_notice else None,
        "licence_expiry_date": arrival + timedelta(days=rng.randint(120, 900)) if is_on_licence(release) else None,
        "is_mappa_case": is_mappa,
        "mappa_category": rng.choice(list(MappaCategory)) if is_mappa else None,
        "mappa_level": rng.choices(list(MappaLevel), (0.55, 0.38, 0.07))[0] if is_mappa else None,
        "placement_purpose": purpose,
        "requested_ap_type": rng.choices(list(AP_TYPE_WEIGHTS), list(AP_TYPE_WEIGHTS.values()))[0],
        **_risk(rng, today),
        **_offences(rng, gender),
        **_needs(rng, gender),
        **_licence_conditions(rng),
        "move_on_category": rng.choice(EXPECTED_MOVE_ON),
        "relocation_area": None,
        "has_move_on_plans": rng.random() < 0.6,
        "has_immigration_issues": rng.random() < 0.04,
        "contingency_plan": rng.choice(CONTINGENCY_PLANS),
        "arrival_information": rng.choice(ARRIVAL_NOTES),
    }


def _location(rng: random.Random, region_name: str) -> dict:
    """Home in a town of the region; a few have exclusion zones (non-associates are paired up afterwards)."""
    return {
        "home_area": rng.choice(TOWNS[region_name])[0],
        "home_area_ties": rng.choice(HOME_TIES),
        "max_distance_miles": rng.choice((25, 40, 60, 100)),
        "areas_to_avoid": rng.choice((None, None, "The town centre, where the offences took place")),
        "has_preferred_premises": False,
        "victim_contact_scheme": rng.choice(list(VictimContactScheme)),
        "has_exclusion_zones": rng.random() < ZONES_SHARE,
        "has_non_associates": False,
    }


def _zones(rng: random.Random, region_name: str) -> list[dict]:
    """One or two circles around towns of the region, labelled by what they protect, never by an address."""
    zones = []
    for label in rng.sample(ZONE_LABELS, rng.choice((1, 1, 2))):
        town = find_town(rng.choice(TOWNS[region_name])[0])
        radius_km = round(rng.uniform(0.5, 3) * KM_PER_MILE, 2)
        shape = exclusion_zones.circle(town.point, radius_km)
        zones.append({"label": label, "source": ExclusionZoneSource.CIRCLE, "geometry": json.dumps(mapping(shape)),
                      "area_km2": exclusion_zones.area_km2(shape), "centre_name": town.name,
                      "centre_longitude": town.point.lon, "centre_latitude": town.point.lat, "radius_km": radius_km})
    return zones


def _pair_non_associates(rng: random.Random, accepted: list[PlannedReferral]) -> None:
    """Pairs of people waiting for a place in the same region who must never share an AP: co-defendants or rival
    gang members, each naming the other, so the referral unit and the optimiser must keep them apart."""
    by_region = defaultdict(list)
    for referral in accepted:
        by_region[referral.region_name].append(referral)
    for waiting in by_region.values():
        rng.shuffle(waiting)
        for first, second in zip(waiting[0:NON_ASSOCIATE_PAIRS_PER_REGION * 2:2],
                                 waiting[1:NON_ASSOCIATE_PAIRS_PER_REGION * 2:2], strict=False):
            reason = rng.choice((NonAssociateReason.CO_DEFENDANT, NonAssociateReason.GANG))
            for one, other in ((first, second), (second, first)):
                one.answers["has_non_associates"] = True
                one.non_associates.append({"crn": other.person["crn"], "name": other.person["name"], "reason": reason,
                                           "reason_detail": None})


def _risk(rng: random.Random, today: date) -> dict:
    overall = rng.choices((RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.VERY_HIGH), (0.15, 0.6, 0.25))[0]
    assessed = today - timedelta(days=rng.randint(5, 100))
    groups = ("children", "public", "known_adult", "staff")
    most_at_risk = rng.choice(groups)
    return {
        "rosh_overall": overall,
        **{f"rosh_{group}": overall if group == most_at_risk else RiskLevel(rng.randint(RiskLevel.LOW, overall))
           for group in groups},
        "rosh_assessed_on": assessed,
        # Reviews are due within 16 weeks of the assessment; a few of these have already passed.
        "rosh_review_due_on": assessed + timedelta(weeks=rng.choice((8, 12, 16))),
        "risk_flags": rng.sample(list(RiskFlag), rng.choice((0, 1, 1, 2, 3))),
        "ogrs_percentage": rng.randint(8, 92),
        "reoffending_tier": rng.choice(list(ReoffendingTier)),
    }


def _offences(rng: random.Random, gender: Gender) -> dict:
    def history(share: float) -> OffenceHistory:
        if rng.random() >= share:
            return OffenceHistory.NONE
        return OffenceHistory.CURRENT if rng.random() < 0.6 else OffenceHistory.PREVIOUS

    return {column: history(share / (3 if gender is Gender.FEMALE and "sexual" in column else 1))
            for column, share in OFFENCE_SHARES.items()}


def _needs(rng: random.Random, gender: Gender) -> dict:
    needs = {column: rng.random() < share for column, share in NEED_SHARES.items()}
    needs["is_pregnant"] = gender is Gender.FEMALE and rng.random() < 0.05
    needs["has_mobility_needs"] |= needs["uses_wheelchair"]
    return {
        **needs,
        "health_needs_detail": "Type 2 diabetes, managed with diet and tablets." if needs["has_health_needs"] else None,
        "medication_detail": "Daily prescribed medication, held by staff." if needs["takes_medication"] else None,
        "interpreter_language": rng.choice(INTERPRETER_LANGUAGES) if needs["needs_interpreter"] else None,
    }


def _licence_conditions(rng: random.Random) -> dict:
    curfew = rng.random() < 0.5
    return {
        "has_standard_licence_conditions": True,
        "additional_licence_conditions": rng.choice((None, "Not to contact the victims, directly or indirectly.",
                                                     "To reside at the approved premises and keep its rules.")),
        "has_electronic_monitoring": rng.random() < 0.3,
        "has_curfew": curfew,
        "curfew_starts_at": time(rng.choice((19, 20, 21)), 0) if curfew else None,
        "curfew_ends_at": time(7, 0) if curfew else None,
    }


def _draft_of(rng: random.Random, answers: dict) -> dict:
    """A draft has answered its first few sections, in order, and nothing after them (every column is given, as
    one bulk insert needs)."""
    answered = {name for section in SECTIONS[:rng.randint(0, len(SECTIONS) - 1)] for page in section.pages
                for name in page.fields}
    return {name: value if name in answered else None for name, value in answers.items()}


def _events(rng: random.Random, planned: PlannedReferral, today: date) -> list:
    events = [(ReferralEventKind.STARTED, planned.created_at, None)]
    if planned.submitted_at is None:
        return events
    events.append((ReferralEventKind.SUBMITTED, planned.submitted_at, None))
    decided = planned.submitted_at + timedelta(days=rng.randint(1, 4), hours=rng.randint(0, 5))
    outcome = {
        ReferralStatus.ACCEPTED: (ReferralEventKind.ACCEPTED, None),
        ReferralStatus.REJECTED: (ReferralEventKind.REJECTED, "Risk can be managed otherwise."),
        ReferralStatus.WITHDRAWN: (ReferralEventKind.WITHDRAWN, DEMO_WITHDRAWAL_REASON.label),
        ReferralStatus.AWAITING_INFORMATION: (ReferralEventKind.INFORMATION_REQUESTED,
                                              "Please give the date of the last risk management plan review."),
    }.get(planned.status)
    if outcome:
        kind, note = outcome
        events.append((kind, min(decided, datetime.combine(today, time(9, 0))), note))
    return events
