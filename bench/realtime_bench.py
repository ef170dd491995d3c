"""Realtime benchmark: 1,000 idle WebSockets on two gunicorn processes, delivery latency, memory per
socket, and the product listing's throughput with and without the sockets (the baseline).

A script, not a test: ``.venv/bin/python bench/realtime_bench.py [--sockets 1000] [--quick]``.
It needs PostgreSQL (``BENCH_DATABASE_URL``, default ``postgresql+psycopg://127.0.0.1:5432/test``,
a throw-away schema dropped at the end) and Redis (``BENCH_REDIS_URL``, default
``redis://127.0.0.1:6379/0``, keys under a random prefix deleted at the end). It starts two servers,
``gunicorn -c gunicorn.conf.py wsgi:app`` with one worker each (A and B, production settings), and
drives them from this process: HTTP from threads, the sockets from one asyncio loop (``websockets``).
``--worker-class gthread --threads 700`` measures the threaded alternative. See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import platform
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

import redis as redis_lib
import sqlalchemy as sa
from websockets.asyncio.client import connect as ws_connect

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgresql+psycopg://127.0.0.1:5432/test"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
PASSWORD = "Bench-Gift-Wrap-2026!q"  # noqa: S105 - throw-away accounts in a throw-away schema
ADDRESS = {
    "full_name": "Ada Lovelace",
    "line1": "12 St James's Square",
    "city": "London",
    "postal_code": "SW1Y 4JH",
    "country": "GB",
}
API_LISTING = "/api/v2/products?limit=20&sort=-price"
PAGE_LISTING = "/categories/home-kitchen"
NEXT_STATUS = {"under_review": "placed", "placed": "processing", "processing": "shipped", "shipped": "delivered"}


def percentile(ordered: list[float], fraction: float) -> float:
    """Linear interpolation between the closest ranks (``ordered`` is sorted)."""
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


# -- the database and the servers -----------------------------------------------------------------


def database_url(url: str, schema: str) -> str:
    """The URL with the schema first on the search path (libpq ``options``), for the server processes."""
    options = urllib.parse.quote(f"-csearch_path={schema},public")
    return f"{url}{'&' if '?' in url else '?'}options={options}"


def prepare_database(url: str, schema: str, customers: int, upload_dir: str) -> dict:
    """Migrations, the demo catalogue plus synthetic products, ``customers`` shoppers and one manager."""
    from flask_migrate import upgrade

    from config import TestConfig
    from fantasize import create_app
    from fantasize.accounts.services import register_user
    from fantasize.catalog.models import Product
    from fantasize.extensions import db
    from fantasize.ops.demo_data import seed_demo_catalog, seed_synthetic_products

    app = create_app(
        TestConfig,
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema},public"}},
            "REDIS_URL": None,
            "CACHE_TYPE": "SimpleCache",
            "RATELIMIT_ENABLED": False,
            "UPLOAD_DIR": upload_dir,
            "BCRYPT_ROUNDS": 4,
            "LOG_LEVEL": "WARNING",
        },
    )
    with app.app_context():
        upgrade()
        seed_demo_catalog(pictures=False)
        db.session.commit()
        seed_synthetic_products(1000)
        product = db.session.scalars(
            sa.select(Product).order_by(Product.id.desc()).limit(1)  # a synthetic one: no options to choose
        ).one()
        product.stock = 1_000_000
        emails = [f"bench{i}@example.com" for i in range(customers)]
        for index, email in enumerate(emails):
            register_user(email, PASSWORD, f"bench{index}")
        register_user("bench-staff@example.com", PASSWORD, "benchstaff", "manager")
        db.session.commit()
        product_id = product.id
        db.session.remove()
        db.engine.dispose()
    return {"product_id": product_id, "emails": emails, "staff": "bench-staff@example.com"}


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def rss_kb(self) -> int:
        """Resident memory of this server's worker processes (the master holds no sockets)."""
        total = 0
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        return total

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_server(name: str, env: dict[str, str], workdir: Path) -> Server:
    port = free_port()
    log = workdir / f"server-{name}.log"
    server_env = {**env, "PORT": str(port), "GUNICORN_CMD_ARGS": f"--bind 127.0.0.1:{port}", "WEB_CONCURRENCY": "1"}
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    with log.open("wb") as out:
        process = subprocess.Popen(
            [gunicorn, "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT, env=server_env, stdout=out, stderr=out
        )
    server = Server(name, port, process, log)
    deadline = time.monotonic() + 60
    while True:
        try:
            status, _ = request(server.host, "GET", "/health/ready")
            if status == 200 and server.worker_pids():
                return server
        except OSError:
            pass
        if process.poll() is not None:
            raise RuntimeError(f"server {name} exited; see {log}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"server {name} did not answer within 60 s; see {log}")
        time.sleep(0.2)


def request(host: str, method: str, path: str, body: dict | None = None, token: str | None = None) -> tuple[int, dict]:
    connection = http.client.HTTPConnection(host, timeout=30)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = connection.getresponse()
        raw = response.read()
    finally:
        connection.close()
    try:
        return response.status, json.loads(raw)
    except ValueError:
        return response.status, {}


def drop_redis_keys(redis_url: str, prefix: str) -> None:
    """Every key of the run: ours carry the prefix; RQ's queues carry it in their names."""
    from rq import Queue

    client = redis_lib.Redis.from_url(redis_url)
    for name in ("email", "push", "default"):
        Queue(f"{prefix}{name}", connection=client).delete(delete_jobs=True)
    for key in client.scan_iter(match=f"{prefix}*", count=1000):
        client.delete(key)
    client.close()


# -- shoppers, orders, staff --------------------------------------------------------------------------


def sign_in(host: str, email: str) -> str:
    status, body = request(host, "POST", "/api/v2/auth/login", {"email": email, "password": PASSWORD})
    if status != 200:
        raise RuntimeError(f"sign-in of {email} answered {status}: {body}")
    return body["data"]["access_token"]


def place_order(host: str, token: str, product_id: int) -> dict:
    status, body = request(
        host, "POST", "/api/v2/cart/items", {"product_id": product_id, "quantity": 1, "customization": {}}, token
    )
    if status != 201:
        raise RuntimeError(f"adding to the cart answered {status}: {body}")
    status, body = request(host, "POST", "/api/v2/checkout", {"address": ADDRESS, "payment_method": "cod"}, token)
    if status != 201:
        raise RuntimeError(f"checkout answered {status}: {body}")
    return body["data"]


# -- the listing load -------------------------------------------------------------------------------


@dataclass
class Load:
    scenario: str
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    durations: list[float] = field(default_factory=list)

    def row(self) -> str:
        ordered = sorted(self.durations)
        return (
            f"{self.scenario:<44}{self.requests:>9}{self.errors:>7}{self.requests / self.seconds:>9.0f}"
            f"{percentile(ordered, 0.5) * 1000:>9.1f}{percentile(ordered, 0.95) * 1000:>9.1f}"
            f"{percentile(ordered, 0.99) * 1000:>9.1f}"
        )


def listing_load(scenario: str, hosts: list[str], path: str, clients: int, seconds: float) -> Load:
    """``clients`` keep-alive HTTP clients (threads), spread over ``hosts``, GET ``path`` for ``seconds``."""
    result = Load(scenario)
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(index: int) -> None:
        host = hosts[index % len(hosts)]
        connection = http.client.HTTPConnection(host, timeout=30)
        durations, errors = [], 0
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection(host, timeout=30)
            if ok:
                durations.append(time.perf_counter() - started)
            else:
                errors += 1
        connection.close()
        with lock:
            result.durations.extend(durations)
            result.errors += errors

    started = time.monotonic()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, range(clients)))
    result.seconds = time.monotonic() - started
    result.requests = len(result.durations)
    return result


# -- the sockets --------------------------------------------------------------------------------------


class Sockets:
    """Client WebSockets on one asyncio loop in a background thread; receipts timed on arrival."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="bench-sockets", daemon=True)
        self.thread.start()
        self.connections: list = []
        self.lock = threading.Lock()
        # (event, key) -> list of (server name, monotonic time of receipt)
        self.receipts: dict[tuple[str, object], list[tuple[str, float]]] = defaultdict(list)
        self.arrived = threading.Condition(self.lock)
        self.failed = 0

    def run(self, coroutine, timeout: float | None = None):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    async def _open_one(self, server: str, url: str, token: str, gate: asyncio.Semaphore) -> None:
        async with gate:
            try:
                ws = await ws_connect(url, open_timeout=30, ping_interval=None, max_queue=None)
                await ws.send(json.dumps({"event": "authenticate", "data": {"token": token}}))
                reply = json.loads(await asyncio.wait_for(ws.recv(), 30))
                if reply["event"] != "authenticated":
                    raise RuntimeError(reply)
            except Exception:
                self.failed += 1
                return
        self.connections.append(ws)
        self.loop.create_task(self._read(server, ws))

    async def _read(self, server: str, ws) -> None:
        try:
            async for raw in ws:
                now = time.monotonic()
                frame = json.loads(raw)
                event, data = frame["event"], frame.get("data", {})
                key = data.get("order_id") if event == "order_status_update" else frame.get("id")
                with self.lock:
                    self.receipts[(event, key, data.get("status") or data.get("title"))].append((server, now))
                    self.arrived.notify_all()
        except Exception:  # noqa: S110 - a closed socket ends its reader
            pass

    async def _open(self, plan: list[tuple[str, str, str]], parallel: int) -> None:
        gate = asyncio.Semaphore(parallel)
        await asyncio.gather(*(self._open_one(server, url, token, gate) for server, url, token in plan))

    def open(self, plan: list[tuple[str, str, str]], parallel: int = 50) -> None:
        self.run(self._open(plan, parallel))

    def wait_for(self, key: tuple, count: int, timeout: float) -> list[tuple[str, float]]:
        deadline = time.monotonic() + timeout
        with self.arrived:
            while len(self.receipts.get(key, [])) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self.arrived.wait(remaining)
            return list(self.receipts.get(key, []))

    async def _close(self) -> None:
        await asyncio.gather(*(ws.close() for ws in self.connections), return_exceptions=True)

    def close(self) -> None:
        self.run(self._close(), timeout=60)
        self.loop.call_soon_threadsafe(self.loop.stop)


@dataclass
class Latency:
    scenario: str
    samples: list[float] = field(default_factory=list)
    expected: int = 0

    def row(self) -> str:
        ordered = sorted(self.samples)
        return (
            f"{self.scenario:<44}{len(ordered):>9}{self.expected - len(ordered):>7}"
            f"{percentile(ordered, 0.5) * 1000:>9.1f}{percentile(ordered, 0.95) * 1000:>9.1f}"
            f"{percentile(ordered, 0.99) * 1000:>9.1f}{(ordered[-1] if ordered else float('nan')) * 1000:>9.1f}"
        )


# -- the run ----------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sockets", type=int, default=1000, help="idle sockets, half on each server")
    parser.add_argument("--customers", type=int, default=100, help="shoppers owning the sockets")
    parser.add_argument("--changes", type=int, default=100, help="order status changes timed")
    parser.add_argument("--announcements", type=int, default=20, help="announcements to every socket timed")
    parser.add_argument("--seconds", type=float, default=8.0, help="length of each listing load")
    parser.add_argument("--clients", type=int, default=16, help="concurrent HTTP clients in the listing load")
    parser.add_argument("--worker-class", default=None, help="override gunicorn.conf.py's worker class")
    parser.add_argument("--threads", type=int, default=None, help="gthread: threads per worker")
    parser.add_argument("--quick", action="store_true", help="200 sockets, 30 changes, 5 announcements, 3 s loads")
    args = parser.parse_args()
    if args.quick:
        args.sockets, args.changes, args.announcements, args.seconds = 200, 30, 5, 3.0
    args.customers = min(args.customers, args.sockets)

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))  # servers inherit it

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    from config import normalize_database_url

    url = normalize_database_url(url)
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS)
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    prefix = f"bench-rt-{uuid.uuid4().hex[:8]}:"
    workdir = Path(tempfile.mkdtemp(prefix="realtime-bench-"))
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    servers: list[Server] = []
    sockets: Sockets | None = None
    try:
        started = time.perf_counter()
        setup = prepare_database(url, schema, args.customers, str(workdir / "uploads"))
        print(f"  schema {schema}: migrated and seeded in {time.perf_counter() - started:.1f} s", flush=True)
        env = {
            **os.environ,
            "FANTASIZE_ENV": "production",
            "SECRET_KEY": secrets.token_hex(32),
            "PUBLIC_BASE_URL": "http://127.0.0.1",
            "DATABASE_URL": database_url(url, schema),
            "REDIS_URL": redis_url,
            "CACHE_KEY_PREFIX": f"{prefix}cache:",
            "RATELIMIT_KEY_PREFIX": f"{prefix}limits",
            "RATELIMIT_ENABLED": "0",
            "RQ_QUEUE_PREFIX": prefix,
            "REALTIME_KEY_PREFIX": f"{prefix}realtime:",
            "UPLOAD_DIR": str(workdir / "uploads"),
            "BCRYPT_ROUNDS": "4",
            "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        }
        if args.worker_class:
            env["GUNICORN_WORKER_CLASS"] = args.worker_class
        if args.threads:
            env["GUNICORN_THREADS"] = str(args.threads)
        servers = [start_server("A", env, workdir), start_server("B", env, workdir)]
        a, b = servers
        hosts = [a.host, b.host]
        worker_class = env.get("GUNICORN_WORKER_CLASS", "gevent (gunicorn.conf.py)")
        print(
            f"Fantasize realtime benchmark — {date.today().isoformat()}\n"
            f"Python {platform.python_version()}, {os.cpu_count()} CPU(s), two gunicorn servers (A, B) with one "
            f"{worker_class} worker each{f', {args.threads} threads' if args.threads else ''}, "
            f"PostgreSQL + Redis on this machine; {args.sockets} sockets of {args.customers} shoppers, "
            f"{args.clients} HTTP clients, {args.seconds:.0f} s per load",
            flush=True,
        )

        # Shoppers sign in (on A) and place one order each; the manager signs in.
        with ThreadPoolExecutor(8) as pool:
            tokens = list(pool.map(lambda email: sign_in(a.host, email), setup["emails"]))
            orders = list(pool.map(lambda token: place_order(a.host, token, setup["product_id"]), tokens))
        staff_token = sign_in(a.host, setup["staff"])

        # Warm both servers up, then the baseline: the listing with no sockets open.
        for path in (API_LISTING, PAGE_LISTING):
            listing_load("warm-up", hosts, path, args.clients, 1.0)
        time.sleep(1)
        rss_before = {s.name: s.rss_kb() for s in servers}
        loads = [
            listing_load("API listing, no sockets (baseline)", hosts, API_LISTING, args.clients, args.seconds),
            listing_load("listing page, no sockets (baseline)", hosts, PAGE_LISTING, args.clients, args.seconds),
        ]

        # Open the sockets: socket i belongs to shopper i % customers, even ones on A, odd ones on B.
        sockets = Sockets()
        plan = []
        for index in range(args.sockets):
            server = servers[index % 2]
            plan.append((server.name, f"ws://{server.host}/ws", tokens[index % args.customers]))
        started = time.perf_counter()
        sockets.open(plan)
        opened = time.perf_counter() - started
        print(
            f"  opened {len(sockets.connections)}/{args.sockets} authenticated sockets in {opened:.1f} s "
            f"({sockets.failed} failed)",
            flush=True,
        )
        time.sleep(3)  # let presence reports and the servers' allocations settle
        rss_after = {s.name: s.rss_kb() for s in servers}
        status, connection_status = request(a.host, "GET", "/api/v2/realtime/connection-status", token=staff_token)
        if status == 200:
            total = connection_status.get("data", {}).get("total_sockets")
            print(f"  connection-status (through A) reports {total} sockets across processes", flush=True)

        loads += [
            listing_load(
                f"API listing, {len(sockets.connections)} idle sockets", hosts, API_LISTING, args.clients, args.seconds
            ),
            listing_load(
                f"listing page, {len(sockets.connections)} idle sockets",
                hosts,
                PAGE_LISTING,
                args.clients,
                args.seconds,
            ),
        ]

        # Delivery: staff change an order's status through A; its owner's sockets (half on A, half on B) get it.
        per_owner = defaultdict(int)
        for index in range(len(sockets.connections)):
            per_owner[index % args.customers] += 1
        on_a = Latency("order status change → sockets on A")
        on_b = Latency("order status change → sockets on B")
        request_times: list[float] = []
        status_of = {index: order["status"] for index, order in enumerate(orders)}
        change = 0
        for attempt in range(args.changes * 3):
            if change >= args.changes:
                break
            index = attempt % args.customers
            target = NEXT_STATUS.get(status_of[index])
            if target is None:
                continue
            order_id = orders[index]["id"]
            expected = per_owner[index]
            sent = time.monotonic()
            status, body = request(
                a.host, "PATCH", f"/api/v2/admin/orders/{order_id}/status", {"status": target}, staff_token
            )
            request_times.append(time.monotonic() - sent)
            if status != 200:
                raise RuntimeError(f"status change answered {status}: {body}")
            status_of[index] = target
            receipts = sockets.wait_for(("order_status_update", order_id, target), expected, 5.0)
            for server, at in receipts:
                (on_a if server == "A" else on_b).samples.append(at - sent)
            on_a.expected += (expected + 1) // 2
            on_b.expected += expected // 2
            change += 1
            time.sleep(0.05)

        # An announcement to every socket, published from this process through Redis.
        fan_out = Latency(f"announcement → all {len(sockets.connections)} sockets")
        last_socket = Latency(f"announcement → last socket of the {len(sockets.connections)}")
        from config import TestConfig
        from fantasize import create_app
        from fantasize.realtime.broker import publish

        publisher = create_app(
            TestConfig,
            {
                "SQLALCHEMY_DATABASE_URI": "sqlite://",
                "REDIS_URL": redis_url,
                "REALTIME_KEY_PREFIX": env["REALTIME_KEY_PREFIX"],
                "CACHE_KEY_PREFIX": env["CACHE_KEY_PREFIX"],
                "LOG_LEVEL": "WARNING",
            },
        )
        with publisher.app_context():
            for number in range(args.announcements):
                title = f"bench {number}"
                sent = time.monotonic()
                event_id = publish("system_announcement", {"title": title, "message": "Hi", "level": "info"}, ["all"])
                receipts = sockets.wait_for(("system_announcement", event_id, title), len(sockets.connections), 10.0)
                times = [at - sent for _, at in receipts]
                fan_out.samples += times
                fan_out.expected += len(sockets.connections)
                if times:
                    last_socket.samples.append(max(times))
                last_socket.expected += 1
                time.sleep(0.2)

        header = f"{'scenario':<44}{'requests':>9}{'errors':>7}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        print("\nProduct listing, A and B together")
        print(header)
        print("-" * len(header))
        for load in loads:
            print(load.row())

        header = f"{'delivery':<44}{'receipts':>9}{'lost':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}"
        print("\nDelivery latency (from sending the PATCH, or calling publish, to receipt)")
        print(header)
        print("-" * len(header))
        for latency in (on_a, on_b, fan_out, last_socket):
            print(latency.row())
        ordered = sorted(request_times)
        print(
            f"  (the PATCH itself: p50 {percentile(ordered, 0.5) * 1000:.1f} ms, "
            f"p99 {percentile(ordered, 0.99) * 1000:.1f} ms)"
        )

        print("\nMemory of the worker processes (RSS)")
        count = max(1, len(sockets.connections))
        for server in servers:
            grown = rss_after[server.name] - rss_before[server.name]
            share = (count + (1 if server.name == "A" else 0)) // 2
            before, after = rss_before[server.name] / 1024, rss_after[server.name] / 1024
            print(
                f"  {server.name}: {before:.0f} MB before, {after:.0f} MB with {share} sockets: "
                f"{grown / max(1, share):.1f} KB per socket"
            )
        grown = sum(rss_after.values()) - sum(rss_before.values())
        print(f"  both: {grown / 1024:.1f} MB for {count} sockets, {grown / count:.1f} KB per idle socket")
        return 0
    finally:
        if sockets is not None:
            try:
                sockets.close()
            except Exception as exc:
                print(f"  (closing the sockets: {exc!r})")
        for server in servers:
            server.stop()
        with engine.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()
        drop_redis_keys(redis_url, prefix)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
