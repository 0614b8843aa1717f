"""Assessment forms: they parse what was posted, and the services' problems go beside the fields."""

from dataclasses import fields

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import SelectMultipleField, SubmitField, TextAreaField
from wtforms.fields import SelectChoice

from app.forms import (
    GovRadioField,
    GovSelectField,
    ServiceForm,
    WholeNumberField,
    id_choices,
    labelled_choices,
    optional,
    with_blank,
)
from app.services.assessments import Acceptance
from app.services.length_of_stay import RuleDetails
from app.services.requirements import Requirements
from vocabulary import (
    CHARACTERISTICS,
    APType,
    Gender,
    Notice,
    RejectionReason,
    ReoffendingTier,
    SentenceType,
)


def _select(label: str, blank: str, choices, coerce, message: str) -> GovSelectField:
    """A select whose empty first option means "all" or "any"."""
    return GovSelectField(label, choices=with_blank(blank, choices), default="", coerce=optional(coerce),
                          message=message)


class QueueFilterForm(FlaskForm):
    """Sent by GET so that a filtered queue can be bookmarked and shared; nothing changes, so no CSRF token."""

    class Meta:
        csrf = False

    area = _select("Area", "All areas", [], int, "Select an area from the list")
    region = _select("Probation region", "All regions", [], int, "Select a region from the list")
    ap_type = _select("AP type", "All types", labelled_choices(APType), APType, "Select an AP type from the list")
    notice = _select("Notice", "Any notice", labelled_choices(Notice), Notice, "Select a notice from the list")

    def __init__(self, areas, regions, **kwargs):
        super().__init__(**kwargs)
        self.area.choices = with_blank("All areas", id_choices(areas))
        self.region.choices = with_blank("All regions", id_choices(regions))


class AllocationForm(ServiceForm):
    assessor = GovSelectField("Assessor", coerce=optional(int), validate_choice=False,
                              message="Select an assessor who can assess this referral")
    submit = SubmitField("Allocate", widget=GovSubmitInput())

    def __init__(self, assessors, **kwargs):
        super().__init__(**kwargs)
        self.assessor.choices = with_blank("Select an assessor", id_choices(assessors))


class FurtherInformationForm(ServiceForm):
    question = TextAreaField("What do you need to know?", widget=GovTextArea(),
                             description="The offender manager sees your question on their referral and answers it. "
                                         "The assessment's clock stops until the answer arrives")
    submit = SubmitField("Send the question", widget=GovSubmitInput())


def _characteristic_boxes(label: str, description: str) -> SelectMultipleField:
    return SelectMultipleField(label, choices=[SelectChoice(c.code, c.label) for c in CHARACTERISTICS],
                               validate_choice=False, widget=GovCheckboxesInput(), description=description)


class AcceptanceForm(ServiceForm):
    ap_type = GovRadioField("Type of AP", coerce=APType, choices=labelled_choices(APType), validate_choice=False,
                            message="Select the type of AP")
    gender = GovRadioField("Who is the AP for?", coerce=Gender, choices=labelled_choices(Gender),
                           validate_choice=False, message="Select whether the person needs a men's or a women's AP")
    essential = _characteristic_boxes("Essential characteristics", "The AP and room must have all of these")
    desirable = _characteristic_boxes("Desirable characteristics", "Better if the AP or room has these")
    length_of_stay_weeks = WholeNumberField("Authorised length of stay, in weeks", widget=GovTextInput(),
                                            invalid_value_message="Enter the length of stay as a whole number of weeks")
    submit = SubmitField("Accept and request a placement", widget=GovSubmitInput())

    @classmethod
    def proposing(cls, acceptance: Acceptance) -> "AcceptanceForm":
        proposed = acceptance.requirements
        return cls.filled_from({"ap_type": proposed.ap_type, "gender": proposed.gender,
                                "essential": sorted(proposed.essential), "desirable": sorted(proposed.desirable),
                                "length_of_stay_weeks": acceptance.length_of_stay_weeks})

    def acceptance(self) -> Acceptance:
        return Acceptance(
            Requirements(ap_type=self.ap_type.data, gender=self.gender.data,
                         essential=frozenset(self.essential.data or ()), desirable=frozenset(self.desirable.data or ())),
            self.length_of_stay_weeks.data)


class RejectionForm(ServiceForm):
    reason = GovRadioField("Why is the referral rejected?", coerce=RejectionReason,
                           choices=labelled_choices(RejectionReason), validate_choice=False,
                           message="Select why the referral is rejected")
    detail = TextAreaField("Detail (optional)", widget=GovTextArea(),
                           description="The offender manager reads this with the reason")
    submit = SubmitField("Reject the referral", widget=GovSubmitInput())


class LengthOfStayRuleForm(ServiceForm):
    ap_type = _select("AP type", "Any AP type", labelled_choices(APType), APType, "Select an AP type from the list")
    sentence_type = _select("Sentence type", "Any sentence", labelled_choices(SentenceType), SentenceType,
                            "Select a sentence type from the list")
    reoffending_tier = _select("Likelihood of reoffending tier", "Any tier", labelled_choices(ReoffendingTier),
                               ReoffendingTier, "Select a tier from the list")
    gender = _select("Gender", "Men and women", labelled_choices(Gender), Gender, "Select men or women from the list")
    weeks = WholeNumberField("Length of stay, in weeks", widget=GovTextInput(),
                             invalid_value_message="Enter the length of stay as a whole number of weeks")
    submit = SubmitField("Save the rule", widget=GovSubmitInput())

    @classmethod
    def editing(cls, rule) -> "LengthOfStayRuleForm":
        return cls.filled_from({field.name: getattr(rule, field.name) for field in fields(RuleDetails)})

    def details(self) -> RuleDetails:
        return RuleDetails(ap_type=self.ap_type.data, sentence_type=self.sentence_type.data,
                           reoffending_tier=self.reoffending_tier.data, gender=self.gender.data, weeks=self.weeks.data)


class ConfirmForm(FlaskForm):
    """A button that confirms an action; the form carries only its CSRF token."""
