"""Preview latency: how fast the server renders a customized product picture.

Runs in-process on a throw-away SQLite database with the demo catalogue (its generated
pictures are the base images), through the real endpoint ``POST /api/v2/customizations/preview``.
The baseline is the same endpoint with no options chosen (decode + encode only), measured in
the same run. Prints p50/p95/p99 in milliseconds and requests per second.

    .venv/bin/python bench/preview_bench.py [--requests 200]
"""

from __future__ import annotations

import argparse
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade
from sqlalchemy import select

from config import TestConfig
from fantasize import create_app
from fantasize.catalog.models import Category, Product
from fantasize.customization.services import options_for
from fantasize.extensions import db
from fantasize.ops.demo_customization import seed_demo_customizations
from fantasize.ops.demo_data import seed_demo_catalog


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(client, body: dict, requests: int, warmup: int = 10) -> list[float]:
    for _ in range(warmup):
        client.post("/api/v2/customizations/preview", json=body)
    timings = []
    for number in range(requests):
        if "customization" in body and body.get("_vary"):
            body["customization"][body["_vary"]] = f"For Ada #{number}"  # a new text each time: no reuse
        started = time.perf_counter()
        response = client.post("/api/v2/customizations/preview", json={k: v for k, v in body.items() if k != "_vary"})
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.get_data(as_text=True)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            TestConfig,
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
                "UPLOAD_DIR": f"{tmp}/uploads",
                "RATELIMIT_ENABLED": False,
                "REDIS_URL": None,
                "JSON_LOGS": False,
                "LOG_LEVEL": "WARNING",
            },
        )
        with app.app_context():
            upgrade()
            seed_demo_catalog()
            seed_demo_customizations()
            db.session.commit()
            mugs = select(Category.id).where(Category.slug == "mugs")
            mug = db.session.scalar(select(Product).where(Product.subcategory_id.in_(mugs)).order_by(Product.id))
            options = {o.name: str(o.id) for o in options_for("product", mug.id)}
        client = app.test_client()
        scenarios = [
            ("baseline: no options (decode + encode)", {"product_id": mug.id, "customization": {}}),
            ("colour", {"product_id": mug.id, "customization": {options["Colour"]: "rose"}}),
            (
                "engraving (new text each time)",
                {"product_id": mug.id, "customization": {}, "_vary": options["Engraving"]},
            ),
            (
                "colour + engraving",
                {"product_id": mug.id, "customization": {options["Colour"]: "black"}, "_vary": options["Engraving"]},
            ),
            (
                "colour + engraving, WebP",
                {
                    "product_id": mug.id,
                    "format": "webp",
                    "customization": {options["Colour"]: "black"},
                    "_vary": options["Engraving"],
                },
            ),
        ]
        print(f"Preview latency — {args.requests} requests each, in-process, Python {platform.python_version()}")
        print(f"{'scenario':<42}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'req/s':>8}")
        for name, body in scenarios:
            timings = measure(client, body, args.requests)
            rate = 1000 / statistics.mean(timings)
            p50, p95, p99 = (percentile(timings, share) for share in (0.5, 0.95, 0.99))
            print(f"{name:<42}{p50:>9.1f}{p95:>9.1f}{p99:>9.1f}{rate:>8.0f}")
        print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
