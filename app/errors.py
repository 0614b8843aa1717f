"""Error pages in the GOV.UK style; a stale form gets a friendly page instead of a bare 400."""

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError

from app.extensions import db
from app.services.validation import NotInScope

ERROR_PAGES = {
    400: ("Sorry, there is a problem with your request", "Check the information you entered and try again."),
    403: ("You do not have permission to see this page", "If you think you should, contact your administrator."),
    404: ("Page not found", "If you typed the web address, check it is correct."),
    405: ("Sorry, there is a problem with your request", "That action is not allowed on this page."),
    429: ("Too many attempts", "You have tried too many times. Wait 15 minutes, then try again."),
    500: ("Sorry, there is a problem with the service", "Try again later. Nothing you had already saved has been lost."),
}


def register_error_handlers(app: Flask) -> None:
    def render_error(code: int):
        title, message = ERROR_PAGES[code]
        return render_template("errors/error.html", title=title, message=message), code

    for code in ERROR_PAGES:
        if code != 500:
            app.register_error_handler(code, lambda error, code=code: render_error(code))

    # Out of scope answers like missing, so that nobody learns what exists beyond what they may see.
    app.register_error_handler(NotInScope, lambda error: render_error(404))

    @app.errorhandler(500)
    def internal_error(error):
        db.session.rollback()
        return render_error(500)

    @app.errorhandler(CSRFError)
    def form_expired(error):
        return render_template("errors/form_expired.html"), 400
