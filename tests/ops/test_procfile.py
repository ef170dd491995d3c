"""The Procfile's web line really serves the app under gunicorn (gunicorn.conf.py): pages and WebSockets."""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import simple_websocket

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _procfile_command(process: str) -> str:
    for line in (ROOT / "Procfile").read_text().splitlines():
        name, _, command = line.partition(":")
        if name.strip() == process:
            return command.strip()
    raise AssertionError(f"no {process} line in the Procfile")


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
        return response.status, response.read()


@pytest.mark.slow
def test_gunicorn_from_the_procfile_serves_the_app(app, tmp_path):
    port = _free_port()
    command = _procfile_command("web")
    env = {
        **os.environ,
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        # Settings given here override gunicorn.conf.py: only loopback in tests.
        "GUNICORN_CMD_ARGS": f"--bind 127.0.0.1:{port}",
        # Production settings need Redis; without it (the quick SQLite loop) the same line runs in development mode.
        "FANTASIZE_ENV": "production" if os.environ.get("REDIS_URL") else "development",
        "SECRET_KEY": "p" * 48,
        "PUBLIC_BASE_URL": "https://shop.example.com",
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{tmp_path / 'gunicorn.db'}",
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
    }
    process = subprocess.Popen(["bash", "-c", f"exec {command}"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, body = _get(f"{base}/health/live")
                break
            except OSError:
                assert process.poll() is None, "gunicorn exited early"
                assert time.monotonic() < deadline, "gunicorn did not answer within 30 s"
                time.sleep(0.2)
        assert status == 200
        status, body = _get(f"{base}/health/ready")
        assert status == 200
        status, body = _get(f"{base}/api/v2/openapi.json")
        assert re.search(rb'"openapi":\s*"3\.', body)
        # An open WebSocket does not hold up a page request in the same worker.
        ws = simple_websocket.Client.connect(f"ws://127.0.0.1:{port}/ws")
        try:
            status, _ = _get(f"{base}/health/live")
            assert status == 200
            ws.send(json.dumps({"event": "ping"}))
            assert json.loads(ws.receive(timeout=5))["event"] == "pong"
        finally:
            ws.close()
    finally:
        process.terminate()
        process.wait(timeout=20)
