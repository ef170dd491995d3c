"""Idempotent checkout: the first request with a key does the work; retries get its result.

A retry with the same key and body returns the same order; the same key with another body is
refused (422); a retry while the first request is still running is told to wait (409).
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select
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


def _existing(user_id: str, key: str) -> IdempotencyRecord | None:
    return db.session.scalar(
        select(IdempotencyRecord).where(IdempotencyRecord.user_id == user_id, IdempotencyRecord.key == key)
    )


def claim(user_id: str, key: str, body_hash: str) -> IdempotencyRecord | Order:
    """Claim ``key`` for this request (committed at once, so concurrent retries see it), or return the earlier order."""
    for _ in range(2):
        record = _existing(user_id, key)
        if record is not None:
            if record.request_hash != body_hash:
                raise KeyReused(
                    "This Idempotency-Key was used for a different checkout.", {"Idempotency-Key": ["Use a new key."]}
                )
            if record.state == "done" and record.order_id:
                return db.session.get(Order, record.order_id)
            if utcnow() - record.created_at < STALE_AFTER:
                raise StillRunning("This checkout is still being processed; retry in a moment.")
            db.session.delete(record)
            db.session.flush()
        try:
            record = IdempotencyRecord(user_id=user_id, key=key, request_hash=body_hash)
            db.session.add(record)
            db.session.commit()
            return record
        except IntegrityError:
            db.session.rollback()  # another request claimed it first: look again
    raise StillRunning("This checkout is still being processed; retry in a moment.")


def complete(record: IdempotencyRecord, order: Order) -> None:
    record.state = "done"
    record.order_id = order.id


def release(user_id: str, key: str) -> None:
    """Forget a claim whose checkout failed (nothing was created), so the same key can be retried."""
    db.session.execute(
        delete(IdempotencyRecord).where(IdempotencyRecord.user_id == user_id, IdempotencyRecord.key == key)
    )
    db.session.commit()
