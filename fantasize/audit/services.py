"""Recording audit events (never secrets: callers pass only what may be shown)."""

from __future__ import annotations

from typing import Any

from fantasize.audit.models import AuditEvent
from fantasize.extensions import db


def record(
    action: str,
    *,
    actor_id: str | None = None,
    target: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEvent:
    event = AuditEvent(actor_id=actor_id, action=action, target=target, before=before, after=after, ip=ip)
    db.session.add(event)
    db.session.flush()
    return event
