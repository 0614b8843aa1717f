"""What a capacity planner chooses: regions they can see, a week, a period and a cost. All sent by GET, so that a
page can be bookmarked and shared; nothing changes, so no CSRF token."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import DateField, DecimalField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional, ValidationError

from app.forms import GovDateField, labelled_choices, optional, with_blank
from app.manage.forms import PremisesFilterForm, filter_field, offer_regions
from vocabulary import CHARACTERISTICS, APType, CharacteristicScope

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
