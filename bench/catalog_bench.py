"""Catalog API benchmark: listing, filtering, search and pagination on 1,000 and 100,000 products.

A script, not a test: ``.venv/bin/python bench/catalog_bench.py [--quick] [--sizes 1000,100000]``.
It needs PostgreSQL (``BENCH_DATABASE_URL``, default ``postgresql+psycopg://127.0.0.1:5432/test``),
works in a throw-away schema that it drops at the end, and measures in-process with the Flask
test client (sequential requests, no network, no WSGI server). See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

import sqlalchemy as sa
from flask import Flask, jsonify
from flask.testing import FlaskClient
from flask_migrate import upgrade

from config import TestConfig, normalize_database_url
from fantasize import create_app
from fantasize.extensions import cache, db

DEFAULT_URL = "postgresql+psycopg://127.0.0.1:5432/test"
CATEGORY = "home-kitchen"
FILTERED = f"/api/v2/products?category={CATEGORY}&min_price=10&max_price=200&in_stock=true&sort=-price&limit=20"
SEARCH = "/api/v2/products?q=walnut&limit=20"


@dataclass
class Result:
    scenario: str
    requests: int
    p50: float
    p95: float
    p99: float
    per_second: float
    statements: float
    peak_rss_mb: float


class StatementCounter:
    """Counts SQL statements sent by the app's engine (``before_cursor_execute``)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *args: object, **kwargs: object) -> None:
        self.count += 1


def percentile(ordered: list[float], fraction: float) -> float:
    """Linear interpolation between the closest ranks (``ordered`` is sorted)."""
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def measure(
    scenario: str,
    client: FlaskClient,
    url: str,
    requests: int,
    warmup: int,
    counter: StatementCounter,
    before: Callable[[], None] | None = None,
) -> Result:
    """Time ``requests`` sequential GETs after ``warmup`` untimed ones; ``before`` runs untimed before each."""
    durations: list[float] = []
    statements = 0
    for index in range(warmup + requests):
        if before is not None:
            before()
        counter.count = 0
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise RuntimeError(f"{scenario}: GET {url} answered {response.status_code}: {response.data[:300]!r}")
        if index >= warmup:
            durations.append(elapsed)
            statements += counter.count
    ordered = sorted(durations)
    return Result(
        scenario=scenario,
        requests=requests,
        p50=percentile(ordered, 0.50) * 1000,
        p95=percentile(ordered, 0.95) * 1000,
        p99=percentile(ordered, 0.99) * 1000,
        per_second=requests / sum(durations),
        statements=statements / requests,
        peak_rss_mb=peak_rss_mb(),
    )


def baseline_app() -> Flask:
    """The floor: a bare Flask JSON endpoint with no database, cache, auth or logging."""
    app = Flask("baseline")

    @app.get("/ping")
    def ping():
        return jsonify({"data": {"ok": True}})

    return app


def create_schema(url: str) -> str:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    return schema


def drop_schema(url: str, schema: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def build_app(url: str, schema: str, upload_dir: str) -> Flask:
    overrides = {
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {
            "pool_pre_ping": True,
            "connect_args": {"options": f"-csearch_path={schema},public", "connect_timeout": 5},
        },
        "REDIS_URL": None,
        "CACHE_TYPE": "SimpleCache",
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "UPLOAD_DIR": upload_dir,
        "SERVER_NAME": None,
        "LOG_LEVEL": "WARNING",  # no access log line per request
    }
    return create_app(TestConfig, overrides)


def seed_demo(app: Flask) -> str:
    from fantasize.ops.demo_data import seed_demo_accounts, seed_demo_catalog, seed_demo_reviews

    started = time.perf_counter()
    with app.app_context():
        report = seed_demo_catalog()
        seed_demo_accounts()
        seed_demo_reviews(report)
        db.session.commit()
    return f"demo catalogue ({report.summary()}) in {time.perf_counter() - started:.1f} s"


def grow_catalogue(app: Flask, size: int) -> tuple[int, float]:
    from fantasize.ops.demo_data import seed_synthetic_products

    def progress(done: int, total: int) -> None:
        if done == total or done % 25_000 == 0:
            print(f"    {done:,}/{total:,} synthetic products ({time.perf_counter() - started:.1f} s)", flush=True)

    started = time.perf_counter()
    with app.app_context():
        added = seed_synthetic_products(size, progress=progress)
        db.session.remove()
    return added, time.perf_counter() - started


def product_count(app: Flask) -> int:
    from fantasize.catalog.models import Product

    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(Product.id))) or 0


def run_size(app: Flask, size: int, requests: int, warmup: int, counter: StatementCounter) -> list[Result]:
    client = app.test_client()
    baseline = baseline_app().test_client()

    def clear_cache() -> None:
        with app.app_context():
            cache.clear()

    first_page = client.get(FILTERED).get_json()
    cursor = first_page["meta"]["pagination"]["next_cursor"]
    if not first_page["data"] or not cursor:
        raise RuntimeError(f"The filtered listing has no second page at {size:,} products: {first_page}")
    second_page = f"{FILTERED}&cursor={quote(cursor)}"

    def run(scenario: str, url: str, before: Callable[[], None] | None = None) -> Result:
        return measure(scenario, client, url, requests, warmup, counter, before)

    results = [measure("baseline: bare Flask JSON", baseline, "/ping", requests, warmup, StatementCounter())]
    results.append(run("list filtered, uncached", FILTERED, clear_cache))
    results.append(run("list filtered, cached", FILTERED))
    results.append(run("search 'walnut', uncached", SEARCH, clear_cache))
    results.append(run("search 'walnut', cached", SEARCH))
    results.append(run("page 2 via cursor, uncached", second_page, clear_cache))
    results.append(run("page 2 via cursor, cached", second_page))
    return results


def print_table(title: str, results: list[Result]) -> None:
    header = f"{'scenario':<30} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>8} {'SQL/req':>8}"
    header += f" {'peak RSS MB':>12}"
    print(f"\n{title}")
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r.scenario:<30} {r.requests:>8} {r.p50:>8.2f} {r.p95:>8.2f} {r.p99:>8.2f} {r.per_second:>8.0f}"
            f" {r.statements:>8.1f} {r.peak_rss_mb:>12.0f}"
        )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000", help="catalogue sizes, in products (default: %(default)s)")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per scenario (default: 200)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests first (default: 20)")
    parser.add_argument("--quick", action="store_true", help="1,000 products only, 50 requests, 5 warm-up")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.requests, args.warmup = "1000", 50, 5
    args.sizes = sorted(int(size.replace("_", "")) for size in args.sizes.split(",") if size.strip())
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    url = normalize_database_url(os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL)
    if not url.startswith("postgresql"):
        print("The benchmark needs PostgreSQL: set BENCH_DATABASE_URL=postgresql://…", file=sys.stderr)
        return 2
    try:
        schema = create_schema(url)
    except sa.exc.OperationalError as error:
        print(f"Cannot reach PostgreSQL at {url.split('@')[-1]}: {error.orig}", file=sys.stderr)
        return 2
    upload_dir = tempfile.mkdtemp(prefix="fantasize-bench-")
    app = None
    try:
        app = build_app(url, schema, upload_dir)
        counter = StatementCounter()
        with app.app_context():
            upgrade()
            server = db.session.scalar(sa.text("SHOW server_version"))
            sa.event.listen(db.engine, "before_cursor_execute", counter)
        print(f"Fantasize catalog benchmark — {date.today().isoformat()}")
        print(
            f"Python {platform.python_version()}, PostgreSQL {server}, {os.cpu_count()} CPU(s), "
            f"{args.requests} requests after {args.warmup} warm-up per scenario, in-process test client, sequential"
        )
        print(f"  seeded {seed_demo(app)}")
        for size in args.sizes:
            added, seconds = grow_catalogue(app, size)
            total = product_count(app)
            print(f"  seeded {added:,} synthetic products in {seconds:.1f} s ({total:,} products in all)")
            results = run_size(app, size, args.requests, args.warmup, counter)
            print_table(f"{total:,} products", results)
        return 0
    finally:
        if app is not None:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
        drop_schema(url, schema)
        shutil.rmtree(upload_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
