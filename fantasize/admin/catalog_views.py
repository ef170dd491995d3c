"""Staff pages for the catalog: products, packages, pictures, categories, brands, materials, offers.

The ``admin_catalog`` blueprint is made in ``catalog_blueprint``; importing this module loads
every view module, so all routes are registered on ``bp`` before the app registers it.

- ``catalog_blueprint``: ``bp``, the permission check, the commit-flash-redirect helper
- ``catalog_choices``: the forms' choices (the lists' queries are in ``fantasize.catalog.staff_reads``)
- ``catalog_sellables``: what the product and package pages share (forms, the edit page)
- ``product_views``: products, pictures, inline edits, deletion
- ``package_views``: packages
- ``taxonomy_views``: categories, brands and materials
- ``offer_views``: offers
"""

from __future__ import annotations

from fantasize.admin import offer_views, package_views, product_views, taxonomy_views
from fantasize.admin.catalog_blueprint import bp

__all__ = ["bp", "offer_views", "package_views", "product_views", "taxonomy_views"]
