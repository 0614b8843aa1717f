from operator import attrgetter

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea, GovTextInput
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from app.forms import (
    GovDateField,
    GovRadioField,
    GovSelectField,
    ServiceForm,
    id_choices,
    labelled_choices,
    optional,
    with_blank,
)
from app.models import OutOfServiceReason
from vocabulary import CHARACTERISTICS, APType, CharacteristicScope, Gender


def offer_regions(field: GovSelectField, regions) -> None:
    """Offer the regions the user can see: "All regions" only when that is more than one, and a single region
    chosen when a link leaves it out (e.g. ?gender=male)."""
    field.choices = with_blank("All regions", id_choices(regions)) if len(regions) > 1 else id_choices(regions)
    if len(regions) == 1 and field.data is None:
        field.data = regions[0].id


def filter_field(label: str, message: str, choices=None, coerce=optional(str)) -> GovSelectField:
    """A filter left out of the query string means "all", the same as its empty first option."""
    return GovSelectField(label, choices=choices, default="", coerce=coerce, message=message)


class PremisesFilterForm(FlaskForm):
    """Sent by GET so that a filtered list can be bookmarked and shared; nothing changes, so no CSRF token."""

    class Meta:
        csrf = False

    region = filter_field("Region", "Select a region from the list", coerce=optional(int))
    gender = filter_field(
        "Gender", "Select men, women or both", with_blank("Men and women", labelled_choices(Gender)), optional(Gender)
    )
    ap_type = filter_field(
        "AP type", "Select an AP type from the list", with_blank("All types", labelled_choices(APType)), optional(APType)
    )
    characteristic = filter_field(
        "Characteristic",
        "Select a characteristic from the list",
        with_blank(
            "Any",
            [SelectChoice(c.code, c.label) for c in CHARACTERISTICS if c.scope is CharacteristicScope.PREMISES],
        ),
    )

    def __init__(self, regions, **kwargs):
        """`regions` are those the user can see (offer_regions)."""
        super().__init__(**kwargs)
        offer_regions(self.region, regions)


class OutOfServiceBedForm(ServiceForm):
    bed = GovSelectField("Bed", coerce=optional(int), validators=[DataRequired("Select a bed")], message="Select a bed")
    reason = GovRadioField(
        "Why is the bed out of service?",
        choices=labelled_choices(OutOfServiceReason),
        coerce=OutOfServiceReason,
        message="Select why the bed is out of service",
    )
    start_date = GovDateField("Start date", required="Enter the start date", description="For example, 27 3 2030")
    end_date = GovDateField(
        "End date", required="Enter the end date", description="The last day the bed cannot be used, for example 3 4 2030"
    )
    reference = StringField(
        "Reference (optional)",
        description="For example, a works order number",
        widget=GovTextInput(),
        validators=[Length(max=60, message="Reference must be 60 characters or fewer")],
    )
    notes = TextAreaField(
        "Notes (optional)",
        widget=GovTextArea(),
        validators=[Length(max=2000, message="Notes must be 2,000 characters or fewer")],
    )
    submit = SubmitField("Take bed out of service", widget=GovSubmitInput())

    def __init__(self, beds, **kwargs):
        super().__init__(**kwargs)
        self.bed.choices = with_blank("Select a bed", id_choices(beds, attrgetter("label")))


class CancelOutOfServiceBedForm(FlaskForm):
    submit = SubmitField("Yes, cancel it", widget=GovSubmitInput())
