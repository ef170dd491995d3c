"""Jobs that fail on purpose, for the retry tests; they count their runs in Redis."""

from __future__ import annotations

from fantasize.connections import redis_connection


class FlakyFailure(Exception):
    pass


def fail_times(counter_key: str, failures: int) -> str:
    """Fail the first ``failures`` runs, then succeed."""
    runs = redis_connection().incr(counter_key)
    if runs <= failures:
        raise FlakyFailure(f"run {runs} of a job that fails {failures} times")
    return f"succeeded on run {runs}"


def always_fail(counter_key: str) -> None:
    runs = redis_connection().incr(counter_key)
    raise FlakyFailure(f"the mail server is on fire (run {runs})")
