"""Storefront pages of the catalog."""

from __future__ import annotations

from flask import Blueprint, render_template

from fantasize.catalog import services

bp = Blueprint("catalog", __name__)


@bp.get("/")
def home() -> str:
    page = services.list_products(limit=12)
    return render_template("catalog/home.html", products=page.items)
