"""Reading ids from URLs, query strings and forms: one rule for every route.

An id is ASCII digits only (``str.isdigit`` and ``int`` also accept "²" or Arabic-Indic
digits, and ``int`` accepts "1_0" and surrounding spaces) and within the integer
primary keys' range; anything else is not an id (a slug, or nothing).
"""

from __future__ import annotations

import re

from werkzeug.routing import IntegerConverter, Map, ValidationError

MAX_ID = 2**31 - 1  # the integer primary keys' range

_ASCII_DIGITS = re.compile(r"[0-9]+", re.ASCII)


def parse_id(value: object) -> int | None:
    """``value`` as an id, or ``None`` when it is not one (not ASCII digits, zero, or out of range)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _ASCII_DIGITS.fullmatch(value) and len(value) <= 10:
        number = int(value)
    else:
        return None
    return number if 1 <= number <= MAX_ID else None


def looks_like_id(value: str) -> bool:
    """Whether ``value`` is written as a number (ASCII digits), whatever its size: such keys are never slugs."""
    return bool(_ASCII_DIGITS.fullmatch(value))


def id_or_slug(value: str | int) -> int | str | None:
    """An id for digit keys, the slug otherwise; ``None`` for a number that cannot be an id (so: not found)."""
    if isinstance(value, int):
        return parse_id(value)
    if looks_like_id(value):
        return parse_id(value)
    return value


class IdConverter(IntegerConverter):
    """The ``<int:...>`` URL converter for ids: ASCII digits within the column range.

    Werkzeug's own matches any Unicode decimal digit ("٣" is 3) and any size; here a value
    outside the range does not match the route, so it is a 404 like any unknown id.
    """

    regex = r"[1-9][0-9]{0,9}"  # at most ten digits, no leading zero: longer values match no route at all

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = 1, max: int | None = MAX_ID) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max)

    def to_python(self, value: str) -> int:
        if len(value) > 10:
            raise ValidationError()
        return super().to_python(value)
