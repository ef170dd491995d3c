"""The versioned JSON API: envelope, versions, pagination and the OpenAPI document."""

from __future__ import annotations

import copy

from flask import Flask, current_app
from flask_smorest import Api

from fantasize.api.envelope import ErrorEnvelopeSchema
from fantasize.api.versioning import CURRENT_VERSION, V1_SUNSET


class EnvelopedApi(Api):
    """flask-smorest's Api, minus its error handler (``fantasize.web.errors`` owns errors)."""

    ERROR_SCHEMA = ErrorEnvelopeSchema

    def _register_error_handlers(self) -> None:
        pass


def _resource_blueprints() -> list:
    from fantasize.accounts.api import admin_users_bp, auth_bp, me_bp
    from fantasize.catalog import api as catalog
    from fantasize.customization.api import bp as customization
    from fantasize.notifications.api import devices, inbox, preferences
    from fantasize.orders.api import admin_orders_bp, checkout_bp, orders_bp
    from fantasize.orders.api import bp as cart
    from fantasize.realtime import api as realtime_api

    return [
        (auth_bp, "/auth"),
        (catalog.favorites_bp, "/users/me/favorites"),
        (devices.bp, "/users/me/devices"),
        (preferences.bp, "/users/me/notification-preferences"),
        (me_bp, "/users/me"),
        (admin_users_bp, "/admin/users"),
        (catalog.products_bp, "/products"),
        (catalog.packages_bp, "/packages"),
        (catalog.categories_bp, "/categories"),
        (catalog.brands_bp, "/brands"),
        (catalog.materials_bp, "/materials"),
        (catalog.search_bp, "/search"),
        (catalog.offers_bp, "/offers"),
        (customization, ""),
        (cart, "/cart"),
        (checkout_bp, "/checkout"),
        (orders_bp, "/orders"),
        (admin_orders_bp, "/admin/orders"),
        (inbox.bp, "/notifications"),
        (realtime_api.bp, "/realtime"),
    ]


def schema_name(schema: object) -> str:
    """Component names for the OpenAPI document; partial (PATCH) variants get their own name."""
    cls = schema if isinstance(schema, type) else schema.__class__
    name = cls.__name__.removesuffix("Schema")
    if getattr(schema, "partial", False):
        name += "Patch"
    return name


def init_api(app: Flask) -> None:
    from apispec.ext.marshmallow import MarshmallowPlugin

    from fantasize.api import docs
    from fantasize.api.fields import DecimalString
    from fantasize.api.parsing import init_json
    from fantasize.ids import IdConverter

    init_json(app)
    api = EnvelopedApi(app, spec_kwargs={"marshmallow_plugin": MarshmallowPlugin(schema_name_resolver=schema_name)})
    api.register_field(DecimalString, "string", "decimal")
    api.register_converter(IdConverter, _id_parameter)
    for blueprint, prefix in _resource_blueprints():
        api.register_blueprint(blueprint, url_prefix=f"/api/{CURRENT_VERSION}{prefix}")
        # v1 serves the same resources for old clients (with deprecation headers).
        v1_name = f"v1_{blueprint.name}"
        app.register_blueprint(blueprint, url_prefix=f"/api/v1{prefix}", name=v1_name)
        app.extensions["flask-smorest"]["blp_name_to_api"][v1_name] = api
    app.register_blueprint(docs.bp)


def _id_parameter(converter: object) -> dict:
    return {"type": "integer", "minimum": converter.min, "maximum": converter.max}


def current_openapi_spec(version: str = CURRENT_VERSION) -> dict:
    """The OpenAPI document of ``version``: v1 is v2's resources under /api/v1, deprecated."""
    spec = current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()
    if version == CURRENT_VERSION:
        return spec
    spec = copy.deepcopy(spec)
    spec["info"]["version"] = version
    spec["info"]["description"] = (
        f"{spec['info'].get('description', '')} Deprecated: {version} answers with Deprecation and Sunset "
        f"headers and is retired on {V1_SUNSET}; use /api/{CURRENT_VERSION}/ (/api/{CURRENT_VERSION}/openapi.json)."
    ).strip()
    prefix, old_prefix = f"/api/{version}/", f"/api/{CURRENT_VERSION}/"
    paths = {}
    for path, operations in spec["paths"].items():
        for operation in operations.values():
            if isinstance(operation, dict) and "responses" in operation:
                operation["deprecated"] = True
                operation["operationId"] = f"{version}_{operation['operationId']}"
        paths[prefix + path.removeprefix(old_prefix)] = operations
    spec["paths"] = paths
    return spec
