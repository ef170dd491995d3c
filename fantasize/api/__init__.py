"""The versioned JSON API: envelope, versions, pagination and the OpenAPI document."""

from __future__ import annotations

from flask import Flask, current_app
from flask_smorest import Api

from fantasize.api.envelope import ErrorEnvelopeSchema
from fantasize.api.versioning import CURRENT_VERSION


class EnvelopedApi(Api):
    """flask-smorest's Api, minus its error handler (``fantasize.web.errors`` owns errors)."""

    ERROR_SCHEMA = ErrorEnvelopeSchema

    def _register_error_handlers(self) -> None:
        pass


def _resource_blueprints() -> list:
    from fantasize.accounts.api import admin_users_bp, auth_bp, me_bp
    from fantasize.catalog import api as catalog
    from fantasize.customization.api import bp as customization
    from fantasize.orders.api import admin_orders_bp, checkout_bp, orders_bp
    from fantasize.orders.api import bp as cart

    return [
        (auth_bp, "/auth"),
        (catalog.favorites_bp, "/users/me/favorites"),
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

    api = EnvelopedApi(app, spec_kwargs={"marshmallow_plugin": MarshmallowPlugin(schema_name_resolver=schema_name)})
    for blueprint, prefix in _resource_blueprints():
        api.register_blueprint(blueprint, url_prefix=f"/api/{CURRENT_VERSION}{prefix}")
        # v1 serves the same resources for old clients (with deprecation headers).
        v1_name = f"v1_{blueprint.name}"
        app.register_blueprint(blueprint, url_prefix=f"/api/v1{prefix}", name=v1_name)
        app.extensions["flask-smorest"]["blp_name_to_api"][v1_name] = api
    app.register_blueprint(docs.bp)


def current_openapi_spec() -> dict:
    return current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()
