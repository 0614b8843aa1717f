"""How a view tells the user what became of a change they asked for: made, or refused and why."""

from collections.abc import Callable
from typing import TypeVar

from flask import flash

from app.services.validation import Refused

Made = TypeVar("Made")


def flash_outcome(change: Callable[[], Made], success: str | Callable[[Made], str]) -> Made | None:
    """Make the change and flash its success message (a function of what the change returned, when it needs it),
    or flash the service's refusal as an error; either way the view goes on to the same page."""
    try:
        made = change()
    except Refused as refusal:
        flash(str(refusal), "error")
        return None
    flash(success(made) if callable(success) else success, "success")
    return made
