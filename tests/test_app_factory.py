"""The app factory and its configuration."""

import importlib
import logging

import pytest

import config
from fantasize import create_app


def test_production_refuses_the_default_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    reloaded = importlib.reload(config)
    try:
        with pytest.raises(RuntimeError, match="SECRET_KEY"):
            create_app(reloaded.ProductionConfig)
    finally:
        importlib.reload(config)


def test_production_starts_with_a_real_secret(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://shop.example.com")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.db'}")
    reloaded = importlib.reload(config)
    try:
        app = create_app(reloaded.ProductionConfig)
        assert app.config["SESSION_COOKIE_SECURE"] is True
    finally:
        importlib.reload(config)


@pytest.mark.parametrize("missing", ["PUBLIC_BASE_URL", "REDIS_URL"])
def test_production_refuses_to_start_without_shared_settings(monkeypatch, missing):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://shop.example.com")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.delenv(missing)
    reloaded = importlib.reload(config)
    try:
        with pytest.raises(RuntimeError, match=missing):
            create_app(reloaded.ProductionConfig)
    finally:
        importlib.reload(config)


def test_embedded_defaults_without_services(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    reloaded = importlib.reload(config)
    try:
        app = create_app(reloaded.DevelopmentConfig)
        assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
        assert app.config["CACHE_TYPE"] == "SimpleCache"
        assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
        assert app.extensions["redis"] is None
    finally:
        importlib.reload(config)


def test_plain_postgres_urls_use_psycopg3():
    assert config.normalize_database_url("postgres://h/db") == "postgresql+psycopg://h/db"
    assert config.normalize_database_url("postgresql://h/db") == "postgresql+psycopg://h/db"


def test_each_request_logs_one_json_line(client, caplog):
    with caplog.at_level(logging.INFO, logger="fantasize.access"):
        client.get("/api/v2/products", headers={"X-Request-ID": "log-check-1"})
    records = [r for r in caplog.records if getattr(r, "request_id", None) == "log-check-1"]
    assert len(records) == 1
    record = records[0]
    assert (record.method, record.path, record.status) == ("GET", "/api/v2/products", 200)
    assert record.duration_ms >= 0
