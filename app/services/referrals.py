"""Referrals (applications): drafts written section by section, page by page, each page saved as it is answered.

A section is a sequence of question pages; a page names the referral's columns it answers, the rules those
answers must keep, and when it applies (the notice page only when the arrival is close). A section's status is
derived from its saved answers, never stored: Completed when every page that applies holds valid answers, so an
answer that a later change made wrong (an arrival date now after the licence expiry) reopens its section.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from enum import Enum

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app import clock
from app.extensions import db
from app.models import Person, Referral, ReferralEventKind, User
from app.permissions import Permission
from app.services import access, audit, referral_timeline
from app.services.referral_location import (
    distance_problem,
    place_problem,
    preferred_premises_problems,
)
from app.services.validation import Refused, refuse_if_any, text_problem
from app.services.victim_details import VictimDetails
from vocabulary import Need, Notice, PlacementPurpose, ReleaseType, SentenceType

SHORT_NOTICE_DAYS = 28
# Risk of serious harm is reviewed at least every 16 weeks (and after any significant change).
ROSH_REVIEW_WITHIN = timedelta(weeks=16)
MAX_REASON_LENGTH = 2000

# Which release types fit each sentence. A custodial sentence is followed by some form of licence (or by ROTL
# before release, or by re-release after a recall); a life or IPP sentence is released only by the Parole Board;
# an extended sentence has its own licence, or a parole-directed one for release before its end. Community orders,
# bail and non-statutory MAPPA cases involve no release: the person is already in the community, or release does
# not apply.
NO_RELEASE = (ReleaseType.IN_COMMUNITY, ReleaseType.NOT_APPLICABLE)
RELEASE_TYPES_FOR_SENTENCE: dict[SentenceType, tuple[ReleaseType, ...]] = {
    SentenceType.STANDARD_DETERMINATE: (
        ReleaseType.LICENCE,
        ReleaseType.HDC,
        ReleaseType.ROTL,
        ReleaseType.POST_SENTENCE_SUPERVISION,
        ReleaseType.RE_RELEASED_STANDARD_RECALL,
        ReleaseType.RE_RELEASED_FIXED_TERM_RECALL,
    ),
    SentenceType.EXTENDED_DETERMINATE: (
        ReleaseType.EXTENDED_DETERMINATE_LICENCE,
        ReleaseType.PAROLE_DIRECTED_LICENCE,
        ReleaseType.ROTL,
        ReleaseType.RE_RELEASED_STANDARD_RECALL,
    ),
    SentenceType.LIFE: (ReleaseType.PAROLE_DIRECTED_LICENCE, ReleaseType.ROTL, ReleaseType.RE_RELEASED_STANDARD_RECALL),
    SentenceType.IPP: (ReleaseType.PAROLE_DIRECTED_LICENCE, ReleaseType.ROTL, ReleaseType.RE_RELEASED_STANDARD_RECALL),
    SentenceType.COMMUNITY_ORDER: NO_RELEASE,
    SentenceType.BAIL_PLACEMENT: NO_RELEASE,
    SentenceType.NON_STATUTORY_MAPPA: NO_RELEASE,
}


def release_types_for(sentence_type: SentenceType | None) -> tuple[ReleaseType, ...]:
    """The release types that fit the sentence; none until the sentence type is known."""
    return RELEASE_TYPES_FOR_SENTENCE.get(sentence_type, ())


def is_on_licence(release_type: ReleaseType | None) -> bool:
    """Whether the release comes with a licence, whose expiry the referral must give."""
    return release_type is not None and release_type not in NO_RELEASE


def is_short_notice(arrival_date: date, today: date) -> bool:
    return (arrival_date - today).days < SHORT_NOTICE_DAYS


def notice_for(arrival_date: date | None, is_emergency: bool | None, today: date) -> Notice | None:
    """Short notice when the arrival is under 28 days away, emergency only when chosen; None before a date."""
    if arrival_date is None:
        return None
    if not is_short_notice(arrival_date, today):
        return Notice.STANDARD
    return Notice.EMERGENCY if is_emergency else Notice.SHORT_NOTICE


# --- sections and pages --------------------------------------------------------------------------------------

Answers = dict[str, object]


@dataclass(frozen=True)
class Page:
    slug: str
    question: str
    fields: tuple[str, ...]
    problems: Callable[[Referral, Answers, date], dict[str, str | None]]
    applies: Callable[[Referral, date], bool] = lambda referral, today: True


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    pages: tuple[Page, ...] = field(default=())

    def page(self, slug: str) -> Page | None:
        return next((page for page in self.pages if page.slug == slug), None)


class SectionStatus(Enum):
    NOT_STARTED = "Not started"
    IN_PROGRESS = "In progress"
    COMPLETED = "Completed"

    @property
    def label(self) -> str:
        return self.value


def _required(value, message: str) -> str | None:
    return message if value is None else None


def _release_type_problems(referral: Referral, answers: Answers, today: date) -> dict:
    release_type = answers["release_type"]
    if release_type is None:
        return {"release_type": "Select the release type"}
    if release_type not in release_types_for(referral.sentence_type):
        return {"release_type": "Select a release type that fits the sentence type"}
    return {}


def _arrival_date_problems(referral: Referral, answers: Answers, today: date) -> dict:
    arrival = answers["arrival_date"]
    if arrival is None:
        return {"arrival_date": "Enter the date of release or arrival"}
    if referral.is_draft and arrival < today:
        return {"arrival_date": "The date of release or arrival must be today or in the future"}
    return {}


def _notice_problems(referral: Referral, answers: Answers, today: date) -> dict:
    return {
        "is_emergency": _required(answers["is_emergency"], "Select whether this is an emergency referral"),
        "lateness_reason": text_problem(answers["lateness_reason"], missing="Enter why the referral is being made late",
                                        max_length=MAX_REASON_LENGTH, what="The reason"),
    }


def _licence_expiry_problems(referral: Referral, answers: Answers, today: date) -> dict:
    expiry = answers["licence_expiry_date"]
    if expiry is None:
        return {"licence_expiry_date": "Enter the licence expiry date"}
    if referral.arrival_date is not None and expiry <= referral.arrival_date:
        return {"licence_expiry_date": "The licence expiry date must be after the date of release or arrival"}
    return {}


def _mappa_problems(referral: Referral, answers: Answers, today: date) -> dict:
    is_case, level = answers["is_mappa_case"], answers["mappa_level"]
    if level is not None and not is_case:
        return {"mappa_level": "Select a MAPPA category to give a level, or select no level",
                "mappa_category": _required(is_case, "Select the MAPPA category, or that this is not a MAPPA case")}
    if is_case is None:
        return {"mappa_category": "Select the MAPPA category, or that this is not a MAPPA case"}
    if is_case and level is None:
        return {"mappa_level": "Select the MAPPA level"}
    return {}


def _purpose_problems(referral: Referral, answers: Answers, today: date) -> dict:
    purpose, other = answers["placement_purpose"], (answers["placement_purpose_other"] or "")
    if purpose is None:
        return {"placement_purpose": "Select the purpose of the placement"}
    if purpose is PlacementPurpose.OTHER:
        return {"placement_purpose_other": text_problem(other, missing="Describe the purpose of the placement",
                                                        max_length=200, what="The purpose")}
    return {}


SENTENCE_AND_RELEASE = Section(
    "sentence-and-release",
    "Sentence and release",
    (
        Page("sentence-type", "What type of sentence has the person received?", ("sentence_type",),
             lambda referral, answers, today: {
                 "sentence_type": _required(answers["sentence_type"], "Select the type of sentence")}),
        Page("release-type", "What type of release will the person have?", ("release_type",), _release_type_problems,
             applies=lambda referral, today: referral.sentence_type is not None),
        Page("arrival-date", "When will the person be released or arrive?", ("arrival_date",), _arrival_date_problems),
        Page("notice", "Why is this referral late?", ("is_emergency", "lateness_reason"), _notice_problems,
             applies=lambda referral, today: referral.arrival_date is not None
             and is_short_notice(referral.arrival_date, today)),
        Page("licence-expiry", "When does the licence expire?", ("licence_expiry_date",), _licence_expiry_problems,
             applies=lambda referral, today: is_on_licence(referral.release_type)),
        Page("mappa", "Is the person managed under MAPPA?", ("is_mappa_case", "mappa_category", "mappa_level"),
             _mappa_problems),
        Page("purpose", "What is the purpose of the placement?", ("placement_purpose", "placement_purpose_other"),
             _purpose_problems),
        Page("ap-type", "Which type of AP does the person need?", ("requested_ap_type",),
             lambda referral, answers, today: {
                 "requested_ap_type": _required(answers["requested_ap_type"], "Select the type of AP the person needs")}),
    ),
)


ROSH_GROUPS = {
    "rosh_overall": "overall",
    "rosh_children": "to children",
    "rosh_public": "to the public",
    "rosh_known_adult": "to a known adult",
    "rosh_staff": "to staff",
}


def _rosh_problems(referral: Referral, answers: Answers, today: date) -> dict:
    assessed = answers["rosh_assessed_on"]
    problems = {name: _required(answers[name], f"Select the risk of serious harm {group}")
                for name, group in ROSH_GROUPS.items()}
    if assessed is None:
        problems["rosh_assessed_on"] = "Enter the date of the risk assessment"
    elif assessed > today:
        problems["rosh_assessed_on"] = "The date of the risk assessment must be today or in the past"
    return problems


def _rosh_review_problems(referral: Referral, answers: Answers, today: date) -> dict:
    review, assessed = answers["rosh_review_due_on"], referral.rosh_assessed_on
    if review is None:
        return {"rosh_review_due_on": "Enter the date the risk of serious harm must next be reviewed"}
    if assessed is not None and review <= assessed:
        return {"rosh_review_due_on": "The review date must be after the assessment date"}
    if assessed is not None and review > assessed + ROSH_REVIEW_WITHIN:
        return {"rosh_review_due_on": "The review date must be within 16 weeks of the assessment date"}
    return {}


RISK = Section(
    "risk",
    "Risk of serious harm",
    (
        Page("rosh", "What is the person's risk of serious harm (RoSH)?", (*ROSH_GROUPS, "rosh_assessed_on"),
             _rosh_problems),
        Page("review", "When must the risk of serious harm next be reviewed?", ("rosh_review_due_on",),
             _rosh_review_problems),
        Page("flags", "Which risk flags does the person have?", ("risk_flags",),
             lambda referral, answers, today: {
                 "risk_flags": _required(answers["risk_flags"], "Select the person's risk flags, or that they have none")}),
    ),
)

MAX_OGRS_PERCENTAGE = 100


def _reoffending_problems(referral: Referral, answers: Answers, today: date) -> dict:
    ogrs, tier = answers["ogrs_percentage"], answers["reoffending_tier"]
    if ogrs is not None and not 0 <= ogrs <= MAX_OGRS_PERCENTAGE:
        return {"ogrs_percentage": "The OGRS score must be a whole number from 0 to 100"}
    if ogrs is None and tier is None:
        return {"ogrs_percentage": "Enter the OGRS score, or select the tier, or both"}
    return {}


LIKELIHOOD_OF_REOFFENDING = Section(
    "reoffending",
    "Likelihood of reoffending",
    (Page("likelihood", "How likely is the person to reoffend?", ("ogrs_percentage", "reoffending_tier"),
          _reoffending_problems),),
)

OFFENCES_ASKED = {
    "arson_offence": "arson",
    "sexual_offence_against_adults": "sexual offences against adults",
    "contact_sexual_offence_against_children": "contact sexual offences against children",
    "non_contact_sexual_offence_against_children": "non-contact sexual offences against children",
    "non_sexual_offence_against_children": "non-sexual offences against children",
    "hate_crime_offence": "hate crime",
}

OFFENCES = Section(
    "offences",
    "Offences",
    (Page("offences", "Has the person committed any of these offences?", tuple(OFFENCES_ASKED),
          lambda referral, answers, today: {
              name: _required(answers[name], f"Select whether the person has committed {offence}")
              for name, offence in OFFENCES_ASKED.items()}),),
)

NEED_COLUMNS = tuple(need.value for need in Need)
MAX_LANGUAGE_LENGTH = 60


def _needs_problems(referral: Referral, answers: Answers, today: date) -> dict:
    if all(answers[name] is None for name in NEED_COLUMNS):
        return {NEED_COLUMNS[0]: "Select the person's needs, or that they have none"}
    return {}


def _detail_page(slug: str, question: str, column: str, need: Need, missing: str, max_length: int, what: str) -> Page:
    """A page asking for the detail of one need, asked only when the person has that need."""
    return Page(slug, question, (column,),
                lambda referral, answers, today: {column: text_problem(answers[column], missing=missing,
                                                                       max_length=max_length, what=what)},
                applies=lambda referral, today: bool(getattr(referral, need.value)))


NEEDS = Section(
    "needs",
    "Needs",
    (
        Page("needs", "Which of these needs does the person have?", NEED_COLUMNS, _needs_problems),
        _detail_page("health", "What are the person's health needs?", "health_needs_detail", Need.HAS_HEALTH_NEEDS,
                     "Describe the person's health needs", MAX_REASON_LENGTH, "The health needs"),
        _detail_page("medication", "What medication does the person take?", "medication_detail",
                     Need.TAKES_MEDICATION, "Describe the medication the person takes", MAX_REASON_LENGTH,
                     "The medication"),
        _detail_page("interpreter", "What language does the person need an interpreter for?", "interpreter_language",
                     Need.NEEDS_INTERPRETER, "Enter the language", MAX_LANGUAGE_LENGTH, "The language"),
    ),
)

def _optional_text_problem(value: str | None, *, max_length: int, what: str) -> str | None:
    return text_problem(value, missing="", max_length=max_length, what=what) if (value or "").strip() else None


def _conditions_problems(referral: Referral, answers: Answers, today: date) -> dict:
    return {
        "has_standard_licence_conditions": _required(answers["has_standard_licence_conditions"],
                                                     "Select whether the standard licence conditions apply"),
        "additional_licence_conditions": _optional_text_problem(
            answers["additional_licence_conditions"], max_length=MAX_REASON_LENGTH, what="The additional conditions"),
        "has_electronic_monitoring": _required(answers["has_electronic_monitoring"],
                                               "Select whether the person is electronically monitored"),
    }


def _curfew_problems(referral: Referral, answers: Answers, today: date) -> dict:
    has_curfew, starts, ends = answers["has_curfew"], answers["curfew_starts_at"], answers["curfew_ends_at"]
    if has_curfew is None:
        return {"has_curfew": "Select whether the person has a curfew"}
    if not has_curfew:
        return {}
    if starts is not None and starts == ends:
        return {"curfew_ends_at": "The curfew must end at a different time from when it starts"}
    return {"curfew_starts_at": _required(starts, "Enter the time the curfew starts, for example 19:00"),
            "curfew_ends_at": _required(ends, "Enter the time the curfew ends, for example 07:00")}


LICENCE_CONDITIONS = Section(
    "licence-conditions",
    "Licence conditions",
    (
        Page("conditions", "What are the person's licence conditions?",
             ("has_standard_licence_conditions", "additional_licence_conditions", "has_electronic_monitoring"),
             _conditions_problems),
        Page("curfew", "Does the person have a curfew?", ("has_curfew", "curfew_starts_at", "curfew_ends_at"),
             _curfew_problems),
    ),
)

MOVE_ON = Section(
    "move-on",
    "Move-on",
    (
        Page("move-on", "Where is the person expected to move on to?", ("move_on_category", "relocation_area"),
             lambda referral, answers, today: {
                 "move_on_category": _required(answers["move_on_category"], "Select where the person is expected to go"),
                 "relocation_area": place_problem(answers["relocation_area"])}),
        Page("plans", "Are move-on plans in place?", ("has_move_on_plans", "has_immigration_issues"),
             lambda referral, answers, today: {
                 "has_move_on_plans": _required(answers["has_move_on_plans"],
                                                "Select whether move-on plans are in place"),
                 "has_immigration_issues": _required(answers["has_immigration_issues"],
                                                     "Select whether there are immigration or deportation issues")}),
    ),
)

def _arrival_problems(referral: Referral, answers: Answers, today: date) -> dict:
    return {
        "contingency_plan": text_problem(answers["contingency_plan"], missing="Enter the contingency plan",
                                         max_length=MAX_REASON_LENGTH, what="The contingency plan"),
        "arrival_information": _optional_text_problem(answers["arrival_information"], max_length=MAX_REASON_LENGTH,
                                                      what="What staff must know"),
    }


# One page: a page whose answer is optional would be skipped on the way through the section.
ARRIVAL = Section(
    "arrival",
    "Contingency plan and arrival information",
    (Page("arrival", "Contingency plan and arrival information", ("contingency_plan", "arrival_information"),
          _arrival_problems),),
)

LOCATION = Section(
    "location",
    "Location",
    (
        Page("home-area", "Where is the person's home area?", ("home_area", "home_area_ties"),
             lambda referral, answers, today: {
                 "home_area": place_problem(answers["home_area"], missing="Enter the person's home area, a town or a "
                                                                         "postcode district, like Leeds or LS1"),
                 "home_area_ties": text_problem(answers["home_area_ties"],
                                                missing="Describe what ties the person to their home area",
                                                max_length=MAX_REASON_LENGTH, what="What ties the person there")}),
        Page("distance", "How far from their home area would the person accept a place?",
             ("max_distance_miles", "areas_to_avoid"),
             lambda referral, answers, today: {
                 "max_distance_miles": distance_problem(answers["max_distance_miles"]),
                 "areas_to_avoid": _optional_text_problem(answers["areas_to_avoid"], max_length=MAX_REASON_LENGTH,
                                                          what="The areas to avoid")}),
        Page("preferred-aps", "Does the person have preferred APs?",
             ("has_preferred_premises", "preferred_premises_ids"),
             lambda referral, answers, today: preferred_premises_problems(
                 referral.person, answers["has_preferred_premises"], answers["preferred_premises_ids"])),
    ),
)

def _yes_no_with_list_problems(answer: bool | None, added: list, *, question: str, items: str) -> str | None:
    """A yes or no that a list of added items follows: no cannot be the answer while items are still listed, so
    that answering no never silently deletes what was added."""
    if answer is None:
        return f"Select whether {question}"
    if answer is False and added:
        return f"Remove the {items} first, or select yes"
    return None


# Pages without fields list what was added on pages of their own (app/apply/victims.py): their problem is having
# nothing listed, so the section cannot be completed until it has something.
VICTIMS = Section(
    "victims",
    "Victims and exclusion zones",
    (
        Page("victim-contact", "Is a victim involved in the victim contact scheme?", ("victim_contact_scheme",),
             lambda referral, answers, today: {"victim_contact_scheme": _required(
                 answers["victim_contact_scheme"],
                 "Select whether a victim is involved in the victim contact scheme")}),
        Page("has-zones", "Does the person's licence have exclusion zones?", ("has_exclusion_zones",),
             lambda referral, answers, today: {"has_exclusion_zones": _yes_no_with_list_problems(
                 answers["has_exclusion_zones"], referral.exclusion_zones,
                 question="the person's licence has exclusion zones", items="exclusion zones")}),
        Page("zones", "Exclusion zones", (),
             lambda referral, answers, today: {"zones": None if referral.exclusion_zones else "Add an exclusion zone"},
             applies=lambda referral, today: bool(referral.has_exclusion_zones)),
        Page("has-non-associates", "Does the person have non-associates?", ("has_non_associates",),
             lambda referral, answers, today: {"has_non_associates": _yes_no_with_list_problems(
                 answers["has_non_associates"], referral.non_associates,
                 question="the person has non-associates", items="non-associates")}),
        Page("non-associates", "Non-associates", (),
             lambda referral, answers, today: {
                 "non_associates": None if referral.non_associates else "Add a non-associate"},
             applies=lambda referral, today: bool(referral.has_non_associates)),
    ),
)

SECTIONS = (
    SENTENCE_AND_RELEASE,
    RISK,
    LIKELIHOOD_OF_REOFFENDING,
    OFFENCES,
    NEEDS,
    LOCATION,
    VICTIMS,
    LICENCE_CONDITIONS,
    MOVE_ON,
    ARRIVAL,
)


def section(slug: str) -> Section | None:
    return next((found for found in SECTIONS if found.slug == slug), None)


def saved_answers(referral: Referral, page: Page) -> Answers:
    return {name: getattr(referral, name) for name in page.fields}


def page_problems(referral: Referral, page: Page, answers: Answers, today: date | None = None) -> dict[str, str]:
    found = page.problems(referral, answers, today or clock.today())
    return {name: problem for name, problem in found.items() if problem}


def judged_on(referral: Referral) -> date:
    """The day a referral's answers are judged on: today while it is written, the day it was submitted after that,
    so that a submitted referral never reopens as time passes (its notice page coming to apply, say)."""
    return clock.in_london(referral.submitted_at).date() if referral.submitted_at else clock.today()


def applicable_pages(referral: Referral, section: Section, today: date | None = None) -> list[Page]:
    today = today or judged_on(referral)
    return [page for page in section.pages if page.applies(referral, today)]


def unfinished_pages(referral: Referral, section: Section, today: date | None = None) -> list[Page]:
    """The pages that apply and whose saved answers are missing or no longer valid, in order."""
    today = today or judged_on(referral)
    return [page for page in applicable_pages(referral, section, today)
            if page_problems(referral, page, saved_answers(referral, page), today)]


def section_status(referral: Referral, section: Section, today: date | None = None) -> SectionStatus:
    if all(value is None for page in section.pages for value in saved_answers(referral, page).values()):
        return SectionStatus.NOT_STARTED
    return SectionStatus.IN_PROGRESS if unfinished_pages(referral, section, today) else SectionStatus.COMPLETED


def completed_sections(referral: Referral) -> int:
    today = judged_on(referral)
    return sum(section_status(referral, section, today) is SectionStatus.COMPLETED for section in SECTIONS)


@dataclass(frozen=True)
class SectionAnswers:
    """One section's answers as they are read back: the pages that apply, and those still to answer."""

    section: Section
    status: SectionStatus
    pages: list[Page]
    unfinished: list[Page]


@dataclass(frozen=True)
class Summary:
    """A whole referral's answers, section by section, with what is derived from them (the notice)."""

    referral: Referral
    notice: Notice | None
    sections: list[SectionAnswers]
    # The zones and non-associates, for a reader shown them (victim_details.reveal audits that); None for others.
    victims: VictimDetails | None = None

    def of(self, section: Section) -> SectionAnswers:
        return next(shown for shown in self.sections if shown.section == section)


def summary(referral: Referral, victims: VictimDetails | None = None) -> Summary:
    today = judged_on(referral)
    return Summary(
        referral=referral,
        victims=victims,
        notice=notice_for(referral.arrival_date, referral.is_emergency, today),
        sections=[SectionAnswers(section, section_status(referral, section, today),
                                 applicable_pages(referral, section, today), unfinished_pages(referral, section, today))
                  for section in SECTIONS],
    )


def next_page_after(referral: Referral, section: Section, page: Page) -> Page | None:
    """The next page still to answer after `page`, or None when the section's answers are ready to check."""
    later = section.pages[section.pages.index(page) + 1:]
    return next((unfinished for unfinished in unfinished_pages(referral, section) if unfinished in later), None)


# --- acting on referrals ---------------------------------------------------------------------------------------


def start_referral(user: User, person: Person) -> Referral:
    """A draft owned by the offender manager, in their probation region, where colleagues can resume it."""
    access.require(user, person)
    if not user.can(Permission.MANAGE_REFERRALS) or user.region_id is None:
        raise Refused("Only an offender manager with a probation region can start a referral")
    referral = Referral(person=person, created_by=user, region_id=user.region_id)
    db.session.add(referral)
    db.session.flush()
    referral_timeline.record(referral, ReferralEventKind.STARTED, user)
    audit.record("referral_started", referral, user=user, person=person.crn)
    db.session.commit()
    return referral


def require_draft(user: User, referral: Referral) -> None:
    """Offender managers who may see the referral change it, and only until it is submitted."""
    access.require(user, referral, Permission.MANAGE_REFERRALS)
    if not referral.is_draft:
        raise Refused("This referral has been submitted and can no longer be changed")


def save_page(user: User, referral: Referral, section: Section, page: Page, answers: Answers) -> None:
    """Save one page's answers, or raise InvalidInput and save nothing; answers of pages that no longer apply
    (the notice page once the arrival is 28 days away or more) are cleared so that nobody reads them later."""
    require_draft(user, referral)
    refuse_if_any(page_problems(referral, page, answers))
    before = saved_answers(referral, page)
    for name in page.fields:
        setattr(referral, name, _tidy(answers[name]))
    today = clock.today()
    for other in section.pages:
        if not other.applies(referral, today):
            for name in other.fields:
                setattr(referral, name, None)
    audit.record_changes("referral_answered", referral, _codes(before), _codes(saved_answers(referral, page)),
                         user=user, page=page.slug)
    db.session.commit()


def my_referrals(user: User) -> list[Referral]:
    """The referrals the user started (colleagues' are reached through the person), most recently changed first."""
    query = (
        sa.select(Referral)
        .options(selectinload(Referral.person))
        .where(Referral.created_by_id == user.id, access.visible(user, Referral))
        .order_by(Referral.updated_at.desc(), Referral.id.desc())
    )
    return list(db.session.scalars(query))


def _tidy(answer):
    """Text is saved without the spaces around it, and blank text as no answer."""
    return (answer.strip() or None) if isinstance(answer, str) else answer


def _codes(answers: Answers) -> dict:
    """Answers as the audit log keeps them: codes, ISO dates and times."""
    return {name: value.isoformat() if isinstance(value, date | time) else getattr(value, "value", value)
            for name, value in answers.items()}


# --- what submission needs ---------------------------------------------------------------------------------------


def sections_still_to_do(summary: Summary) -> list[SectionAnswers]:
    """The sections to complete before the referral can be submitted."""
    return [shown for shown in summary.sections if shown.status is not SectionStatus.COMPLETED]
