"""Fixtures for notification tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from tests.orders.conftest import shelf, shopper, staff  # noqa: F401 - the order fixtures, for order messages
from tests.support.fcm_server import FakeFcm


@pytest.fixture
def fake_fcm(app: Flask, tmp_path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeFcm]:
    """A stand-in FCM and Google token endpoint on loopback, with the app configured to push through it."""
    fcm = FakeFcm(project_id="fantasize-test")
    fcm.start()
    credentials = tmp_path / "fcm-service-account.json"
    fcm.write_service_account(credentials)
    monkeypatch.setitem(app.config, "FCM_PROJECT_ID", fcm.project_id)
    monkeypatch.setitem(app.config, "FCM_CREDENTIALS_FILE", str(credentials))
    monkeypatch.setitem(app.config, "FCM_ENDPOINT", fcm.base_url)
    yield fcm
    fcm.stop()
