"""Administration forms: they only parse what was posted, and the services' problems go beside the fields."""

from operator import attrgetter

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovPasswordInput,
    GovTextArea,
    GovTextInput,
)
from sqlalchemy import select
from wtforms import (
    BooleanField,
    HiddenField,
    PasswordField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import AnyOf

from app.extensions import db
from app.forms import (
    GovDateField,
    GovRadioField,
    GovSelectField,
    NumberField,
    ServiceForm,
    WholeNumberField,
    id_choices,
    labelled_choices,
    optional,
    with_blank,
)
from app.models import Premises, Region
from app.permissions import Role
from app.services.premises_admin import (
    MAX_BEDS_ADDED_AT_ONCE,
    PremisesDetails,
    RoomDetails,
    characteristics,
)
from app.services.users import MIN_PASSWORD_LENGTH, UserDetails
from vocabulary import APType, CharacteristicScope, Gender


def _premises_choices() -> list[SelectChoice]:
    return with_blank("None", id_choices(db.session.scalars(select(Premises).order_by(Premises.name))))


def _region_choices(blank_label: str):
    return lambda: with_blank(blank_label, id_choices(db.session.scalars(select(Region).order_by(Region.name))))


def _characteristic_choices(scope: CharacteristicScope):
    return lambda: id_choices(characteristics(scope), attrgetter("label"))


def _text(label: str, **kwargs) -> StringField:
    return StringField(label, widget=GovTextInput(), **kwargs)


def _id_select(label: str, choices, listed: str, **kwargs) -> GovSelectField:
    """Select values are database ids; whether the row exists is the service's check."""
    return GovSelectField(label, coerce=optional(int), choices=choices, validate_choice=False, message=listed, **kwargs)


def _characteristic_checkboxes(label: str, scope: CharacteristicScope) -> SelectMultipleField:
    return SelectMultipleField(
        label, coerce=int, choices=_characteristic_choices(scope), validate_choice=False,
        widget=GovCheckboxesInput(), invalid_value_message="Select characteristics from the list",
    )


class UserForm(ServiceForm):
    name = _text("Full name")
    email = _text("Email address")
    roles = SelectMultipleField(
        "Roles",
        coerce=Role,
        choices=labelled_choices(Role),
        widget=GovCheckboxesInput(),
        description="Select all that apply",
        invalid_value_message="Select roles from the list",
    )
    premises = _id_select(
        "Premises", _premises_choices, "Select a premises from the list",
        description="Needed for AP staff and AP premises managers: they see only this premises",
    )
    region = _id_select(
        "Probation region", _region_choices("None"), "Select a region from the list",
        description="Needed for offender managers, central referral unit staff and regional managers",
    )

    @classmethod
    def editing(cls, user) -> "UserForm":
        return cls.filled_from({"name": user.name, "email": user.email, "roles": user.roles,
                                "premises": user.premises_id, "region": user.region_id})

    def details(self) -> UserDetails:
        return UserDetails(
            name=self.name.data or "",
            email=self.email.data or "",
            roles=frozenset(self.roles.data or ()),
            premises_id=self.premises.data,
            region_id=self.region.data,
        )


class NewUserForm(UserForm):
    password = PasswordField(
        "Initial password",
        widget=GovPasswordInput(),
        description=f"At least {MIN_PASSWORD_LENGTH} characters. Give it to the person in a secure way",
    )


class UserSearchForm(FlaskForm):
    """Filters for the users list, read from the query string; a value that does not parse is ignored."""

    class Meta:
        csrf = False

    q = _text("Name or email address")
    role = GovSelectField("Role", coerce=optional(Role), choices=with_blank("Any role", labelled_choices(Role)))
    status = GovSelectField(
        "Status", choices=with_blank("Any status", [SelectChoice("active", "Active"), SelectChoice("deactivated", "Deactivated")])
    )

    @property
    def active(self) -> bool | None:
        return {"active": True, "deactivated": False}.get(self.status.data)


class AccountStatusForm(FlaskForm):
    """Carries the status the administrator confirmed, so a repeated submission changes nothing twice."""

    active = HiddenField(validators=[AnyOf(["true", "false"])])


class PremisesForm(ServiceForm):
    name = _text("Name")
    code = _text("Premises code", description="2 to 12 letters, numbers or hyphens, for example MAN-01")
    gender = GovRadioField(
        "Who is the premises for?", coerce=Gender, choices=labelled_choices(Gender), validate_choice=False,
        message="Select who the premises is for",
    )
    ap_type = GovRadioField(
        "Type of AP", coerce=APType, choices=labelled_choices(APType), validate_choice=False,
        message="Select the type of AP",
    )
    address = _text("Address")
    town = _text("Town or city")
    postcode = _text("Postcode")
    longitude = NumberField(
        "Longitude (optional)", widget=GovTextInput(),
        description="Decimal degrees, for example -2.7036. Leave longitude and latitude blank to use the centre of the "
                    "postcode district, or of the town",
        invalid_value_message="Enter the longitude as a number, like -2.7036",
    )
    latitude = NumberField(
        "Latitude (optional)", widget=GovTextInput(), description="Decimal degrees, for example 53.7632",
        invalid_value_message="Enter the latitude as a number, like 53.7632",
    )
    region = _id_select("Probation region", _region_choices("Select a region"), "Select a region from the list")
    characteristics = _characteristic_checkboxes("Premises characteristics", CharacteristicScope.PREMISES)
    is_active = BooleanField("The premises is open and taking placements", widget=GovCheckboxInput(), default=True)
    local_restrictions = TextAreaField(
        "Local restrictions", widget=GovTextArea(),
        description="Anything a referral unit must know before placing someone here, such as exclusion zones nearby",
    )
    email = _text("Email address (optional)", description="The premises' shared inbox, told of every booking made "
                                                          "or changed there")

    @classmethod
    def editing(cls, premises) -> "PremisesForm":
        fields = ("name", "code", "gender", "ap_type", "address", "town", "postcode", "longitude", "latitude",
                  "is_active", "local_restrictions", "email")
        return cls.filled_from({name: getattr(premises, name) for name in fields} | {
            "region": premises.region_id, "characteristics": [c.id for c in premises.characteristics]})

    def details(self) -> PremisesDetails:
        return PremisesDetails(
            name=self.name.data or "",
            code=self.code.data or "",
            gender=self.gender.data,
            ap_type=self.ap_type.data,
            address=self.address.data or "",
            town=self.town.data or "",
            postcode=self.postcode.data or "",
            longitude=self.longitude.data,
            latitude=self.latitude.data,
            region_id=self.region.data,
            characteristic_ids=frozenset(self.characteristics.data or ()),
            is_active=bool(self.is_active.data),
            local_restrictions=self.local_restrictions.data or "",
            email=self.email.data or "",
        )


class RoomForm(ServiceForm):
    room_name = _text("Room name", description="For example, Room 12 or Ground floor 3")
    room_characteristics = _characteristic_checkboxes("Room characteristics", CharacteristicScope.ROOM)

    @classmethod
    def editing(cls, room) -> "RoomForm":
        return cls.filled_from({"room_name": room.name, "room_characteristics": [c.id for c in room.characteristics]})

    def room_details(self) -> RoomDetails:
        return RoomDetails(name=self.room_name.data or "", characteristic_ids=frozenset(self.room_characteristics.data or ()))


class BedsForm(ServiceForm):
    beds = WholeNumberField(
        "Number of beds", widget=GovTextInput(), description=f"From 1 to {MAX_BEDS_ADDED_AT_ONCE}",
        invalid_value_message=f"Enter a number of beds from 1 to {MAX_BEDS_ADDED_AT_ONCE}",
    )


class NewRoomForm(RoomForm, BedsForm):
    pass


class NewPremisesForm(PremisesForm, NewRoomForm):
    pass


class EndBedForm(ServiceForm):
    active_to = GovDateField("Last day the bed is available", description="For example, 27 3 2027")
