"""A test run cleans up after itself in Redis, as the README promises."""

import uuid

import pytest
from rq import Queue

from fantasize.extensions import limiter
from tests.conftest import forget_run_in_redis


def _noop() -> None:
    """A job body."""


@pytest.mark.redis
def test_a_run_leaves_no_keys_and_no_queue_in_rqs_set_of_queues(app):
    redis = app.extensions["redis"]
    run_id = uuid.uuid4().hex[:10]
    for name in ("email", "push", "default"):
        Queue(f"test-{run_id}-{name}", connection=redis).enqueue(_noop)
    redis.set(f"test-{run_id}:cached", "1")
    assert f"rq:queue:test-{run_id}-email".encode() in redis.smembers("rq:queues")

    forget_run_in_redis(redis, run_id)

    assert list(redis.scan_iter(match=f"*test-{run_id}*")) == []
    assert [q for q in redis.smembers("rq:queues") if f"test-{run_id}".encode() in q] == []


@pytest.mark.redis
def test_resetting_the_rate_limits_between_tests_spares_other_runs(app):
    redis = app.extensions["redis"]
    other_run = "LIMITS:LIMITER/test-someoneelse/127.0.0.1/api/products/3/1/minute"
    redis.set(other_run, 2, ex=60)
    try:
        limiter.reset()
        assert redis.get(other_run) == b"2"
    finally:
        redis.delete(other_run)
