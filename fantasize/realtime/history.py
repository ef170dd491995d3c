"""Event ids and the short history kept for ``resume``: in Redis (shared by every process) or in memory.

An *envelope* is what travels between processes and is kept for resume:
``{"id": int, "rooms": [str], "at": epoch seconds, "frame": "<the JSON text sent to sockets>"}``.
The frame is encoded once, when the event is published, and sent as is to every socket.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from typing import Any

from redis import Redis

# Keep at most this many events per resume answer (10 minutes of a busy shop stay well under it).
MAX_RESUME_EVENTS = 500
SCAN_LIMIT = 20_000  # events read from the history per resume (all rooms), before filtering by room

# Adds the envelope to the history (score: event id), notes when (score: ms), drops what is older than
# the cutoff, lets both keys expire when the shop is quiet, and publishes the envelope to every process.
_STORE_AND_PUBLISH = """
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
local old = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[4], 'LIMIT', 0, 1000)
for _, id in ipairs(old) do
  redis.call('ZREMRANGEBYSCORE', KEYS[1], id, id)
  redis.call('ZREM', KEYS[2], id)
end
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('EXPIRE', KEYS[2], ARGV[5])
return redis.call('PUBLISH', ARGV[6], ARGV[2])
"""


def make_envelope(event_id: int, event: str, data: dict[str, Any], rooms: list[str], ts: str, at: float) -> str:
    frame = json.dumps({"event": event, "data": data, "id": event_id, "ts": ts}, default=str, separators=(",", ":"))
    return json.dumps({"id": event_id, "rooms": rooms, "at": at, "frame": frame}, separators=(",", ":"))


def _wanted(envelopes: list[dict[str, Any]], last_event_id: int, rooms: set[str], since: float) -> list[dict]:
    found = [e for e in envelopes if e["id"] > last_event_id and e["at"] >= since and rooms.intersection(e["rooms"])]
    found.sort(key=lambda e: e["id"])
    return found[:MAX_RESUME_EVENTS]


class MemoryHistory:
    """The embedded default: one process, ids from a counter, history in a deque."""

    def __init__(self, keep_seconds: int) -> None:
        self.keep_seconds = keep_seconds
        self._lock = threading.Lock()
        self._next_id = 0
        self._events: deque[dict[str, Any]] = deque()

    def next_id(self) -> int:
        with self._lock:
            self._next_id += 1
            return self._next_id

    def store(self, envelope: str) -> None:
        entry = json.loads(envelope)
        with self._lock:
            self._events.append(entry)
            cutoff = time.time() - self.keep_seconds
            while self._events and self._events[0]["at"] < cutoff:
                self._events.popleft()

    def missed(self, last_event_id: int, rooms: set[str]) -> list[dict[str, Any]]:
        with self._lock:
            events = list(self._events)
        return _wanted(events, last_event_id, rooms, time.time() - self.keep_seconds)


class RedisHistory:
    """Ids from ``INCR``; the history in two sorted sets; publishing in the same script."""

    def __init__(self, redis: Redis, prefix: str, keep_seconds: int) -> None:
        self.redis = redis
        self.keep_seconds = keep_seconds
        self.counter_key = f"{prefix}event-id"
        self.history_key = f"{prefix}history"
        self.times_key = f"{prefix}history-times"
        self.channel = f"{prefix}events"
        self._script = redis.register_script(_STORE_AND_PUBLISH)

    def next_id(self) -> int:
        return int(self.redis.incr(self.counter_key))

    def store_and_publish(self, envelope: str, event_id: int, at: float) -> None:
        now_ms = int(at * 1000)
        cutoff_ms = now_ms - self.keep_seconds * 1000
        self._script(
            keys=[self.history_key, self.times_key],
            args=[event_id, envelope, now_ms, cutoff_ms, self.keep_seconds + 60, self.channel],
        )

    def missed(self, last_event_id: int, rooms: set[str]) -> list[dict[str, Any]]:
        raw = self.redis.zrangebyscore(self.history_key, f"({int(last_event_id)}", "+inf", start=0, num=SCAN_LIMIT)
        return _wanted([json.loads(item) for item in raw], last_event_id, rooms, time.time() - self.keep_seconds)
