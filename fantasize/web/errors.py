"""One place that turns every error into the right response for the client.

API requests get the JSON envelope; htmx requests an error fragment; browsers a friendly
HTML page. The database session is rolled back, and no stack trace ever leaves the server.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, render_template, request
from flask.globals import request_ctx
from flask.wrappers import Response
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException

from fantasize.api.envelope import error_response
from fantasize.errors import AppError
from fantasize.ops.redaction import redact_secrets
from fantasize.web.htmx import is_htmx
from fantasize.web.transactions import abandon_unit_of_work, settle_failure

log = logging.getLogger("fantasize.errors")

ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    410: "gone",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
    503: "service_unavailable",
}

FRIENDLY_TITLES = {
    400: "That request didn't look right",
    401: "Please sign in",
    403: "You can't open this page",
    404: "We couldn't find that page",
    405: "That action isn't available here",
    413: "That file is too large",
    429: "Slow down a little",
    500: "Something went wrong on our side",
    503: "We're briefly unavailable",
}


def is_api_request() -> bool:
    return request.path.startswith(("/api/", "/health", "/instance-info"))


def _validation_details(error: HTTPException) -> dict[str, Any]:
    """Flatten webargs' ``{location: {field: [messages]}}`` into ``{field: [messages]}``."""
    data = getattr(error, "data", None) or {}
    messages = data.get("errors") or data.get("messages") or {}
    details: dict[str, Any] = {}
    for location, fields in messages.items():
        if isinstance(fields, dict):
            details.update(fields)
        else:
            details[location] = fields
    return details


def _message_for(error: HTTPException) -> str:
    data = getattr(error, "data", None) or {}
    if data.get("message"):
        return str(data["message"])
    if error.code == 422:
        return "The request has invalid fields; see details."
    if error.code == 429:
        return f"Too many requests: the limit is {error.description}. Try again later."
    if error.code == 404:
        return f"Nothing found at {request.path}."
    if error.code == 413:
        return "The request body is too large."
    return error.description or error.name


def _render(status: int, code: str, message: str, details: dict[str, Any]) -> Response | tuple:
    if is_api_request():
        response = error_response(status, code, message, details)
        if status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="fantasize"'
        return response
    if request_ctx.url_adapter is None:
        # The Host header was refused (TRUSTED_HOSTS): pages cannot build a single link, so answer in plain text.
        return Response(f"{status} {message}\n", status=status, mimetype="text/plain")
    template = "errors/_error.html" if is_htmx() else "errors/error.html"
    title = FRIENDLY_TITLES.get(status, "Something went wrong")
    body = render_template(template, status=status, title=title, message=message, details=details)
    return body, status


def handle_http_exception(error: HTTPException) -> Response | tuple:
    status = error.code or 500
    if status >= 500:
        abandon_unit_of_work()
    else:
        settle_failure()
    details = _validation_details(error) if status in (400, 422) else {}
    result = _render(status, ERROR_CODES.get(status, "error"), _message_for(error), details)
    response = result if isinstance(result, Response) else Response(result[0], status=result[1])
    for name, value in ((getattr(error, "data", None) or {}).get("headers") or {}).items():
        response.headers[name] = value
    valid_methods = getattr(error, "valid_methods", None)
    if valid_methods:
        response.headers["Allow"] = ", ".join(valid_methods)
    return response


def handle_app_error(error: AppError) -> Response | tuple:
    settle_failure(error)
    result = _render(error.status, error.code, error.message, error.details)
    response = result if isinstance(result, Response) else Response(result[0], status=result[1], mimetype="text/html")
    response.headers.update(error.headers)
    return response


def handle_unexpected(error: Exception) -> Response | tuple:
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    abandon_unit_of_work()
    log.exception("unhandled error on %s %s", request.method, redact_secrets(request.path))
    return _render(500, ERROR_CODES[500], "An unexpected error occurred; it has been logged.", {})


def handle_data_error(error: DataError | OverflowError) -> Response | tuple:
    """The database refused a value (an id beyond its column type, say): the request was at fault."""
    abandon_unit_of_work()
    return _render(400, ERROR_CODES[400], "A value in the request is out of range.", {})


def init_error_handlers(app: Flask) -> None:
    app.register_error_handler(DataError, handle_data_error)
    app.register_error_handler(OverflowError, handle_data_error)  # SQLite's form of the same refusal
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(AppError, handle_app_error)
    app.register_error_handler(Exception, handle_unexpected)
