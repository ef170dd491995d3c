"""Push devices: ``/api/v2/users/me/devices`` and the device service."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from fantasize.extensions import db
from fantasize.notifications import devices
from fantasize.notifications.models import DeviceToken
from tests.accounts.helpers import api_login, bearer
from tests.factories import UserFactory
from tests.support.parallel import run_in_parallel

URL = "/api/v2/users/me/devices"
TOKEN = "fcm:APA91bH-abc_DEF.123"


def _auth(user) -> dict[str, str]:
    from flask import current_app

    return bearer(api_login(current_app.test_client(), user.email)["access_token"])


def _tokens_of(user) -> set[str]:
    db.session.expire_all()
    return {device.token for device in devices.list_devices(user.id)}


def test_registering_a_device_answers_201_and_lists_it(client):
    user = UserFactory()
    auth = _auth(user)

    response = client.post(URL, json={"token": TOKEN, "platform": "android"}, headers=auth)

    assert response.status_code == 201, response.get_json()
    device = response.get_json()["data"]
    assert (device["token"], device["platform"]) == (TOKEN, "android")
    listed = client.get(URL, headers=auth).get_json()["data"]
    assert [item["id"] for item in listed] == [device["id"]]


def test_registering_the_same_token_again_refreshes_it_with_200(client):
    user = UserFactory()
    auth = _auth(user)
    first = client.post(URL, json={"token": TOKEN, "platform": "ios"}, headers=auth).get_json()["data"]

    again = client.post(URL, json={"token": TOKEN, "platform": "ios"}, headers=auth)

    assert again.status_code == 200
    refreshed = again.get_json()["data"]
    assert refreshed["id"] == first["id"]
    assert refreshed["created_at"] == first["created_at"]
    assert refreshed["last_seen_at"] > first["last_seen_at"]
    assert db.session.scalar(select(func.count()).select_from(DeviceToken)) == 1


def test_the_list_shows_only_the_callers_devices(client):
    alice, bob = UserFactory(), UserFactory()
    client.post(URL, json={"token": "alice-phone", "platform": "ios"}, headers=_auth(alice))
    client.post(URL, json={"token": "bob-phone", "platform": "android"}, headers=_auth(bob))

    listed = client.get(URL, headers=_auth(alice)).get_json()["data"]

    assert [item["token"] for item in listed] == ["alice-phone"]


def test_a_token_registered_by_another_user_moves_to_the_new_one(client):
    alice, bob = UserFactory(), UserFactory()
    client.post(URL, json={"token": TOKEN, "platform": "android"}, headers=_auth(alice))

    response = client.post(URL, json={"token": TOKEN, "platform": "android"}, headers=_auth(bob))

    assert response.status_code == 201  # new for bob
    assert _tokens_of(alice) == set()
    assert _tokens_of(bob) == {TOKEN}
    assert client.get(URL, headers=_auth(alice)).get_json()["data"] == []


def test_deleting_an_own_device_by_id(client):
    user = UserFactory()
    auth = _auth(user)
    device = client.post(URL, json={"token": TOKEN, "platform": "web"}, headers=auth).get_json()["data"]

    response = client.delete(f"{URL}/{device['id']}", headers=auth)

    assert response.status_code == 204
    assert _tokens_of(user) == set()


def test_deleting_another_users_device_is_404_and_keeps_it(client):
    alice, bob = UserFactory(), UserFactory()
    device = client.post(URL, json={"token": TOKEN, "platform": "web"}, headers=_auth(alice)).get_json()["data"]

    response = client.delete(f"{URL}/{device['id']}", headers=_auth(bob))

    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    assert _tokens_of(alice) == {TOKEN}


@pytest.mark.parametrize("where", ["json", "query"])
def test_deleting_by_token_in_the_body_or_the_query(client, where):
    user = UserFactory()
    auth = _auth(user)
    client.post(URL, json={"token": TOKEN, "platform": "ios"}, headers=auth)

    if where == "json":
        response = client.delete(URL, json={"token": TOKEN}, headers=auth)
    else:
        response = client.delete(URL, query_string={"token": TOKEN}, headers=auth)

    assert response.status_code == 204
    assert _tokens_of(user) == set()


def test_deleting_another_users_token_does_nothing_and_says_nothing(client):
    alice, bob = UserFactory(), UserFactory()
    client.post(URL, json={"token": TOKEN, "platform": "ios"}, headers=_auth(alice))

    response = client.delete(URL, json={"token": TOKEN}, headers=_auth(bob))

    assert response.status_code == 204
    assert _tokens_of(alice) == {TOKEN}


def test_deleting_by_token_without_a_token_is_a_field_error(client):
    response = client.delete(URL, headers=_auth(UserFactory()))

    assert response.status_code == 422
    assert "token" in response.get_json()["error"]["details"]


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"token", "platform"}),
        ({"token": "", "platform": "android"}, {"token"}),
        ({"token": "with space", "platform": "android"}, {"token"}),
        ({"token": "line\nbreak", "platform": "android"}, {"token"}),
        ({"token": "x" * 513, "platform": "android"}, {"token"}),
        ({"token": TOKEN, "platform": "windows-phone"}, {"platform"}),
        ({"token": "bad token", "platform": "blackberry"}, {"token", "platform"}),
        ({"token": 123, "platform": "ios"}, {"token"}),
    ],
)
def test_invalid_registrations_are_422_field_by_field(client, body, fields):
    response = client.post(URL, json=body, headers=_auth(UserFactory()))

    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_error"
    assert set(error["details"]) == fields
    assert db.session.scalar(select(func.count()).select_from(DeviceToken)) == 0


def test_a_512_character_token_is_accepted(client):
    response = client.post(URL, json={"token": "t" * 512, "platform": "ios"}, headers=_auth(UserFactory()))

    assert response.status_code == 201


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", URL), ("post", URL), ("delete", URL), ("delete", f"{URL}/1"), ("get", "/api/v1/users/me/devices")],
)
def test_anonymous_callers_get_401(client, method, path):
    response = getattr(client, method)(path, json={"token": TOKEN, "platform": "ios"} if method == "post" else None)

    assert response.status_code == 401


def test_the_service_validates_field_by_field_too():
    from fantasize.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as caught:
        devices.register_device(UserFactory().id, " ", "pager")

    assert set(caught.value.details) == {"token", "platform"}


def test_a_user_keeps_at_most_the_cap_dropping_the_least_recently_seen(monkeypatch):
    monkeypatch.setattr(devices, "MAX_DEVICES", 3)
    user = UserFactory()
    for name in ("one", "two", "three"):
        devices.register_device(user.id, name, "android")
    devices.register_device(user.id, "one", "android")  # seen again: now the most recent

    devices.register_device(user.id, "four", "android")

    assert [device.token for device in devices.list_devices(user.id)] == ["four", "one", "three"]


def test_prune_token_forgets_the_device_whoever_has_it():
    user = UserFactory()
    devices.register_device(user.id, TOKEN, "ios")

    assert devices.prune_token(TOKEN) is True
    assert devices.prune_token(TOKEN) is False
    assert devices.devices_of(user.id) == []


@pytest.mark.postgres
def test_parallel_registrations_of_one_token_leave_one_row(app, client):
    users = [UserFactory() for _ in range(6)]
    db.session.commit()
    auths = [_auth(user) for user in users]

    def register(auth):
        return lambda c: c.post(URL, json={"token": TOKEN, "platform": "android"}, headers=auth).status_code

    statuses = run_in_parallel(app, [register(auth) for auth in auths])

    assert len(statuses) == 6
    assert set(statuses) <= {200, 201}, statuses
    db.session.expire_all()
    rows = db.session.scalars(select(DeviceToken)).all()
    assert len(rows) == 1
    assert rows[0].user_id in {user.id for user in users}
