"""Declarative base, common column helpers and after-commit hooks.

Services flush but never commit; the view, API handler or job at the boundary commits
once. Side effects that must not happen on rollback (e-mails, job enqueues, realtime
publishes) are registered with :func:`after_commit` and run only once the surrounding
transaction has committed.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, SessionTransaction, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC timestamp on every database (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_uuid() -> str:
    return str(uuid.uuid4())


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)


_HOOKS_KEY = "fantasize_after_commit"
_UNDO_KEY = "fantasize_after_rollback"
_COMMITTED_KEY = "fantasize_committed_hooks"


def _in_a_transaction(session: Session) -> None:
    # Hooks belong to a transaction: begin one (no connection is taken yet) if none has started,
    # so that a rollback with no SQL behind it still drops them.
    if not session.in_transaction():
        session.begin()


def after_commit(session: Session, callback: Callable[[], None]) -> None:
    """Run ``callback`` once ``session``'s current transaction commits; drop it on rollback."""
    _in_a_transaction(session)
    session.info.setdefault(_HOOKS_KEY, []).append(callback)


def after_rollback(session: Session, callback: Callable[[], None]) -> None:
    """Run ``callback`` if ``session``'s current transaction rolls back (undo a side effect made early, like a file)."""
    _in_a_transaction(session)
    session.info.setdefault(_UNDO_KEY, []).append(callback)


def _note_commit(session: Session) -> None:
    # SQLAlchemy sends after_commit when a SAVEPOINT is released too; the work is not committed yet.
    if session.in_nested_transaction():
        return
    session.info.pop(_UNDO_KEY, None)
    session.info[_COMMITTED_KEY] = session.info.pop(_HOOKS_KEY, [])


def _run_after_commit(session: Session, transaction: SessionTransaction) -> None:
    # Run once the committed transaction has ended and given its connection back to the pool:
    # callbacks that open a session of their own (event subscribers) must not hold two connections.
    if transaction.parent is not None:
        return
    for callback in session.info.pop(_COMMITTED_KEY, []):
        callback()


def _run_after_rollback(session: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.nested:
        return  # a savepoint: the outer transaction may still commit
    session.info.pop(_HOOKS_KEY, None)
    for callback in session.info.pop(_UNDO_KEY, []):
        callback()


def install_session_hooks() -> None:
    """Attach the after-commit and after-rollback machinery to every SQLAlchemy session (idempotent)."""
    if not event.contains(Session, "after_commit", _note_commit):
        event.listen(Session, "after_commit", _note_commit)
        event.listen(Session, "after_transaction_end", _run_after_commit)
        # "soft" rollbacks too: a transaction that never reached the database still drops its hooks.
        event.listen(Session, "after_soft_rollback", _run_after_rollback)


def enforce_sqlite_foreign_keys(engine: object) -> None:
    """SQLite ignores foreign keys unless asked, per connection: ask, so it cascades like PostgreSQL."""

    def on_connect(dbapi_connection: object, _record: object) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    if not event.contains(engine, "connect", on_connect):
        event.listen(engine, "connect", on_connect)


def contains_pattern(text: str) -> str:
    """A LIKE pattern (escape character ``\\``) matching values that contain ``text`` literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
