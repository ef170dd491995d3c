"""Sending notifications: one call per recipient and event, inside the transaction of what happened.

:func:`notify` writes the deliveries (e-mail, one push per device) and the inbox entry in the
current transaction, so an order that rolls back leaves no message behind; the delivery jobs are
enqueued only once it commits. Each delivery has a unique key made from the event and what it is
about, so a job (or an event) that runs twice sends once.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from fantasize.accounts.models import STAFF_ROLES, User
from fantasize.db import after_commit, utcnow
from fantasize.errors import NotFound
from fantasize.extensions import db
from fantasize.jobs import enqueue
from fantasize.notifications import devices, inbox, preferences, templates
from fantasize.notifications.models import Delivery, DeliveryStatus

log = logging.getLogger("fantasize.notifications")

DELIVERY_JOB = "fantasize.notifications.jobs.deliver"
# A delivery claimed this long ago by a worker that never finished (it died) may be claimed again.
STALE_CLAIM = timedelta(minutes=5)
# A delivery still pending this long after it was written (or last queued) lost its job.
LOST_AFTER = timedelta(minutes=2)
CLAIMABLE = (DeliveryStatus.PENDING, DeliveryStatus.RETRYING, DeliveryStatus.FAILED)


def _insert_delivery(values: dict[str, Any]) -> int | None:
    """Insert a delivery unless its key exists; its id, or ``None`` when it was already there."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(Delivery).values(**values).on_conflict_do_nothing(index_elements=["key"]).returning(Delivery.id)
    return db.session.execute(statement).scalar_one_or_none()


def queue_delivery_now(delivery_id: int, channel: str) -> None:
    """Queue the delivery's job; if that fails (Redis away), the sweep queues it later."""
    try:
        enqueue(DELIVERY_JOB, delivery_id, queue=channel)
    except Exception:
        log.exception("could not queue delivery %s; the sweep will", delivery_id)


def _queue_delivery(delivery_id: int, channel: str) -> None:
    after_commit(db.session(), lambda: queue_delivery_now(delivery_id, channel))


def _recipient_key(user: User | None, address: str | None) -> str:
    if user is not None:
        return f"user:{user.id}"
    # An address can be 254 characters long; its digest keeps the key short and unique.
    return "to:" + hashlib.sha256((address or "").strip().lower().encode()).hexdigest()[:32]


def notify(
    event: str,
    key: str,
    context: dict[str, Any],
    *,
    user: User | None = None,
    email: str | None = None,
    link: str | None = None,
    data: dict[str, Any] | None = None,
    language: str = "en",
) -> None:
    """Tell one person about ``event`` on the channels they want it on.

    ``key`` names what the message is about (``order:<id>``); ``email`` overrides the user's
    address (a gift recipient has no account). ``link`` is a path on this site for the inbox
    and the push message.
    """
    channels = preferences.channels_for(user.id if user else None, event)
    address = email or (user.email if user else None)
    base = {"event": event, "user_id": user.id if user else None, "language": language, "context": context}
    recipient_key = _recipient_key(user, address)
    if "email" in channels and address:
        delivery_id = _insert_delivery(
            {**base, "key": f"{event}:{key}:{recipient_key}:email", "channel": "email", "recipient": address}
        )
        if delivery_id is not None:
            _queue_delivery(delivery_id, "email")
    if user is None:
        return
    if "push" in channels:
        push_data = {**(data or {}), **({"link": link} if link else {})}
        for device in devices.devices_of(user.id):
            delivery_id = _insert_delivery(
                {
                    **base,
                    "context": {**context, "_push_data": {k: str(v) for k, v in push_data.items()}},
                    "key": f"{event}:{key}:{recipient_key}:push:{device.id}",
                    "channel": "push",
                    "device_id": device.id,
                }
            )
            if delivery_id is not None:
                _queue_delivery(delivery_id, "push")
    if "in_app" in channels:
        rendered = templates.render(event, language, context)
        inbox.add(user.id, event, rendered.subject, rendered.summary, link=link, data=data)


def notify_staff(event: str, key: str, context_for: Any, *, link: str | None = None, data: dict | None = None) -> None:
    """Tell every active manager and admin; ``context_for(user)`` builds each one's context."""
    staff_members = select(User).where(User.role.in_(STAFF_ROLES), User.is_active_account.is_(True)).order_by(User.id)
    for staff in db.session.scalars(staff_members):
        notify(event, key, context_for(staff), user=staff, link=link, data=data)


# -- run by the delivery job ------------------------------------------------------------------


def claim(delivery_id: int) -> Delivery | None:
    """Take a delivery for sending, or ``None`` when it was sent, given up, or is being sent by another worker."""
    now = utcnow()
    claimable = or_(
        Delivery.status.in_(CLAIMABLE),
        and_(Delivery.status == DeliveryStatus.SENDING, Delivery.claimed_at < now - STALE_CLAIM),
    )
    result = db.session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, claimable)
        .values(status=DeliveryStatus.SENDING, claimed_at=now, attempts=Delivery.attempts + 1)
    )
    if result.rowcount != 1:
        return None
    return db.session.get(Delivery, delivery_id, populate_existing=True)


def finish(delivery: Delivery, status: str, error: str | None = None) -> None:
    delivery.status = status
    delivery.last_error = error[:2000] if error else None
    if status == DeliveryStatus.SENT:
        delivery.sent_at = utcnow()
    db.session.flush()


def failed_deliveries(limit: int = 100) -> list[Delivery]:
    """Messages that did not go out (the provider refused, or the last retry failed), newest first."""
    query = select(Delivery).where(Delivery.status == DeliveryStatus.FAILED).order_by(Delivery.id.desc()).limit(limit)
    return list(db.session.scalars(query))


def retry_delivery(delivery_id: int) -> Delivery:
    """Try a failed delivery again (after this transaction commits)."""
    delivery = db.session.get(Delivery, delivery_id)
    if delivery is None or delivery.status != DeliveryStatus.FAILED:
        raise NotFound("No failed message with this number.")
    delivery.status = DeliveryStatus.PENDING
    db.session.flush()
    _queue_delivery(delivery.id, delivery.channel)
    return delivery


def stuck_deliveries(limit: int = 500) -> list[tuple[int, str]]:
    """Deliveries that lost their job: never queued, left ``sending`` by a dead worker, or a
    retry that never came. They are marked as queued now (so the next sweep leaves them) and
    returned as ``(id, channel)`` to be queued after commit."""
    now = utcnow()
    backoff = max((int(s) for s in current_app.config.get("JOB_RETRY_BACKOFF", ())), default=0)
    last_seen = func.coalesce(Delivery.claimed_at, Delivery.created_at)
    lost = or_(
        and_(Delivery.status == DeliveryStatus.PENDING, last_seen < now - LOST_AFTER),
        and_(Delivery.status == DeliveryStatus.SENDING, Delivery.claimed_at < now - STALE_CLAIM),
        and_(
            Delivery.status == DeliveryStatus.RETRYING,
            Delivery.claimed_at < now - STALE_CLAIM - timedelta(seconds=backoff),
        ),
    )
    rows = db.session.execute(
        select(Delivery.id, Delivery.channel)
        .where(lost)
        .order_by(Delivery.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    ids = [row.id for row in rows]
    if ids:
        db.session.execute(
            update(Delivery).where(Delivery.id.in_(ids)).values(status=DeliveryStatus.PENDING, claimed_at=now)
        )
    return [(row.id, row.channel) for row in rows]
