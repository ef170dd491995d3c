"""Schema fields shared by every API module.

Input is strict: an integer is a JSON integer (not ``1.5``, ``2.0``, ``"2"`` or ``true``),
text is trimmed before it is checked (a blank required field is an error naming it), and
decimals are written as strings in responses (``"19.90"``) and documented that way.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import marshmallow as ma

from fantasize.ids import MAX_ID

MAX_INT = 2**31 - 1  # the integer columns' range
_ASCII_INTEGER = re.compile(r"-?[0-9]+", re.ASCII)
_ASCII_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?", re.ASCII)
DECIMAL_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"
MONEY_PATTERN = r"^-?[0-9]+\.[0-9]{2}$"


class StrictInteger(ma.fields.Integer):
    """A JSON integer; in a query string, ASCII digits. Never a float, a boolean or (in JSON) a string."""

    def __init__(self, *, from_text: bool = False, **kwargs: Any) -> None:
        self.from_text = from_text
        super().__init__(strict=True, **kwargs)

    def _validated(self, value: Any) -> int:
        if value is True or value is False:
            raise self.make_error("invalid", input=value)
        if self.from_text and isinstance(value, str):
            if not _ASCII_INTEGER.fullmatch(value) or len(value) > 20:
                raise self.make_error("invalid", input=value)
            value = int(value)
        return super()._validated(value)


def Int(*, minimum: int = 0, maximum: int = MAX_INT, from_text: bool = False, **kwargs: Any) -> StrictInteger:
    """An integer within ``minimum``..``maximum`` (by default a non-negative value that fits an integer column)."""
    return StrictInteger(from_text=from_text, validate=ma.validate.Range(min=minimum, max=maximum), **kwargs)


def QueryInt(**kwargs: Any) -> StrictInteger:
    """An integer sent in a query string."""
    return Int(from_text=True, **kwargs)


def Id(*, from_text: bool = False, **kwargs: Any) -> StrictInteger:
    """An integer id: positive and within the database column's range."""
    return Int(minimum=1, maximum=MAX_ID, from_text=from_text, **kwargs)


def QueryId(**kwargs: Any) -> StrictInteger:
    return Id(from_text=True, **kwargs)


class DecimalString(ma.fields.Decimal):
    """A decimal: a JSON number or a plain decimal string on input, a string on output (``"19.90"``).

    Documented as ``type: string, format: decimal`` (see ``fantasize.api.init_api``). Strings
    must be plain ASCII decimals: no exponents, digit separators, spaces or other scripts' digits.
    """

    def __init__(self, **kwargs: Any) -> None:
        metadata = {
            "pattern": MONEY_PATTERN if kwargs.get("places") == 2 else DECIMAL_PATTERN,
            **kwargs.pop("metadata", {}),
        }
        metadata.setdefault("example", "19.90" if kwargs.get("places") == 2 else "12.5")
        super().__init__(as_string=True, metadata=metadata, **kwargs)

    def _validated(self, value: Any) -> Decimal:
        if isinstance(value, str) and not _ASCII_DECIMAL.fullmatch(value):
            raise self.make_error("invalid", input=value)
        if isinstance(value, float | int) and not isinstance(value, bool):
            value = str(value)
        return super()._validated(value)


def Money(**kwargs: Any) -> DecimalString:
    """An amount of money with two decimals, e.g. ``"19.90"``."""
    return DecimalString(places=2, **kwargs)


class Text(ma.fields.String):
    """A string trimmed of surrounding whitespace before it is validated.

    A blank value is an error when the field is required (``Must not be blank.``), ``None``
    where the field allows it, an empty string otherwise. NUL characters are refused (no
    database stores them in text).
    """

    default_error_messages = {"blank": "Must not be blank.", "nul": "Must not contain NUL characters."}

    def deserialize(self, value: Any, attr: str | None = None, data: Any = None, **kwargs: Any) -> str | None:
        if isinstance(value, str) and not value.strip() and self.allow_none and not self.required:
            return None  # blank optional text is "no value"; validators only see real text
        return super().deserialize(value, attr, data, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if "\x00" in text:
            raise self.make_error("nul")
        if not text and self.required:
            raise self.make_error("blank")
        return text


def RequiredText(*, max_length: int, **kwargs: Any) -> Text:
    """A required, non-blank string of at most ``max_length`` characters (after trimming)."""
    return Text(required=True, validate=ma.validate.Length(min=1, max=max_length), **kwargs)


def partial_schema(schema_class: type[ma.Schema]) -> ma.Schema:
    """``schema_class`` for PATCH: its own fields may be left out, but a nested object sent is still whole.

    (``partial=True`` would also make the fields of nested objects optional, e.g. a material share
    without its ``material_id``.)
    """
    return schema_class(partial=tuple(schema_class().load_fields))
