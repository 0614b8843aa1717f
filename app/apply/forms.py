"""Referral forms: each question page's form parses what was posted into the answers its service page checks."""


from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovFileInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    HiddenField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import ValidationError

from app.forms import (
    GovDateField,
    GovRadioField,
    GovSelectField,
    NumberField,
    ServiceForm,
    TimeOfDayField,
    WholeNumberField,
    id_choices,
    labelled_choices,
    optional,
    with_blank,
)
from app.models.referral_location import MAX_PREFERRED_PREMISES
from app.services.exclusion_zones import MAX_FILE_BYTES, ZoneDetails
from app.services.non_associates import NonAssociateDetails
from app.services.people import PersonDetails
from app.services.referral_location import premises_to_prefer
from app.services.referrals import (
    NEED_COLUMNS,
    OFFENCES_ASKED,
    ROSH_GROUPS,
    release_types_for,
    saved_answers,
)
from vocabulary import (
    APType,
    ExclusionZoneSource,
    Gender,
    MappaCategory,
    MappaLevel,
    MoveOnCategory,
    Need,
    NonAssociateReason,
    OffenceHistory,
    PlacementPurpose,
    ReleaseType,
    ReoffendingTier,
    RiskFlag,
    RiskLevel,
    SentenceType,
    VictimContactScheme,
)
from vocabulary.referrals import WithdrawalReason

NOT_MAPPA = "none"
NONE_OF_THESE = "none"


def _text(label: str, **kwargs) -> StringField:
    return StringField(label, widget=GovTextInput(), **kwargs)


def _radios(label: str, enum, message: str, **kwargs) -> GovRadioField:
    """Radios whose value the service checks, so that every problem is reported the same way."""
    return GovRadioField(label, coerce=enum, choices=labelled_choices(enum), validate_choice=False, message=message,
                         **kwargs)


def _yes_or_no(value):
    """Parses "yes" and "no", and leaves a saved True or False as it is; anything else is not a valid choice."""
    if isinstance(value, bool):
        return value
    if value in ("yes", "no"):
        return value == "yes"
    raise ValueError(value)


def _yes_no_radios(label: str, message: str, **kwargs) -> GovRadioField:
    return GovRadioField(label, coerce=_yes_or_no, validate_choice=False, message=message,
                         choices=[SelectChoice("yes", "Yes"), SelectChoice("no", "No")], **kwargs)


class NoneOfTheseField(SelectMultipleField):
    """A box per member of an enum and a last "None of these", so that nothing ticked (no answer yet) differs from
    the answer none; ticking "None of these" with anything else is refused."""

    widget = GovCheckboxesInput()

    def __init__(self, label: str, enum, *, what: str, **kwargs):
        super().__init__(label, coerce=lambda value: None if value == NONE_OF_THESE else enum(value),
                         choices=[*labelled_choices(enum), SelectChoice(NONE_OF_THESE, "None of these")],
                         validate_choice=False, description="Select all that apply",
                         invalid_value_message=f"Select {what} from the list", **kwargs)
        self.what = what

    def pre_validate(self, form) -> None:
        if None in (self.data or []) and len(self.data) > 1:
            raise ValidationError(f"Select {self.what}, or select none of these, not both")

    def chosen(self) -> list | None:
        """The members ticked, an empty list for "None of these", or None when nothing was ticked."""
        return None if not self.data else [member for member in self.data if member is not None]

    @staticmethod
    def ticked(saved: list | None) -> list | None:
        """The boxes to tick for a saved answer."""
        return [NONE_OF_THESE] if saved == [] else saved


def _number_or_none(enum):
    """A choice of a numbered term, or "none" (not a MAPPA case, no level)."""
    return lambda value: NOT_MAPPA if value == NOT_MAPPA else enum(int(value))


class PersonSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = _text("CRN or name", description="For example, X123456 or Jane Smith")


class PersonForm(ServiceForm):
    crn = _text("CRN (case reference number)", description="One letter and six numbers, for example X123456")
    name = _text("Full name")
    date_of_birth = GovDateField("Date of birth", description="For example, 27 3 1985")
    gender = GovRadioField("Gender", coerce=Gender, validate_choice=False, message="Select the person's gender",
                           choices=[SelectChoice(gender.value, gender.person_label) for gender in Gender])
    gender_identity = _text("Gender identity (optional)", description="How the person describes their gender, if "
                                                                      "different")
    nationality = _text("Nationality")
    submit = SubmitField("Add person", widget=GovSubmitInput())

    def details(self) -> PersonDetails:
        return PersonDetails(
            crn=self.crn.data or "",
            name=self.name.data or "",
            date_of_birth=self.date_of_birth.data,
            gender=self.gender.data,
            gender_identity=self.gender_identity.data or "",
            nationality=self.nationality.data or "",
        )


class StartReferralForm(FlaskForm):
    submit = SubmitField("Start a referral", widget=GovSubmitInput())


# --- question pages: each form's fields are the service page's fields, unless `answers` says otherwise ---------


class QuestionForm(ServiceForm):
    """A question page's form: its fields are the service page's fields, unless `saved` and `answers` translate."""

    submit = SubmitField("Save and continue", widget=GovSubmitInput())

    @classmethod
    def for_referral(cls, referral, page) -> "QuestionForm":
        form = cls.filled_from(cls.saved(referral, page))
        form.set_choices(referral)
        return form

    @classmethod
    def saved(cls, referral, page) -> dict:
        return saved_answers(referral, page)

    def answers(self, page) -> dict:
        return {name: self[name].data for name in page.fields}

    def set_choices(self, referral) -> None:
        """Choices that depend on earlier answers."""


class SentenceTypeForm(QuestionForm):
    sentence_type = _radios("What type of sentence has the person received?", SentenceType, "Select the type of sentence")


class ReleaseTypeForm(QuestionForm):
    release_type = _radios("What type of release will the person have?", ReleaseType,
                           "Select a release type that fits the sentence type")

    def set_choices(self, referral) -> None:
        """Only the release types that fit the sentence are offered; the service refuses any other."""
        self.release_type.choices = labelled_choices(release_types_for(referral.sentence_type))


class ArrivalDateForm(QuestionForm):
    arrival_date = GovDateField("When will the person be released or arrive?", description="For example, 27 3 2030")


class NoticeForm(QuestionForm):
    is_emergency = GovRadioField(
        "Is this an emergency referral?", coerce=_yes_or_no, validate_choice=False,
        choices=[SelectChoice("yes", "Yes"), SelectChoice("no", "No, short notice")],
        description="The arrival is less than 28 days away. An emergency referral is assessed within 2 hours",
        message="Select whether this is an emergency referral",
    )
    lateness_reason = TextAreaField("Why is the referral being made late?", widget=GovTextArea())


class LicenceExpiryForm(QuestionForm):
    licence_expiry_date = GovDateField("When does the licence expire?", description="For example, 27 3 2031")


class MappaForm(QuestionForm):
    mappa_category = GovRadioField(
        "MAPPA category", coerce=_number_or_none(MappaCategory), validate_choice=False,
        choices=[*labelled_choices(MappaCategory), SelectChoice(NOT_MAPPA, "Not a MAPPA case")],
        message="Select the MAPPA category, or that this is not a MAPPA case",
    )
    mappa_level = GovRadioField(
        "MAPPA level", coerce=_number_or_none(MappaLevel), validate_choice=False,
        choices=[*labelled_choices(MappaLevel), SelectChoice(NOT_MAPPA, "No level")],
        message="Select the MAPPA level from the list",
    )

    @classmethod
    def saved(cls, referral, page) -> dict:
        not_mappa = NOT_MAPPA if referral.is_mappa_case is False else None
        return {"mappa_category": referral.mappa_category or not_mappa, "mappa_level": referral.mappa_level or not_mappa}

    def answers(self, page) -> dict:
        category, level = self.mappa_category.data, self.mappa_level.data
        return {
            "is_mappa_case": None if category is None else category != NOT_MAPPA,
            "mappa_category": None if category == NOT_MAPPA else category,
            "mappa_level": None if level == NOT_MAPPA else level,
        }


class PurposeForm(QuestionForm):
    placement_purpose = _radios("What is the purpose of the placement?", PlacementPurpose,
                                "Select the purpose of the placement")
    placement_purpose_other = _text("If another purpose, describe it")


class ApTypeForm(QuestionForm):
    requested_ap_type = _radios("Which type of AP does the person need?", APType,
                                "Select the type of AP the person needs",
                                description="A specialist AP only when the person meets its criteria; the assessor "
                                            "confirms the type")


def _risk_level(value) -> RiskLevel:
    """Risk levels are posted by name ("very_high"), as they are stored."""
    if isinstance(value, RiskLevel):
        return value
    try:
        return RiskLevel[str(value).upper()]
    except KeyError:
        raise ValueError(value) from None


def _risk_radios(column: str) -> GovRadioField:
    group = ROSH_GROUPS[column]
    return GovRadioField(f"Risk of serious harm {group}", coerce=_risk_level, validate_choice=False,
                         choices=[SelectChoice(level.name.lower(), level.label) for level in RiskLevel],
                         message=f"Select the risk of serious harm {group}")


class RoshForm(QuestionForm):
    rosh_overall = _risk_radios("rosh_overall")
    rosh_children = _risk_radios("rosh_children")
    rosh_public = _risk_radios("rosh_public")
    rosh_known_adult = _risk_radios("rosh_known_adult")
    rosh_staff = _risk_radios("rosh_staff")
    rosh_assessed_on = GovDateField("Date of the risk assessment", description="For example, 27 3 2030")


class RoshReviewForm(QuestionForm):
    rosh_review_due_on = GovDateField("When must the risk of serious harm next be reviewed?",
                                      description="Within 16 weeks of the assessment date, for example, 27 3 2030")


class RiskFlagsForm(QuestionForm):
    risk_flags = NoneOfTheseField("Which risk flags does the person have?", RiskFlag, what="risk flags")

    @classmethod
    def saved(cls, referral, page) -> dict:
        return {"risk_flags": NoneOfTheseField.ticked(referral.risk_flags)}

    def answers(self, page) -> dict:
        return {"risk_flags": self.risk_flags.chosen()}


class LikelihoodOfReoffendingForm(QuestionForm):
    ogrs_percentage = WholeNumberField(
        "OGRS score (optional)", widget=GovTextInput(),
        invalid_value_message="The OGRS score must be a whole number from 0 to 100",
        description="The Offender Group Reconviction Scale percentage, from 0 to 100. This is the likelihood of "
                    "reoffending, not the risk of serious harm",
    )
    reoffending_tier = GovRadioField(
        "Tier (optional)", coerce=optional(ReoffendingTier), validate_choice=False,
        choices=labelled_choices(ReoffendingTier), message="Select the tier from the list",
        description="Tier A is the most likely to reoffend. This is not the risk of serious harm",
    )


def _offence_radios(column: str) -> GovRadioField:
    offence = OFFENCES_ASKED[column]
    return _radios(offence.capitalize(), OffenceHistory, f"Select whether the person has committed {offence}")


class OffencesForm(QuestionForm):
    arson_offence = _offence_radios("arson_offence")
    sexual_offence_against_adults = _offence_radios("sexual_offence_against_adults")
    contact_sexual_offence_against_children = _offence_radios("contact_sexual_offence_against_children")
    non_contact_sexual_offence_against_children = _offence_radios("non_contact_sexual_offence_against_children")
    non_sexual_offence_against_children = _offence_radios("non_sexual_offence_against_children")
    hate_crime_offence = _offence_radios("hate_crime_offence")


class NeedsForm(QuestionForm):
    """One box per need, each a yes or no column of its own."""

    needs = NoneOfTheseField("Which of these needs does the person have?", Need, what="needs")

    @classmethod
    def saved(cls, referral, page) -> dict:
        return {"needs": NoneOfTheseField.ticked(referral.needs)}

    def answers(self, page) -> dict:
        chosen = self.needs.chosen()
        return {name: None if chosen is None else Need(name) in chosen for name in NEED_COLUMNS}

    def add_problems(self, problems: dict[str, str]) -> None:
        """The service reports a missing answer at the first need; the page asks them all in one field."""
        super().add_problems({"needs" if name in NEED_COLUMNS else name: message for name, message in problems.items()})


class HealthNeedsForm(QuestionForm):
    health_needs_detail = TextAreaField("What are the person's health needs?", widget=GovTextArea(),
                                        description="Physical and mental health, and any support the AP must give")


class MedicationForm(QuestionForm):
    medication_detail = TextAreaField("What medication does the person take?", widget=GovTextArea(),
                                      description="Include anything the AP must store or give")


class InterpreterForm(QuestionForm):
    interpreter_language = _text("What language does the person need an interpreter for?")


class HomeAreaForm(QuestionForm):
    home_area = _text("Home area", description="A town or a postcode district, for example Leeds or LS1")
    home_area_ties = TextAreaField("What ties the person to this area?", widget=GovTextArea(),
                                   description="For example family, work, or support and treatment they receive there")


class DistanceForm(QuestionForm):
    max_distance_miles = WholeNumberField(
        "Furthest distance, in miles", widget=GovTextInput(),
        invalid_value_message="Enter the distance as a whole number of miles, like 50",
        description="In a straight line from the home area, for example 50",
    )
    areas_to_avoid = TextAreaField(
        "Are there areas where the person should not be placed? (optional)", widget=GovTextArea(),
        description="For example, where a gang they have left is active. Exclusion zones from the licence have their "
                    "own section",
    )


PREFERENCE_ORDER = ("First", "Second", "Third", "Fourth", "Fifth")


def _preferred_select(rank: int) -> GovSelectField:
    return GovSelectField(f"{PREFERENCE_ORDER[rank]} choice{' (optional)' if rank else ''}", coerce=optional(int),
                          message="Select preferred APs from the list")


class PreferredPremisesForm(QuestionForm):
    """A select per place in the order of preference; blank selects are skipped, so the order closes up."""

    has_preferred_premises = _yes_no_radios("Does the person have preferred APs?",
                                            "Select whether the person has preferred APs")
    preferred_1 = _preferred_select(0)
    preferred_2 = _preferred_select(1)
    preferred_3 = _preferred_select(2)
    preferred_4 = _preferred_select(3)
    preferred_5 = _preferred_select(4)

    @property
    def choices(self) -> list:
        return [self[f"preferred_{rank}"] for rank in range(1, MAX_PREFERRED_PREMISES + 1)]

    def set_choices(self, referral) -> None:
        offered = with_blank("No preference", id_choices(premises_to_prefer(referral.person),
                                                         label=lambda premises: f"{premises.name}, {premises.town}"))
        for choice in self.choices:
            choice.choices = offered

    @classmethod
    def saved(cls, referral, page) -> dict:
        ranked = referral.preferred_premises_ids or []
        return {"has_preferred_premises": referral.has_preferred_premises,
                **{f"preferred_{rank}": premises_id for rank, premises_id in enumerate(ranked, start=1)}}

    def answers(self, page) -> dict:
        """APs chosen before answering no are not preferences."""
        has_preferred = self.has_preferred_premises.data
        chosen = [choice.data for choice in self.choices if choice.data is not None]
        return {"has_preferred_premises": has_preferred, "preferred_premises_ids": chosen if has_preferred else None}

    def add_problems(self, problems: dict[str, str]) -> None:
        """The service reports the preferences as a whole: show it at the first choice repeated, else the first."""
        chosen = [choice.data for choice in self.choices]
        repeated = next((choice.name for index, choice in enumerate(self.choices)
                         if choice.data is not None and choice.data in chosen[:index]), "preferred_1")
        super().add_problems({repeated if name == "preferred_premises_ids" else name: message
                              for name, message in problems.items()})


class VictimContactForm(QuestionForm):
    victim_contact_scheme = _radios("Is a victim involved in the victim contact scheme?", VictimContactScheme,
                                    "Select whether a victim is involved in the victim contact scheme")


class HasZonesForm(QuestionForm):
    has_exclusion_zones = _yes_no_radios(
        "Does the person's licence have exclusion zones?", "Select whether the person's licence has exclusion zones",
        description="Areas the person must not enter, for example around where a victim lives, works or studies")


class HasNonAssociatesForm(QuestionForm):
    has_non_associates = _yes_no_radios(
        "Does the person have non-associates?", "Select whether the person has non-associates",
        description="People they must never share an AP with: co-defendants, gang members, victims")


class AddedListForm(ServiceForm):
    """Continuing from a page that lists what was added: its one problem, nothing added, belongs to the button that
    adds one, whose id the error summary links to."""

    added = HiddenField(id="add")
    submit = SubmitField("Continue", widget=GovSubmitInput())

    def add_problems(self, problems: dict[str, str]) -> None:
        if problems:
            super().add_problems({"added": next(iter(problems.values()))})


class RemoveForm(FlaskForm):
    """A button that removes one item: a POST with its CSRF token."""


class ExclusionZoneForm(ServiceForm):
    label = _text("Label", description="A short name to tell the zones apart, for example ‘Zone 1: town centre’. "
                                       "Never the victim’s address, name or postcode")
    source = _radios("How will you give the zone?", ExclusionZoneSource, "Select how you will give the zone")
    drawn = HiddenField()
    centre = _text("Centre of the zone", description="A town or a postcode district, for example Leeds or LS1")
    radius_miles = NumberField("Radius, in miles", widget=GovTextInput(),
                               invalid_value_message="Enter the radius as a number of miles, like 1 or 0.5")
    uploaded = FileField("GeoJSON file", widget=GovFileInput(),
                         description="A .geojson file of one area, in longitude and latitude (WGS84), up to 1 MB")
    submit = SubmitField("Add zone", widget=GovSubmitInput())

    def details(self) -> ZoneDetails:
        """What was given; the file is read from its start each time, and never more than the service accepts."""
        file = self.uploaded.data
        if file:
            file.stream.seek(0)
        return ZoneDetails(label=self.label.data or "", source=self.source.data, drawn=self.drawn.data or "",
                           centre=self.centre.data or "", radius_miles=self.radius_miles.data,
                           uploaded=file.stream.read(MAX_FILE_BYTES + 1) if file else None)

    def add_problems(self, problems: dict[str, str]) -> None:
        """A problem with the drawing is shown at the choice of drawing: its field is hidden."""
        super().add_problems({"source" if name == "drawn" else name: message for name, message in problems.items()})


class NonAssociateForm(ServiceForm):
    crn = _text("CRN (case reference number)", description="One letter and six numbers, for example X123456")
    name = _text("Full name")
    reason = _radios("Why must they not be placed together?", NonAssociateReason,
                     "Select why they must not be placed together")
    reason_detail = _text("If another reason, describe it")
    submit = SubmitField("Add non-associate", widget=GovSubmitInput())

    def details(self) -> NonAssociateDetails:
        return NonAssociateDetails(crn=self.crn.data or "", name=self.name.data or "", reason=self.reason.data,
                                   reason_detail=self.reason_detail.data or "")


class LicenceConditionsForm(QuestionForm):
    has_standard_licence_conditions = _yes_no_radios("Do the standard licence conditions apply?",
                                                     "Select whether the standard licence conditions apply")
    additional_licence_conditions = TextAreaField("Additional licence conditions (optional)", widget=GovTextArea(),
                                                  description="Leave out exclusion zones: they have their own section")
    has_electronic_monitoring = _yes_no_radios("Is the person electronically monitored?",
                                               "Select whether the person is electronically monitored")


class CurfewForm(QuestionForm):
    has_curfew = _yes_no_radios("Does the person have a curfew?", "Select whether the person has a curfew")
    curfew_starts_at = TimeOfDayField("If yes, when does the curfew start?", description="For example, 19:00")
    curfew_ends_at = TimeOfDayField("If yes, when does the curfew end?", description="For example, 07:00")

    def answers(self, page) -> dict:
        """Hours typed before answering no are not a curfew."""
        answers = super().answers(page)
        if answers["has_curfew"] is False:
            answers |= {"curfew_starts_at": None, "curfew_ends_at": None}
        return answers


class MoveOnForm(QuestionForm):
    move_on_category = _radios("Where is the person expected to go?", MoveOnCategory,
                               "Select where the person is expected to go")
    relocation_area = _text("If the person is to relocate, to which area? (optional)",
                            description="A town or a postcode district, for example Leeds or LS1")


class MoveOnPlansForm(QuestionForm):
    has_move_on_plans = _yes_no_radios("Are move-on plans in place?", "Select whether move-on plans are in place")
    has_immigration_issues = _yes_no_radios("Are there immigration or deportation issues?",
                                            "Select whether there are immigration or deportation issues")


class ArrivalForm(QuestionForm):
    contingency_plan = TextAreaField(
        "What is the contingency plan?", widget=GovTextArea(),
        description="What the AP should do if the person does not arrive, leaves, or their risk increases, and whom to "
                    "contact out of hours",
    )
    arrival_information = TextAreaField("What must staff know before the person arrives? (optional)",
                                        widget=GovTextArea())


QUESTION_FORMS: dict[str, type[QuestionForm]] = {
    "sentence-type": SentenceTypeForm,
    "release-type": ReleaseTypeForm,
    "arrival-date": ArrivalDateForm,
    "notice": NoticeForm,
    "licence-expiry": LicenceExpiryForm,
    "mappa": MappaForm,
    "purpose": PurposeForm,
    "ap-type": ApTypeForm,
    "rosh": RoshForm,
    "review": RoshReviewForm,
    "flags": RiskFlagsForm,
    "likelihood": LikelihoodOfReoffendingForm,
    "offences": OffencesForm,
    "needs": NeedsForm,
    "health": HealthNeedsForm,
    "medication": MedicationForm,
    "interpreter": InterpreterForm,
    "home-area": HomeAreaForm,
    "distance": DistanceForm,
    "preferred-aps": PreferredPremisesForm,
    "victim-contact": VictimContactForm,
    "has-zones": HasZonesForm,
    "has-non-associates": HasNonAssociatesForm,
    "conditions": LicenceConditionsForm,
    "curfew": CurfewForm,
    "move-on": MoveOnForm,
    "plans": MoveOnPlansForm,
    "arrival": ArrivalForm,
}


class FurtherInformationAnswerForm(ServiceForm):
    answer = TextAreaField("Your answer", widget=GovTextArea())
    submit = SubmitField("Send your answer", widget=GovSubmitInput())


# --- after the sections: withdrawing -----------------------------------------------------------------------------


class WithdrawForm(ServiceForm):
    reason = _radios("Why is the referral being withdrawn?", WithdrawalReason,
                     "Select why the referral is being withdrawn")
    detail = TextAreaField("Details", widget=GovTextArea(),
                           description="Required if you select another reason. Do not include victims' details.")
    submit = SubmitField("Withdraw referral", widget=GovSubmitInput())
