"""Placing people: the form that starts an optimiser run. The rules (which regions, what time limit) are the
service's."""

from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import SubmitField
from wtforms.fields import SelectChoice
from wtforms.validators import InputRequired

from app.forms import GovSelectField, ServiceForm, WholeNumberField, id_choices, with_blank
from app.services import optimiser_runs

NATIONAL = "national"


class StartRunForm(ServiceForm):
    region_id = GovSelectField("Which region's placement requests?", message="Select a region from the list",
                               validators=[InputRequired("Select a region")])
    time_limit_s = WholeNumberField(
        "Time limit, in seconds", widget=GovTextInput(), default=optimiser_runs.DEFAULT_TIME_LIMIT_S,
        description=f"Between {optimiser_runs.SHORTEST_TIME_LIMIT_S} and {optimiser_runs.LONGEST_TIME_LIMIT_S}. "
                    "The first plan comes within seconds; the rest of the time improves it.",
        invalid_value_message="Enter the time limit as a whole number of seconds")
    submit = SubmitField("Run the optimiser", widget=GovSubmitInput())

    def __init__(self, regions, national: bool, **kwargs):
        """`regions` are those the user may run over; `national` adds every region at once. A single choice is
        chosen already."""
        super().__init__(**kwargs)
        choices = ([SelectChoice(NATIONAL, "All regions (a national run)")] if national else []) + id_choices(regions)
        self.region_id.choices = with_blank("Select a region", choices) if len(choices) > 1 else choices
        if len(choices) == 1 and not self.region_id.data:
            self.region_id.data = choices[0].value

    def scope(self) -> int | None:
        """The region chosen, None for a national run (only offered to national users) and for none chosen, which
        the field reports."""
        value = self.region_id.data or ""
        return int(value) if value.isdigit() else None
