"""Staff pages for the e-mail templates: list, edit with a live preview."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("admin_notifications", __name__, url_prefix="/admin/notifications")
