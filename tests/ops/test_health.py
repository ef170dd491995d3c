"""Health checks that really check, and instance information."""

import pytest

from config import TestConfig
from fantasize import create_app


@pytest.mark.parametrize("path", ["/health", "/health/ready"])
def test_ready_is_200_when_the_database_answers(client, path):
    response = client.get(path)
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"


@pytest.mark.redis
def test_ready_checks_redis_when_configured(client):
    assert client.get("/health/ready").get_json()["checks"]["redis"]["status"] == "ok"


def test_live_only_says_the_process_is_up(client):
    assert client.get("/health/live").get_json() == {"status": "ok"}


def test_ready_is_503_naming_the_database_on_a_closed_port():
    app = create_app(
        TestConfig, {"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://127.0.0.1:1/test", "REDIS_URL": None}
    )
    response = app.test_client().get("/health/ready")
    assert response.status_code == 503
    body = response.get_json()
    assert body["failing"] == ["database"]
    assert body["checks"]["database"]["status"] == "fail"


def test_ready_is_503_naming_redis_on_a_closed_port(app):
    broken = create_app(
        TestConfig,
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SQLALCHEMY_ENGINE_OPTIONS": app.config["SQLALCHEMY_ENGINE_OPTIONS"],
            "REDIS_URL": "redis://127.0.0.1:1/0",
            "RATELIMIT_STORAGE_URI": "memory://",
            "CACHE_TYPE": "SimpleCache",
        },
    )
    response = broken.test_client().get("/health")
    assert response.status_code == 503
    assert response.get_json()["failing"] == ["redis"]


def test_instance_info_describes_the_process(client):
    info = client.get("/instance-info").get_json()
    assert set(info) >= {"version", "git_revision", "hostname", "pid", "uptime_seconds", "python_version"}
    assert isinstance(info["pid"], int)
