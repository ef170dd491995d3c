"""Flask extensions, created unbound here and bound to an app in ``create_app``."""

from __future__ import annotations

from flask import current_app, g, request
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sock import Sock
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from fantasize.db import Base


def _is_not_api_request() -> bool:
    return not request.path.startswith("/api/")


def _default_api_limit() -> str:
    return current_app.config["RATE_LIMIT_DEFAULT"]


def _admin_api_limit() -> str:
    return current_app.config["RATE_LIMIT_ADMIN"]


def _calling_user() -> str:
    return f"user:{g.principal.user.id}"


def _not_an_api_call_with_credentials() -> bool:
    return not request.path.startswith("/api/") or g.get("principal") is None


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
cache = Cache()
sock = Sock()
# The general limit covers the JSON API only; pages and static files are not counted.
limiter = Limiter(
    key_func=get_remote_address,
    default_limits=[_default_api_limit],
    default_limits_exempt_when=_is_not_api_request,
)
# ``RATE_LIMIT_ADMIN`` per user over every staff API endpoint (``permission_required``: the
# /admin resources and the catalogue writes). A decorated limit is found by its view function,
# and a shared scope keeps one counter for all of them, so the blueprints registered twice
# (/api/v2 and, renamed ``v1_<name>``, /api/v1) count together; a limit set on a blueprint
# would be looked up by the blueprint's name and miss the v1 copies.
admin_api_limit = limiter.shared_limit(
    _admin_api_limit,
    scope="admin-api",
    key_func=_calling_user,
    exempt_when=_not_an_api_call_with_credentials,
    override_defaults=False,
)
