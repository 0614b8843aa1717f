"""A change asked for in a view is flashed as made, in words that may depend on what it returned, or as refused."""

from flask import get_flashed_messages

from app.flashes import flash_outcome
from app.services.validation import Refused


def _refused():
    raise Refused("This bed is already out of service")


def test_a_change_made_is_flashed_as_a_success_in_words_of_what_it_returned(app):
    with app.test_request_context():
        assert flash_outcome(lambda: "Ashdown", lambda name: f"Allocated to {name}") == "Ashdown"
        assert flash_outcome(lambda: None, "Done") is None
        assert get_flashed_messages(with_categories=True) == [("success", "Allocated to Ashdown"), ("success", "Done")]


def test_a_change_refused_is_flashed_as_an_error_saying_why(app):
    with app.test_request_context():
        assert flash_outcome(_refused, "Never said") is None
        assert get_flashed_messages(with_categories=True) == [("error", "This bed is already out of service")]
