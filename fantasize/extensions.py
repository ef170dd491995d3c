"""Flask extensions, created unbound here and bound to an app in ``create_app``."""

from __future__ import annotations

from flask import request
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
    from flask import current_app

    return current_app.config["RATE_LIMIT_DEFAULT"]


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
