"""What services raise when input breaks a rule, so that views can show each problem next to its field."""


class Refused(Exception):
    """An action the rules do not allow; the message is safe to show to the person who tried it."""


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
