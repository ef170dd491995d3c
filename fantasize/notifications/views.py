"""Shopper pages for notifications: the inbox, the header bell and the preferences."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("notification_pages", __name__)
