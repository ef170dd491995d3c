"""Schemathesis over the served OpenAPI document, against a real server process.

gunicorn serves the app on a free loopback port, on this run's database (the same
PostgreSQL schema or SQLite file as the other tests), with rate limits off. The
database holds a small shop (categories, brands, materials, products and a package
with customization options, a customer with an address and a cart, an admin). Then
schemathesis tests every operation of /api/v2/openapi.json three times: anonymously,
as the customer and as the admin (last: its writes change the shared data). Required:
no 5xx, every status code documented, every JSON body conforming to its documented
schema, and no operation skipped or erroring (an invalid operation document is an error).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy.engine import make_url

from fantasize.accounts import addresses
from fantasize.customization import services as customization
from fantasize.extensions import db
from tests.factories import (
    DEFAULT_PASSWORD,
    BrandFactory,
    CategoryFactory,
    MaterialFactory,
    PackageFactory,
    ProductFactory,
    SubcategoryFactory,
    UserFactory,
)

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHECKS = ",".join(
    (
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    )
)
MAX_EXAMPLES = os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "5")
SEED = "20261202"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_database_url(app: Flask) -> str:
    """The tests' database as a URL for another process (with this run's PostgreSQL schema)."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    options = app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}).get("connect_args", {}).get("options")
    if options:
        url = url.update_query_dict({"options": options})
    return url.render_as_string(hide_password=False)


def _seed() -> dict[str, str]:
    category = CategoryFactory(name="Gifts")
    subcategory = SubcategoryFactory(name="Mugs", parent=category)
    brand = BrandFactory(name="Potter")
    material = MaterialFactory(name="Ceramic")
    mug = ProductFactory(name="Custom Mug", price="15.00", stock=50, subcategory=subcategory, brand=brand)
    candle = ProductFactory(name="Candle", price="8.00", stock=50, subcategory=subcategory)
    PackageFactory(name="Cosy Box", price="25.00", stock=20, items=[(mug, 1), (candle, 2)], subcategory=subcategory)
    customization.create_option(
        mug,
        {
            "name": "Colour",
            "type": "button",
            "required": True,
            "choices": [{"value": "white", "label": "White"}, {"value": "black", "label": "Black"}],
        },
    )
    preset = customization.save_preset(None, {"name": "Engraving"})
    customization.create_option(preset, {"name": "Engraving", "type": "text", "max_length": 12, "charset": "basic"})
    customization.attach_preset(preset, "product", mug.id)
    del material
    customer = UserFactory(email="schemathesis-customer@example.com")
    addresses.create_address(
        customer,
        {"full_name": "Ada Lovelace", "line1": "12 Square", "city": "London", "postal_code": "SW1Y", "country": "GB"},
    )
    admin = UserFactory(email="schemathesis-admin@example.com", role="admin")
    db.session.commit()
    return {"customer": customer.email, "admin": admin.email}


def _request(url: str, body: dict | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback only
        return response.status, json.loads(response.read() or b"{}")


def _wait_until_serving(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            _request(f"{base}/health/live")
            return
        except OSError:
            assert process.poll() is None, "gunicorn exited early"
            assert time.monotonic() < deadline, "gunicorn did not answer within 30 s"
            time.sleep(0.2)


def _access_token(base: str, email: str) -> str:
    status, body = _request(f"{base}/api/v2/auth/login", {"email": email, "password": DEFAULT_PASSWORD})
    assert status == 200, body
    return body["data"]["access_token"]


def _schemathesis(base: str, tmp_path: Path, name: str, headers: list[str]) -> tuple[int, str, dict]:
    report = tmp_path / f"{name}.json"
    command = [
        str(BIN / "schemathesis"),
        "run",
        f"{base}/api/v2/openapi.json",
        "--checks",
        CHECKS,
        "--max-examples",
        MAX_EXAMPLES,
        "--seed",
        SEED,
        "--generation-deterministic",
        "--workers",
        "1",
        "--phases",
        "examples,coverage,fuzzing",
        "--request-timeout",
        "20",
        "--no-color",
        "--report",
        "json",
        "--report-json-path",
        str(report),
        *[part for header in headers for part in ("-H", header)],
    ]
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=tmp_path, check=False)
    output = result.stdout + result.stderr
    (Path(os.environ.get("SCHEMATHESIS_OUTPUT_DIR") or tmp_path) / f"{name}.txt").write_text(output)
    summary: dict = {"seconds": round(time.monotonic() - started, 1)}
    if report.exists() and report.stat().st_size:
        data = json.loads(report.read_text())
        summary.update(
            operations=data["operations"],
            test_cases=data["test_cases"]["generated"],
            failures=len(data["failures"]),
            errors=len(data["errors"]),
        )
    return result.returncode, output, summary


@pytest.mark.slow
def test_every_operation_conforms_to_the_document_for_every_caller(app: Flask, tmp_path: Path) -> None:
    accounts = _seed()
    port = _free_port()
    env = {
        **{key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "REQUIRE_SERVICES")},
        "FANTASIZE_ENV": "development",
        "DATABASE_URL": _server_database_url(app),
        "SECRET_KEY": app.config["SECRET_KEY"],
        "RATELIMIT_ENABLED": "0",
        "BCRYPT_ROUNDS": "4",
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "LOG_LEVEL": "WARNING",
        "PATH": f"{BIN}:{os.environ['PATH']}",
    }
    command = [
        str(BIN / "gunicorn"),
        "--worker-class",
        "gthread",
        "--workers",
        "1",
        "--threads",
        "4",
        "--bind",
        f"127.0.0.1:{port}",
        "--graceful-timeout",
        "5",
        "--no-control-socket",  # several servers may run on this machine at once
        "wsgi:app",
    ]
    server_log = tmp_path / "server.log"
    with server_log.open("wb") as log:  # a file, not a pipe: a full pipe would stall the server
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    failures, figures, operations = [], {}, 0
    try:
        _wait_until_serving(base, process)
        callers = {
            "anonymous": [],
            "customer": [f"Authorization: Bearer {_access_token(base, accounts['customer'])}"],
            "admin": [f"Authorization: Bearer {_access_token(base, accounts['admin'])}"],
        }
        _, spec = _request(f"{base}/api/v2/openapi.json")
        operations = sum(
            1
            for item in spec["paths"].values()
            for method in item
            if method in ("get", "post", "put", "patch", "delete")
        )
        for name, headers in callers.items():
            code, output, summary = _schemathesis(base, tmp_path, name, headers)
            figures[name] = summary
            counts = summary.get("operations", {})
            complete = counts.get("tested") == counts.get("total") == operations and not counts.get("skipped")
            if code != 0 or not complete or summary.get("failures") or summary.get("errors"):
                failures.append(f"--- schemathesis as {name} (exit {code}) ---\n{output[-12000:]}")
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    print(f"schemathesis: {operations} operations; {json.dumps(figures)}")
    errors = server_log.read_text(errors="replace")[-6000:]
    assert not failures, "\n".join(failures) + "\n--- server log ---\n" + errors
