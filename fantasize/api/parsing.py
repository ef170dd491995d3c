"""Reading request bodies: the one place JSON enters the application.

JSON is parsed with orjson, which refuses what the standard library lets through and
what later breaks the application: lone surrogates (``"\\ud800"``, which cannot be
encoded, stored or hashed), ``NaN``/``Infinity`` and deep nesting (a 100,000-deep
array exhausts the interpreter's recursion limit). A body is also refused past
:data:`MAX_DEPTH` levels, far more than any resource needs and well within the
recursion limit of whatever processes the data later. A malformed body is a 400 in the
error envelope; a JSON endpoint sent another content type answers 415.
"""

from __future__ import annotations

from typing import Any, NoReturn

import orjson
from flask import Flask, Request
from flask.json.provider import DefaultJSONProvider
from webargs import core
from webargs.flaskparser import FlaskParser, abort
from werkzeug.exceptions import UnsupportedMediaType

MAX_DEPTH = 32


class MalformedJson(ValueError):
    """The body is not JSON the application accepts (syntax, invalid Unicode, nesting)."""


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether ``value`` nests containers more than ``limit`` levels (iterative: no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def loads(data: bytes | bytearray | memoryview | str) -> Any:
    """Parse a JSON document strictly; :class:`MalformedJson` says why it was refused."""
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        reason = str(error).split(": line ")[0]
        if reason == "depth limit exceeded":
            raise MalformedJson(f"The request body nests more than {MAX_DEPTH} levels deep.") from error
        raise MalformedJson(f"The request body is not valid JSON ({reason}).") from error
    if _deeper_than(value, MAX_DEPTH):
        raise MalformedJson(f"The request body nests more than {MAX_DEPTH} levels deep.")
    return value


class JsonBodyParser(FlaskParser):
    """webargs' Flask parser with strict JSON parsing and a 415 for bodies that are not JSON."""

    def _raw_load_json(self, req: Request) -> Any:
        data = req.get_data(cache=True)
        if not core.is_json(req.mimetype):
            if data or req.content_length or req.form or req.files:  # the form may have been parsed already
                raise UnsupportedMediaType("Send the request body as JSON (Content-Type: application/json).")
            return core.missing
        if not data.strip():
            return core.missing
        try:
            return loads(data)
        except MalformedJson as error:
            self._refuse(str(error), error)

    @staticmethod
    def _refuse(message: str, error: Exception) -> NoReturn:
        abort(400, exc=error, message=message, messages={"json": [message]})

    def _handle_invalid_json_error(self, error: Exception, req: Request, *args: Any, **kwargs: Any) -> NoReturn:
        self._refuse("The request body is not valid JSON.", error)


class StrictJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider, reading with the same strict rules (``request.get_json``)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return loads(s)


def init_json(app: Flask) -> None:
    app.json_provider_class = StrictJSONProvider
    app.json = StrictJSONProvider(app)
