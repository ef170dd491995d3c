"""Finding user accounts (the staff's user list and its API)."""

from __future__ import annotations

from sqlalchemy import func, or_, select

from fantasize.accounts.models import User
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
