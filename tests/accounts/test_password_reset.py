"""Password reset by e-mailed, single-use, expiring token (through the job queue and real SMTP)."""

import re
from datetime import timedelta

from sqlalchemy import select, update

from fantasize.accounts.models import PasswordResetToken
from fantasize.db import utcnow
from fantasize.extensions import db
from tests.accounts.helpers import api_login
from tests.factories import UserFactory
from tests.support.smtp_sink import text_of

NEW_PASSWORD = "fresh-meadow-lantern-31"


def _reset_link(messages) -> str:
    assert len(messages) == 1
    body = text_of(messages[0])
    match = re.search(r"http://\S+/password/reset/(\S+)", body)
    assert match, body
    return match.group(1)


def test_reset_link_arrives_by_email_and_works_once(client, mailbox, run_jobs):
    user = UserFactory(email="ada@example.com")
    response = client.post("/api/v2/auth/password/forgot", json={"email": "ADA@example.com"})
    assert response.status_code == 202
    run_jobs()
    assert mailbox[0]["To"] == "ada@example.com"
    assert mailbox[0]["Subject"] == "Reset your Fantasize password"
    token = _reset_link(mailbox)

    ok = client.post("/api/v2/auth/password/reset", json={"token": token, "password": NEW_PASSWORD})
    assert ok.status_code == 200
    api_login(client, user.email, NEW_PASSWORD)
    again = client.post("/api/v2/auth/password/reset", json={"token": token, "password": "another-pass-phrase-9"})
    assert again.status_code == 422
    assert "token" in again.get_json()["error"]["details"]


def test_the_answer_does_not_reveal_whether_the_account_exists(client, mailbox, run_jobs):
    UserFactory(email="known@example.com")
    known = client.post("/api/v2/auth/password/forgot", json={"email": "known@example.com"})
    unknown = client.post("/api/v2/auth/password/forgot", json={"email": "unknown@example.com"})
    assert known.status_code == unknown.status_code == 202
    assert known.get_json()["data"] == unknown.get_json()["data"]
    run_jobs()
    assert [m["To"] for m in mailbox] == ["known@example.com"]


def test_an_expired_token_is_refused(client, mailbox, run_jobs):
    UserFactory(email="late@example.com")
    client.post("/api/v2/auth/password/forgot", json={"email": "late@example.com"})
    run_jobs()
    token = _reset_link(mailbox)
    db.session.execute(update(PasswordResetToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    response = client.post("/api/v2/auth/password/reset", json={"token": token, "password": NEW_PASSWORD})
    assert response.status_code == 422


def test_the_token_is_stored_only_as_a_hash(client, mailbox, run_jobs):
    UserFactory(email="hash@example.com")
    client.post("/api/v2/auth/password/forgot", json={"email": "hash@example.com"})
    run_jobs()
    token = _reset_link(mailbox)
    stored = db.session.scalar(select(PasswordResetToken.token_hash))
    assert stored != token
    assert token not in stored


def test_browser_reset_flow(client, mailbox, run_jobs):
    UserFactory(email="web@example.com")
    page = client.post("/password/forgot", data={"email": "web@example.com"})
    assert page.status_code == 303
    run_jobs()
    token = _reset_link(mailbox)
    assert client.get(f"/password/reset/{token}").status_code == 200  # opening the link changes nothing
    opened = client.post(f"/password/reset/{token}")
    assert opened.status_code == 303
    assert opened.headers["Location"] == "/password/reset"  # the token leaves the address bar
    weak = client.post("/password/reset", data={"password": "password1234"})
    assert 'class="field-error"' in weak.get_data(as_text=True)
    done = client.post("/password/reset", data={"password": NEW_PASSWORD})
    assert done.status_code == 303
    assert client.post("/login", data={"email": "web@example.com", "password": NEW_PASSWORD}).status_code == 303


def test_the_reset_link_ignores_a_forged_host_header(app, client, mailbox, run_jobs, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://shop.example.com")
    UserFactory(email="target@example.com")
    client.post("/password/forgot", data={"email": "target@example.com"}, headers={"Host": "evil.example"})
    run_jobs()
    body = text_of(mailbox[0])
    assert "https://shop.example.com/password/reset/" in body
    assert "evil.example" not in body
