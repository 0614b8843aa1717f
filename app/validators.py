"""Form validators shared by the blueprints."""

from wtforms.validators import ValidationError

from app.services.validation import EMAIL_FORMAT_MESSAGE, is_email_address


class EmailAddress:
    """Like WTForms' Email, but accepts the reserved .test domain that demo and test accounts use."""

    def __call__(self, form, field) -> None:
        if not is_email_address(field.data or ""):
            raise ValidationError(EMAIL_FORMAT_MESSAGE)
