"""Form validators shared by the blueprints."""

from email_validator import EmailNotValidError, validate_email
from wtforms.validators import ValidationError


class EmailAddress:
    """Like WTForms' Email, but accepts the reserved .test domain that demo and test accounts use."""

    def __init__(self, message: str = "Enter an email address in the correct format, like name@example.com"):
        self.message = message

    def __call__(self, form, field) -> None:
        try:
            validate_email(field.data or "", check_deliverability=False, test_environment=True)
        except EmailNotValidError:
            raise ValidationError(self.message) from None
