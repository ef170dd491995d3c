"""What the shop tells whom when something happens: domain events become notifications."""

from __future__ import annotations

from flask import Flask

from fantasize.notifications import models  # noqa: F401 - the tables belong to the app's metadata


def init_notifications(app: Flask) -> None:
    """Subscribe the notification rules to the domain events."""
