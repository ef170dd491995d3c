"""Catalog JSON endpoints."""

from __future__ import annotations

from fantasize.api.envelope import ApiBlueprint
from fantasize.api.pagination import decode_cursor, encode_cursor, set_pagination
from fantasize.catalog import services
from fantasize.catalog.schemas import ListQuerySchema, ProductSchema

bp = ApiBlueprint("products", __name__, description="Products of the catalog")


@bp.get("")
@bp.arguments(ListQuerySchema, location="query")
@bp.response(200, ProductSchema(many=True))
def list_products(query: dict):
    """List active products, newest first (cursor pagination)."""
    page = services.list_products(query["limit"], decode_cursor(query["cursor"]))
    set_pagination(query["limit"], encode_cursor(page.next_key) if page.next_key else None)
    return page.items
