"""Form pieces shared by the blueprints. Forms only read and parse what was posted: the rules live in the
services, whose problems a `ServiceForm` shows next to the fields they concern."""

from flask_wtf import FlaskForm


class ServiceForm(FlaskForm):
    def add_problems(self, problems: dict[str, str]) -> None:
        """Show a service's problems beside their fields, unless the field already has a parsing error."""
        for name, message in problems.items():
            if not self[name].errors:
                self[name].errors = [*self[name].errors, message]

    def submitted_and_valid(self, service_problems) -> bool:
        """Parse the posted form and run the service's checks, so that every problem is reported at once."""
        if not self.is_submitted():
            return False
        parsed = self.validate()
        problems = service_problems()
        self.add_problems(problems)
        return parsed and not problems
