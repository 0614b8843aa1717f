from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import DateField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from app.forms import ServiceForm
from app.models import APType, Gender, OutOfServiceReason
from app.services.estate import bed_name
from app.services.reference import PREMISES_CHARACTERISTICS


class _ClearChoiceMessage:
    """WTForms says "Not a valid choice."; GOV.UK asks for a message that says what to do."""

    def __init__(self, *args, invalid_choice: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.invalid_choice = invalid_choice

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(self.invalid_choice) from None


class ChoiceSelectField(_ClearChoiceMessage, SelectField):
    widget = GovSelect()


def _filter_field(label: str, invalid_choice: str, choices=None) -> ChoiceSelectField:
    """A filter left out of the query string means "all", the same as its empty first option."""
    return ChoiceSelectField(label, choices=choices, default="", invalid_choice=invalid_choice)


class ChoiceRadioField(_ClearChoiceMessage, RadioField):
    widget = GovRadioInput()


class GovDateField(DateField):
    """A date typed as day, month and year, with the GOV.UK error messages for missing or impossible parts."""

    widget = GovDateInput()

    def __init__(self, label: str, *, required: str, **kwargs):
        super().__init__(label, format="%d %m %Y", **kwargs)
        self.required = required

    def process_formdata(self, valuelist):
        # The widget unpacks exactly three parts, so a tampered request must not give it more or fewer.
        parts = [str(part).strip() for part in (list(valuelist) + ["", "", ""])[:3]]
        self.raw_data = parts
        self.data = None
        day, month, year = parts
        if not any(parts):
            return
        missing = [name for name, part in zip(("day", "month", "year"), parts) if not part]
        if missing:
            raise ValueError(f"{self.label.text} must include a {' and a '.join(missing)}")
        if not (len(year) == 4 and year.isdigit()):
            raise ValueError("Year must include 4 numbers")
        try:
            self.data = date(int(year), int(month), int(day))
        except ValueError:
            raise ValueError(f"{self.label.text} must be a real date") from None

    def pre_validate(self, form):
        # Here rather than in process_formdata, which never runs when the whole form arrives empty.
        if self.data is None and not self.errors:
            raise ValidationError(self.required)


def _choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _with_all(label: str, pairs) -> list[SelectChoice]:
    return _choices([("", label), *pairs])


class PremisesFilterForm(FlaskForm):
    """Sent by GET so that a filtered list can be bookmarked and shared; nothing changes, so no CSRF token."""

    class Meta:
        csrf = False

    region = _filter_field("Region", "Select a region from the list")
    gender = _filter_field(
        "Gender", "Select men, women or both", _with_all("Men and women", [(g.value, g.label) for g in Gender])
    )
    ap_type = _filter_field(
        "AP type", "Select an AP type from the list", _with_all("All types", [(t.value, t.label) for t in APType])
    )
    characteristic = _filter_field(
        "Characteristic",
        "Select a characteristic from the list",
        _with_all("Any", list(PREMISES_CHARACTERISTICS.items())),
    )

    def __init__(self, regions, **kwargs):
        super().__init__(**kwargs)
        self.region.choices = _with_all("All regions", [(str(r.id), r.name) for r in regions])


class OutOfServiceBedForm(ServiceForm):
    bed = ChoiceSelectField("Bed", validators=[DataRequired("Select a bed")], invalid_choice="Select a bed")
    reason = ChoiceRadioField(
        "Why is the bed out of service?",
        choices=_choices((reason.value, reason.label) for reason in OutOfServiceReason),
        invalid_choice="Select why the bed is out of service",
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
        self.bed.choices = _choices([("", "Select a bed"), *((str(bed.id), bed_name(bed)) for bed in beds)])


class CancelOutOfServiceBedForm(FlaskForm):
    submit = SubmitField("Yes, cancel it", widget=GovSubmitInput())
