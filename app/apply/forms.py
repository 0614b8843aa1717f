"""Referral forms: each question page's form parses what was posted into the answers its service page checks."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea, GovTextInput
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.fields import SelectChoice

from app.forms import GovDateField, GovRadioField, ServiceForm, labelled_choices
from app.services.people import PersonDetails
from app.services.referrals import release_types_for, saved_answers
from vocabulary import Gender, MappaCategory, MappaLevel, PlacementPurpose, ReleaseType, SentenceType

NOT_MAPPA = "none"


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


QUESTION_FORMS: dict[str, type[QuestionForm]] = {
    "sentence-type": SentenceTypeForm,
    "release-type": ReleaseTypeForm,
    "arrival-date": ArrivalDateForm,
    "notice": NoticeForm,
    "licence-expiry": LicenceExpiryForm,
    "mappa": MappaForm,
    "purpose": PurposeForm,
}
