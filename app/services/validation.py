"""What services raise when input breaks a rule, so that views can show each problem next to its field, and the
small checks that several services share."""

from email_validator import EmailNotValidError, validate_email

from app.extensions import db

EMAIL_FORMAT_MESSAGE = "Enter an email address in the correct format, like name@example.com"

# The largest PostgreSQL integer: a bigger number is nobody's id, and the database would refuse to compare it.
LARGEST_ID = 2**31 - 1


class Refused(Exception):
    """An action the rules do not allow; the message is safe to show to the person who tried it."""


class NotInScope(LookupError):
    """The object does not exist or the user may not see it; views answer 404 either way."""


class InvalidInput(Refused):
    """Input that breaks one or more rules: `problems` maps each field name to the message to show beside it."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(" ".join(problems.values()))
        self.problems = problems


def refuse_if_any(problems: dict[str, str]) -> None:
    if problems:
        raise InvalidInput(problems)


def text_problem(value: str | None, *, missing: str, max_length: int, what: str) -> str | None:
    """The message for a required text value that is blank or longer than its column allows."""
    value = (value or "").strip()
    if not value:
        return missing
    if len(value) > max_length:
        return f"{what} must be {max_length} characters or fewer"
    return None


def is_possible_id(object_id: int) -> bool:
    return 0 < object_id <= LARGEST_ID


def existing(model, object_id: int | None):
    """The row with this id, or None, also for an id no database column could hold (a tampered form)."""
    if object_id is None or not is_possible_id(object_id):
        return None
    return db.session.get(model, object_id)


def is_email_address(text: str) -> bool:
    """Whether text is a well-formed email address; the reserved .test domain of demo accounts counts."""
    try:
        validate_email(text, check_deliverability=False, test_environment=True)
    except EmailNotValidError:
        return False
    return True
