"""Checkout throughput on PostgreSQL with 1, 8 and 32 concurrent buyers.

Each buyer is a thread with its own test client (its own app context and database
connection) that fills its cart (untimed) and then checks out through
``POST /api/v2/checkout``, over and over. Two catalogues: every buyer on a different product
(no contention) and everybody on one product (one hot row: the stock UPDATE serialises them).
The baseline is a bare Flask JSON endpoint hit with the same concurrency in the same run.
Threads share one Python process (the GIL), so absolute numbers are per process; gunicorn
runs several.

    .venv/bin/python bench/checkout_bench.py [--seconds 5] [--buyers 1,8,32]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from catalog_bench import DEFAULT_URL, baseline_app, create_schema, drop_schema, peak_rss_mb, percentile
from flask_migrate import upgrade

from config import TestConfig, normalize_database_url
from fantasize import create_app
from fantasize.accounts.models import User
from fantasize.accounts.tokens import issue_token_pair
from fantasize.catalog.models import Category, Product
from fantasize.extensions import db

ADDRESS = {
    "full_name": "Bench Buyer",
    "line1": "1 Load Street",
    "city": "Testville",
    "postal_code": "1000",
    "country": "GB",
}


def build_app(url: str, schema: str, upload_dir: str):
    return create_app(
        TestConfig,
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SQLALCHEMY_ENGINE_OPTIONS": {
                "pool_size": 40,
                "max_overflow": 10,
                "connect_args": {"options": f"-csearch_path={schema},public", "connect_timeout": 5},
            },
            "REDIS_URL": None,
            "CACHE_TYPE": "SimpleCache",
            "RATELIMIT_ENABLED": False,
            "RATELIMIT_STORAGE_URI": "memory://",
            "UPLOAD_DIR": upload_dir,
            "LOG_LEVEL": "WARNING",
            "BCRYPT_ROUNDS": 4,
        },
    )


def setup(app, buyers: int) -> tuple[list[str], list[int], int]:
    """Buyers' access tokens, one product per buyer, and one shared hot product (all with huge stock)."""
    with app.app_context():
        parent = Category(name="Bench", slug="bench")
        db.session.add(parent)
        db.session.flush()
        sub = Category(name="Bench items", slug="bench-items", parent_id=parent.id)
        db.session.add(sub)
        db.session.flush()
        products = [
            Product(name=f"Bench {n}", slug=f"bench-{n}", price="10.00", stock=10**9, subcategory_id=sub.id)
            for n in range(buyers + 1)
        ]
        users = [User(email=f"buyer{n}@bench.example.com", role="customer") for n in range(buyers)]
        db.session.add_all(products + users)
        db.session.commit()
        tokens = [issue_token_pair(u).access_token for u in users]
        db.session.commit()
        return tokens, [p.id for p in products[:-1]], products[-1].id


def run(app, tokens: list[str], product_of, seconds: float) -> tuple[list[float], int]:
    """Every buyer checks out in a loop for ``seconds``; returns the checkout durations and failures."""
    durations: list[float] = []
    failures = 0
    lock = threading.Lock()
    barrier = threading.Barrier(len(tokens))
    deadline_holder: list[float] = []

    def buyer(index: int, token: str) -> None:
        nonlocal failures
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        barrier.wait()
        if index == 0:
            deadline_holder.append(time.perf_counter() + seconds)
        while not deadline_holder:
            time.sleep(0.001)
        while time.perf_counter() < deadline_holder[0]:
            client.post("/api/v2/cart/items", json={"product_id": product_of(index), "quantity": 1}, headers=headers)
            started = time.perf_counter()
            response = client.post(
                "/api/v2/checkout", json={"address": ADDRESS, "payment_method": "cod"}, headers=headers
            )
            elapsed = time.perf_counter() - started
            with lock:
                if response.status_code == 201:
                    durations.append(elapsed)
                else:
                    failures += 1

    threads = [threading.Thread(target=buyer, args=(i, t)) for i, t in enumerate(tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return durations, failures


def baseline(concurrency: int, seconds: float) -> float:
    app = baseline_app()
    count = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def hit() -> None:
        client = app.test_client()
        while time.perf_counter() < deadline:
            client.get("/ping")
            with lock:
                count[0] += 1

    threads = [threading.Thread(target=hit) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return count[0] / seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--buyers", default="1,8,32")
    args = parser.parse_args()
    levels = [int(n) for n in args.buyers.split(",")]
    url = normalize_database_url(os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    print(f"Checkout benchmark — {args.seconds:.0f} s per row, PostgreSQL at {url.split('@')[-1]}")
    columns = ("buyers", 7), ("orders", 8), ("orders/s", 10), ("p50 ms", 9), ("p95 ms", 9), ("p99 ms", 9), ("failed", 8)
    print(f"{'scenario':<40}" + "".join(f"{name:>{width}}" for name, width in columns))
    for level in levels:
        print(
            f"{'baseline: bare Flask JSON (req/s)':<40}{level:>7}{'':>8}{baseline(level, min(args.seconds, 2)):>10.0f}"
        )
        for name, hot in (("checkout, one product per buyer", False), ("checkout, everyone on one product", True)):
            schema = create_schema(url)
            try:
                with tempfile.TemporaryDirectory() as uploads:
                    app = build_app(url, schema, uploads)
                    with app.app_context():
                        upgrade()
                    tokens, own, shared = setup(app, level)
                    targets = [shared] * level if hot else own
                    durations, failed = run(app, tokens, targets.__getitem__, args.seconds)
                    ordered = sorted(durations)
                    rate = len(durations) / args.seconds
                    p50, p95, p99 = (percentile(ordered, f) * 1000 for f in (0.5, 0.95, 0.99))
                    print(
                        f"{name:<40}{level:>7}{len(durations):>8}{rate:>10.1f}{p50:>9.1f}{p95:>9.1f}{p99:>9.1f}{failed:>8}"
                    )
                    with app.app_context():
                        db.engine.dispose()
            finally:
                drop_schema(url, schema)
    print(f"peak RSS: {peak_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
