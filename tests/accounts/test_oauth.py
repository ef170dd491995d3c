"""Sign-in with Google and Facebook against a real local provider on loopback."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from sqlalchemy import select

from fantasize.accounts.models import OAuthIdentity, User
from fantasize.extensions import db
from tests.accounts.helpers import bearer
from tests.factories import UserFactory


def _follow_provider(client, provider_path: str) -> str:
    """Start the flow in our app, let the provider approve over real HTTP, return our callback URL."""
    start = client.get(f"/auth/oauth/{provider_path}")
    assert start.status_code == 302
    authorize_url = start.headers["Location"]
    approved = requests.get(authorize_url, allow_redirects=False, timeout=5)
    assert approved.status_code == 302, approved.text
    callback = urlsplit(approved.headers["Location"])
    return f"{callback.path}?{callback.query}"


def test_google_browser_flow_creates_and_signs_in_a_user(client, oauth_provider):
    oauth_provider.next_user = {"sub": "g-42", "email": "ada@example.com", "email_verified": True, "name": "Ada"}
    start = client.get("/auth/oauth/google")
    query = parse_qs(urlsplit(start.headers["Location"]).query)
    assert query["state"][0]
    assert query["nonce"][0]
    assert query["code_challenge_method"] == ["S256"]

    approved = requests.get(start.headers["Location"], allow_redirects=False, timeout=5)
    callback = urlsplit(approved.headers["Location"])
    done = client.get(f"{callback.path}?{callback.query}")
    assert done.status_code == 303
    assert client.get("/account").status_code == 200
    user = db.session.scalar(select(User).where(User.email == "ada@example.com"))
    assert user is not None
    assert user.password_hash is None
    assert db.session.scalar(select(OAuthIdentity.subject).where(OAuthIdentity.user_id == user.id)) == "g-42"


def test_google_callback_with_a_forged_state_is_refused(client, oauth_provider):
    callback = _follow_provider(client, "google")
    forged = callback.replace("state=", "state=forged")
    response = client.get(forged)
    assert response.status_code == 303
    assert response.headers["Location"] == "/login"
    assert client.get("/account").status_code == 302


def test_google_links_an_account_made_with_another_provider_by_verified_email(client, oauth_provider):
    existing = UserFactory(email="grace@example.com", password_hash=None)  # created by a Facebook sign-in
    oauth_provider.next_user = {"sub": "g-7", "email": "Grace@Example.com", "email_verified": True, "name": "Grace"}
    client.get(_follow_provider(client, "google"))
    link = db.session.scalar(select(OAuthIdentity).where(OAuthIdentity.subject == "g-7"))
    assert link.user_id == existing.id


def test_a_password_account_is_not_taken_over_by_a_provider_sign_in(client, oauth_provider):
    """Someone may have registered the victim's address with a password; the victim's Google
    sign-in must not silently join (and hand over) that account."""
    squatted = UserFactory(email="victim@gmail.example")
    oauth_provider.next_user = {"sub": "g-v", "email": "victim@gmail.example", "email_verified": True, "name": "V"}
    response = client.get(_follow_provider(client, "google"))
    assert response.headers["Location"] == "/login"
    assert client.get("/account").status_code == 302
    assert db.session.scalar(select(OAuthIdentity).where(OAuthIdentity.user_id == squatted.id)) is None
    token = oauth_provider.make_id_token("g-v", "victim@gmail.example")
    api = client.post("/api/v2/auth/oauth/google", json={"id_token": token})
    assert api.status_code == 401
    assert "already exists" in api.get_json()["error"]["message"]


def test_an_unverified_google_email_does_not_take_over_an_account(client, oauth_provider):
    UserFactory(email="victim@example.com")
    oauth_provider.next_user = {"sub": "g-evil", "email": "victim@example.com", "email_verified": False, "name": "X"}
    client.get(_follow_provider(client, "google"))
    assert client.get("/account").status_code == 302
    assert db.session.scalar(select(OAuthIdentity).where(OAuthIdentity.subject == "g-evil")) is None


def test_facebook_browser_flow(client, oauth_provider):
    oauth_provider.next_user = {"sub": "fb-1", "email": "linus@example.com", "email_verified": True, "name": "Linus"}
    client.get(_follow_provider(client, "facebook"))
    assert client.get("/account").status_code == 200
    assert db.session.scalar(select(OAuthIdentity.provider).where(OAuthIdentity.subject == "fb-1")) == "facebook"


def test_mobile_google_exchange_with_a_genuine_id_token(client, oauth_provider):
    token = oauth_provider.make_id_token("g-9", "mobile@example.com")
    response = client.post("/api/v2/auth/oauth/google", json={"id_token": token})
    assert response.status_code == 200, response.get_json()
    access = response.get_json()["data"]["access_token"]
    me = client.get("/api/v2/users/me", headers=bearer(access)).get_json()["data"]
    assert me["email"] == "mobile@example.com"


@pytest.mark.parametrize(
    "tamper",
    [
        {"signed_by_foreign_key": True},
        {"expires_in": -60},
        {"audience": "someone-elses-app"},
        {"issuer": "https://accounts.evil.example"},
    ],
    ids=["forged-signature", "expired", "wrong-audience", "wrong-issuer"],
)
def test_mobile_google_exchange_rejects_bad_tokens(client, oauth_provider, tamper):
    token = oauth_provider.make_id_token("g-9", "mobile@example.com", **tamper)
    response = client.post("/api/v2/auth/oauth/google", json={"id_token": token})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "oauth_failed"
    assert db.session.scalar(select(User).where(User.email == "mobile@example.com")) is None


def test_mobile_exchange_ignores_an_email_sent_by_the_client(client, oauth_provider):
    UserFactory(email="victim@example.com")
    token = oauth_provider.make_id_token("g-attacker", "attacker@example.com")
    smuggled = client.post("/api/v2/auth/oauth/google", json={"id_token": token, "email": "victim@example.com"})
    assert smuggled.status_code == 422
    assert "email" in smuggled.get_json()["error"]["details"]  # unknown fields are refused, not ignored
    response = client.post("/api/v2/auth/oauth/google", json={"id_token": token})
    me = client.get("/api/v2/users/me", headers=bearer(response.get_json()["data"]["access_token"])).get_json()["data"]
    assert me["email"] == "attacker@example.com"


def test_mobile_facebook_exchange(client, oauth_provider):
    token = oauth_provider.make_facebook_token("fb-5", "fbuser@example.com")
    response = client.post("/api/v2/auth/oauth/facebook", json={"access_token": token})
    assert response.status_code == 200, response.get_json()


@pytest.mark.parametrize("tamper", [{"app_id": "another-app"}, {"expires_in": -60}], ids=["other-app", "expired"])
def test_mobile_facebook_exchange_rejects_bad_tokens(client, oauth_provider, tamper):
    token = oauth_provider.make_facebook_token("fb-5", "fbuser@example.com", **tamper)
    response = client.post("/api/v2/auth/oauth/facebook", json={"access_token": token})
    assert response.status_code == 401


def test_mobile_exchange_of_an_unknown_token(client, oauth_provider):
    response = client.post("/api/v2/auth/oauth/facebook", json={"access_token": "made-up"})
    assert response.status_code == 401


def test_mobile_exchange_needs_the_token_field(client, oauth_provider):
    response = client.post("/api/v2/auth/oauth/google", json={})
    assert response.status_code == 400
    assert "id_token" in response.get_json()["error"]["details"]


def test_providers_that_are_not_configured_are_refused(client):
    assert client.post("/api/v2/auth/oauth/google", json={"id_token": "x"}).status_code == 401
    assert client.get("/auth/oauth/google").status_code == 401
