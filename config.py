"""Application configuration, read from the environment.

Every variable is listed in the README's configuration table. With no DATABASE_URL / REDIS_URL the app
runs on its embedded defaults: a SQLite file, an in-process cache, an in-memory rate
limiter and jobs executed inline after commit.
"""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
DEV_SECRET_KEY = "dev-only-insecure-key-change-me"  # noqa: S105 - refused in production


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw not in (None, "") else default


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def normalize_database_url(url: str) -> str:
    """Make plain ``postgres://`` / ``postgresql://`` URLs use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    APP_NAME = "Fantasize"
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)

    SQLALCHEMY_DATABASE_URI = normalize_database_url(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'instance' / 'fantasize.db'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL") or None
    # Queues are "<prefix>email", "<prefix>push" and "<prefix>default".
    RQ_QUEUE_PREFIX = os.environ.get("RQ_QUEUE_PREFIX", "")
    # Seconds between the tries of a failing job (one retry per number); then the failed registry.
    JOB_RETRY_BACKOFF = tuple(int(s) for s in os.environ.get("JOB_RETRY_BACKOFF", "30,120,600").split(",") if s.strip())
    JOB_FAILURE_TTL = _env_int("JOB_FAILURE_TTL", 14 * 24 * 3600)  # how long failed jobs stay listed
    DELIVERY_SWEEP_SECONDS = _env_int("DELIVERY_SWEEP_SECONDS", 60)  # `flask rq-cron`: queue lost deliveries

    # Rate limits (Flask-Limiter syntax).
    RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
    RATE_LIMIT_DEFAULT = os.environ.get("RATE_LIMIT_DEFAULT", "100 per 15 minutes")
    RATE_LIMIT_AUTH = os.environ.get("RATE_LIMIT_AUTH", "5 per 15 minutes")
    RATE_LIMIT_UPLOADS = os.environ.get("RATE_LIMIT_UPLOADS", "10 per hour")
    RATE_LIMIT_ADMIN = os.environ.get("RATE_LIMIT_ADMIN", "50 per 5 minutes")
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "fantasize")

    MAX_UPLOAD_MB = _env_int("MAX_UPLOAD_MB", 5)
    CACHE_TTL_PRODUCTS = _env_int("CACHE_TTL_PRODUCTS", 600)
    CACHE_TTL_CATEGORIES = _env_int("CACHE_TTL_CATEGORIES", 1800)
    CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "fantasize:")
    SLOW_REQUEST_MS = _env_int("SLOW_REQUEST_MS", 1000)
    LOW_STOCK_THRESHOLD = _env_int("LOW_STOCK_THRESHOLD", 5)  # staff get a live alert at or below it
    BCRYPT_ROUNDS = _env_int("BCRYPT_ROUNDS", 12)

    SMTP_HOST = os.environ.get("SMTP_HOST") or None
    SMTP_PORT = _env_int("SMTP_PORT", 25)
    SMTP_USER = os.environ.get("SMTP_USER") or None
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD") or None
    SMTP_STARTTLS = _env_bool("SMTP_STARTTLS", False)
    MAIL_FROM = os.environ.get("MAIL_FROM", "Fantasize <no-reply@fantasize.local>")
    # Without SMTP_HOST a message is logged instead of sent; its text (links included) only outside production.
    MAIL_LOG_BODIES = _env_bool("MAIL_LOG_BODIES", True)

    FCM_PROJECT_ID = os.environ.get("FCM_PROJECT_ID") or None
    FCM_CREDENTIALS_FILE = os.environ.get("FCM_CREDENTIALS_FILE") or None
    FCM_ENDPOINT = os.environ.get("FCM_ENDPOINT") or None

    # Realtime (/ws): seconds a socket may stay unauthenticated, events kept for `resume`, server pings,
    # the incoming message cap and the per-socket message rate; Redis keys and the channel use the prefix.
    REALTIME_AUTH_TIMEOUT = _env_int("REALTIME_AUTH_TIMEOUT", 5)
    REALTIME_HISTORY_SECONDS = _env_int("REALTIME_HISTORY_SECONDS", 600)
    REALTIME_PING_INTERVAL = _env_int("REALTIME_PING_INTERVAL", 25)
    REALTIME_MAX_MESSAGE_BYTES = _env_int("REALTIME_MAX_MESSAGE_BYTES", 4096)
    REALTIME_RATE_LIMIT = _env_int("REALTIME_RATE_LIMIT", 20)
    REALTIME_KEY_PREFIX = os.environ.get("REALTIME_KEY_PREFIX", "fantasize:realtime:")

    # Staff roles that must use two-factor authentication (comma-separated, e.g. "admin,manager").
    MFA_REQUIRED_ROLES = tuple(r.strip() for r in os.environ.get("MFA_REQUIRED_ROLES", "").split(",") if r.strip())
    JWT_SECRET_KEY = os.environ.get("JWT_SECRET_KEY") or None

    # OAuth 2.0 / OpenID Connect providers; a provider is offered once its client id is set.
    OAUTH_GOOGLE_CLIENT_ID = os.environ.get("OAUTH_GOOGLE_CLIENT_ID") or None
    OAUTH_GOOGLE_CLIENT_SECRET = os.environ.get("OAUTH_GOOGLE_CLIENT_SECRET") or None
    OAUTH_GOOGLE_METADATA_URL = os.environ.get(
        "OAUTH_GOOGLE_METADATA_URL", "https://accounts.google.com/.well-known/openid-configuration"
    )
    # Client ids of the mobile apps whose Google ID tokens the API accepts (besides the web client).
    OAUTH_GOOGLE_MOBILE_CLIENT_IDS = tuple(
        c.strip() for c in os.environ.get("OAUTH_GOOGLE_MOBILE_CLIENT_IDS", "").split(",") if c.strip()
    )
    OAUTH_FACEBOOK_CLIENT_ID = os.environ.get("OAUTH_FACEBOOK_CLIENT_ID") or None
    OAUTH_FACEBOOK_CLIENT_SECRET = os.environ.get("OAUTH_FACEBOOK_CLIENT_SECRET") or None
    OAUTH_FACEBOOK_AUTHORIZE_URL = os.environ.get(
        "OAUTH_FACEBOOK_AUTHORIZE_URL", "https://www.facebook.com/v19.0/dialog/oauth"
    )
    OAUTH_FACEBOOK_TOKEN_URL = os.environ.get(
        "OAUTH_FACEBOOK_TOKEN_URL", "https://graph.facebook.com/v19.0/oauth/access_token"
    )
    OAUTH_FACEBOOK_API_BASE = os.environ.get("OAUTH_FACEBOOK_API_BASE", "https://graph.facebook.com/v19.0/")

    # Forms and cookies.
    WTF_CSRF_CHECK_DEFAULT = False  # checked for browser routes only; the API uses tokens
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"

    # The request body cap; uploads are the largest bodies we accept.
    MAX_CONTENT_LENGTH = (MAX_UPLOAD_MB + 1) * 1024 * 1024

    # OpenAPI (flask-smorest); the docs pages are served by fantasize.api.docs.
    API_TITLE = "Fantasize API"
    API_VERSION = "v2"
    OPENAPI_VERSION = "3.0.3"
    API_SPEC_OPTIONS = {
        "info": {"description": "Customizable gifts: catalog, cart, orders and accounts."},
        "components": {
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
                "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
            }
        },
    }

    # Links in e-mails are built from this, never from the request's Host header.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL") or None
    TRUSTED_HOSTS = [h.strip() for h in os.environ.get("TRUSTED_HOSTS", "").split(",") if h.strip()] or None
    # Number of reverse proxies in front of the app whose X-Forwarded-* headers are trusted.
    PROXY_COUNT = _env_int("PROXY_COUNT", 0)

    # /instance-info (host, pid, revision, versions) for anyone, or for staff only.
    INSTANCE_INFO_PUBLIC = False

    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(BASE_DIR / "instance" / "uploads"))
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    JSON_LOGS = _env_bool("JSON_LOGS", True)
    TESTING = False
    DEBUG = False


class DevelopmentConfig(Config):
    DEBUG = False  # the reloader/debugger stay off; `make run` is the demo setup
    INSTANCE_INFO_PUBLIC = True


class TestConfig(Config):
    TESTING = True
    BCRYPT_ROUNDS = _env_int("BCRYPT_ROUNDS", 4)
    WTF_CSRF_ENABLED = _env_bool("WTF_CSRF_ENABLED", False)
    JSON_LOGS = _env_bool("JSON_LOGS", True)
    INSTANCE_INFO_PUBLIC = True


class ProductionConfig(Config):
    MAIL_LOG_BODIES = _env_bool("MAIL_LOG_BODIES", False)
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"

    @classmethod
    def validate(cls) -> None:
        if not cls.SECRET_KEY or cls.SECRET_KEY == DEV_SECRET_KEY or len(cls.SECRET_KEY) < 32:
            raise RuntimeError(
                "SECRET_KEY must be set to a random value of at least 32 characters "
                "in production (for example: python -c 'import secrets; print(secrets.token_hex(32))')."
            )
        if not cls.PUBLIC_BASE_URL:
            raise RuntimeError("PUBLIC_BASE_URL must be set in production (e.g. https://shop.example.com).")
        if not cls.REDIS_URL:
            raise RuntimeError(
                "REDIS_URL must be set in production: the cache, rate limits and job queue are shared "
                "between worker processes through Redis."
            )


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    name = os.environ.get("FANTASIZE_ENV", "development").lower()
    try:
        return CONFIGS[name]
    except KeyError as exc:
        raise RuntimeError(f"FANTASIZE_ENV must be one of {sorted(CONFIGS)}, not {name!r}") from exc
