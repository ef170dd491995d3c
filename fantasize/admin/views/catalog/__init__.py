"""Staff pages for the catalog: products, packages, pictures, categories, brands, materials, offers.

The ``admin_catalog`` blueprint is made in ``blueprint``; importing this package loads every
view module, so all routes are registered on ``bp`` before the app registers it.

- ``blueprint``: ``bp``, the permission check, the flash-and-redirect helper
- ``sellables``: what the product and package pages share (forms, the edit page)
- ``products``: products, pictures, inline edits, deletion
- ``packages``: packages
- ``taxonomy``: categories, brands and materials
- ``offers``: offers

Forms and their choices are in ``fantasize.admin.forms``; the lists' queries in ``fantasize.catalog.staff_reads``.
"""

from __future__ import annotations

from fantasize.admin.views.catalog import offers, packages, products, taxonomy
from fantasize.admin.views.catalog.blueprint import bp

__all__ = ["bp", "offers", "packages", "products", "taxonomy"]
