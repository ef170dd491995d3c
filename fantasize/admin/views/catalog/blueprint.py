"""The ``admin_catalog`` blueprint and the plumbing every catalog admin view shares.

The view modules (``product_views``, ``package_views``, ``taxonomy_views``, ``offer_views``)
register their routes on ``bp``; ``catalog_views`` imports them all and re-exports ``bp``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, url_for
from flask.wrappers import Response

from fantasize.accounts.permissions import permission_required

bp = Blueprint("admin_catalog", __name__, url_prefix="/admin/catalog")
staff_only = permission_required("catalog.write")


def done(message: str, endpoint: str, **values: Any) -> Response:
    """Flash ``message`` and redirect (303) to ``endpoint`` (the request's work is committed on the way out)."""
    flash(message, "success")
    return redirect(url_for(endpoint, **values), code=303)
