"""Shared fixtures.

The suite runs on PostgreSQL and Redis when ``DATABASE_URL`` / ``REDIS_URL`` are set
(CI sets them), each run in a throw-away PostgreSQL schema and a private Redis key
prefix; otherwise on a temporary SQLite file with in-process cache and limiter.
Tests marked ``postgres``, ``redis`` or ``browser`` need that service: they skip when it
is missing, unless ``REQUIRE_SERVICES=1``, where they fail instead.
"""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from werkzeug.serving import make_server

from config import TestConfig, normalize_database_url
from fantasize import create_app
from fantasize.extensions import cache, db, limiter
from tests.factories import UserFactory

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
pytest_plugins = ["tests.support.gifts"]  # the customizable mug, for customization, cart and order tests


class IsolatedClient(FlaskClient):
    """A test client whose every request gets its own app context, as in production.

    Tests hold an app context open (for factories and queries); without this, requests would
    reuse it and share ``g`` and the database session with the test and with each other.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


RUN_ID = uuid.uuid4().hex[:10]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _service_available(marker: str, app: Flask) -> str | None:
    """Why the service behind ``marker`` is missing, or ``None`` when it is there."""
    if marker == "postgres" and not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        return "needs PostgreSQL (set DATABASE_URL)"
    if marker == "redis" and not app.config.get("REDIS_URL"):
        return "needs Redis (set REDIS_URL)"
    if marker == "browser" and not CHROMIUM:
        return "needs Chromium (apt-get install chromium)"
    return None


@pytest.fixture(autouse=True)
def _require_services(request: pytest.FixtureRequest) -> None:
    for marker in ("postgres", "redis", "browser"):
        if request.node.get_closest_marker(marker) is None:
            continue
        missing = _service_available(marker, request.getfixturevalue("app"))
        if missing and REQUIRE_SERVICES:
            pytest.fail(f"REQUIRE_SERVICES=1 but this test {missing}")
        if missing:
            pytest.skip(f"{missing}; with REQUIRE_SERVICES=1 this fails instead")


def _database_settings(tmp_root: Path) -> tuple[dict, str | None]:
    """Engine settings for this run's private database, and the PostgreSQL schema if any."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_root / 'test.db'}"}, None
    url = normalize_database_url(url)
    schema = f"test_{RUN_ID}"
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    options = {
        "pool_pre_ping": True,
        "pool_size": 20,
        "max_overflow": 40,
        "connect_args": {"options": f"-csearch_path={schema},public", "connect_timeout": 5},
    }
    return {"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": options}, schema


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    tmp_root = tmp_path_factory.mktemp("fantasize")
    settings, schema = _database_settings(tmp_root)
    settings.update(
        {
            "REDIS_URL": os.environ.get("REDIS_URL") or None,
            "CACHE_KEY_PREFIX": f"test-{RUN_ID}:",
            "RATELIMIT_KEY_PREFIX": f"test-{RUN_ID}",
            # limiter.reset() between tests deletes every key under the storage's prefix: with the
            # default ("LIMITS") it would wipe the counters of other runs sharing the Redis server.
            "RATELIMIT_STORAGE_OPTIONS": {"key_prefix": f"limits-test-{RUN_ID}"},
            "RQ_QUEUE_PREFIX": f"test-{RUN_ID}-",
            "REALTIME_KEY_PREFIX": f"test-{RUN_ID}:realtime:",
            "JOB_RETRY_BACKOFF": (0, 0),
            "UPLOAD_DIR": str(tmp_root / "uploads"),
            "SERVER_NAME": None,
        }
    )
    app = create_app(TestConfig, settings)
    app.test_client_class = IsolatedClient
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
        if schema:
            engine = sa.create_engine(settings["SQLALCHEMY_DATABASE_URI"])
            with engine.begin() as connection:
                connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
            engine.dispose()
        redis = app.extensions.get("redis")
        if redis is not None:
            forget_run_in_redis(redis, RUN_ID)


def forget_run_in_redis(redis, run_id: str) -> None:
    """Remove what a run left in Redis: its queue (jobs, and its entry in RQ's ``rq:queues`` set) and its keys."""
    from rq import Queue

    from fantasize.jobs import QUEUES

    for name in QUEUES:
        Queue(f"test-{run_id}-{name}", connection=redis).delete(delete_jobs=True)
    for key in redis.scan_iter(match=f"*test-{run_id}*"):
        redis.delete(key)


def _truncate_all(app: Flask) -> None:
    tables = [table.name for table in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            quoted = ", ".join(f'"{name}"' for name in tables)
            connection.execute(sa.text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
        return
    with db.engine.connect() as connection:
        # Self-references (subcategories) make row order matter; switch checks off while emptying.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        for name in tables:
            connection.execute(sa.text(f'DELETE FROM "{name}"'))
        connection.commit()
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")


@pytest.fixture(autouse=True)
def _isolated(app: Flask) -> Iterator[None]:
    """Each test starts with empty tables, an empty cache and fresh rate limits."""
    with app.app_context():
        # The limiter is one global object whose storage follows the last app built; tests that
        # build an app of their own (production settings, broken services) would redirect it.
        limiter.init_app(app)
        yield
        db.session.remove()
        _truncate_all(app)
        cache.clear()
        limiter.init_app(app)
        limiter.reset()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def user_factory() -> type[UserFactory]:
    return UserFactory


@pytest.fixture
def login(client: FlaskClient):
    """``login(user)`` signs ``client`` in as ``user`` (a browser session) and returns it."""

    def _login(user) -> FlaskClient:
        from fantasize.accounts.sign_ins import BROWSER, start_sign_in

        sign_in = start_sign_in(user, BROWSER)
        db.session.commit()
        with client.session_transaction() as session:
            session["_user_id"] = sign_in.id
            session["_fresh"] = True
        return client

    return _login


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The app served over real HTTP on a free loopback port; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def browser_page(app: Flask, live_server: str, monkeypatch: pytest.MonkeyPatch) -> Iterator:
    """A Playwright page in Debian's Chromium (Playwright's own browser is not downloadable here).

    CSRF protection is on, as in production: forms and htmx requests must carry the token.
    """
    from playwright.sync_api import sync_playwright

    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        yield page
        context.close()
        browser.close()


def pytest_report_header(config: pytest.Config) -> list[str]:
    database = normalize_database_url(os.environ.get("DATABASE_URL") or "sqlite (temporary file)")
    database = database.split("@")[-1]  # never print credentials
    return [
        f"fantasize: database={database} redis={os.environ.get('REDIS_URL') or 'none (in-process)'} "
        f"chromium={CHROMIUM or 'missing'} REQUIRE_SERVICES={'1' if REQUIRE_SERVICES else '0'}"
    ]


@pytest.fixture
def mailbox(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[list]:
    """Outgoing e-mail goes to a real SMTP server on loopback; yields the list of received messages."""
    from tests.support.smtp_sink import SmtpSink

    sink = SmtpSink()
    sink.start()
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", sink.port)
    yield sink.messages
    sink.stop()


@pytest.fixture
def run_jobs(app: Flask):
    """``run_jobs()`` works through queued jobs with a real RQ worker (with Redis); inline mode needs nothing."""
    from fantasize.jobs import run_queued_jobs

    def _run() -> int:
        with app.app_context():
            return run_queued_jobs()

    return _run


@pytest.fixture
def oauth_provider(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator:
    """A real OIDC (Google-like) and Graph (Facebook-like) provider on loopback, wired into the app."""
    from fantasize.accounts.oauth import init_oauth
    from tests.support.oauth_provider import LocalOAuthProvider

    provider = LocalOAuthProvider()
    provider.start()
    settings = {
        "OAUTH_GOOGLE_CLIENT_ID": provider.client_id,
        "OAUTH_GOOGLE_CLIENT_SECRET": provider.client_secret,
        "OAUTH_GOOGLE_METADATA_URL": provider.google_metadata_url,
        "OAUTH_FACEBOOK_CLIENT_ID": provider.client_id,
        "OAUTH_FACEBOOK_CLIENT_SECRET": provider.client_secret,
        "OAUTH_FACEBOOK_AUTHORIZE_URL": f"{provider.facebook_base}/dialog/oauth",
        "OAUTH_FACEBOOK_TOKEN_URL": f"{provider.facebook_base}/oauth/access_token",
        "OAUTH_FACEBOOK_API_BASE": f"{provider.facebook_base}/",
    }
    for key, value in settings.items():
        monkeypatch.setitem(app.config, key, value)
    init_oauth(app)
    yield provider
    provider.stop()
