"""API version selection.

A version is chosen, in this order, by the URL (``/api/v2/...``), the ``API-Version``
header or the ``?version=`` query parameter; without any of them the current version
applies. Unversioned paths (``/api/products``) are rewritten to the chosen version's
path before routing, so every resource is defined once per version blueprint.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from urllib.parse import parse_qs

from flask import Flask, Response, g, request
from werkzeug.exceptions import BadRequest, Gone

CURRENT_VERSION = "v2"
SUPPORTED_VERSIONS = ("v1", "v2")
# Retired versions and the date their sunset passed.
RETIRED_VERSIONS = {"v0": "2024-12-31"}
V1_SUNSET = "Thu, 31 Dec 2026 23:59:59 GMT"
ENVIRON_KEY = "fantasize.api_version"

_VERSION_SEGMENT = re.compile(r"^/(v\d+)(?=/|$)")
_VERSION_VALUE = re.compile(r"^v?\d+$")


def _normalize(value: str) -> str:
    value = value.strip().lower()
    return value if value.startswith("v") else f"v{value}"


class ApiVersionMiddleware:
    """WSGI middleware: pick the API version and route unversioned API paths to it."""

    def __init__(self, wsgi_app: Callable) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/api" or path.startswith("/api/"):
            rest = path[len("/api") :]
            match = _VERSION_SEGMENT.match(rest)
            if match:
                environ[ENVIRON_KEY] = match.group(1)
            else:
                requested = environ.get("HTTP_API_VERSION") or _query_version(environ)
                version = _normalize(requested) if requested else CURRENT_VERSION
                environ[ENVIRON_KEY] = version
                environ["PATH_INFO"] = f"/api/{version}{rest}"
        return self.wsgi_app(environ, start_response)


def _query_version(environ: dict) -> str | None:
    values = parse_qs(environ.get("QUERY_STRING", "")).get("version")
    return values[0] if values else None


def requested_version() -> str | None:
    return request.environ.get(ENVIRON_KEY)


def check_api_version() -> None:
    """Refuse retired and unknown versions before routing decides anything."""
    version = requested_version()
    if version is None:
        return
    g.api_version = version
    if version in SUPPORTED_VERSIONS:
        return
    if version in RETIRED_VERSIONS:
        raise Gone(
            f"API {version} was retired on {RETIRED_VERSIONS[version]}; use /api/{CURRENT_VERSION}/ (see /api-docs)."
        )
    shown = version if _VERSION_VALUE.match(version) else "that value"
    raise BadRequest(f"Unknown API version {shown!s}; supported versions are {', '.join(SUPPORTED_VERSIONS)}.")


def add_deprecation_headers(response: Response) -> Response:
    if requested_version() == "v1":
        response.headers["Deprecation"] = "true"
        response.headers["Sunset"] = V1_SUNSET
        response.headers["Link"] = (
            '</api-docs>; rel="deprecation"; type="text/html", '
            f'</api/{CURRENT_VERSION}/openapi.json>; rel="successor-version"'
        )
    return response


def init_versioning(app: Flask) -> None:
    app.wsgi_app = ApiVersionMiddleware(app.wsgi_app)
    app.before_request(check_api_version)
    app.after_request(add_deprecation_headers)
