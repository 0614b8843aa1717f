"""Configuration classes chosen by the APP_ENV environment variable (development, test, production)."""

import os
from datetime import timedelta
from pathlib import Path

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"


class Config:
    SERVICE_NAME = "Approved premises placements"
    SECRET_KEY = os.environ.get("SECRET_KEY", "development-only-secret-key")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'app.db'}")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL")  # optimiser jobs run in-process when unset
    RQ_QUEUE = os.environ.get("RQ_QUEUE", "optimiser")
    OPTIMISER_WORKERS = int(os.environ.get("OPTIMISER_WORKERS", "2"))  # CP-SAT's search threads per run
    # What a night in an AP bed costs, for the performance figures; a planner may try another on the page.
    COST_PER_BED_NIGHT_PENCE = int(os.environ.get("COST_PER_BED_NIGHT_PENCE", "10500"))
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_STRATEGY = "moving-window"  # a fixed window would allow twice the limit across its boundary
    # Failed sign-ins only; the address ceiling is high because an office signs in from one proxy's address.
    SIGN_IN_ACCOUNT_LIMIT = "10 per 15 minutes"
    SIGN_IN_ADDRESS_LIMIT = "100 per 15 minutes"
    # How many reverse proxies stand in front of the app; only their X-Forwarded-For and -Proto are believed.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    STRICT_TRANSPORT_SECURITY = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SECURE = True
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
    WTF_CSRF_TIME_LIMIT = 3600 * 8
    # Email goes out by SMTP only when MAIL_SERVER is set; otherwise it stays in the outbox for administrators.
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "false").lower() == "true"
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "approved-premises@localhost")
    MAIL_TIMEOUT = 10
    MAIL_BACKEND = "smtp"  # also under test: the tests that send start a real SMTP server
    # Exclusion-zone maps draw offline outlines and towns; a deployment with a tile server may add it, e.g.
    # "https://tile.example.org/{z}/{x}/{y}.png" (the page's Content-Security-Policy then allows images from it).
    MAP_TILE_URL = os.environ.get("MAP_TILE_URL") or None
    MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "")
    DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "demo-password")
    PASSWORD_HASH_METHOD = "scrypt"
    IS_PRODUCTION = False


class DevelopmentConfig(Config):
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False


class TestConfig(DevelopmentConfig):
    TESTING = True
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    RATELIMIT_STORAGE_URI = "memory://"
    SIGN_IN_ACCOUNT_LIMIT = "5 per 15 minutes"
    SIGN_IN_ADDRESS_LIMIT = "20 per 15 minutes"
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # fast for tests only; real deployments keep scrypt
    MAIL_SERVER = None  # tests that send start their own SMTP server


class ProductionConfig(Config):
    IS_PRODUCTION = True
    SECRET_KEY = os.environ.get("SECRET_KEY")
    STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"


CONFIGS = {"development": DevelopmentConfig, "test": TestConfig, "production": ProductionConfig}


def config_for(name: str | None) -> type[Config]:
    name = name or os.environ.get("APP_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"APP_ENV must be one of {', '.join(CONFIGS)}, not {name!r}") from None
