"""Idempotent checkout: the first request with a key does the work; retries get its result.

A retry with the same key and body returns the same order; the same key with another body is
refused (422); a retry while the first request is still running is told to wait (409).
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from fantasize.db import utcnow
from fantasize.errors import AppError
from fantasize.extensions import db
from fantasize.orders.models import IdempotencyRecord, Order

STALE_AFTER = timedelta(minutes=5)  # a claim left by a crashed worker may be taken over


class KeyReused(AppError):
    status = 422
    code = "idempotency_key_reused"


class StillRunning(AppError):
    status = 409
    code = "idempotency_in_progress"


def fingerprint(body: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def claim(user_id: str, key: str, body_hash: str) -> bool | Order:
    """Claim ``key`` for this request (``True``), or return the order an earlier request placed with it.

    The claim runs in its own short transaction (``db.engine.begin()``), committed at once and
    apart from the request's, so concurrent retries see it while the checkout itself stays one
    unit that commits or rolls back whole.
    """
    mine = (IdempotencyRecord.user_id == user_id, IdempotencyRecord.key == key)
    for _ in range(2):
        try:
            with db.engine.begin() as connection:
                record = connection.execute(
                    select(
                        IdempotencyRecord.request_hash,
                        IdempotencyRecord.state,
                        IdempotencyRecord.order_id,
                        IdempotencyRecord.created_at,
                    ).where(*mine)
                ).one_or_none()
                if record is not None:
                    if record.request_hash != body_hash:
                        raise KeyReused(
                            "This Idempotency-Key was used for a different checkout.",
                            {"Idempotency-Key": ["Use a new key."]},
                        )
                    if record.state == "done" and record.order_id:
                        done = record.order_id
                        break
                    if utcnow() - record.created_at < STALE_AFTER:
                        raise StillRunning("This checkout is still being processed; retry in a moment.")
                    connection.execute(delete(IdempotencyRecord).where(*mine))  # left by a crashed worker
                connection.execute(insert(IdempotencyRecord).values(user_id=user_id, key=key, request_hash=body_hash))
            return True
        except IntegrityError:
            continue  # another request claimed it first: look again
    else:
        raise StillRunning("This checkout is still being processed; retry in a moment.")
    return db.session.get(Order, done)


def complete(user_id: str, key: str, order: Order) -> None:
    """Mark the claim done in the request's own transaction: it commits together with the order."""
    db.session.execute(
        update(IdempotencyRecord)
        .where(IdempotencyRecord.user_id == user_id, IdempotencyRecord.key == key)
        .values(state="done", order_id=order.id)
    )


def release(user_id: str, key: str) -> None:
    """Forget a claim whose checkout failed (nothing was created), so the same key can be retried.

    Like the claim, this is a short transaction of its own (``db.engine.begin()``): it runs
    after the request's transaction rolled back.
    """
    with db.engine.begin() as connection:
        connection.execute(
            delete(IdempotencyRecord).where(IdempotencyRecord.user_id == user_id, IdempotencyRecord.key == key)
        )
