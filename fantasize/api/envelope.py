"""The JSON envelope every API response uses (described in the README's API section).

Success: ``{"data": ..., "meta": {...}}``; error: ``{"error": {...}, "meta": {...}}``.
"""

from __future__ import annotations

import http
from typing import Any

import flask_smorest
import marshmallow as ma
from flask import g, jsonify
from flask.wrappers import Response

from fantasize.api.parsing import JsonBodyParser
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


CREDENTIALS = [{"bearerAuth": []}, {"apiKey": []}]
MUTATING = ("post", "put", "patch", "delete")


def _signed_in_only() -> None:
    from fantasize.api.auth import require_api_user

    require_api_user()  # 401 before any input is even parsed


def _has_required_fields(schema: ma.Schema) -> bool:
    if schema.partial is True:
        return False
    optional = set(schema.partial or ())
    return any(field.required and name not in optional for name, field in schema.load_fields.items())


class ApiBlueprint(flask_smorest.Blueprint):
    """A flask-smorest blueprint whose responses (and their docs) use the envelope.

    Request bodies are read by :class:`JsonBodyParser` (strict JSON, 415 for other content
    types). ``signed_in=True`` refuses anonymous callers on every route of the blueprint and
    documents the credential. Each operation's document is completed here, in one place:
    an ``operationId``, a summary, the security requirement of routes behind
    ``login_required``/``permission_required`` or a signed-in blueprint, and the error
    responses that can happen (400, 401, 403, 404, 409, 415, 422, 429).
    """

    ARGUMENTS_PARSER = JsonBodyParser()

    def __init__(self, *args: Any, signed_in: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.signed_in = signed_in
        if signed_in:
            self.before_request(_signed_in_only)
        self._prepare_doc_cbks.append(self._prepare_api_doc)

    def arguments(self, schema: Any, *, location: str = "json", required: bool | None = None, **kwargs: Any) -> Any:
        """flask-smorest's ``arguments``; a JSON body is documented as required when its schema has required fields."""
        if required is None:
            instance = schema() if isinstance(schema, type) else schema
            required = location == "json" and _has_required_fields(instance)
        return super().arguments(schema, location=location, required=required, **kwargs)

    def _store_endpoint_docs(self, endpoint: str, obj: Any, parameters: Any, tags: Any, **options: Any) -> None:
        super()._store_endpoint_docs(endpoint, obj, parameters, tags, **options)
        for key, doc in self._docs[endpoint].items():
            if key != "parameters":
                doc["endpoint"] = endpoint

    def _prepare_api_doc(self, doc: dict, doc_info: dict, *, app: Any, method: str, **kwargs: Any) -> dict:
        endpoint = doc_info["endpoint"]
        manual = doc_info.get("manual_doc", {})
        doc["operationId"] = endpoint
        if not doc_info["docstring"].get("summary") and not manual.get("summary"):
            doc["summary"] = endpoint.replace("_", " ").capitalize()
        secured = self.signed_in or bool(manual.get("security"))
        if self.signed_in:
            doc["security"] = CREDENTIALS
        rule = next(app.url_map.iter_rules(f"{self.name}.{endpoint}"))
        has_body = "requestBody" in doc
        errors = [429]
        if secured:
            errors += [401, 403]
        if rule.arguments:
            errors.append(404)
        if method in MUTATING:
            errors += [409, 422]
        if has_body or doc.get("parameters") or method in MUTATING:
            errors += [400, 422]
        if has_body and "application/json" in doc["requestBody"].get("content", {}):
            errors.append(415)
        responses = doc.setdefault("responses", {})
        for status in sorted(set(errors)):
            responses.setdefault(status, http.HTTPStatus(status).name)
        return doc

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


def multipart_body(description: str, **extra: dict) -> dict:
    """A ``multipart/form-data`` request body with a picture in ``file`` (for ``Blueprint.doc``)."""
    return {
        "required": True,
        "description": description,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}, **extra},
                }
            }
        },
    }


def image_response(description: str, content_types: tuple[str, ...] = ("image/png", "image/webp")) -> dict:
    """A successful response whose body is a picture (for ``Blueprint.doc``)."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {"description": description, "content": dict.fromkeys(content_types, binary)}


def id_or_slug_parameter(name: str, what: str) -> dict:
    """A path parameter that takes an id or a slug (for ``Blueprint.doc(parameters=...)``)."""
    from fantasize.ids import MAX_ID

    return {
        "in": "path",
        "name": name,
        "required": True,
        "description": f"The {what}'s id or slug",
        "schema": {
            "anyOf": [
                {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$", "maxLength": 220},
            ]
        },
    }
