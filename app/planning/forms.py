"""What a capacity planner chooses: regions they can see, a week, a period and a cost, all sent by GET, so that a
page can be bookmarked and shared (nothing changes, so no CSRF token); and the scenarios they keep, posted."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import DateField, DecimalField, SelectMultipleField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional, ValidationError

from app.forms import (
    GovDateField,
    GovRadioField,
    GovSelectField,
    ServiceForm,
    WholeNumberField,
    id_choices,
    labelled_choices,
    optional,
    with_blank,
)
from app.manage.forms import PremisesFilterForm, filter_field, offer_regions
from app.models import ChangeKind
from app.placements.forms import NATIONAL
from vocabulary import CHARACTERISTICS, APType, CharacteristicScope, Gender

ROOM_CHARACTERISTIC_CHOICES = [SelectChoice(c.code, c.label) for c in CHARACTERISTICS
                               if c.scope is CharacteristicScope.ROOM]


class OccupancyForm(PremisesFilterForm):
    room_characteristic = filter_field(
        "Count beds in rooms that are", "Select a room characteristic from the list",
        with_blank("All beds", ROOM_CHARACTERISTIC_CHOICES))
    week = DateField("Week", format="%Y-%m-%d", validators=[Optional()])

    def validate_week(self, field):
        if field.raw_data and field.raw_data[0] and field.data is None:
            raise ValidationError("Choose a week with the previous and next week links")


class _RegionForm(FlaskForm):
    class Meta:
        csrf = False

    region = filter_field("Region", "Select a region you can see from the list", coerce=optional(int))

    def __init__(self, regions, **kwargs):
        super().__init__(**kwargs)
        offer_regions(self.region, regions)


class ForecastForm(_RegionForm):
    ap_type = filter_field("AP type", "Select an AP type from the list",
                           with_blank("All types", labelled_choices(APType)), optional(APType))


class PeriodForm(_RegionForm):
    start = GovDateField("From", required="Enter the first day of the period", description="For example, 1 4 2026")
    end = GovDateField("To", required="Enter the last day of the period", description="For example, 31 3 2027")


COST_MESSAGE = "Enter a cost per bed-night from £0 to £10,000, like 55 or 54.50"


class FiguresForm(PeriodForm):
    cost = DecimalField(
        "Cost per bed-night (£)", places=2, widget=GovTextInput(), invalid_value_message=COST_MESSAGE,
        validators=[Optional(), NumberRange(min=0, max=10_000, message=COST_MESSAGE)],
        description="What a night in a bed costs, staff and building included")


# --- what-if scenarios: posted, so with CSRF tokens -------------------------------------------------------------------


class ScenarioForm(ServiceForm):
    name = StringField("Name", widget=GovTextInput(), description="For example, Close Ashdown House in spring")
    region_id = GovSelectField("Whose placement requests does it plan?", message="Select a region from the list")
    submit = SubmitField("Create the scenario", widget=GovSubmitInput())

    def __init__(self, regions, national: bool, **kwargs):
        super().__init__(**kwargs)
        choices = ([SelectChoice(NATIONAL, "All regions")] if national else []) + id_choices(regions)
        self.region_id.choices = choices

    def scope(self) -> int | None:
        return _scope(self.region_id.data)


class CompareForm(ServiceForm):
    """The scenarios ticked in the list, sent by GET so that a comparison can be bookmarked."""

    class Meta:
        csrf = False

    scenario = SelectMultipleField("Scenarios to compare", validate_choice=False)

    def chosen(self) -> list[int]:
        return [int(value) for value in self.scenario.data or () if value.isdigit()]


class ChangeForm(ServiceForm):
    kind = GovRadioField("What changes?", message="Select what to change", choices=labelled_choices(ChangeKind),
                         coerce=optional(ChangeKind))
    premises_id = GovSelectField("AP", message="Select an AP from the list", coerce=optional(int),
                                 description="For beds added, removed or out of service, and for an AP closed or reopened")
    place = StringField("Town or postcode district of the new AP", widget=GovTextInput(),
                        description="For a new AP. For example, Leeds or LS1")
    gender = GovSelectField("Men or women", message="Select men or women", coerce=optional(Gender),
                            choices=with_blank("Select men or women", labelled_choices(Gender)),
                            description="Whom a new AP is for, or whose the new referrals are")
    number = WholeNumberField("Number of beds or referrals", widget=GovTextInput(),
                              invalid_value_message="Enter the number as a whole number, like 5")
    start_on = GovDateField("First day out of service", description="For beds out of service. For example, 1 4 2031")
    end_on = GovDateField("Last day out of service", description="For example, 30 6 2031")
    region_id = GovSelectField("Region of the referrals", message="Select a region from the list",
                               coerce=optional(int), description="For more referrals, and for a change of mix")
    from_ap_type = GovSelectField(
        "AP type they ask for now", message="Select an AP type from the list", coerce=optional(APType),
        choices=with_blank("Select an AP type", labelled_choices(APType)), description="For a change of mix")
    ap_type = GovSelectField("AP type", message="Select an AP type from the list",
                             coerce=optional(APType), choices=with_blank("Select an AP type", labelled_choices(APType)),
                             description="The new AP's, what the new referrals ask for, or what the requests of a "
                                         "change of mix ask for instead")
    add = SubmitField("Add the change", widget=GovSubmitInput())  # not "submit": the run form's is on its page

    def __init__(self, premises, regions, **kwargs):
        super().__init__(**kwargs)
        self.premises_id.choices = with_blank("Select an AP", id_choices(
            premises, lambda premises: premises.name if premises.is_active else f"{premises.name} (closed today)"))
        self.region_id.choices = with_blank("Select a region", id_choices(regions))

    def fields(self) -> dict:
        return {name: self[name].data for name in ("premises_id", "region_id", "number", "ap_type", "from_ap_type",
                                                    "start_on", "end_on", "place", "gender")}


class RunScenarioForm(ServiceForm):
    """Posted with nothing in it (no time limit) it starts nothing: the time limit shown first is the page's."""

    time_limit_s = WholeNumberField(
        "Time limit for each plan, in seconds", widget=GovTextInput(),
        description="The run plans today, then the scenario: it takes up to twice this long.",
        invalid_value_message="Enter the time limit as a whole number of seconds")
    run = SubmitField("Run the scenario", widget=GovSubmitInput())


def _scope(value) -> int | None:
    """The region chosen; None for all regions (offered to national users only) and for none chosen."""
    value = value or ""
    return int(value) if value.isdigit() else None
