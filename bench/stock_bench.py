"""Fresh stock on cached catalog reads: what each design costs per request.

A script, not a test: ``.venv/bin/python bench/stock_bench.py [--requests 300] [--size 1000]``.
Needs PostgreSQL (``BENCH_DATABASE_URL``) and uses Redis for the cache when it answers
(``BENCH_REDIS_URL``, default ``redis://127.0.0.1:6379/0``, private key prefix), else the
in-process cache. Same throw-away schema and in-process test client as ``catalog_bench.py``.

Designs compared, each on a product page (``GET /api/v2/products/<id>``) and a listing
(``GET /api/v2/products?category=…&limit=20``), in the same run:

- ``today (stale)``: the cached body as it is, stock included, never refreshed by orders
  (the baseline: what a read costs with no freshness at all);
- ``live stock``: keep stock out of the cache: the cached body plus one query for the stock
  of the ids on the page, on every read;
- ``item tokens``: invalidate what an order touched (the design in ``catalog.cache``): the
  cached body plus one ``MGET`` of the tokens of the items it shows, each dropped by an
  order that moves that item's stock;
- ``entry recomputed``: what ``item tokens`` pays once per entry after an order touched one
  of its items (cache emptied before each request).

The last lines give the break-even: reading live costs its extra on every read, invalidating
costs a recomputation per order and page showing an ordered item.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import redis
import sqlalchemy as sa
from catalog_bench import (
    CATEGORY,
    DEFAULT_URL,
    Result,
    StatementCounter,
    create_schema,
    drop_schema,
    grow_catalogue,
    measure,
    print_table,
    seed_demo,
)
from flask import Flask
from flask_migrate import upgrade

from config import TestConfig, normalize_database_url
from fantasize import create_app
from fantasize.catalog import cache as catalog_cache
from fantasize.catalog import listing, reading
from fantasize.catalog.models import Package, PackageItem, Product
from fantasize.extensions import cache, db

LISTING = f"/api/v2/products?category={CATEGORY}&sort=-price&limit=20"


def redis_url() -> str | None:
    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return None
    return url


def build_app(url: str, schema: str, upload_dir: str, cache_url: str | None) -> Flask:
    overrides = {
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {
            "pool_pre_ping": True,
            "connect_args": {"options": f"-csearch_path={schema},public", "connect_timeout": 5},
        },
        "REDIS_URL": None,
        "CACHE_TYPE": "RedisCache" if cache_url else "SimpleCache",
        "CACHE_REDIS_URL": cache_url,
        "CACHE_KEY_PREFIX": f"{schema}:",
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "UPLOAD_DIR": upload_dir,
        "SERVER_NAME": None,
        "LOG_LEVEL": "WARNING",
    }
    return create_app(TestConfig, overrides)


def live_stock(kind: str, cards: list) -> list:
    """The rejected design: the stock of the cards' ids read on every read (one query)."""
    if not cards:
        return cards
    ids = [card.id for card in cards]
    if kind == "product":
        rows = db.session.execute(sa.select(Product.id, Product.stock, Product.stock).where(Product.id.in_(ids)))
    else:
        limit = (
            sa.select(sa.func.min(Product.stock // PackageItem.quantity))
            .join(Product, Product.id == PackageItem.product_id)
            .where(PackageItem.package_id == Package.id)
            .correlate(Package)
            .scalar_subquery()
        )
        rows = db.session.execute(sa.select(Package.id, Package.stock, limit).where(Package.id.in_(ids)))
    current = {item_id: (stock, stock if cap is None else max(0, min(stock, cap))) for item_id, stock, cap in rows}
    return [replace(card, stock=current[card.id][0], available=current[card.id][1]) for card in cards]


def run(app: Flask, requests: int, warmup: int, counter: StatementCounter) -> list[Result]:
    client = app.test_client()
    with app.app_context():
        product_id = db.session.scalar(sa.select(Product.id).where(Product.active.is_(True)).limit(1))
    urls = (("detail", f"/api/v2/products/{product_id}"), ("listing", LISTING))
    real = (catalog_cache._tokens_current, reading.get_detail, listing.list_items)

    def always_current(snapshot: dict) -> bool:
        return True

    def detail_live(kind: str, key: str):
        detail = real[1](kind, key)
        return replace(detail, card=live_stock(kind, [detail.card])[0])

    def list_live(kind: str, *args, **kwargs):
        page = real[2](kind, *args, **kwargs)
        return replace(page, items=live_stock(kind, page.items))

    designs = {
        "today (stale)": (always_current, real[1], real[2]),
        "live stock": (always_current, detail_live, list_live),
        "item tokens": real,
    }

    def clear() -> None:
        with app.app_context():
            cache.clear()

    results = []
    for name, url in urls:
        for design, (tokens_current, get_detail, list_items) in designs.items():
            catalog_cache._tokens_current, reading.get_detail, listing.list_items = (
                tokens_current,
                get_detail,
                list_items,
            )
            clear()
            results.append(measure(f"{name}: {design}", client, url, requests, warmup, counter))
        catalog_cache._tokens_current, reading.get_detail, listing.list_items = real
        results.append(measure(f"{name}: entry recomputed", client, url, requests, warmup, counter, clear))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000, help="products in the catalogue (default: 1000)")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30)
    args = parser.parse_args()
    url = normalize_database_url(os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL)
    schema = create_schema(url)
    upload_dir = tempfile.mkdtemp(prefix="fantasize-bench-")
    cache_url = redis_url()
    app = None
    try:
        app = build_app(url, schema, upload_dir, cache_url)
        counter = StatementCounter()
        with app.app_context():
            upgrade()
            sa.event.listen(db.engine, "before_cursor_execute", counter)
        print(f"cache: {'Redis' if cache_url else 'in-process SimpleCache'}; {args.requests} requests per line")
        print(f"  seeded {seed_demo(app)}")
        grow_catalogue(app, args.size)
        results = run(app, args.requests, args.warmup, counter)
        print_table(f"{args.size:,} products", results)
        by_name = {r.scenario: r.p50 for r in results}
        for name in ("detail", "listing"):
            base = by_name[f"{name}: today (stale)"]
            live = by_name[f"{name}: live stock"] - base
            tokens = by_name[f"{name}: item tokens"] - base
            refill = by_name[f"{name}: entry recomputed"] - base
            reads = refill / (live - tokens) if live > tokens else float("inf")
            print(
                f"{name} (p50 over the stale baseline): live stock {live:+.2f} ms per read, item tokens "
                f"{tokens:+.2f} ms per read and {refill:+.2f} ms once per order touching it: "
                f"tokens win from {reads:.0f} reads of that page per order"
            )
        return 0
    finally:
        if app is not None:
            with app.app_context():
                cache.clear()
                db.session.remove()
                db.engine.dispose()
        drop_schema(url, schema)
        shutil.rmtree(upload_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
