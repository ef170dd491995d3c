"""Real WebSocket clients (simple-websocket) against a real server.

With Redis the server is a separate gunicorn process sharing the test database and Redis
prefix, and events published by the test travel through Redis pub/sub to it. Without Redis
(the SQLite loop) it is the test app served over loopback in this process, where the
in-process broker delivers them.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from simple_websocket import Client, ConnectionClosed
from werkzeug.serving import make_server

from fantasize.accounts.sign_ins import BROWSER, start_sign_in
from fantasize.accounts.tokens import issue_token_pair
from fantasize.extensions import db
from fantasize.realtime.broker import connection_status
from tests.support.ws_server import ServerProcess

AUTH_TIMEOUT = 2  # seconds the test servers give a socket to authenticate


class WsClient:
    """A WebSocket client speaking the ``{"event", "data"}`` protocol, keeping what it received."""

    def __init__(self, url: str, cookie: str | None = None, origin: str | None = None) -> None:
        headers = {"Cookie": cookie} if cookie else {}
        if origin:
            headers["Origin"] = origin
        self.ws = Client.connect(url, headers=headers or None)
        self.received: list[dict[str, Any]] = []
        self.backlog: list[dict[str, Any]] = []  # received before the test asked for them
        if cookie:
            # A frame sent right after the handshake can sit unread in the client's buffer until the
            # next one arrives: a ping brings it out. What came before the pong stays in the backlog.
            self.send("ping")
            early = []
            while (frame := self._next_frame(10.0)) is not None and frame["event"] != "pong":
                early.append(frame)
            self.backlog = early

    def send(self, event: str, data: dict[str, Any] | None = None) -> None:
        message: dict[str, Any] = {"event": event}
        if data is not None:
            message["data"] = data
        self.ws.send(json.dumps(message))

    def send_raw(self, text: str) -> None:
        self.ws.send(text)

    def _next_frame(self, timeout: float) -> dict[str, Any] | None:
        if self.backlog:
            return self.backlog.pop(0)
        raw = self.ws.receive(timeout=timeout)
        if raw is None:
            return None
        frame = json.loads(raw)
        self.received.append(frame)
        return frame

    def expect(self, event: str, timeout: float = 10.0, **data: Any) -> dict[str, Any]:
        """The next frame named ``event`` (whose data has ``data``'s items), skipping others."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no {event!r} {data or ''} within {timeout} s; got {self.received}"
            frame = self._next_frame(remaining)
            if frame and frame["event"] == event and all(frame["data"].get(k) == v for k, v in data.items()):
                return frame

    def reply(self, event: str, data: dict[str, Any] | None = None, timeout: float = 10.0) -> dict[str, Any]:
        """Send a message and return the very next frame."""
        self.send(event, data)
        frame = self._next_frame(timeout)
        assert frame is not None, f"no answer to {event!r} within {timeout} s"
        return frame

    def frames_within(self, seconds: float) -> list[dict[str, Any]]:
        """Everything that arrives within ``seconds`` (for checking that something did not arrive)."""
        deadline = time.monotonic() + seconds
        frames = []
        while (remaining := deadline - time.monotonic()) > 0:
            frame = self._next_frame(remaining)
            if frame is not None:
                frames.append(frame)
        return frames

    def wait_closed(self, timeout: float) -> int:
        """Wait for the server to close the socket; returns the close code."""
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                self._next_frame(deadline - time.monotonic())
        except ConnectionClosed:
            return int(self.ws.close_reason)
        raise AssertionError(f"the socket was still open after {timeout} s")

    def close(self) -> None:
        with contextlib.suppress(ConnectionClosed, OSError):
            self.ws.close()


@pytest.fixture(scope="session")
def ws_server(app: Flask) -> Iterator[str]:
    """The ``ws://`` URL of a server with a short authentication timeout (see the module docstring)."""
    if app.config.get("REDIS_URL"):
        server = ServerProcess(app, REALTIME_AUTH_TIMEOUT=AUTH_TIMEOUT).start()
        yield server.ws_url
        server.stop()
        return
    previous = app.config["REALTIME_AUTH_TIMEOUT"]
    app.config["REALTIME_AUTH_TIMEOUT"] = AUTH_TIMEOUT
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"ws://127.0.0.1:{server.server_port}/ws"
    server.shutdown()
    thread.join(timeout=5)
    app.config["REALTIME_AUTH_TIMEOUT"] = previous


@pytest.fixture
def connect(ws_server: str) -> Iterator[Callable[..., WsClient]]:
    """``connect(cookie=None, url=None, origin=None)`` opens a socket; every socket is closed after the test."""
    clients: list[WsClient] = []

    def _connect(cookie: str | None = None, url: str | None = None, origin: str | None = None) -> WsClient:
        client = WsClient(url or ws_server, cookie, origin)
        clients.append(client)
        return client

    yield _connect
    for client in clients:
        client.close()


def session_cookie(app: Flask, user) -> str:
    """The ``Cookie`` header of a browser signed in as ``user`` (a live sign-in, as the login form makes)."""
    sign_in = start_sign_in(user, BROWSER)
    db.session.commit()
    value = app.session_interface.get_signing_serializer(app).dumps({"_user_id": sign_in.id, "_fresh": True})
    return f"{app.config['SESSION_COOKIE_NAME']}={value}"


def access_token(user) -> str:
    token = issue_token_pair(user).access_token
    db.session.commit()
    return token


@pytest.fixture
def signed_in(app: Flask, connect) -> Callable[..., WsClient]:
    """``signed_in(user)``: a socket authenticated with an access token, its ``authenticated`` frame read."""

    def _signed_in(user, url: str | None = None) -> WsClient:
        client = connect(url=url)
        frame = client.reply("authenticate", {"token": access_token(user)})
        assert frame["event"] == "authenticated", frame
        return client

    return _signed_in


def wait_until(condition: Callable[[], Any], timeout: float = 15.0, message: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, f"{message} not met within {timeout} s"
        time.sleep(0.05)


def sockets_of(user_id: str) -> int:
    return connection_status()["rooms"].get(f"user:{user_id}", 0)
