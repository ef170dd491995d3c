"""Read models for the admin pages."""

from __future__ import annotations

from sqlalchemy import func, or_, select

from fantasize.accounts.models import User
from fantasize.audit.models import AuditEvent
from fantasize.extensions import db

PAGE_SIZE = 25


def search_users(
    query: str | None, role: str | None, after_email: str | None, limit: int = PAGE_SIZE
) -> tuple[list[User], str | None]:
    """Users by e-mail (keyset pagination on the e-mail), optionally filtered."""
    statement = select(User).order_by(func.lower(User.email)).limit(limit + 1)
    if query:
        pattern = f"%{query.strip().lower()}%"
        statement = statement.where(or_(func.lower(User.email).like(pattern), func.lower(User.username).like(pattern)))
    if role:
        statement = statement.where(User.role == role)
    if after_email:
        statement = statement.where(func.lower(User.email) > after_email.lower())
    rows = list(db.session.scalars(statement))
    next_after = rows[limit - 1].email if len(rows) > limit else None
    return rows[:limit], next_after


def dashboard_counts() -> dict[str, int]:
    by_role = dict(db.session.execute(select(User.role, func.count()).group_by(User.role)).all())
    return {"customers": by_role.get("customer", 0), "staff": by_role.get("manager", 0) + by_role.get("admin", 0)}


def recent_audit_events(limit: int = 10) -> list[AuditEvent]:
    return list(
        db.session.scalars(select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit))
    )
