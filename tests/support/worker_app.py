"""The app a real ``rq`` worker process runs in tests: the same database schema, Redis queues
and SMTP sink as the test session, passed in through the environment.

    flask --app "tests.support.worker_app:create_worker_app()" rq-worker --burst
"""

from __future__ import annotations

import os

from flask import Flask

from config import TestConfig
from fantasize import create_app


def create_worker_app() -> Flask:
    schema = os.environ.get("TEST_DB_SCHEMA")
    settings: dict = {
        "SQLALCHEMY_DATABASE_URI": os.environ["TEST_DATABASE_URI"],
        "REDIS_URL": os.environ["REDIS_URL"],
        "RQ_QUEUE_PREFIX": os.environ["RQ_QUEUE_PREFIX"],
        "SMTP_HOST": os.environ.get("SMTP_HOST"),
        "SMTP_PORT": int(os.environ.get("SMTP_PORT", "25")),
        "CACHE_KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "worker:"),
    }
    if schema:
        settings["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "pool_pre_ping": True,
            "connect_args": {"options": f"-csearch_path={schema},public"},
        }
    return create_app(TestConfig, settings)
