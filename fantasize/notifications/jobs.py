"""The delivery jobs: send one e-mail or one push, once, whatever the number of times it runs.

A transient failure (SMTP server away or busy, FCM unavailable) raises, so RQ retries the job
with backoff and, after the last try, keeps it in the failed registry. A permanent one (address
refused, token dead) is recorded on the delivery and not retried. No transaction stays open
while a message is on its way to the mail server or FCM.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from rq import get_current_job

from fantasize.extensions import db
from fantasize.notifications import devices, services, templates
from fantasize.notifications.mail import PermanentMailError, send_email_now
from fantasize.notifications.models import Delivery, DeliveryStatus, DeviceToken
from fantasize.notifications.push import PermanentPushError, PushMessage, PushOutcome, push_provider

log = logging.getLogger("fantasize.notifications")


class DeliveryInProgress(Exception):
    """Another worker is sending this delivery right now; try again later (it may die)."""


@dataclass(frozen=True)
class _Outgoing:
    delivery_id: int
    channel: str
    event: str
    recipient: str | None
    device_id: int | None
    token: str | None
    rendered: templates.Rendered
    push_data: dict[str, str]


def _prepare(delivery: Delivery) -> _Outgoing:
    device = db.session.get(DeviceToken, delivery.device_id) if delivery.device_id else None
    # A device that changed hands since (another account signed in on the phone) gets nothing.
    owned = device is not None and device.user_id == delivery.user_id
    return _Outgoing(
        delivery_id=delivery.id,
        channel=delivery.channel,
        event=delivery.event,
        recipient=delivery.recipient,
        device_id=delivery.device_id,
        token=device.token if owned else None,
        rendered=templates.render(delivery.event, delivery.language, delivery.context),
        push_data=dict(delivery.context.get("_push_data") or {}),
    )


def _last_try() -> bool:
    job = get_current_job()
    return job is None or not job.retries_left


def deliver(delivery_id: int) -> str:
    """Send delivery ``delivery_id``; returns what became of it (the job's result)."""
    delivery = services.claim(delivery_id)
    if delivery is None:
        status = db.session.scalar(db.select(Delivery.status).where(Delivery.id == delivery_id))
        db.session.commit()
        if status == DeliveryStatus.SENDING:
            raise DeliveryInProgress(f"delivery {delivery_id} is being sent by another worker")
        return "already handled"
    outgoing = _prepare(delivery)
    db.session.commit()
    try:
        status, error = _send(outgoing)
    except Exception as exc:
        db.session.rollback()
        final = DeliveryStatus.FAILED if _last_try() else DeliveryStatus.RETRYING
        services.finish(db.session.get(Delivery, delivery_id), final, f"{type(exc).__name__}: {exc}")
        db.session.commit()
        raise
    services.finish(db.session.get(Delivery, delivery_id), status, error)
    db.session.commit()
    return status


def _send(outgoing: _Outgoing) -> tuple[str, str | None]:
    rendered = outgoing.rendered
    if outgoing.channel == "email":
        try:
            send_email_now(outgoing.recipient, rendered.subject, rendered.text, rendered.html)
        except PermanentMailError as refused:
            return DeliveryStatus.FAILED, f"refused: {refused}"
        return DeliveryStatus.SENT, None
    return _push(outgoing)


def _push(outgoing: _Outgoing) -> tuple[str, str | None]:
    if outgoing.token is None:
        return DeliveryStatus.SKIPPED, "the device was unregistered"
    data = outgoing.push_data
    message = PushMessage(
        title=outgoing.rendered.subject, body=outgoing.rendered.summary, data=data, link=data.get("link")
    )
    try:
        provider = push_provider()
        if provider is None:
            log.info(
                "push not sent (FCM not configured)", extra={"event": outgoing.event, "device": outgoing.device_id}
            )
            return DeliveryStatus.SKIPPED, "push is not configured"
        outcome = provider.send(outgoing.token, message)
    except PermanentPushError as refused:  # a bad payload or unusable credentials: retrying will not help
        return DeliveryStatus.FAILED, f"refused: {refused}"
    if outcome is PushOutcome.UNREGISTERED:
        devices.prune_token(outgoing.token)
        return DeliveryStatus.SKIPPED, "the device token is no longer valid; it was removed"
    return DeliveryStatus.SENT, None


def sweep_deliveries() -> int:
    """Queue again what fell through the cracks (run every minute by ``flask rq-cron``).

    Deliveries whose job was never queued (Redis was away at commit), whose worker died while
    sending, or whose retry was lost. Returns how many were queued.
    """
    stuck = services.stuck_deliveries()
    db.session.commit()
    for delivery_id, channel in stuck:
        services.queue_delivery_now(delivery_id, channel)
    return len(stuck)
