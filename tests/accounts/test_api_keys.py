"""API keys: shown once, hashed, scoped, revocable, with a last-used time."""

import pytest
from sqlalchemy import select

from fantasize.accounts.models import ApiKey
from fantasize.audit.models import AuditEvent
from fantasize.errors import ValidationFailed
from fantasize.extensions import db
from tests.accounts.helpers import issue_api_key
from tests.factories import UserFactory


def test_a_key_authenticates_and_records_its_last_use(client):
    user = UserFactory()
    key, plain = issue_api_key(user, "Sync", [])
    db.session.commit()
    assert plain.startswith("fz_")
    response = client.get("/api/v2/users/me", headers={"X-API-Key": plain})
    assert response.status_code == 200
    assert response.get_json()["data"]["id"] == user.id
    db.session.expire_all()
    assert db.session.get(ApiKey, key.id).last_used_at is not None


def test_a_revoked_or_unknown_key_is_refused(client, login):
    user = UserFactory()
    key, plain = issue_api_key(user, "Old", [])
    db.session.commit()
    login(user)
    assert client.post(f"/account/api-keys/{key.id}/revoke").status_code == 303
    assert client.get("/api/v2/users/me", headers={"X-API-Key": plain}).status_code == 401
    assert client.get("/api/v2/users/me", headers={"X-API-Key": "fz_made_up"}).status_code == 401


def test_scopes_limit_what_a_key_can_do(client):
    admin = UserFactory(role="admin")
    _, narrow = issue_api_key(admin, "Catalogue only", ["catalog.write"])
    _, wide = issue_api_key(admin, "Users", ["users.manage"])
    db.session.commit()
    assert client.get("/api/v2/admin/users", headers={"X-API-Key": narrow}).status_code == 403
    assert client.get("/api/v2/admin/users", headers={"X-API-Key": wide}).status_code == 200


def test_a_key_cannot_carry_more_than_its_owner_has():
    customer = UserFactory()
    with pytest.raises(ValidationFailed) as refused:
        issue_api_key(customer, "Sneaky", ["users.manage"])
    assert "scopes" in refused.value.details


def test_the_page_shows_a_new_key_once_and_audits_it(client, login):
    user = UserFactory(role="manager")
    login(user)
    response = client.post("/account/api-keys", data={"name": "Reports", "scopes": ["reports.view"]})
    assert response.status_code == 200
    assert "Your new key" in response.get_data(as_text=True)
    assert "Your new key" not in client.get("/account/security").get_data(as_text=True)
    with client.session_transaction() as session:
        assert "fz_" not in str(dict(session))  # never kept in the cookie
    key = db.session.scalar(select(ApiKey).where(ApiKey.user_id == user.id))
    assert key.scopes == ["reports.view"]
    assert (
        db.session.scalar(select(AuditEvent.action).where(AuditEvent.target == f"api_key:{key.id}"))
        == "api_key.created"
    )


def test_the_page_refuses_a_nameless_key_next_to_the_field(client, login):
    login(UserFactory())
    response = client.post("/account/api-keys", data={"name": ""})
    assert response.status_code == 422
    assert 'id="name-help" class="field-error"' in response.get_data(as_text=True)
