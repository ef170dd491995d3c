"""Background jobs: RQ on Redis, or inline after commit on the embedded default.

Jobs take ids, never ORM objects, and are enqueued after the transaction that created
their data has committed (see :func:`fantasize.db.after_commit`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import current_app
from rq import Queue

from fantasize.connections import redis_connection

log = logging.getLogger("fantasize.jobs")


def queue_name() -> str:
    return current_app.config.get("RQ_QUEUE", "fantasize")


def enqueue(func: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Run ``func(*args, **kwargs)`` in a worker, or right away in a fresh app context."""
    connection = redis_connection()
    if connection is not None:
        Queue(queue_name(), connection=connection).enqueue(func, *args, **kwargs)
        return
    app = current_app._get_current_object()
    with app.app_context():
        try:
            func(*args, **kwargs)
        except Exception:
            log.exception("inline job %s failed", getattr(func, "__name__", func))


def run_queued_jobs() -> int:
    """Work through the queue in this process and stop (tests; ``rq-worker --burst``). Returns jobs run."""
    from rq import SimpleWorker

    connection = redis_connection()
    if connection is None:
        return 0
    queue = Queue(queue_name(), connection=connection)
    pending = queue.count
    SimpleWorker([queue], connection=connection).work(burst=True, with_scheduler=False)
    return pending
