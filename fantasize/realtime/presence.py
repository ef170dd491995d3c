"""Who is connected, across processes: each process writes its counts to Redis with a short TTL.

A process rewrites its entry shortly after every connect, disconnect, join or leave and at least
every ``HEARTBEAT`` seconds; the entry of a process that died disappears after ``TTL`` seconds.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from typing import Any

from redis import Redis

from fantasize.realtime.hub import Hub

log = logging.getLogger("fantasize.realtime")

TTL = 30
HEARTBEAT = 10
DEBOUNCE = 0.2  # a burst of connects is written once


class Presence:
    def __init__(self, redis: Redis, prefix: str, hub: Hub, process_id: str) -> None:
        self.redis = redis
        self.hub = hub
        self.process_id = process_id
        self.index_key = f"{prefix}processes"
        self.prefix = prefix

    def _key(self, process_id: str) -> str:
        return f"{self.prefix}process:{process_id}"

    def report(self) -> None:
        now = time.time()
        pipe = self.redis.pipeline(transaction=False)
        pipe.set(self._key(self.process_id), json.dumps(self.hub.snapshot()), ex=TTL)
        pipe.zadd(self.index_key, {self.process_id: now})
        pipe.zremrangebyscore(self.index_key, "-inf", now - TTL)
        pipe.expire(self.index_key, TTL * 2)
        pipe.execute()

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            self.hub.changed.wait(HEARTBEAT)
            self.hub.changed.clear()
            try:
                self.report()
            except Exception:  # Redis away: try again at the next change or heartbeat
                log.warning("realtime: could not report presence", exc_info=True)
            stop.wait(DEBOUNCE)

    def others(self) -> list[tuple[str, dict[str, Any]]]:
        """The live counts of the other processes, by process id."""
        ids = [
            pid.decode() if isinstance(pid, bytes) else pid
            for pid in self.redis.zrangebyscore(self.index_key, time.time() - TTL, "+inf")
        ]
        ids = [pid for pid in ids if pid != self.process_id]
        if not ids:
            return []
        values = self.redis.mget([self._key(pid) for pid in ids])
        return [(pid, json.loads(value)) for pid, value in zip(ids, values, strict=True) if value]
