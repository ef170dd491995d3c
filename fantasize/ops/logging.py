"""Request ids and structured logs: one JSON line per request, every line tagged with its request id."""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid

from flask import Flask, g, has_request_context, request
from flask.wrappers import Response
from pythonjsonlogger.json import JsonFormatter

from fantasize.ops.redaction import redact_secrets

access_log = logging.getLogger("fantasize.access")
_CLIENT_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")


class RequestIdFilter(logging.Filter):
    """Tag every record logged during a request with that request's id (``g.request_id``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id") and has_request_context() and g.get("request_id"):
            record.request_id = g.request_id
        return True


def _not_a_werkzeug_request_line(record: logging.LogRecord) -> bool:
    """Drop the development server's own line per request: our access log already has one."""
    return not (record.levelno == logging.INFO and str(record.msg).rstrip().endswith('] "%s" %s %s'))


def configure_logging(app: Flask) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RequestIdFilter())
    if app.config["JSON_LOGS"]:
        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s",
                rename_fields={"asctime": "ts", "levelname": "level", "name": "logger"},
            )
        )
    else:
        handler.setFormatter(
            logging.Formatter(
                "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s", defaults={"request_id": "-"}
            )
        )
    root = logging.getLogger("fantasize")
    root.handlers[:] = [handler]
    root.setLevel(app.config["LOG_LEVEL"])
    root.propagate = False
    werkzeug_log = logging.getLogger("werkzeug")
    if _not_a_werkzeug_request_line not in werkzeug_log.filters:
        werkzeug_log.addFilter(_not_a_werkzeug_request_line)


def assign_request_id() -> None:
    """Echo a well-formed client ``X-Request-ID``; otherwise make a new one."""
    sent = request.headers.get("X-Request-ID", "")
    g.request_id = sent if _CLIENT_REQUEST_ID.match(sent) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def finish_request(response: Response) -> Response:
    request_id = g.get("request_id") or uuid.uuid4().hex
    response.headers["X-Request-ID"] = request_id
    started = g.get("request_started")
    duration_ms = round((time.perf_counter() - started) * 1000, 2) if started else None
    if not request.path.startswith("/static/"):
        access_log.info(
            "request",
            extra={
                "request_id": request_id,
                "method": request.method,
                "path": redact_secrets(request.path),
                "status": response.status_code,
                "duration_ms": duration_ms,
            },
        )
    return response


def init_request_logging(app: Flask) -> None:
    app.before_request_funcs.setdefault(None, []).insert(0, assign_request_id)
    app.after_request(finish_request)
