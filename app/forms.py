"""Form pieces shared by the blueprints. Forms only read and parse what was posted: the rules live in the
services, whose problems a `ServiceForm` shows next to the fields they concern."""

import re
from datetime import date, time
from operator import attrgetter

from flask_wtf import FlaskForm
from govuk_frontend_wtf.main import wtforms_errors
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovRadioInput, GovSelect, GovTextInput
from wtforms import DateField, FloatField, IntegerField, RadioField, SelectField, StringField
from wtforms.fields import SelectChoice
from wtforms.validators import ValidationError


class ServiceForm(FlaskForm):
    """A form for a service call: filled from what is saved, and showing the service's problems."""

    @classmethod
    def filled_from(cls, saved: dict):
        """The form showing saved values until it is posted. Once posted only what was posted counts, so that a
        field left out (an unticked checkbox, a tampered form) is empty rather than keeping its saved value."""
        form = cls()
        return form if form.is_submitted() else cls(data=saved)

    def add_problems(self, problems: dict[str, str]) -> None:
        """Show a service's problems beside their fields, unless the field already has a parsing error."""
        for name, message in problems.items():
            if not self[name].errors:
                self[name].errors = [*self[name].errors, message]

    def submitted_and_valid(self, service_problems) -> bool:
        """Parse the posted form and run the service's checks, so that every problem is reported at once."""
        if not self.is_submitted():
            return False
        parsed = self.validate()
        problems = service_problems()
        self.add_problems(problems)
        return parsed and not problems


# --- fields --------------------------------------------------------------------------------------------------


class GovDateField(DateField):
    """A date typed as day, month and year, with the GOV.UK error messages for missing or impossible parts.

    With `required`, a blank date is an error with that message; without it a blank date is None, for the
    service to say what is missing.
    """

    widget = GovDateInput()

    def __init__(self, label: str, *, required: str | None = None, **kwargs):
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
        if self.required and self.data is None and not self.errors:
            raise ValidationError(self.required)


class _OneMessage:
    """GOV.UK asks for one message that says what to do, where WTForms has "Not a valid choice" and others."""

    def __init__(self, label: str, *, message: str | None = None, **kwargs):
        super().__init__(label, invalid_choice_message=message, invalid_value_message=message, **kwargs)


class GovSelectField(_OneMessage, SelectField):
    """A select whose `message` is shown for a value that is not offered or that `coerce` cannot parse."""

    widget = GovSelect()


class GovRadioField(_OneMessage, RadioField):
    """Radios whose `message` is shown when none is chosen, or for a value not offered or not parsed."""

    widget = GovRadioInput()


class _BlankIsMissing:
    """A blank number is missing, which the service reports, rather than malformed."""

    def process_formdata(self, valuelist):
        if all(not value.strip() for value in valuelist):
            self.data = None
            return
        super().process_formdata(valuelist)


class NumberField(_BlankIsMissing, FloatField):
    pass


class WholeNumberField(_BlankIsMissing, IntegerField):
    pass


# --- choices -------------------------------------------------------------------------------------------------


def labelled_choices(enum) -> list[SelectChoice]:
    """One choice per member of one of our enums, shown by its label."""
    return [SelectChoice(member.value, member.label) for member in enum]


def id_choices(rows, label=attrgetter("name")) -> list[SelectChoice]:
    """One choice per database row, its id as the value."""
    return [SelectChoice(str(row.id), label(row)) for row in rows]


def with_blank(label: str, choices) -> list[SelectChoice]:
    """Choices after a first, empty one: "Select a bed", "All regions", "None"..."""
    return [SelectChoice("", label), *choices]


def optional(parse):
    """A select's coerce when its blank option means none: blank is None and anything else is parsed, so that
    a value that does not parse (a tampered form) is an error."""
    return lambda value: None if value in ("", None) else parse(value)


# --- error summary -------------------------------------------------------------------------------------------


def error_summary(form) -> dict:
    """govuk-frontend-wtf's error summary, with each date linked to its day input as GOV.UK asks: the date's
    wrapper cannot take the focus, so a link to it would leave keyboard users where they were."""
    summary = wtforms_errors(form)
    date_links = {f"#{field.id}": f"#{field.name}-day" for field in form if isinstance(field.widget, GovDateInput)}
    for error in summary["errorList"]:
        error["href"] = date_links.get(error["href"], error["href"])
    return summary


class TimeOfDayField(StringField):
    """A time typed as hours and minutes on the 24-hour clock ("19:00" or "7.30"); blank is no answer."""

    widget = GovTextInput()
    FORMAT = re.compile(r"(\d{1,2})[:.](\d{2})")

    def process_formdata(self, valuelist):
        typed = (valuelist[0] if valuelist else "").strip()
        self.raw_data, self.data = [typed], None
        if not typed:
            return
        found = self.FORMAT.fullmatch(typed)
        try:
            self.data = time(int(found[1]), int(found[2])) if found else None
        except ValueError:
            pass
        if self.data is None:
            raise ValueError("Enter the time as hours and minutes on the 24-hour clock, for example 19:00")

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%H:%M") if self.data else ""
