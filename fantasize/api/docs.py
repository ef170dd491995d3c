"""The OpenAPI document and the interactive docs page (vendored Swagger UI, no CDN)."""

from __future__ import annotations

from flask import Blueprint, jsonify, make_response, render_template
from flask.wrappers import Response

from fantasize.api import current_openapi_spec
from fantasize.extensions import limiter

bp = Blueprint("api_docs", __name__)


@bp.get("/api/<any(v1, v2):version>/openapi.json")
@limiter.exempt
def openapi_json(version: str) -> Response:
    return jsonify(current_openapi_spec(version))


# Swagger UI styles its widgets inline; only this page relaxes the style policy.
DOCS_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; object-src 'none'; frame-ancestors 'none'"
)


@bp.get("/api-docs")
def api_docs() -> Response:
    response = make_response(render_template("api_docs.html"))
    response.headers["Content-Security-Policy"] = DOCS_CSP
    return response
