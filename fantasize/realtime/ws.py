"""The ``/ws`` endpoint: authentication, rooms, resume and heartbeats (protocol in the README).

Close codes: 4401 not authenticated in time (or the sign-in ended), 4429 too many messages,
1009 a message over ``REALTIME_MAX_MESSAGE_BYTES`` (simple-websocket), 1008 no pong to the
server's ping. Every reply is a JSON text frame ``{"event", "data", "ts"}``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, request
from flask_login import current_user
from simple_websocket import ConnectionClosed

from fantasize.accounts import sign_ins
from fantasize.accounts.tokens import InvalidToken, user_from_access_token
from fantasize.extensions import db, sock
from fantasize.realtime import rooms
from fantasize.realtime.broker import init_realtime, realtime_state
from fantasize.realtime.hub import Connection, Hub, reply_frame

log = logging.getLogger("fantasize.realtime")

bp = Blueprint("realtime", __name__)

CLOSE_UNAUTHENTICATED = 4401
CLOSE_TOO_MANY_MESSAGES = 4429
REVALIDATE_SECONDS = 60  # how often a socket checks that its sign-in was not revoked
MAX_AUTH_ATTEMPTS = 3


class Closing(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


class SocketSession:
    """One client's conversation over one socket, run in the thread serving its request."""

    def __init__(self, ws: Any, app: Flask, hub: Hub) -> None:
        self.ws = ws
        self.app = app
        self.hub = hub
        self.connection = Connection(ws)
        self.who: rooms.SocketUser | None = None
        config = app.config
        self.auth_deadline = time.monotonic() + config["REALTIME_AUTH_TIMEOUT"]
        self.revalidate_at = 0.0
        self.rate_limit = max(1, config["REALTIME_RATE_LIMIT"])
        self.window_start = 0.0
        self.window_count = 0
        self.auth_failures = 0
        self.resumed = False

    # -- the loop --------------------------------------------------------------------------------

    def run(self) -> None:
        self.hub.add(self.connection)
        try:
            with _released_session():
                user = _browser_user()
                if user is not None:
                    self._sign_in(rooms.SocketUser.of(user))
            while not self.connection.closed:
                raw = self.ws.receive(timeout=self._wait())
                if raw is None:
                    self._on_idle()
                    continue
                if self._over_rate_limit():
                    continue
                self._on_message(raw)
        except Closing as closing:
            self._close(closing.code, closing.reason)
        except ConnectionClosed:
            pass
        except Exception:
            log.exception("realtime: socket %s failed", self.connection.id)
            self._close(1011, "Server error")
        finally:
            self.hub.remove(self.connection)
            self.connection.closed = True

    def _close(self, code: int, reason: str) -> None:
        with contextlib.suppress(Exception):  # the client may be gone already
            self.ws.close(code, reason)

    def _wait(self) -> float:
        now = time.monotonic()
        if self.who is None:
            return max(0.0, self.auth_deadline - now)
        return max(0.0, self.revalidate_at - now)

    def _on_idle(self) -> None:
        now = time.monotonic()
        if self.who is None and now >= self.auth_deadline:
            self._reply("error", {"code": "authentication_timeout", "message": "Authenticate first."})
            raise Closing(CLOSE_UNAUTHENTICATED, "Authentication timeout")
        if self.who is not None and now >= self.revalidate_at:
            with _released_session():
                if sign_ins.active_user(self.who.sign_in_id) is None:
                    self._reply("error", {"code": "session_ended", "message": "You have been signed out."})
                    raise Closing(CLOSE_UNAUTHENTICATED, "Signed out")
            self.revalidate_at = now + REVALIDATE_SECONDS

    def _over_rate_limit(self) -> bool:
        now = time.monotonic()
        if now - self.window_start >= 1.0:
            self.window_start, self.window_count = now, 0
        self.window_count += 1
        if self.window_count > 2 * self.rate_limit:
            raise Closing(CLOSE_TOO_MANY_MESSAGES, "Too many messages")
        if self.window_count > self.rate_limit:
            if self.window_count == self.rate_limit + 1:
                self._error("rate_limited", f"At most {self.rate_limit} messages per second.")
            return True
        return False

    def _reply(self, event: str, data: dict[str, Any]) -> None:
        if not self.connection.send_text(reply_frame(event, data)):
            raise Closing(1011, "Could not send")

    def _error(self, code: str, message: str, event: str | None = None) -> None:
        data = {"code": code, "message": message}
        if event:
            data["event"] = event
        self._reply("error", data)

    # -- messages --------------------------------------------------------------------------------

    def _on_message(self, raw: str | bytes) -> None:
        if not isinstance(raw, str):
            self._error("invalid_message", "Send JSON text frames.")
            return
        try:
            message = json.loads(raw)
        except ValueError:
            self._error("invalid_json", "The message is not valid JSON.")
            return
        event = message.get("event") if isinstance(message, dict) else None
        data = message.get("data", {}) if isinstance(message, dict) else None
        if data is None:
            data = {}
        if not isinstance(event, str) or not isinstance(data, dict):
            self._error("invalid_message", 'Send {"event": "<name>", "data": {...}}.')
            return
        handler = HANDLERS.get(event)
        if handler is None:
            self._error("unknown_event", f"Unknown event {event[:40]!r}.", event[:40])
            return
        if self.who is None and event not in ("authenticate", "ping"):
            self._error("not_authenticated", "Authenticate first.", event)
            return
        with _released_session():
            handler(self, data)

    def on_ping(self, data: dict[str, Any]) -> None:
        self._reply("pong", {})

    def on_authenticate(self, data: dict[str, Any]) -> None:
        if self.who is not None:
            self._error("already_authenticated", "This socket is already authenticated.", "authenticate")
            return
        token = data.get("token")
        try:
            if not isinstance(token, str) or not token:
                raise InvalidToken("Send an access token.")
            user = user_from_access_token(token)
        except InvalidToken as exc:
            self.auth_failures += 1
            self._reply("authentication_error", {"message": str(exc)})
            if self.auth_failures >= MAX_AUTH_ATTEMPTS:
                raise Closing(CLOSE_UNAUTHENTICATED, "Authentication failed") from None
            return
        self._sign_in(rooms.SocketUser.of(user))

    def _sign_in(self, who: rooms.SocketUser) -> None:
        self.who = who
        self.connection.user_id = who.id
        self.connection.role = who.role
        self.revalidate_at = time.monotonic() + REVALIDATE_SECONDS
        assigned = rooms.assigned_rooms(who)
        for room in assigned:
            self.hub.join(self.connection, room)
        self._reply("authenticated", {"user_id": who.id, "role": who.role, "rooms": assigned})

    def _join(self, room: str, event: str, reply: str, data: dict[str, Any]) -> None:
        if room not in self.connection.rooms and len(self.connection.rooms) >= rooms.MAX_JOINED_ROOMS:
            self._error("too_many_rooms", f"At most {rooms.MAX_JOINED_ROOMS} rooms per socket.", event)
            return
        self.hub.join(self.connection, room)
        self._reply(reply, data)

    def on_track_order(self, data: dict[str, Any]) -> None:
        try:
            room, info = rooms.order_room(self.who, data.get("order_id"))
        except rooms.RoomRefused as refused:
            self._error(refused.code, refused.message, "track_order")
            return
        self._join(room, "track_order", "order_tracking_started", info)

    def on_track_inventory(self, data: dict[str, Any]) -> None:
        try:
            room, info = rooms.inventory_room(self.who, data.get("product_id"))
        except rooms.RoomRefused as refused:
            self._error(refused.code, refused.message, "track_inventory")
            return
        self._join(room, "track_inventory", "inventory_tracking_started", info)

    def on_join_room(self, data: dict[str, Any]) -> None:
        try:
            room, _ = rooms.requested_room(self.who, data.get("room"))
        except rooms.RoomRefused as refused:
            self._error(refused.code, refused.message, "join_room")
            return
        self._join(room, "join_room", "room_joined", {"room": room})

    def on_leave_room(self, data: dict[str, Any]) -> None:
        room = data.get("room")
        if not rooms.leavable(room):
            self._error("forbidden_room", "This room is assigned by the server.", "leave_room")
            return
        self.hub.leave(self.connection, room)
        self._reply("room_left", {"room": room})

    def on_resume(self, data: dict[str, Any]) -> None:
        last_event_id = data.get("last_event_id")
        if isinstance(last_event_id, bool) or not isinstance(last_event_id, int) or last_event_id < 0:
            self._error("invalid_request", "last_event_id must be a whole number.", "resume")
            return
        if self.resumed:  # one per connection: a resume reads the whole recent history
            self._error("invalid_request", "This connection has already resumed.", "resume")
            return
        self.resumed = True
        connection = self.connection
        connection.pause()  # live events wait until the missed ones are out
        try:
            try:
                missed = realtime_state(self.app).history.missed(last_event_id, set(connection.rooms))
            except Exception:  # Redis away: say so and stay connected; closing would only bring a reconnect storm
                log.exception("resume failed")
                self._error("resume_unavailable", "Missed events cannot be fetched right now.", "resume")
                return
            for envelope in missed:
                if not connection.send_missed(envelope["id"], envelope["frame"]):
                    raise Closing(1011, "Could not send")
        finally:
            if not connection.unpause():
                raise Closing(1011, "Could not send")


HANDLERS = {
    "ping": SocketSession.on_ping,
    "authenticate": SocketSession.on_authenticate,
    "track_order": SocketSession.on_track_order,
    "track_inventory": SocketSession.on_track_inventory,
    "join_room": SocketSession.on_join_room,
    "leave_room": SocketSession.on_leave_room,
    "resume": SocketSession.on_resume,
}


@contextlib.contextmanager
def _released_session() -> Iterator[None]:
    """Give the database connection back after each step: a socket may stay open for hours."""
    try:
        yield
    finally:
        db.session.remove()


def _same_origin() -> bool:
    """A browser sends ``Origin``: the cookie counts only for pages of this site (no cross-site hijacking)."""
    origin = request.headers.get("Origin")
    if not origin:
        return True
    allowed = {request.host}
    public = current_app.config.get("PUBLIC_BASE_URL")
    if public:
        allowed.add(urlsplit(public).netloc)
    return urlsplit(origin).netloc in allowed


def _browser_user():
    if not _same_origin() or not current_user.is_authenticated:
        return None
    return current_user._get_current_object()


@sock.route("/ws", bp=bp)
def websocket(ws: Any) -> None:
    state = realtime_state()
    state.ensure_started()
    SocketSession(ws, current_app._get_current_object(), state.hub).run()


def init_socket(app: Flask) -> None:
    """The realtime state, the socket options and the ``/ws`` route."""
    init_realtime(app)
    app.register_blueprint(bp)
