"""Opaque cursors for keyset pagination.

A cursor is the sort key of the last row of a page, signed so that clients cannot
forge or tamper with it. Lists never load a whole table: they fetch ``limit + 1`` rows
past the cursor and report whether more exist.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, g
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.exceptions import UnprocessableEntity

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="fantasize.cursor")


def encode_cursor(key: list[Any]) -> str:
    return _serializer().dumps(key)


def decode_cursor(cursor: str | None) -> list[Any] | None:
    if not cursor:
        return None
    try:
        return _serializer().loads(cursor)
    except BadSignature as exc:
        error = UnprocessableEntity("The cursor is not valid; start again from the first page.")
        error.data = {"messages": {"query": {"cursor": ["Not a valid cursor."]}}}
        raise error from exc


def set_pagination(limit: int, next_cursor: str | None) -> None:
    """Expose the page's pagination in the response ``meta``."""
    g.pagination = {"limit": limit, "next_cursor": next_cursor}
