"""The JSON envelope every API response uses (../shared/SPEC.md §3).

Success: ``{"data": ..., "meta": {...}}``; error: ``{"error": {...}, "meta": {...}}``.
"""

from __future__ import annotations

from typing import Any

import flask_smorest
import marshmallow as ma
from flask import g, jsonify
from flask.wrappers import Response

from fantasize.api.versioning import CURRENT_VERSION


def response_meta(**extra: Any) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "request_id": g.get("request_id"),
        "api_version": g.get("api_version", CURRENT_VERSION),
    }
    pagination = g.get("pagination")
    if pagination is not None:
        meta["pagination"] = pagination
    meta.update(extra)
    return meta


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "error": {"code": code, "message": message, "details": details or {}},
        "meta": response_meta(),
    }


def error_response(status: int, code: str, message: str, details: dict[str, Any] | None = None) -> Response:
    response = jsonify(error_body(code, message, details))
    response.status_code = status
    return response


class PaginationMetaSchema(ma.Schema):
    limit = ma.fields.Integer()
    next_cursor = ma.fields.String(allow_none=True)


class MetaSchema(ma.Schema):
    request_id = ma.fields.String()
    api_version = ma.fields.String()
    pagination = ma.fields.Nested(PaginationMetaSchema)


class ErrorDetailSchema(ma.Schema):
    code = ma.fields.String(metadata={"example": "validation_error"})
    message = ma.fields.String()
    details = ma.fields.Dict()


class ErrorEnvelopeSchema(ma.Schema):
    error = ma.fields.Nested(ErrorDetailSchema)
    meta = ma.fields.Nested(MetaSchema)


class ApiBlueprint(flask_smorest.Blueprint):
    """A flask-smorest blueprint whose responses (and their docs) use the envelope."""

    @staticmethod
    def _prepare_response_content(data: Any) -> dict[str, Any]:
        return {"data": data, "meta": response_meta()}

    @staticmethod
    def _make_doc_response_schema(schema: Any) -> Any:
        if schema is None:
            return None
        return envelope_schema(schema.__class__, many=getattr(schema, "many", False))


_ENVELOPES: dict[tuple[type, bool], type[ma.Schema]] = {}


def envelope_schema(schema_class: type[ma.Schema], many: bool) -> type[ma.Schema]:
    """The documented envelope around ``schema_class`` (one class per schema, so the spec names it once)."""
    key = (schema_class, many)
    if key not in _ENVELOPES:
        name = schema_class.__name__.removesuffix("Schema")
        _ENVELOPES[key] = type(
            f"{name}{'List' if many else ''}EnvelopeSchema",
            (ma.Schema,),
            {"data": ma.fields.Nested(schema_class, many=many), "meta": ma.fields.Nested(MetaSchema)},
        )
    return _ENVELOPES[key]
