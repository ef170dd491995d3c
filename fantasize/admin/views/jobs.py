"""Staff pages for background jobs: the failed ones, with their error and a retry button."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("admin_jobs", __name__, url_prefix="/admin/jobs")
