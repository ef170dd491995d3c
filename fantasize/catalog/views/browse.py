"""Storefront pages: home, categories, search and catalog pictures."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask import Blueprint, abort, render_template, request, send_file
from flask.wrappers import Response

from fantasize.api.pagination import decode_cursor, encode_cursor
from fantasize.catalog import listing, reading
from fantasize.catalog.listing import SORTS, Filters
from fantasize.errors import AppError
from fantasize.media.storage import storage
from fantasize.web.htmx import render_page_or_partial

bp = Blueprint("catalog", __name__)
PAGE_SIZE = 24
PUBLIC_MEDIA_FOLDERS = ("products", "packages", "categories")
SORT_LABELS = {
    "newest": "Newest",
    "price": "Price: low to high",
    "-price": "Price: high to low",
    "rating": "Best rated",
    "name": "Name",
}


@bp.get("/")
def home() -> str:
    return render_template(
        "catalog/home.html",
        new_arrivals=listing.list_items("product", Filters(sort="newest"), limit=8).items,
        best_rated=listing.list_items("product", Filters(sort="rating"), limit=4).items,
        offers=listing.list_items("product", Filters(on_offer=True), limit=4).items,
        packages=listing.list_items("package", Filters(sort="newest"), limit=3).items,
        categories=reading.category_tree(),
    )


def _decimal_arg(name: str) -> Decimal | None:
    raw = (request.args.get(name) or "").strip()
    try:
        value = Decimal(raw) if raw else None
    except InvalidOperation:
        return None
    return value if value is not None and value.is_finite() and value >= 0 else None


def filters_from_args(**fixed: str) -> Filters:
    sort = request.args.get("sort", "newest")
    return Filters(
        q=(request.args.get("q") or "").strip()[:100] or None,
        brand=request.args.get("brand") or None,
        material=request.args.get("material") or None,
        min_price=_decimal_arg("min_price"),
        max_price=_decimal_arg("max_price"),
        in_stock=request.args.get("in_stock") == "1",
        on_offer=request.args.get("on_offer") == "1",
        sort=sort if sort in SORTS else "newest",
        **fixed,
    )


def _results(kind: str, filters: Filters) -> dict:
    try:
        page = listing.list_items(kind, filters, PAGE_SIZE, decode_cursor(request.args.get("cursor")))
    except AppError:
        page = listing.list_items(kind, filters, PAGE_SIZE)  # a stale or foreign cursor: start over
    next_cursor = encode_cursor(page.next_key) if page.next_key else None
    return {"items": page.items, "next_cursor": next_cursor, "filters": filters, "sort_labels": SORT_LABELS}


@bp.get("/categories/<slug>")
def category(slug: str) -> Response:
    parent, subcategory = reading.find_category(slug)
    fixed = {"subcategory": str(subcategory.id)} if subcategory else {"category": str(parent.id)}
    context = _results("product", filters_from_args(**fixed))
    return render_page_or_partial(
        "catalog/category.html",
        "catalog/_results.html",
        category=parent,
        subcategory=subcategory,
        brands=reading.brands(),
        materials=reading.materials(),
        **context,
    )


@bp.get("/search")
def search() -> Response:
    filters = filters_from_args()
    context = _results("product", filters) if filters.q else {"items": [], "next_cursor": None, "filters": filters}
    packages = listing.list_items("package", filters, 6).items if filters.q else []
    return render_page_or_partial("catalog/search.html", "catalog/_search_results.html", packages=packages, **context)


@bp.get("/media/<folder>/<name>")
def media(folder: str, name: str) -> Response:
    """Catalog pictures (public). Customers' own uploads are served elsewhere, with checks."""
    if folder not in PUBLIC_MEDIA_FOLDERS:
        abort(404)
    try:
        path = storage().path(f"{folder}/{name}")
    except ValueError:
        abort(404)
    if not path.is_file():
        abort(404)
    return send_file(path, max_age=30 * 86400)
