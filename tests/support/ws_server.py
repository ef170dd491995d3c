"""The app in a real server process for WebSocket tests: gunicorn (gthread) with the test session's
database, Redis key prefixes and secret, passed in through the environment.

    gunicorn "tests.support.ws_server:create_ws_app()"
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

from flask import Flask

from config import TestConfig
from fantasize import create_app

ROOT = Path(__file__).resolve().parents[2]
# What a server process shares with the test session (read from its app's config).
SHARED_SETTINGS = (
    "SQLALCHEMY_DATABASE_URI",
    "SQLALCHEMY_ENGINE_OPTIONS",
    "REDIS_URL",
    "SECRET_KEY",
    "CACHE_KEY_PREFIX",
    "RATELIMIT_KEY_PREFIX",
    "RATELIMIT_STORAGE_OPTIONS",
    "RQ_QUEUE_PREFIX",
    "REALTIME_KEY_PREFIX",
    "UPLOAD_DIR",
)


def create_ws_app() -> Flask:
    """The app with the settings of ``TEST_APP_SETTINGS`` (JSON) on top of the test configuration."""
    return create_app(TestConfig, json.loads(os.environ["TEST_APP_SETTINGS"]))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    """``gunicorn`` serving ``create_ws_app()`` on a free loopback port."""

    def __init__(self, app: Flask, **overrides: object) -> None:
        settings = {key: app.config.get(key) for key in SHARED_SETTINGS}
        settings.update(overrides)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"ws://127.0.0.1:{self.port}/ws"
        self.env = {
            **os.environ,
            "TEST_APP_SETTINGS": json.dumps(settings),
            "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        }
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> ServerProcess:
        command = [
            str(Path(sys.executable).parent / "gunicorn"),
            "--worker-class",
            "gthread",
            "--workers",
            "1",
            "--threads",
            "64",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--graceful-timeout",
            "2",
            "tests.support.ws_server:create_ws_app()",
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env)
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/health/live", timeout=2):  # noqa: S310 - loopback
                    return self
            except OSError:
                assert self.process.poll() is None, "the server process exited early"
                assert time.monotonic() < deadline, f"the server did not answer within {timeout} s"
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
