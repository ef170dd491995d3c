"""The delivery job: send one e-mail or one push, once, whatever the number of times it runs.

A transient failure (SMTP server away, FCM unavailable) raises, so RQ retries the job with
backoff and, after the last try, keeps it in the failed registry. A permanent one (address
refused, token dead) is recorded on the delivery and not retried.
"""

from __future__ import annotations

import logging

from fantasize.extensions import db
from fantasize.notifications import devices, services, templates
from fantasize.notifications.mail import PermanentMailError, send_email_now
from fantasize.notifications.models import Delivery, DeliveryStatus, DeviceToken
from fantasize.notifications.push import PermanentPushError, PushMessage, PushOutcome, push_provider

log = logging.getLogger("fantasize.notifications")


def deliver(delivery_id: int) -> str:
    """Send delivery ``delivery_id``; returns what became of it (the job's result)."""
    delivery = services.claim(delivery_id)
    db.session.commit()
    if delivery is None:
        return "already handled"
    try:
        status, error = _send(delivery)
    except Exception as exc:
        db.session.rollback()
        delivery = db.session.get(Delivery, delivery_id)
        services.finish(delivery, DeliveryStatus.FAILED, f"{type(exc).__name__}: {exc}")
        db.session.commit()
        raise
    services.finish(delivery, status, error)
    db.session.commit()
    return status


def _send(delivery: Delivery) -> tuple[str, str | None]:
    rendered = templates.render(delivery.event, delivery.language, delivery.context)
    if delivery.channel == "email":
        try:
            send_email_now(delivery.recipient, rendered.subject, rendered.text, rendered.html)
        except PermanentMailError as refused:
            return DeliveryStatus.FAILED, f"refused: {refused}"
        return DeliveryStatus.SENT, None
    return _push(delivery, rendered)


def _push(delivery: Delivery, rendered: templates.Rendered) -> tuple[str, str | None]:
    device = db.session.get(DeviceToken, delivery.device_id) if delivery.device_id else None
    if device is None:
        return DeliveryStatus.SKIPPED, "the device was unregistered"
    data = dict(delivery.context.get("_push_data") or {})
    message = PushMessage(title=rendered.subject, body=rendered.summary, data=data, link=data.get("link"))
    try:
        provider = push_provider()
        if provider is None:
            log.info("push not sent (FCM not configured)", extra={"event": delivery.event, "device": device.id})
            return DeliveryStatus.SKIPPED, "push is not configured"
        outcome = provider.send(device.token, message)
    except PermanentPushError as refused:  # a bad payload or unusable credentials: retrying will not help
        return DeliveryStatus.FAILED, f"refused: {refused}"
    if outcome is PushOutcome.UNREGISTERED:
        devices.prune_token(device.token)
        return DeliveryStatus.SKIPPED, "the device token is no longer valid; it was removed"
    return DeliveryStatus.SENT, None
