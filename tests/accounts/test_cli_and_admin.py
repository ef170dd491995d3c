"""Creating accounts from the shell, demo accounts, and role changes in the admin pages."""

from sqlalchemy import select

from fantasize.accounts.models import User
from fantasize.audit.models import AuditEvent
from fantasize.extensions import db
from fantasize.ops.demo_data import DEMO_ACCOUNTS
from tests.accounts.helpers import api_login
from tests.factories import UserFactory


def test_create_user_from_the_shell(app):
    result = app.test_cli_runner().invoke(
        args=["create-user", "Boss@Example.com", "--role", "admin", "--password", "granite-sparrow-harbor-5"]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "boss@example.com"))
    assert user.role == "admin"


def test_create_user_prompts_for_the_password(app):
    result = app.test_cli_runner().invoke(
        args=["create-user", "quiet@example.com"], input="granite-sparrow-harbor-5\ngranite-sparrow-harbor-5\n"
    )
    assert result.exit_code == 0, result.output
    assert "granite-sparrow-harbor-5" not in result.output


def test_create_user_explains_a_weak_password(app):
    result = app.test_cli_runner().invoke(args=["create-user", "weak@example.com", "--password", "password"])
    assert result.exit_code != 0
    assert "password" in result.output.lower()


def test_seed_demo_creates_one_account_per_role_that_can_sign_in(app, client):
    output = app.test_cli_runner().invoke(args=["seed-demo"]).output
    for email, password, role in DEMO_ACCOUNTS:
        assert email in output
        api_login(client, email, password)
        assert db.session.scalar(select(User.role).where(User.email == email)) == role
        # …and through the sign-in form, whose e-mail check is stricter than the API's.
        assert client.post("/login", data={"email": email, "password": password}).status_code == 303
        client.post("/logout")


def test_admin_changes_a_role_in_the_admin_pages_and_it_is_audited(client, login):
    admin = UserFactory(role="admin")
    shopper = UserFactory()
    login(admin)
    page = client.get("/admin/users").get_data(as_text=True)
    assert shopper.email in page
    response = client.post(f"/admin/users/{shopper.id}/role", data={"role": "manager"})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(User, shopper.id).role == "manager"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.role_changed"))
    assert (event.before, event.after, event.actor_id) == ({"role": "customer"}, {"role": "manager"}, admin.id)


def test_admin_cannot_change_their_own_role_in_the_pages(client, login):
    admin = UserFactory(role="admin")
    login(admin)
    client.post(f"/admin/users/{admin.id}/role", data={"role": "customer"})
    db.session.expire_all()
    assert db.session.get(User, admin.id).role == "admin"


def test_forms_without_a_csrf_token_are_refused(app, client, login, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    admin = UserFactory(role="admin")
    shopper = UserFactory()
    login(admin)
    response = client.post(f"/admin/users/{shopper.id}/role", data={"role": "admin"})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(User, shopper.id).role == "customer"
