"""This process's sockets and their rooms, and the fan-out of events to them.

Every socket has a send lock: replies from its own handler thread and events from the fan-out
thread never interleave. A send waits at most ``SEND_TIMEOUT`` seconds for the lock and for room
in the socket's buffer; a client that cannot keep up is dropped, so one slow or dead client never
holds up the others for long.
"""

from __future__ import annotations

import json
import logging
import selectors
import socket
import threading
import uuid
from collections import deque
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from simple_websocket import ConnectionClosed

log = logging.getLogger("fantasize.realtime")

SEND_TIMEOUT = 1.0
REMEMBERED_IDS = 256  # ids recently sent to a socket: a resume never sends an event twice


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def reply_frame(event: str, data: dict[str, Any]) -> str:
    """A reply to the client's own message: a timestamp but no id (replies are not kept for resume)."""
    return json.dumps({"event": event, "data": data, "ts": now_iso()}, default=str, separators=(",", ":"))


class Connection:
    """One WebSocket in this process: who it is, its rooms, and a guarded way to write to it."""

    def __init__(self, ws: Any) -> None:
        self.id = uuid.uuid4().hex[:12]
        self.ws = ws
        self.user_id: str | None = None
        self.role: str | None = None
        self.rooms: set[str] = set()  # read and changed under the hub's lock
        self.closed = False
        self._send_lock = threading.Lock()
        self._state_lock = threading.Lock()
        self._paused = False
        self._pending: list[tuple[int, str]] = []
        self._sent: deque[int] = deque(maxlen=REMEMBERED_IDS)

    @property
    def authenticated(self) -> bool:
        return self.user_id is not None

    def send_text(self, text: str, timeout: float = SEND_TIMEOUT) -> bool:
        """Write one frame; ``False`` when the socket is gone or too slow to take it."""
        if self.closed or not self._send_lock.acquire(timeout=timeout):
            return False
        try:
            with selectors.DefaultSelector() as selector:
                selector.register(self.ws.sock, selectors.EVENT_WRITE)
                if not selector.select(timeout):
                    return False
            self.ws.send(text)
            return True
        except (ConnectionClosed, OSError, ValueError, KeyError):
            return False
        finally:
            self._send_lock.release()

    def deliver(self, event_id: int, frame: str) -> bool:
        """Send a published event once; held back while a resume is sending what was missed."""
        with self._state_lock:
            if event_id in self._sent:
                return True
            if self._paused:
                self._pending.append((event_id, frame))
                return True
            self._sent.append(event_id)
        return self.send_text(frame)

    def pause(self) -> None:
        with self._state_lock:
            self._paused = True

    def unpause(self) -> bool:
        """Send what arrived during the pause (skipping what was already sent), then go live again."""
        while True:
            with self._state_lock:
                batch, self._pending = self._pending, []
                if not batch:
                    self._paused = False
                    return True
            for event_id, frame in batch:
                with self._state_lock:
                    if event_id in self._sent:
                        continue
                    self._sent.append(event_id)
                if not self.send_text(frame):
                    return False

    def send_missed(self, event_id: int, frame: str) -> bool:
        with self._state_lock:
            if event_id in self._sent:
                return True
            self._sent.append(event_id)
        return self.send_text(frame)

    def abort(self) -> None:
        """Cut the connection without waiting for the client: its reader thread and handler then end."""
        self.closed = True
        sock = getattr(self.ws, "sock", None)
        try:
            if sock is not None:
                sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class Hub:
    """Thread-safe registry of this process's sockets and rooms."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._connections: set[Connection] = set()
        self._rooms: dict[str, set[Connection]] = {}
        self.changed = threading.Event()  # set on every connect, disconnect, join and leave

    def add(self, connection: Connection) -> None:
        with self._lock:
            self._connections.add(connection)
        self.changed.set()

    def remove(self, connection: Connection) -> None:
        with self._lock:
            self._connections.discard(connection)
            for room in connection.rooms:
                members = self._rooms.get(room)
                if members is not None:
                    members.discard(connection)
                    if not members:
                        del self._rooms[room]
            connection.rooms = set()
        self.changed.set()

    def join(self, connection: Connection, room: str) -> None:
        with self._lock:
            if connection not in self._connections:
                return
            connection.rooms = connection.rooms | {room}
            self._rooms.setdefault(room, set()).add(connection)
        self.changed.set()

    def leave(self, connection: Connection, room: str) -> None:
        with self._lock:
            connection.rooms = connection.rooms - {room}
            members = self._rooms.get(room)
            if members is not None:
                members.discard(connection)
                if not members:
                    del self._rooms[room]
        self.changed.set()

    def members(self, rooms: Iterable[str]) -> set[Connection]:
        """Every socket in any of ``rooms``, each once."""
        with self._lock:
            found: set[Connection] = set()
            for room in rooms:
                found |= self._rooms.get(room, set())
            return found

    def count(self) -> int:
        with self._lock:
            return len(self._connections)

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "sockets": len(self._connections),
                "rooms": {room: len(members) for room, members in self._rooms.items()},
            }

    def fan_out(self, envelope: dict[str, Any]) -> int:
        """Deliver a published event to the interested local sockets; drop the ones that cannot take it."""
        delivered = 0
        for connection in self.members(envelope["rooms"]):
            if connection.deliver(envelope["id"], envelope["frame"]):
                delivered += 1
            else:
                log.info("realtime: dropping socket %s (closed or too slow)", connection.id)
                self.remove(connection)
                connection.abort()
        return delivered
