"""Background jobs: RQ on Redis, or inline after commit on the embedded default.

Jobs take ids, never ORM objects, and are enqueued after the transaction that created
their data has committed (see :func:`fantasize.db.after_commit`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from rq import Queue

from fantasize.connections import redis_connection

log = logging.getLogger("fantasize.jobs")
QUEUE_NAME = "fantasize"


def enqueue(func: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Run ``func(*args, **kwargs)`` in a worker, or right away in a fresh app context."""
    connection = redis_connection()
    if connection is not None:
        Queue(QUEUE_NAME, connection=connection).enqueue(func, *args, **kwargs)
        return
    app = current_app._get_current_object()
    with app.app_context():
        try:
            func(*args, **kwargs)
        except Exception:
            log.exception("inline job %s failed", getattr(func, "__name__", func))


def worker_app() -> Flask:
    """The app that RQ jobs run inside (used by ``flask --app wsgi rq-worker``)."""
    from fantasize import create_app

    return create_app()
