"""Watching what the shop publishes, through the broker itself (no stand-in).

:func:`observe_realtime` gives the app, for one test, a realtime state of its own: its own
event history (under this run's Redis prefix with ``REDIS_URL``, in memory without), so the
test reads exactly what it caused with the broker's ``missed_since``. :func:`unreachable_broker`
does the same with a Redis that does not answer, to show a broker failure never breaks a request.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from redis import Redis

from fantasize.realtime import broker
from tests.conftest import RUN_ID


class Published:
    """What the broker published during the test, read back as a socket resuming from 0 would get it."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def to(self, *rooms: str) -> list[dict[str, Any]]:
        """The frames sent to any of ``rooms``, oldest first."""
        with self.app.app_context():
            return broker.missed_since(0, set(rooms))

    def events(self, name: str, *rooms: str) -> list[dict[str, Any]]:
        """The ``data`` of the ``name`` events sent to any of ``rooms``."""
        return [frame["data"] for frame in self.to(*rooms) if frame["event"] == name]


@contextmanager
def _state(app: Flask, redis: Redis | None) -> Iterator[broker.Realtime]:
    previous_state = app.extensions.get("realtime")
    previous_prefix = app.config["REALTIME_KEY_PREFIX"]
    previous_redis = app.extensions.get("redis")
    app.config["REALTIME_KEY_PREFIX"] = f"test-{RUN_ID}:realtime:{uuid.uuid4().hex[:8]}:"
    app.extensions["redis"] = redis
    try:
        state = broker.Realtime(app)
    finally:
        app.extensions["redis"] = previous_redis
        app.config["REALTIME_KEY_PREFIX"] = previous_prefix
    app.extensions["realtime"] = state
    try:
        yield state
    finally:
        state.stop()
        if previous_state is None:
            app.extensions.pop("realtime", None)
        else:
            app.extensions["realtime"] = previous_state


@contextmanager
def observe_realtime(app: Flask) -> Iterator[Published]:
    """For the duration, the app publishes into a history of its own; yields its reader."""
    with _state(app, app.extensions.get("redis")):
        yield Published(app)


@contextmanager
def unreachable_broker(app: Flask) -> Iterator[None]:
    """For the duration, the broker talks to a Redis that refuses connections (port 1 on loopback)."""
    dead = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.5, socket_timeout=0.5)
    with _state(app, dead):
        yield
