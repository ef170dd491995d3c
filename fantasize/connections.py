"""Shared connections to optional services (Redis), created once per app."""

from __future__ import annotations

from flask import Flask, current_app
from redis import Redis


def init_redis(app: Flask) -> None:
    url = app.config.get("REDIS_URL")
    app.extensions["redis"] = (
        Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5, health_check_interval=30) if url else None
    )


def redis_connection() -> Redis | None:
    """The app's Redis client, or ``None`` on the embedded default."""
    return current_app.extensions.get("redis")
