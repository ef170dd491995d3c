"""Keyset paging shared by the features' list reads ("newest first", with a signed cursor).

Lives apart from :mod:`fantasize.db` (which :mod:`fantasize.extensions` imports) so that it
may use the session without an import cycle.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, and_, or_

from fantasize.errors import ValidationFailed
from fantasize.extensions import db


def newest_first_page(query: Select, model: type, limit: int, after: list | None) -> tuple[list, list | None]:
    """One keyset page of ``query``, newest first (``created_at``, then ``id`` to break ties).

    ``after`` is the previous page's key ``[created_at, id]`` (from a signed cursor); the next
    page's key is returned alongside the rows, or ``None`` on the last page.
    """
    if after:
        try:
            at, last_id = datetime.fromisoformat(after[0]), after[1]
            if len(after) != 2 or not isinstance(last_id, model.id.type.python_type):
                raise ValueError("not a key of this list")
        except (ValueError, TypeError, IndexError, NotImplementedError) as exc:
            raise ValidationFailed(
                "The cursor belongs to another list.", {"cursor": ["Start again from the first page."]}
            ) from exc
        query = query.where(or_(model.created_at < at, and_(model.created_at == at, model.id < last_id)))
    query = query.order_by(model.created_at.desc(), model.id.desc()).limit(limit + 1)
    rows = list(db.session.scalars(query).unique())
    next_key = [rows[limit - 1].created_at.isoformat(), rows[limit - 1].id] if len(rows) > limit else None
    return rows[:limit], next_key
