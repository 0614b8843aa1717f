"""The search and booking forms: each parses what was sent into what its service takes; the rules are the
services'."""

from datetime import date, timedelta

from flask import request
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import BooleanField, SubmitField, TextAreaField

from app.forms import GovDateField, GovRadioField, ServiceForm, WholeNumberField, labelled_choices, optional
from app.services.placement_search import Criteria
from vocabulary import CancellationReason

EXAMPLE_DATE = "For example, 27 3 2030"


def _radius() -> WholeNumberField:
    return WholeNumberField("Furthest distance from home, in miles (optional)", widget=GovTextInput(),
                            description="Leave blank for the furthest the person would go, as the referral says",
                            invalid_value_message="Enter the distance as a whole number of miles")


def _include_full() -> BooleanField:
    return BooleanField("Include premises without a free bed every night, to overbook", widget=GovCheckboxInput())


def _overbook_reason() -> TextAreaField:
    return TextAreaField("Why overbook? (only if no bed is free every night)", widget=GovTextArea(),
                         description="Overbooking is audited with this reason")


class _ByLink(ServiceForm):
    """Sent by GET so that a search can be bookmarked and shared; nothing changes, so no CSRF token."""

    class Meta:
        csrf = False

    def is_submitted(self) -> bool:
        return bool(request.args)


class SearchForm(_ByLink):
    arrival = GovDateField("Arrival date", required="Enter the arrival date", description=EXAMPLE_DATE)
    length_of_stay_weeks = WholeNumberField("Length of stay, in weeks", widget=GovTextInput(),
                                            invalid_value_message="Enter the length of stay as a whole number of weeks")
    max_radius_miles = _radius()
    include_full = _include_full()
    submit = SubmitField("Search", widget=GovSubmitInput())

    def criteria(self, may_overbook: bool) -> Criteria:
        return Criteria(self.arrival.data, self.arrival.data + timedelta(weeks=self.length_of_stay_weeks.data),
                        self.max_radius_miles.data, may_overbook and self.include_full.data)


class TransferSearchForm(_ByLink):
    on = GovDateField("Date of the move", required="Enter the date of the move", description=EXAMPLE_DATE)
    max_radius_miles = _radius()
    include_full = _include_full()
    submit = SubmitField("Search", widget=GovSubmitInput())

    def criteria(self, departure: date, may_overbook: bool) -> Criteria:
        return Criteria(self.on.data, departure, self.max_radius_miles.data, may_overbook and self.include_full.data)


class BookForm(ServiceForm):
    overbook_reason = _overbook_reason()
    submit = SubmitField("Book", widget=GovSubmitInput())


class TransferForm(ServiceForm):
    overbook_reason = _overbook_reason()
    submit = SubmitField("Move the placement", widget=GovSubmitInput())


class DatesForm(ServiceForm):
    arrival = GovDateField("Expected arrival", required="Enter the expected arrival date", description=EXAMPLE_DATE)
    departure = GovDateField("Expected departure", required="Enter the expected departure date",
                             description=EXAMPLE_DATE)
    overbook_reason = _overbook_reason()
    submit = SubmitField("Change dates", widget=GovSubmitInput())


class CancelForm(ServiceForm):
    reason = GovRadioField("Why is the placement cancelled?", coerce=optional(CancellationReason),
                           choices=labelled_choices(CancellationReason), validate_choice=False,
                           message="Select why the placement is cancelled")
    detail = TextAreaField("Details", widget=GovTextArea(), description="Required for another reason; optional otherwise")
    submit = SubmitField("Cancel the placement", widget=GovSubmitInput())
