"""Health checks and instance information (no /api prefix, no rate limit).

``/instance-info`` names the host, process, revision and versions: open in development and
test, staff only (``reports.view``) elsewhere, by session, access token or API key.
"""

from __future__ import annotations

import os
import platform
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, jsonify, request
from flask.wrappers import Response
from flask_login import current_user
from sqlalchemy import text
from werkzeug.exceptions import Forbidden, Unauthorized

from fantasize import __version__
from fantasize.accounts.api_keys import authenticate_api_key
from fantasize.accounts.permissions import Principal
from fantasize.accounts.tokens import InvalidToken, user_from_access_token
from fantasize.connections import redis_connection
from fantasize.extensions import db, limiter

bp = Blueprint("ops", __name__)
_STARTED = time.time()


def _check_database() -> dict[str, Any]:
    started = time.perf_counter()
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
    except Exception as exc:  # any driver error means "not ready"
        db.session.rollback()
        return {"status": "fail", "error": type(exc).__name__}
    return {"status": "ok", "latency_ms": round((time.perf_counter() - started) * 1000, 2)}


def _check_redis() -> dict[str, Any] | None:
    connection = redis_connection()
    if connection is None:
        return None
    started = time.perf_counter()
    try:
        connection.ping()
    except Exception as exc:
        return {"status": "fail", "error": type(exc).__name__}
    return {"status": "ok", "latency_ms": round((time.perf_counter() - started) * 1000, 2)}


def _readiness() -> Response:
    checks = {"database": _check_database()}
    redis_check = _check_redis()
    if redis_check is not None:
        checks["redis"] = redis_check
    failing = [name for name, result in checks.items() if result["status"] != "ok"]
    body = {"status": "fail" if failing else "ok", "checks": checks}
    if failing:
        body["failing"] = failing
    response = jsonify(body)
    response.status_code = 503 if failing else 200
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/health")
@limiter.exempt
def health() -> Response:
    return _readiness()


@bp.get("/health/ready")
@limiter.exempt
def ready() -> Response:
    return _readiness()


@bp.get("/health/live")
@limiter.exempt
def live() -> Response:
    return jsonify({"status": "ok"})


def _git_revision() -> str | None:
    if os.environ.get("GIT_REVISION"):
        return os.environ["GIT_REVISION"]
    root = Path(current_app.root_path).parent
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, timeout=2
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() or None


def _caller() -> Principal | None:
    """An API credential, read as the API reads it (a bad one is refused), else the browser's user."""
    authorization = request.headers.get("Authorization", "")
    api_key = request.headers.get("X-API-Key", "").strip()
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise InvalidToken("Use 'Authorization: Bearer <access token>'.")
        return Principal(user_from_access_token(token.strip()), via="token")
    if api_key:
        key = authenticate_api_key(api_key)
        if key is None:
            raise InvalidToken("The API key is invalid or revoked.")
        return Principal(key.user, scopes=frozenset(key.scopes), via="api_key")
    if current_user.is_authenticated:
        return Principal(current_user._get_current_object())
    return None


def _require_staff() -> None:
    if current_app.config.get("INSTANCE_INFO_PUBLIC"):
        return
    principal = _caller()
    if principal is None:
        raise Unauthorized("Instance information is for staff: sign in or send an access token or API key.")
    if not principal.can("reports.view"):
        raise Forbidden("Instance information needs the 'reports.view' permission.")


@bp.get("/instance-info")
@limiter.exempt
def instance_info() -> Response:
    _require_staff()
    if "GIT_REVISION" not in current_app.extensions:
        current_app.extensions["GIT_REVISION"] = _git_revision()
    return jsonify(
        {
            "version": __version__,
            "git_revision": current_app.extensions["GIT_REVISION"],
            "hostname": socket.gethostname(),
            "pid": os.getpid(),
            "uptime_seconds": round(time.time() - _STARTED, 1),
            "python_version": platform.python_version(),
            "database": db.engine.dialect.name,
            "redis": redis_connection() is not None,
        }
    )
