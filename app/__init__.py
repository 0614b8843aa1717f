"""The approved premises placement service: create_app() builds the Flask application."""

import re
import secrets
import uuid
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, g, request, send_from_directory
from flask_login import current_user
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from app.config import INSTANCE_DIR, config_for
from app.extensions import csrf, db, limiter, login_manager, mail, migrate
from app.forms import error_summary
from app.permissions import Permission, public

PROJECT_DIR = Path(__file__).resolve().parent.parent
STATIC_DIR = PROJECT_DIR / "static"
ASSETS_DIR = STATIC_DIR / "govuk"  # GOV.UK Frontend's built assets, copied from npm at set-up
MIGRATIONS_DIR = PROJECT_DIR / "migrations"
# A caller's X-Request-Id is kept only if it is this: it is stored with audit events (40 characters) and echoed.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,40}")


def create_app(config_name: str | None = None, **overrides) -> Flask:
    app = Flask(__name__, static_folder=str(STATIC_DIR), instance_path=str(INSTANCE_DIR))
    # An id no database integer can hold is simply not found, rather than an overflow deep in the driver.
    app.url_map.converters["int"] = partial(IntegerConverter, max=2**31 - 1)
    app.config.from_object(config_for(config_name))
    app.config.update(overrides)
    if app.config["IS_PRODUCTION"] and not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set in production")
    INSTANCE_DIR.mkdir(exist_ok=True)

    _init_templates(app)
    _init_extensions(app)
    _register_blueprints(app)
    _init_security(app)
    _register_commands(app)
    return app


def _init_templates(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            PackageLoader("app"),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.add_template_global(error_summary)
    from app import filters

    filters.register(app)


def compile_templates(app: Flask) -> int:
    """Compile every page template and component now, rather than on the first request that renders each one (which
    then waits a tenth of a second or more); gunicorn calls this as each worker starts. The number compiled."""
    names = app.jinja_env.list_templates(extensions=["html"])
    for name in names:
        app.jinja_env.get_template(name)
    return len(names)


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    mail.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to continue"
    login_manager.login_message_category = "info"

    from app.services.accounts import user_for_session

    login_manager.user_loader(user_for_session)


def _register_blueprints(app: Flask) -> None:
    from app.admin.views import bp as admin_bp
    from app.apply import victims as _victims_pages  # noqa: F401  the Victims section's pages, on apply's blueprint
    from app.apply.views import bp as apply_bp
    from app.arrivals.views import bp as arrivals_bp
    from app.assess.views import bp as assess_bp
    from app.auth.views import bp as auth_bp
    from app.errors import register_error_handlers
    from app.main.views import bp as main_bp
    from app.manage.views import bp as manage_bp
    from app.placements.views import bp as placements_bp
    from app.planning.views import bp as planning_bp
    from app.requests.views import bp as requests_bp
    from app.search.views import bp as search_bp

    for blueprint in (
        auth_bp,
        main_bp,
        manage_bp,
        admin_bp,
        apply_bp,
        assess_bp,
        arrivals_bp,
        placements_bp,
        requests_bp,
        search_bp,
        planning_bp,
    ):
        app.register_blueprint(blueprint)
    register_error_handlers(app)

    @app.get("/assets/<path:filename>")
    @public
    def assets(filename: str):
        return send_from_directory(ASSETS_DIR, filename, max_age=3600)


def _init_security(app: Flask) -> None:
    if proxies := app.config["TRUSTED_PROXIES"]:
        # Only then: anyone can send X-Forwarded-For straight to the app to dodge the per-address sign-in limit.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    @app.before_request
    def start_request():
        given = request.headers.get("X-Request-Id", "")
        g.request_id = given if SAFE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        g.csp_nonce = secrets.token_urlsafe(16)

    @app.context_processor
    def template_globals():
        return {"cspNonce": g.get("csp_nonce"), "Permission": Permission}

    image_sources = " ".join(["'self'", "data:", *_tile_origin(app.config["MAP_TILE_URL"])])

    @app.after_request
    def security_headers(response):
        nonce = g.get("csp_nonce", "")
        response.headers["Content-Security-Policy"] = (
            f"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; img-src {image_sources}; "
            "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
            "frame-ancestors 'none'"
        )
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Request-Id"] = g.get("request_id", "")
        if hsts := app.config["STRICT_TRANSPORT_SECURITY"]:
            response.headers["Strict-Transport-Security"] = hsts
        if current_user.is_authenticated:
            response.headers["Cache-Control"] = "no-store"
        return response


def _tile_origin(tile_url: str | None) -> list[str]:
    """Where map tiles come from, for the Content-Security-Policy: "https://{s}.tile.example.org/{z}/{x}/{y}.png"
    allows https://*.tile.example.org."""
    if not tile_url:
        return []
    parts = urlsplit(tile_url.replace("{s}", "*"))
    return [f"{parts.scheme}://{parts.netloc}"]


def _register_commands(app: Flask) -> None:
    from app.cli import register

    register(app)
