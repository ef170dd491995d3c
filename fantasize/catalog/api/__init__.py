"""Catalog JSON endpoints, one module per resource: reads are public, writes need ``catalog.write``."""

from fantasize.catalog.api.favorites import favorites_bp
from fantasize.catalog.api.items import packages_bp, products_bp
from fantasize.catalog.api.offers import offers_bp
from fantasize.catalog.api.search import search_bp
from fantasize.catalog.api.taxonomy import brands_bp, categories_bp, materials_bp

__all__ = [
    "brands_bp",
    "categories_bp",
    "favorites_bp",
    "materials_bp",
    "offers_bp",
    "packages_bp",
    "products_bp",
    "search_bp",
]
