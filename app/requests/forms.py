"""Forms of the placement requests' pages: they parse what was posted; the rules are the services'."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovSubmitInput, GovTextArea
from wtforms import SelectMultipleField, SubmitField, TextAreaField

from app.filters import govuk_date
from app.forms import GovRadioField, GovSelectField, ServiceForm, id_choices, labelled_choices, optional, with_blank
from app.models import PlacementRequestStatus
from vocabulary import UnableToMatchReason


class DashboardFilterForm(FlaskForm):
    """Sent by GET so that a view of the dashboard can be bookmarked and shared; nothing changes, so no CSRF token."""

    class Meta:
        csrf = False

    status = GovSelectField("Status", choices=labelled_choices(PlacementRequestStatus), default="ready_to_match",
                            coerce=PlacementRequestStatus, message="Select a status from the list")
    region = GovSelectField("Probation region", default="", coerce=optional(int),
                            message="Select a region from the list")

    def __init__(self, regions, **kwargs):
        super().__init__(**kwargs)
        self.region.choices = with_blank("All regions", id_choices(regions))


class UnableToMatchForm(ServiceForm):
    reason = GovRadioField("Why can no premises take the person?", coerce=optional(UnableToMatchReason),
                           choices=labelled_choices(UnableToMatchReason), validate_choice=False,
                           message="Select why no premises can take the person")
    detail = TextAreaField("Detail", widget=GovTextArea(),
                           description="Required for another reason. Say what would let the person be placed")
    submit = SubmitField("Record unable to match", widget=GovSubmitInput())


class ConfirmForm(ServiceForm):
    submit = SubmitField("Reopen for matching", widget=GovSubmitInput())


class AcceptForm(ServiceForm):
    accept = SubmitField("Accept and book", widget=GovSubmitInput())


class RejectProposalForm(ServiceForm):
    reason = TextAreaField("Why will the proposed place not do?", widget=GovTextArea(),
                           description="It goes on the person's timeline; the request is matched again")
    submit = SubmitField("Reject the proposal", widget=GovSubmitInput())


class AlternativeForm(ServiceForm):
    alternative = GovRadioField("Book an alternative instead", coerce=optional(int), choices=[],
                                validate_choice=False, message="Select one of the alternatives")
    book_alternative = SubmitField("Book this alternative", widget=GovSubmitInput())

    def __init__(self, alternatives, **kwargs):
        super().__init__(**kwargs)
        self.alternative.choices = [(str(a.premises.id), f"{a.premises.name}, arriving {govuk_date(a.arrival)}")
                                    for a in alternatives]


class SelectionForm(ServiceForm):
    """The proposals ticked on a run's page, to accept together."""

    proposals = SelectMultipleField("Proposals to accept", coerce=int, validate_choice=False,
                                    widget=GovCheckboxesInput())
    submit = SubmitField("Accept the selected proposals", widget=GovSubmitInput())
