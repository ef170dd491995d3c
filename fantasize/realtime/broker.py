"""Publishing realtime events to sockets in every process, and reading who is connected.

With ``REDIS_URL``, an event gets its id from ``INCR``, is kept in Redis for resume and published
on one channel; ONE subscriber thread per process (started with the first socket, resubscribing
after Redis comes back) hands it to the local sockets. Without Redis (the embedded default),
ids, history and delivery stay inside the process. Call :func:`publish` after the commit.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import queue
import socket
import threading
import time
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app
from redis import Redis

from fantasize.realtime.history import MemoryHistory, RedisHistory, make_envelope
from fantasize.realtime.hub import Hub
from fantasize.realtime.presence import Presence

log = logging.getLogger("fantasize.realtime")

SUBSCRIBE_WAIT = 5.0  # the first socket waits this long for the subscription to be active


class Realtime:
    """One process's realtime state for one app: its hub, history, delivery and presence threads."""

    def __init__(self, app: Flask) -> None:
        self.pid = os.getpid()
        self.process_id = f"{socket.gethostname()}:{self.pid}:{uuid.uuid4().hex[:4]}"
        self.hub = Hub()
        self.redis_url: str | None = app.config.get("REDIS_URL")
        self.redis: Redis | None = app.extensions.get("redis")
        prefix = app.config["REALTIME_KEY_PREFIX"]
        keep = app.config["REALTIME_HISTORY_SECONDS"]
        self.history: RedisHistory | MemoryHistory
        if self.redis is not None:
            self.history = RedisHistory(self.redis, prefix, keep)
            self.presence: Presence | None = Presence(self.redis, prefix, self.hub, self.process_id)
        else:
            self.history = MemoryHistory(keep)
            self.presence = None
        self.started = False
        self._last_fanned_id = 0  # the newest event given to the local sockets
        self._started_at = 0.0
        self.subscribed = threading.Event()
        self._stop = threading.Event()
        self._start_lock = threading.Lock()
        self._local: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._subscriber_name = f"{prefix}subscriber:{self.process_id}"

    # -- threads ---------------------------------------------------------------------------------

    def ensure_started(self) -> None:
        """Start the delivery (and presence) thread once per process; wait for the subscription."""
        if not self.started:
            with self._start_lock:
                if not self.started:
                    target = self._listen if self.redis is not None else self._dispatch_local
                    threading.Thread(target=target, name="realtime-delivery", daemon=True).start()
                    if self.presence is not None:
                        threading.Thread(
                            target=self.presence.run, args=(self._stop,), name="realtime-presence", daemon=True
                        ).start()
                    else:
                        self.subscribed.set()
                    self._started_at = time.monotonic()
                    self.started = True
        # Sockets of a process that just started wait for the subscription (not later, when Redis is away).
        remaining = self._started_at + SUBSCRIBE_WAIT - time.monotonic()
        if remaining > 0:
            self.subscribed.wait(remaining)

    def stop(self) -> None:
        self._stop.set()
        self._local.put("")

    def _fan_out(self, raw: str | bytes) -> None:
        try:
            envelope = json.loads(raw)
            self._last_fanned_id = max(self._last_fanned_id, int(envelope["id"]))
            self.hub.fan_out(envelope)
        except Exception:
            log.exception("realtime: could not deliver an event")

    def _catch_up(self) -> None:
        """After the subscription was lost: deliver what was published meanwhile (sockets stayed
        connected, so their clients will not ask to resume); a socket never gets an event twice."""
        rooms = set(self.hub.snapshot()["rooms"])
        if not rooms or not self._last_fanned_id:
            return
        try:
            for envelope in self.history.missed(self._last_fanned_id, rooms):
                self._last_fanned_id = max(self._last_fanned_id, int(envelope["id"]))
                self.hub.fan_out(envelope)
        except Exception:
            log.exception("realtime: could not catch up after the subscription came back")

    def _dispatch_local(self) -> None:
        while not self._stop.is_set():
            envelope = self._local.get()
            if envelope:
                self._fan_out(envelope)

    def _listen(self) -> None:
        backoff = 0.5
        lost = False
        while not self._stop.is_set():
            pubsub = None
            try:
                client = Redis.from_url(
                    self.redis_url,
                    client_name=self._subscriber_name,
                    socket_connect_timeout=2,
                    socket_timeout=10,
                    health_check_interval=15,
                )
                pubsub = client.pubsub()
                pubsub.subscribe(self.history.channel)
                while not self._stop.is_set():
                    message = pubsub.get_message(timeout=1.0)
                    if message is None:
                        continue
                    if message["type"] == "subscribe":
                        self.subscribed.set()
                        backoff = 0.5
                        if lost:
                            lost = False
                            self._catch_up()
                    elif message["type"] == "message":
                        self._fan_out(message["data"])
            except Exception:
                self.subscribed.clear()
                lost = True
                log.warning("realtime: Redis subscription lost; retrying in %.1f s", backoff, exc_info=True)
                self._stop.wait(backoff)
                backoff = min(backoff * 2, 10.0)
            finally:
                if pubsub is not None:
                    with contextlib.suppress(Exception):  # already broken; a new one is made
                        pubsub.close()

    # -- publishing and reading ------------------------------------------------------------------

    def publish(self, event: str, data: dict[str, Any], rooms: Iterable[str]) -> int:
        targets = sorted({str(room) for room in rooms})
        if not event or not targets:
            raise ValueError("publish needs an event name and at least one room")
        event_id = self.history.next_id()
        at = time.time()
        ts = datetime.fromtimestamp(at, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        envelope = make_envelope(event_id, event, data, targets, ts, at)
        if isinstance(self.history, RedisHistory):
            self.history.store_and_publish(envelope, event_id, at)
        else:
            self.history.store(envelope)
            if self.started:
                self._local.put(envelope)
        return event_id

    def processes(self) -> list[tuple[str, dict[str, Any]]]:
        found = self.presence.others() if self.presence is not None else []
        if self.started or self.hub.count():
            found.append((self.process_id, self.hub.snapshot()))
        return found


def init_realtime(app: Flask) -> None:
    app.extensions["realtime"] = Realtime(app)
    app.config.setdefault(
        "SOCK_SERVER_OPTIONS",
        {
            "ping_interval": app.config["REALTIME_PING_INTERVAL"] or None,
            "max_message_size": app.config["REALTIME_MAX_MESSAGE_BYTES"],
        },
    )


def realtime_state(app: Flask | None = None) -> Realtime:
    """The realtime state of ``app`` (default: the current app) in this process (rebuilt after a fork)."""
    app = app or current_app._get_current_object()
    state: Realtime | None = app.extensions.get("realtime")
    if state is None or state.pid != os.getpid():
        state = Realtime(app)
        app.extensions["realtime"] = state
    return state


def publish(event: str, data: dict[str, Any], rooms: Iterable[str]) -> int:
    """Send ``event`` to every socket in any of ``rooms`` in every process (once each); returns its id."""
    return realtime_state().publish(event, data, rooms)


def missed_since(last_event_id: int, rooms: set[str]) -> list[dict[str, Any]]:
    """The events for ``rooms`` after ``last_event_id`` that are still kept, oldest first."""
    return [json.loads(envelope["frame"]) for envelope in realtime_state().history.missed(last_event_id, rooms)]


def user_connection(user_id: str) -> dict[str, Any]:
    """``{"connected": bool, "sockets": n}`` for a user, over every process."""
    room = f"user:{user_id}"
    sockets = sum(snapshot["rooms"].get(room, 0) for _, snapshot in realtime_state().processes())
    return {"connected": sockets > 0, "sockets": sockets}


def connection_status() -> dict[str, Any]:
    """Sockets per process and in total, and sockets per room, over every process."""
    processes = []
    rooms: dict[str, int] = {}
    for process_id, snapshot in realtime_state().processes():
        processes.append({"id": process_id, "sockets": snapshot["sockets"], "rooms": len(snapshot["rooms"])})
        for room, count in snapshot["rooms"].items():
            rooms[room] = rooms.get(room, 0) + count
    processes.sort(key=lambda p: p["id"])
    return {"total_sockets": sum(p["sockets"] for p in processes), "processes": processes, "rooms": rooms}
