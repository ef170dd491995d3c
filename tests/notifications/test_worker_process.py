"""A real ``rq`` worker process (``flask rq-worker``) on a real Redis sends the shop's e-mail,
retries a job that fails and keeps one that always fails for the admin to retry."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from rq import Queue
from rq.registry import FailedJobRegistry

from fantasize.connections import redis_connection
from fantasize.jobs import enqueue, queue_name
from tests.conftest import RUN_ID
from tests.orders.conftest import add, checkout

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]


WORKER_APP = "tests.support.worker_app:create_worker_app()"


def _worker_env(app, smtp_port: int | None = None) -> dict[str, str]:
    return {
        **os.environ,
        "TEST_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "TEST_DB_SCHEMA": f"test_{RUN_ID}",
        "REDIS_URL": app.config["REDIS_URL"],
        "RQ_QUEUE_PREFIX": app.config["RQ_QUEUE_PREFIX"],
        "CACHE_KEY_PREFIX": app.config["CACHE_KEY_PREFIX"],
        "SMTP_HOST": "127.0.0.1" if smtp_port else "",
        "SMTP_PORT": str(smtp_port or 25),
        "FANTASIZE_ENV": "test",
    }


def run_worker(app, smtp_port: int | None = None) -> subprocess.CompletedProcess:
    """Run ``flask rq-worker --burst`` in its own process until the queues are empty."""
    env = _worker_env(app, smtp_port)
    command = [sys.executable, "-m", "flask", "--app", WORKER_APP, "rq-worker", "--burst"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


@pytest.fixture
def smtp_port(app, mailbox):
    return app.config["SMTP_PORT"]


def test_placing_an_order_delivers_the_e_mail_through_the_worker(app, client, shopper, shelf, mailbox, smtp_port):
    user, auth = shopper
    add(client, auth, product=shelf["mug"])
    number = checkout(client, auth).get_json()["data"]["number"]
    assert mailbox == []  # the web process only enqueued it

    run_worker(app, smtp_port)
    [message] = [m for m in mailbox if m["To"] == user.email]
    assert number in message["Subject"]


def test_a_job_that_fails_twice_then_succeeds_is_retried(app):
    from tests.support.flaky_jobs import fail_times

    counter = f"test-{RUN_ID}-flaky-{uuid.uuid4().hex}"
    enqueue(fail_times, counter, 2)
    run_worker(app)

    redis = redis_connection()
    assert int(redis.get(counter)) == 3
    assert FailedJobRegistry(queue_name("default"), connection=redis).count == 0


def test_a_job_that_always_fails_lands_in_the_failed_registry_and_the_admin_page(app, login, user_factory):
    from tests.support.flaky_jobs import always_fail

    counter = f"test-{RUN_ID}-doomed-{uuid.uuid4().hex}"
    enqueue(always_fail, counter)
    run_worker(app)

    redis = redis_connection()
    tries = 1 + len(app.config["JOB_RETRY_BACKOFF"])
    assert int(redis.get(counter)) == tries
    registry = FailedJobRegistry(queue_name("default"), connection=redis)
    [job_id] = registry.get_job_ids()

    admin = login(user_factory(role="admin"))
    page = admin.get("/admin/jobs")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert job_id in body
    assert "the mail server is on fire" in body

    retried = admin.post(f"/admin/jobs/{job_id}/retry")
    assert retried.status_code == 303
    assert job_id not in registry.get_job_ids()
    default = Queue(queue_name("default"), connection=redis)
    assert job_id in default.job_ids
    default.empty()  # it would only fail again


def test_the_clock_process_sweeps_a_lost_delivery_to_the_worker(app, user_factory, mailbox, smtp_port):
    import time
    from datetime import timedelta

    from fantasize.db import utcnow
    from fantasize.extensions import db
    from fantasize.notifications.models import Delivery

    user = user_factory()
    long_ago = utcnow() - timedelta(minutes=10)
    db.session.add(
        Delivery(
            key=f"welcome:lost:{user.id}",
            channel="email",
            event="welcome",
            user_id=user.id,
            recipient=user.email,
            context={"recipient": {"name": "Ada"}},
            created_at=long_ago,
        )
    )
    db.session.commit()

    default = Queue(queue_name("default"), connection=redis_connection())
    default.empty()  # what earlier tests left queued must not pass for the sweep
    env = {**_worker_env(app), "DELIVERY_SWEEP_SECONDS": "1"}
    command = [sys.executable, "-m", "flask", "--app", WORKER_APP, "rq-cron"]
    clock = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while default.count == 0 and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        clock.terminate()
        clock.wait(timeout=10)
    assert default.count >= 1, "rq-cron queued no sweep"

    run_worker(app, smtp_port)
    assert [message["To"] for message in mailbox] == [user.email]
