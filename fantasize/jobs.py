"""Background jobs: RQ on Redis, or inline after commit on the embedded default.

Jobs take ids, never ORM objects, and are enqueued after the transaction that created
their data has committed (see :func:`fantasize.db.after_commit`). Three queues: ``email``,
``push`` and ``default``. A job that raises is retried with backoff (``JOB_RETRY_BACKOFF``
seconds between tries); after the last try it lands in RQ's failed registry, where the
admin's "Failed jobs" page shows it and can put it back on its queue.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from rq import Queue, Retry
from rq.job import Job
from rq.registry import FailedJobRegistry
from rq.utils import import_attribute

from fantasize.connections import redis_connection

log = logging.getLogger("fantasize.jobs")

QUEUES = ("email", "push", "default")  # a worker takes them in this order


def queue_name(name: str = "default") -> str:
    """The RQ name of one of :data:`QUEUES` (tests give each run its own prefix)."""
    return f"{current_app.config.get('RQ_QUEUE_PREFIX', '')}{name}"


def _queue(name: str, connection: Any) -> Queue:
    return Queue(queue_name(name), connection=connection)


def retry_policy() -> Retry | None:
    backoff = [int(seconds) for seconds in current_app.config.get("JOB_RETRY_BACKOFF", ())]
    return Retry(max=len(backoff), interval=backoff) if backoff else None


def enqueue(func: Callable[..., Any] | str, *args: Any, queue: str = "default", **kwargs: Any) -> None:
    """Run ``func(*args, **kwargs)`` in a worker, or right away in a fresh app context.

    ``func`` may be a dotted path, so that a service can name a job without importing the
    jobs module above it.
    """
    if queue not in QUEUES:
        raise ValueError(f"unknown queue {queue!r}")
    connection = redis_connection()
    if connection is not None:
        _queue(queue, connection).enqueue(
            func, args=args, kwargs=kwargs, retry=retry_policy(), failure_ttl=current_app.config["JOB_FAILURE_TTL"]
        )
        return
    if isinstance(func, str):
        func = import_attribute(func)
    app = current_app._get_current_object()
    with app.app_context():
        try:
            func(*args, **kwargs)
        except Exception:
            log.exception("inline job %s failed", getattr(func, "__name__", func))


def worker_queues(connection: Any) -> list[Queue]:
    return [_queue(name, connection) for name in QUEUES]


def run_queued_jobs() -> int:
    """Work through the queues in this process and stop (tests). Returns the jobs that were waiting."""
    from rq import SimpleWorker

    connection = redis_connection()
    if connection is None:
        return 0
    queues = worker_queues(connection)
    pending = sum(queue.count for queue in queues)
    SimpleWorker(queues, connection=connection).work(burst=True, with_scheduler=False)
    return pending


@dataclass(frozen=True)
class FailedJob:
    id: str
    queue: str
    description: str
    error: str  # the exception's last line; the traceback is in ``details``
    details: str
    failed_at: datetime | None
    tries: int


def _failed_job(job: Job, queue: str) -> FailedJob:
    result = job.latest_result()
    details = (result.exc_string if result is not None else None) or ""
    lines = [line for line in details.strip().splitlines() if line.strip()]
    retries = job.retry_intervals or []
    return FailedJob(
        id=job.id,
        queue=queue,
        description=job.description or job.func_name,
        error=lines[-1] if lines else "(no error recorded)",
        details=details,
        failed_at=job.ended_at,
        tries=len(retries) - (job.retries_left or 0) + 1 if retries else 1,
    )


def failed_jobs(limit: int = 200) -> list[FailedJob]:
    """Jobs that failed their last try, newest first (empty without Redis: inline jobs only log)."""
    connection = redis_connection()
    if connection is None:
        return []
    found: list[FailedJob] = []
    for name in QUEUES:
        registry = FailedJobRegistry(queue_name(name), connection=connection)
        ids = registry.get_job_ids(0, limit - 1, desc=True)
        for job in Job.fetch_many(ids, connection=connection):
            if job is not None:
                found.append(_failed_job(job, name))
    found.sort(key=lambda job: job.failed_at or datetime.min, reverse=True)
    return found[:limit]


def _registry_of(job_id: str, connection: Any) -> FailedJobRegistry | None:
    for name in QUEUES:
        registry = FailedJobRegistry(queue_name(name), connection=connection)
        if job_id in registry:
            return registry
    return None


def retry_failed_job(job_id: str) -> bool:
    """Put a failed job back on its queue; ``False`` when it is not (or no longer) in a failed registry."""
    connection = redis_connection()
    registry = _registry_of(job_id, connection) if connection is not None else None
    if registry is None:
        return False
    registry.requeue(job_id)
    return True


def discard_failed_job(job_id: str) -> bool:
    connection = redis_connection()
    registry = _registry_of(job_id, connection) if connection is not None else None
    if registry is None:
        return False
    registry.remove(job_id, delete_job=True)
    return True
