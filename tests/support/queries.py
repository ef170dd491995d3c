"""Counting the SQL statements a piece of code runs (for N+1 checks)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from fantasize.extensions import db


@contextmanager
def counted_statements() -> Iterator[list[str]]:
    """Collect every statement sent to the database inside the ``with`` block."""
    statements: list[str] = []

    def record(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
