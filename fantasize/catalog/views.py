"""Storefront pages of the catalog."""

from __future__ import annotations

from flask import Blueprint, render_template

from fantasize.catalog import listing

bp = Blueprint("catalog", __name__)


@bp.get("/")
def home() -> str:
    page = listing.list_items("product", listing.Filters(sort="newest"), limit=12)
    return render_template("catalog/home.html", products=page.items)
