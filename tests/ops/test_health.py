"""Health checks that really check, and instance information."""

import os

import pytest

from config import TestConfig
from fantasize import create_app
from fantasize.extensions import db
from tests.accounts.helpers import api_login, bearer, issue_api_key
from tests.factories import UserFactory


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


@pytest.fixture
def staff_only(app, monkeypatch):
    """Production's setting: ``/instance-info`` for staff only."""
    monkeypatch.setitem(app.config, "INSTANCE_INFO_PUBLIC", False)


def test_instance_info_is_staff_only_in_production(client, staff_only):
    from config import ProductionConfig

    assert ProductionConfig.INSTANCE_INFO_PUBLIC is False
    anonymous = client.get("/instance-info")
    assert anonymous.status_code == 401
    assert anonymous.get_json()["error"]["code"] == "unauthorized"
    assert "hostname" not in anonymous.get_data(as_text=True)

    customer = bearer(api_login(client, UserFactory().email)["access_token"])
    refused = client.get("/instance-info", headers=customer)
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "forbidden"

    manager = bearer(api_login(client, UserFactory(role="manager").email)["access_token"])
    assert client.get("/instance-info", headers=manager).get_json()["pid"] == os.getpid()
    assert client.get("/instance-info", headers={"Authorization": "Bearer forged"}).status_code == 401


def test_instance_info_accepts_a_staff_session_or_api_key(client, staff_only, login):
    admin = UserFactory(role="admin")
    _key, plain = issue_api_key(admin, "monitoring", ["reports.view"])
    db.session.commit()
    assert client.get("/instance-info", headers={"X-API-Key": plain}).status_code == 200
    login(admin)
    assert client.get("/instance-info").status_code == 200
