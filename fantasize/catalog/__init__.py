"""Catalog: categories, brands, products, packages, offers, reviews and favorites."""
