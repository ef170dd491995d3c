"""Search over products and packages together."""

from __future__ import annotations

from werkzeug.exceptions import BadRequest

from fantasize.api.envelope import ApiBlueprint
from fantasize.catalog import listing
from fantasize.catalog.api.items import filters_from
from fantasize.catalog.schemas import (
    CatalogQuerySchema,
    SearchResultSchema,
)

search_bp = ApiBlueprint("search", __name__, description="Search products and packages")


@search_bp.get("")
@search_bp.arguments(CatalogQuerySchema, location="query")
@search_bp.response(200, SearchResultSchema)
def search(query: dict):
    """Products and packages matching ``q`` (first page of each)."""
    if not (query.get("q") or "").strip():
        error = BadRequest("Say what to look for with ?q=.")
        error.data = {"messages": {"query": {"q": ["Missing search text."]}}}
        raise error
    filters = filters_from(query)
    return {
        "products": listing.list_items("product", filters, query["limit"]).items,
        "packages": listing.list_items("package", filters, query["limit"]).items,
    }
