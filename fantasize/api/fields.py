"""Schema fields shared by every API module."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

MAX_ID = 2**31 - 1  # the integer primary keys' range


def Id(**kwargs: Any) -> ma.fields.Integer:
    """An integer id: positive and within the database column's range."""
    return ma.fields.Integer(validate=ma.validate.Range(min=1, max=MAX_ID), **kwargs)
