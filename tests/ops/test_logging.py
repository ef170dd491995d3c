"""Log lines carry their request's id; the development server does not log each request twice."""

import io
import json
import logging
import urllib.request

import pytest

from fantasize.ops.logging import RequestIdFilter


@pytest.fixture
def log_lines(monkeypatch) -> io.StringIO:
    """What the app's log handler (the one with the request-id filter) writes: JSON lines under the test config."""
    [handler] = [
        handler
        for handler in logging.getLogger("fantasize").handlers
        if any(isinstance(log_filter, RequestIdFilter) for log_filter in handler.filters)
    ]
    stream = io.StringIO()
    monkeypatch.setattr(handler, "stream", stream)
    return stream


def test_an_unhandled_error_is_logged_with_the_request_id_of_its_response(app, client, log_lines, monkeypatch):
    def broken() -> None:
        raise RuntimeError("the disk is on fire")

    monkeypatch.setitem(app.view_functions, "ops.live", broken)
    response = client.get("/health/live")
    assert response.status_code == 500
    records = [json.loads(line) for line in log_lines.getvalue().splitlines()]
    [error] = [record for record in records if record["level"] == "ERROR"]
    assert "the disk is on fire" in error["exc_info"]
    assert error["request_id"] == response.headers["X-Request-ID"]


def test_lines_logged_by_the_app_during_a_request_carry_its_id(app, client, log_lines, monkeypatch):
    def chatty() -> str:
        logging.getLogger("fantasize.orders").warning("stock is low")
        return "ok"

    monkeypatch.setitem(app.view_functions, "ops.live", chatty)
    response = client.get("/health/live", headers={"X-Request-ID": "trace-42"})
    assert response.headers["X-Request-ID"] == "trace-42"
    records = [json.loads(line) for line in log_lines.getvalue().splitlines()]
    assert {record["message"]: record["request_id"] for record in records} == {
        "stock is low": "trace-42",
        "request": "trace-42",
    }


def test_the_development_server_leaves_the_request_line_to_our_access_log(live_server, caplog):
    caplog.set_level(logging.INFO, logger="werkzeug")
    with urllib.request.urlopen(f"{live_server}/health/live") as response:  # noqa: S310 - our own http:// server
        assert response.status == 200
    assert not [
        record for record in caplog.records if record.name == "werkzeug" and "/health/live" in record.getMessage()
    ]
