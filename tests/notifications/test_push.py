"""The FCM HTTP v1 provider, against a stand-in FCM and Google token endpoint on loopback."""

from __future__ import annotations

import socket

import pytest

from fantasize.notifications import devices
from fantasize.notifications.push import (
    FcmProvider,
    PermanentPushError,
    PushMessage,
    PushOutcome,
    TransientPushError,
    push_provider,
)
from tests.factories import UserFactory
from tests.support.fcm_server import JWT_BEARER, FakeFcm
from tests.support.parallel import run_in_parallel

TOKEN = "fcm-token-of-a-phone"
MESSAGE = PushMessage(
    title="Your order shipped",
    body="Order 7F3A is on its way.",
    data={"event": "order.shipped", "order_id": "7f3a"},
    link="/orders/7f3a",
)


def test_push_is_off_without_configuration(app, monkeypatch):
    monkeypatch.setitem(app.config, "FCM_PROJECT_ID", None)
    monkeypatch.setitem(app.config, "FCM_CREDENTIALS_FILE", None)

    assert push_provider() is None


def test_a_send_posts_the_v1_message_with_the_access_token_from_the_token_endpoint(fake_fcm):
    outcome = push_provider().send(TOKEN, MESSAGE)

    assert outcome is PushOutcome.SENT
    [grant] = fake_fcm.token_requests
    assert grant["outcome"] == "ok"  # signature, issuer, audience, scope and lifetime checked by the stand-in
    assert grant["form"]["grant_type"] == JWT_BEARER
    [send] = fake_fcm.sends
    assert send["path"] == "/v1/projects/fantasize-test/messages:send"
    assert send["headers"]["Authorization"] == f"Bearer {grant['access_token']}"
    assert send["headers"]["Content-Type"] == "application/json"
    message = send["json"]["message"]
    assert message["token"] == TOKEN
    assert message["notification"] == {"title": "Your order shipped", "body": "Order 7F3A is on its way."}
    assert message["data"] == {"event": "order.shipped", "order_id": "7f3a", "link": "/orders/7f3a"}
    assert all(isinstance(value, str) for value in message["data"].values())
    assert message["android"] == {"priority": "HIGH"}
    assert message["apns"] == {"headers": {"apns-priority": "10"}}
    assert "webpush" not in message  # a relative link is not a web push click target


def test_data_values_are_sent_as_strings_and_an_https_link_opens_web_pushes(fake_fcm):
    message = PushMessage(title="t", body="b", data={"count": 3, "flag": True}, link="https://shop.example/orders/1")  # type: ignore[dict-item]

    assert push_provider().send(TOKEN, message) is PushOutcome.SENT

    sent = fake_fcm.sends[0]["json"]["message"]
    assert sent["data"] == {"count": "3", "flag": "True", "link": "https://shop.example/orders/1"}
    assert sent["webpush"] == {"fcmOptions": {"link": "https://shop.example/orders/1"}}


def test_the_access_token_is_reused_across_sends(fake_fcm):
    provider = push_provider()

    for _ in range(4):
        assert provider.send(TOKEN, MESSAGE) is PushOutcome.SENT

    assert len(fake_fcm.token_requests) == 1
    assert {send["headers"]["Authorization"] for send in fake_fcm.sends} == {f"Bearer {fake_fcm.issued_tokens[0]}"}
    assert push_provider() is provider  # one provider per app and configuration


def test_threads_sending_at_once_share_one_access_token(app, fake_fcm):
    provider = push_provider()

    def send(_client):
        return provider.send(TOKEN, MESSAGE)

    outcomes = run_in_parallel(app, [send] * 8)

    assert outcomes == [PushOutcome.SENT] * 8
    assert len(fake_fcm.token_requests) == 1


def test_a_token_close_to_expiry_is_renewed_before_it_is_used(fake_fcm):
    fake_fcm.token_lifetime = 120  # inside the renewal margin: never worth keeping
    provider = push_provider()

    provider.send(TOKEN, MESSAGE)
    provider.send(TOKEN, MESSAGE)

    assert len(fake_fcm.token_requests) == 2
    assert [send["headers"]["Authorization"] for send in fake_fcm.sends] == [
        f"Bearer {token}" for token in fake_fcm.issued_tokens
    ]


def test_a_revoked_access_token_is_replaced_once_and_the_send_goes_through(fake_fcm):
    provider = push_provider()
    provider.send(TOKEN, MESSAGE)
    fake_fcm.revoke_access_tokens()

    assert provider.send(TOKEN, MESSAGE) is PushOutcome.SENT

    assert [send["outcome"] for send in fake_fcm.sends] == [200, 401, 200]
    assert len(fake_fcm.token_requests) == 2


def test_404_unregistered_means_the_token_is_dead_and_it_is_pruned(fake_fcm):
    user = UserFactory()
    devices.register_device(user.id, TOKEN, "android")
    devices.register_device(user.id, "another-phone", "ios")
    fake_fcm.unregistered.add(TOKEN)
    provider = push_provider()

    outcome = provider.send(TOKEN, MESSAGE)
    if outcome is PushOutcome.UNREGISTERED:
        devices.prune_token(TOKEN)

    assert outcome is PushOutcome.UNREGISTERED
    assert fake_fcm.sends[0]["outcome"] == 404
    assert [device.token for device in devices.devices_of(user.id)] == ["another-phone"]
    assert provider.send("another-phone", MESSAGE) is PushOutcome.SENT


def test_sender_id_mismatch_counts_as_a_dead_token(fake_fcm):
    fake_fcm.fail_next(1, status=403, error_code="SENDER_ID_MISMATCH")

    assert push_provider().send(TOKEN, MESSAGE) is PushOutcome.UNREGISTERED


def test_503_unavailable_is_transient_and_the_next_try_succeeds(fake_fcm):
    fake_fcm.fail_next(2, status=503, error_code="UNAVAILABLE")
    provider = push_provider()

    for _ in range(2):
        with pytest.raises(TransientPushError) as caught:
            provider.send(TOKEN, MESSAGE)
        assert (caught.value.status, caught.value.code) == (503, "UNAVAILABLE")

    assert provider.send(TOKEN, MESSAGE) is PushOutcome.SENT
    assert [send["outcome"] for send in fake_fcm.sends] == [503, 503, 200]


@pytest.mark.parametrize(("status", "code"), [(429, "QUOTA_EXCEEDED"), (500, "INTERNAL"), (502, None)])
def test_quota_and_server_errors_are_transient(fake_fcm, status, code):
    fake_fcm.fail_next(1, status=status, error_code=code)

    with pytest.raises(TransientPushError):
        push_provider().send(TOKEN, MESSAGE)


def test_an_invalid_payload_is_permanent_and_keeps_the_token(fake_fcm):
    fake_fcm.fail_next(1, status=400, error_code="INVALID_ARGUMENT")

    with pytest.raises(PermanentPushError) as caught:
        push_provider().send(TOKEN, MESSAGE)

    assert caught.value.code == "INVALID_ARGUMENT"


def test_credentials_google_does_not_trust_are_a_permanent_error(app, fake_fcm, tmp_path, monkeypatch):
    stranger = FakeFcm(project_id=fake_fcm.project_id)  # its key is unknown to the running stand-in
    path = tmp_path / "stranger.json"
    stranger.write_service_account(path, token_uri=fake_fcm.token_uri)
    monkeypatch.setitem(app.config, "FCM_CREDENTIALS_FILE", str(path))

    with pytest.raises(PermanentPushError):
        push_provider().send(TOKEN, MESSAGE)

    assert fake_fcm.token_requests[0]["outcome"] != "ok"
    assert fake_fcm.sends == []


def test_an_unreachable_fcm_is_transient(fake_fcm, tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    path = tmp_path / "sa.json"
    fake_fcm.write_service_account(path)
    provider = FcmProvider.from_service_account_file(
        fake_fcm.project_id, str(path), endpoint=f"http://127.0.0.1:{closed_port}", timeout=2
    )

    with pytest.raises(TransientPushError):
        provider.send(TOKEN, MESSAGE)


@pytest.mark.parametrize(
    "content", [None, "{not json", '{"client_email": "a@b"}', '{"client_email": "a", "private_key": "x"}']
)
def test_an_unusable_credentials_file_is_a_permanent_error(app, tmp_path, monkeypatch, content):
    path = tmp_path / "sa.json"
    if content is not None:
        path.write_text(content)
    monkeypatch.setitem(app.config, "FCM_PROJECT_ID", "fantasize-test")
    monkeypatch.setitem(app.config, "FCM_CREDENTIALS_FILE", str(path))

    with pytest.raises(PermanentPushError, match="FCM_CREDENTIALS_FILE"):
        push_provider()
