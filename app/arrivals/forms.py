"""AP staff's forms: each parses what was posted into what its service action takes; the rules are the service's."""

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length

from app.forms import (
    GovDateField,
    GovRadioField,
    GovSelectField,
    ServiceForm,
    TimeOfDayField,
    id_choices,
    labelled_choices,
    optional,
    with_blank,
)
from app.services import arrivals
from vocabulary import (
    TICKED_ITEMS,
    BreachOrRecallReason,
    DepartureReason,
    MoveOnCategory,
    NonArrivalReason,
    PoliceNotificationMethod,
    PreparationItem,
)

EXAMPLE_DATE = "For example, 27 3 2030"
EXAMPLE_TIME = "On the 24-hour clock, for example 14:30"


def _radios(label: str, enum, message: str, **kwargs) -> GovRadioField:
    """Radios the service checks, so that a missing answer is reported with the other rules; a value that is not
    offered is refused here with the same message."""
    return GovRadioField(label, coerce=optional(enum), choices=labelled_choices(enum), validate_choice=False,
                         message=message, **kwargs)


def _notes(label: str, **kwargs) -> TextAreaField:
    return TextAreaField(label, widget=GovTextArea(), **kwargs)


class ChecklistForm(ServiceForm):
    items = SelectMultipleField(
        "Which of these are done?", coerce=PreparationItem, choices=labelled_choices(TICKED_ITEMS),
        validate_choice=False, widget=GovCheckboxesInput(), description="Select all that are done. A bed and a key worker are done by "
                                                 "allocating them", invalid_value_message="Select items from the list")
    police_notified_on = GovDateField("When were the police told?", description=f"If they have been. {EXAMPLE_DATE}")
    police_notified_by = _radios("How were the police told?", PoliceNotificationMethod,
                                 "Select how the police were told")
    submit = SubmitField("Save checklist", widget=GovSubmitInput())

    @classmethod
    def for_placement(cls, placement) -> "ChecklistForm":
        police = next((check for check in placement.checks if check.item is PreparationItem.POLICE_NOTIFIED), None)
        return cls.filled_from({
            "items": [check.item for check in placement.checks],
            "police_notified_on": police.police_notified_on if police else None,
            "police_notified_by": police.police_notified_by if police else None,
        })

    def preparation(self) -> arrivals.Preparation:
        return arrivals.Preparation(frozenset(self.items.data or ()), self.police_notified_on.data,
                                    self.police_notified_by.data)


class ArrivalForm(ServiceForm):
    arrival_date = GovDateField("Date of arrival", description=EXAMPLE_DATE)
    arrival_time = TimeOfDayField("Time of arrival", description=EXAMPLE_TIME)
    submit = SubmitField("Record arrival", widget=GovSubmitInput())

    def arrival(self) -> arrivals.Moment:
        return arrivals.Moment(self.arrival_date.data, self.arrival_time.data)


class NonArrivalForm(ServiceForm):
    reason = _radios("Why did the person not arrive?", NonArrivalReason, "Select why the person did not arrive")
    detail = _notes("Details", description="Required for another reason; optional otherwise")
    submit = SubmitField("Record non-arrival", widget=GovSubmitInput())

    def non_arrival(self) -> arrivals.NonArrival:
        return arrivals.NonArrival(self.reason.data, self.detail.data or "")


class DepartureForm(ServiceForm):
    departure_date = GovDateField("Date of departure", description=EXAMPLE_DATE)
    departure_time = TimeOfDayField("Time of departure", description=EXAMPLE_TIME)
    reason = _radios("Why did the person leave?", DepartureReason, "Select the reason for the departure")
    breach_or_recall_reason = _radios("What was the breach or recall?", BreachOrRecallReason,
                                      "Select the breach or recall reason",
                                      description="Only if they left because of a breach or recall")
    move_on_category = _radios("Where has the person moved on to?", MoveOnCategory,
                               "Select where the person has moved on to",
                               description="Not needed if the person died")
    notes = _notes("Notes (optional)")
    submit = SubmitField("Record departure", widget=GovSubmitInput())

    def departure(self) -> arrivals.Departure:
        return arrivals.Departure(
            arrivals.Moment(self.departure_date.data, self.departure_time.data),
            self.reason.data,
            self.breach_or_recall_reason.data,
            self.move_on_category.data,
            self.notes.data or "",
        )


class ExpectedDepartureForm(ServiceForm):
    expected_departure = GovDateField("New expected departure date", description=EXAMPLE_DATE)
    submit = SubmitField("Change date", widget=GovSubmitInput())


class KeyWorkerForm(ServiceForm):
    key_worker = GovSelectField("Member of staff", coerce=optional(int), validate_choice=False,
                                message="Select a member of staff from the list")
    key_worker_name = StringField("Or, for someone without an account here, their name", widget=GovTextInput(),
                                  validators=[Length(max=120, message="The name must be 120 characters or fewer")])
    submit = SubmitField("Assign key worker", widget=GovSubmitInput())

    def __init__(self, staff, **kwargs):
        super().__init__(**kwargs)
        self.key_worker.choices = with_blank("Select a member of staff", id_choices(staff))

    def key_worker_chosen(self) -> arrivals.KeyWorker:
        return arrivals.KeyWorker(self.key_worker.data, self.key_worker_name.data or "")


def bed_label(bed) -> str:
    characteristics = ", ".join(characteristic.label.lower() for characteristic in bed.room.characteristics)
    return f"{bed.label} ({characteristics})" if characteristics else bed.label


class BedForm(ServiceForm):
    # Not limited to the beds offered: the service names whatever makes another bed unfit, say one taken since.
    bed = GovSelectField("Bed", coerce=optional(int), validate_choice=False, message="Select a bed from the list")
    submit = SubmitField("Allocate bed", widget=GovSubmitInput())

    def __init__(self, beds, **kwargs):
        super().__init__(**kwargs)
        self.bed.choices = with_blank("Select a bed", id_choices(beds, bed_label))
