"""The ``admin_catalog`` blueprint and the plumbing every catalog admin view shares.

The view modules (``product_views``, ``package_views``, ``taxonomy_views``, ``offer_views``)
register their routes on ``bp``; ``catalog_views`` imports them all and re-exports ``bp``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, url_for
from flask.wrappers import Response

from fantasize.accounts.permissions import permission_required
from fantasize.web.forms import flash_and_redirect

bp = Blueprint("admin_catalog", __name__, url_prefix="/admin/catalog")
staff_only = permission_required("catalog.write")


def done(message: str, endpoint: str, **values: Any) -> Response:
    """Flash ``message`` and redirect (303) to ``endpoint``."""
    return flash_and_redirect(message, url_for(endpoint, **values))
