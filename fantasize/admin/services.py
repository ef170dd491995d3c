"""Read models for the admin pages."""

from __future__ import annotations

from sqlalchemy import func, select

from fantasize.accounts.models import User
from fantasize.audit.models import AuditEvent
from fantasize.extensions import db


def dashboard_counts() -> dict[str, int]:
    by_role = dict(db.session.execute(select(User.role, func.count()).group_by(User.role)).all())
    return {"customers": by_role.get("customer", 0), "staff": by_role.get("manager", 0) + by_role.get("admin", 0)}


def recent_audit_events(limit: int = 10) -> list[AuditEvent]:
    return list(
        db.session.scalars(select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit))
    )
