"""Versioned cache keys for the catalog.

Every catalog write replaces one version token after its transaction commits; cached
listings, details and the category tree carry the version in their key, so the next read
after an admin edit misses the cache and sees the change. Old entries simply expire.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app

from fantasize.db import after_commit
from fantasize.extensions import cache, db

VERSION_KEY = "catalog:version"
T = TypeVar("T")


def catalog_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex[:12], timeout=0)
        version = cache.get(VERSION_KEY)
    return str(version)


def _bump() -> None:
    # A fresh random value, not an increment: two concurrent bumps can never collapse into one.
    cache.set(VERSION_KEY, uuid.uuid4().hex[:12], timeout=0)


def invalidate_catalog() -> None:
    """Call from any service that changes what the storefront shows (runs after commit)."""
    after_commit(db.session(), _bump)


def cached(namespace: str, params: dict[str, Any], ttl_setting: str, compute: Callable[[], T]) -> T:
    digest = hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()[:24]
    key = f"catalog:{namespace}:v{catalog_version()}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=_timeout(ttl_setting))
    return value


def _timeout(ttl_setting: str) -> int:
    """The configured lifetime, cut short when an offer starts or ends sooner (prices change then)."""
    from fantasize.catalog.pricing import seconds_until_offer_change

    ttl = current_app.config[ttl_setting]
    if ttl_setting != "CACHE_TTL_PRODUCTS":
        return ttl
    boundary = seconds_until_offer_change()
    return min(ttl, boundary) if boundary else ttl
