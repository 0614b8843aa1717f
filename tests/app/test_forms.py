from datetime import date
from enum import Enum
from types import SimpleNamespace

import pytest
from werkzeug.datastructures import MultiDict
from wtforms.fields import SelectChoice

from app.forms import (
    GovDateField,
    GovRadioField,
    GovSelectField,
    NumberField,
    ServiceForm,
    WholeNumberField,
    error_summary,
    id_choices,
    labelled_choices,
    optional,
    with_blank,
)


class Colour(str, Enum):
    RED = "red"
    BLUE = "blue"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class ExampleForm(ServiceForm):
    starts = GovDateField("Start date", required="Enter the start date")
    ends = GovDateField("End date")
    beds = WholeNumberField("Beds", invalid_value_message="Enter a whole number")
    longitude = NumberField("Longitude", invalid_value_message="Enter a number")
    colour = GovRadioField("Colour", coerce=Colour, choices=labelled_choices(Colour), message="Select a colour")
    size = GovSelectField("Size", coerce=optional(int), choices=with_blank("Any size", [SelectChoice("1", "Small")]),
                          message="Select a size from the list")


@pytest.fixture
def posted(app):
    """A form built from posted values, with its errors after validation."""

    def post(**values) -> ExampleForm:
        data = {"starts": ["1", "2", "2030"], "colour": "red"} | values
        with app.test_request_context(method="POST"):
            form = ExampleForm(formdata=MultiDict([(k, v) for k, vs in data.items() for v in _listed(vs)]))
            form.validate()
            return form

    return post


def _listed(value) -> list:
    return value if isinstance(value, list) else [value]


def test_a_full_form_parses(posted):
    form = posted(ends=["3", "4", "2030"], beds="3", longitude="-2.5", size="1")
    assert form.errors == {}
    assert (form.starts.data, form.ends.data, form.beds.data, form.longitude.data, form.colour.data, form.size.data) == (
        date(2030, 2, 1), date(2030, 4, 3), 3, -2.5, Colour.RED, 1
    )


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (["", "", ""], "Enter the start date"),
        (["", "4", "2030"], "Start date must include a day"),
        (["1", "", ""], "Start date must include a month and a year"),
        (["31", "2", "2030"], "Start date must be a real date"),
        (["x", "2", "2030"], "Start date must be a real date"),
        (["1", "2", "30"], "Year must include 4 numbers"),
        (["1", "2"], "Start date must include a year"),
        (["30", "2", "2031", "1"], "Start date must be a real date"),
    ],
)
def test_dates_get_the_gov_uk_messages(posted, parts, message):
    form = posted(starts=parts)
    assert form.errors == {"starts": [message]}
    assert form.starts.data is None and len(form.starts.raw_data) == 3


def test_a_date_left_out_entirely_is_reported_too(app):
    with app.test_request_context(method="POST"):
        form = ExampleForm(formdata=MultiDict({"colour": "red"}))
        assert not form.validate()
        assert form.errors == {"starts": ["Enter the start date"]}


def test_blank_optional_values_are_none_for_the_service_to_judge(posted):
    form = posted(ends=["", "", ""], beds=" ", longitude="", size="")
    assert form.errors == {}
    assert (form.ends.data, form.beds.data, form.longitude.data, form.size.data) == (None, None, None, None)


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        ({"beds": "three"}, {"beds": ["Enter a whole number"]}),
        ({"longitude": "west"}, {"longitude": ["Enter a number"]}),
        ({"colour": "green"}, {"colour": ["Select a colour"]}),
        ({"colour": []}, {"colour": ["Select a colour"]}),
        ({"size": "2"}, {"size": ["Select a size from the list"]}),
        ({"size": "small"}, {"size": ["Select a size from the list"]}),
    ],
)
def test_malformed_values_get_the_fields_message(posted, values, errors):
    assert posted(**values).errors == errors


def test_a_stored_date_fills_the_three_boxes(app):
    with app.test_request_context():
        html = str(ExampleForm(data={"ends": date(2027, 3, 5)}).ends())
    assert 'value="05"' in html and 'value="03"' in html and 'value="2027"' in html


def test_service_problems_go_beside_fields_without_hiding_parsing_errors(posted):
    form = posted(beds="many")
    form.add_problems({"beds": "Enter a number of beds from 1 to 50", "longitude": "Enter the longitude"})
    assert form.errors == {"beds": ["Enter a whole number"], "longitude": ["Enter the longitude"]}


@pytest.mark.parametrize(
    ("values", "problems", "valid"),
    [({}, {}, True), ({}, {"ends": "Enter the end date"}, False), ({"beds": "x"}, {}, False)],
)
def test_submitted_and_valid_needs_both_the_form_and_the_service(app, values, problems, valid):
    data = MultiDict([("starts", "1"), ("starts", "2"), ("starts", "2030"), ("colour", "red"), *values.items()])
    with app.test_request_context(method="POST", data=data):
        form = ExampleForm()
        assert form.submitted_and_valid(lambda: problems) is valid
        assert ("ends" in form.errors) is bool(problems)


def test_nothing_is_checked_before_the_form_is_submitted(app):
    with app.test_request_context(method="GET"):
        form = ExampleForm()
        assert form.submitted_and_valid(lambda: pytest.fail("the service was asked")) is False
        assert form.errors == {}


def test_choice_helpers():
    rows = [SimpleNamespace(id=7, name="Preston House", label="PH")]
    assert [(c.value, c.label) for c in labelled_choices(Colour)] == [("red", "Red"), ("blue", "Blue")]
    assert [(c.value, c.label) for c in with_blank("All", id_choices(rows))] == [("", "All"), ("7", "Preston House")]
    assert [c.label for c in id_choices(rows, lambda row: row.label)] == ["PH"]
    assert (optional(int)(""), optional(int)(None), optional(int)("12")) == (None, None, 12)
    with pytest.raises(ValueError):
        optional(Colour)("green")


def test_saved_values_show_until_the_form_is_posted(app):
    saved = {"ends": date(2027, 3, 5), "size": 1}
    with app.test_request_context(method="GET"):
        shown = ExampleForm.filled_from(saved)
        assert (shown.ends.data, shown.size.data) == (date(2027, 3, 5), 1)
    with app.test_request_context(method="POST", data={"colour": "blue"}):
        posted = ExampleForm.filled_from(saved)
        assert (posted.ends.data, posted.size.data, posted.colour.data) == (None, None, Colour.BLUE)


def test_error_summary_links_a_date_to_its_day_input_and_other_fields_to_themselves(posted):
    form = posted(starts=["", "", ""], beds="many")
    links = {error["href"] for error in error_summary(form)["errorList"]}
    assert links == {"#starts-day", "#beds"}
