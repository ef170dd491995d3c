"""Versioned cache keys for the catalog.

Every catalog write replaces one version token after its transaction commits; cached
listings, details and the category tree carry the version in their key, so the next read
after an admin edit misses the cache and sees the change. Old entries simply expire.

Orders change stock all the time, so they do not touch that version (it would empty the
whole catalogue cache on every sale). Instead each item has its own token, dropped after an
order that moves its stock commits (:func:`stock_changed`). Entries holding cards
(:func:`cached_cards`) remember the tokens of the items they show, packages also those of
their products, and are recomputed when one of them changed: one extra ``MGET`` per read,
measured cheaper than reading the stock live on every read (``bench/stock_bench.py``).
Listings filtered on "in stock" also depend on items they do *not* show (one coming back);
they carry a third token, replaced when an order makes an item sell out or come back
(:func:`invalidate_in_stock_listings`).
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
IN_STOCK_VERSION_KEY = "catalog:in-stock-version"
STOCK_EPOCH_KEY = "catalog:stock-epoch"
T = TypeVar("T")
Item = tuple[str, int]  # ("product" | "package", id)


def _version(key: str) -> str:
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex[:12], timeout=0)
        version = cache.get(key)
    return str(version)


def catalog_version() -> str:
    return _version(VERSION_KEY)


def in_stock_version() -> str:
    return _version(IN_STOCK_VERSION_KEY)


def _bump(key: str = VERSION_KEY) -> None:
    # A fresh random value, not an increment: two concurrent bumps can never collapse into one.
    cache.set(key, uuid.uuid4().hex[:12], timeout=0)


def invalidate_catalog() -> None:
    """Call from any service that changes what the storefront shows (runs after commit)."""
    after_commit(db.session(), _bump)


def invalidate_in_stock_listings() -> None:
    """Call when an item sells out or comes back: only "in stock" listings are dropped (after commit)."""
    after_commit(db.session(), lambda: _bump(IN_STOCK_VERSION_KEY))


def _key(namespace: str, params: dict[str, Any]) -> str:
    digest = hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()[:24]
    return f"catalog:{namespace}:v{catalog_version()}:{digest}"


def cached(namespace: str, params: dict[str, Any], ttl_setting: str, compute: Callable[[], T]) -> T:
    key = _key(namespace, params)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=_timeout(ttl_setting))
    return value


def _token_key(item: Item) -> str:
    return f"catalog:stock:{item[0]}:{item[1]}"


def _tokens_current(snapshot: dict[str, str]) -> bool:
    if not snapshot:
        return True
    return cache.get_many(*snapshot) == list(snapshot.values())


def _take_tokens(items: list[Item]) -> tuple[str | None, dict[str, str]]:
    """The stock epoch and the tokens of ``items`` (created where missing), in one round trip."""
    keys = list(dict.fromkeys(_token_key(item) for item in items))
    epoch, *values = cache.get_many(STOCK_EPOCH_KEY, *keys)
    for key, value in zip(keys, values, strict=True):
        if value is None:
            cache.add(key, uuid.uuid4().hex[:12], timeout=0)
    if None in values:
        values = cache.get_many(*keys)
    return epoch, dict(zip(keys, values, strict=True))


def cached_cards(
    namespace: str, params: dict[str, Any], compute: Callable[[], T], items_of: Callable[[T], list[Item]]
) -> T:
    """Like :func:`cached` for values showing stock: recomputed once an item's stock moved.

    ``items_of`` names the items whose stock the value shows. Their tokens can only be taken
    after computing (a listing's items are not known before), so a value computed while an
    order committed could carry stale stock under fresh tokens; the stock epoch, replaced by
    every stock change, tells: when it moved during the computation the value is not stored.
    """
    key = _key(namespace, params)
    entry = cache.get(key)
    if entry is not None:
        snapshot, value = entry
        if _tokens_current(snapshot):
            return value
    epoch_before = cache.get(STOCK_EPOCH_KEY)
    value = compute()
    epoch_after, snapshot = _take_tokens(items_of(value))
    # A missing token (a cache that could not keep it) would match a dropped one: do not store.
    if epoch_after == epoch_before and None not in snapshot.values():
        cache.set(key, (snapshot, value), timeout=_timeout("CACHE_TTL_PRODUCTS"))
    return value


def stock_changed(items: list[Item]) -> None:
    """Call when orders move these items' stock: entries showing them are recomputed (after commit)."""
    keys = [_token_key(item) for item in items]

    def forget() -> None:
        # Epoch first: a reader that took its tokens before this sees them dropped next; one that
        # takes them after sees the epoch moved and does not store what it computed from old stock.
        _bump(STOCK_EPOCH_KEY)
        cache.delete_many(*keys)

    if keys:
        after_commit(db.session(), forget)


def _timeout(ttl_setting: str) -> int:
    """The configured lifetime, cut short when an offer starts or ends sooner (prices change then)."""
    from fantasize.catalog.pricing import seconds_until_offer_change

    ttl = current_app.config[ttl_setting]
    if ttl_setting != "CACHE_TTL_PRODUCTS":
        return ttl
    boundary = seconds_until_offer_change()
    return min(ttl, boundary) if boundary else ttl
