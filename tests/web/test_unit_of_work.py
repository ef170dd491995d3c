"""One transaction per request: a failed request leaves no row, no file and no queued job behind."""

from pathlib import Path

import pytest
from flask import Response
from sqlalchemy import func, select

from fantasize.accounts import services
from fantasize.accounts.models import Address
from fantasize.extensions import db
from fantasize.media.storage import storage
from fantasize.notifications.services import notify
from fantasize.web.transactions import end_unit_of_work, keep_changes
from tests.factories import UserFactory
from tests.support.gifts import image_bytes


def _work_of_a_request(user) -> Path:
    """What a request's services do before it answers: a row, a stored file and a queued e-mail."""
    db.session.add(Address(user_id=user.id, line1="1 Lane", city="Leeds", postal_code="LS1", country="GB"))
    services.set_avatar(user, image_bytes((64, 64)), max_bytes=1024 * 1024)
    notify("gift_notice", "order:test", {"gift": {"recipient_name": "Friend"}}, email="friend@example.com")
    return storage().path(user.avatar_path)


@pytest.mark.parametrize("status", [400, 404, 409, 422, 500])
def test_a_failed_request_leaves_nothing_behind(app, mailbox, run_jobs, status):
    user = UserFactory()
    with app.test_request_context("/account/avatar", method="POST"):
        picture = _work_of_a_request(user)
        assert picture.is_file()
        end_unit_of_work(Response(status=status))
    run_jobs()
    assert db.session.scalar(select(func.count(Address.id))) == 0
    assert not picture.exists()
    assert mailbox == []


def test_a_successful_request_keeps_its_work_and_then_runs_its_side_effects(app, mailbox, run_jobs):
    user = UserFactory()
    services.set_avatar(user, image_bytes((64, 64)), max_bytes=1024 * 1024)
    db.session.commit()
    old_picture = storage().path(user.avatar_path)
    with app.test_request_context("/account/avatar", method="POST"):
        picture = _work_of_a_request(user)
        assert old_picture.is_file()  # still named by the committed row until this request commits
        end_unit_of_work(Response(status=303))
    run_jobs()
    assert db.session.scalar(select(func.count(Address.id))) == 1
    assert picture.is_file()
    assert not old_picture.exists()
    assert [message["To"] for message in mailbox] == ["friend@example.com"]


def test_a_failure_that_must_keep_its_records_commits_them(app):
    user = UserFactory()
    with app.test_request_context("/login", method="POST"):
        db.session.add(Address(user_id=user.id, line1="1 Lane", city="Leeds", postal_code="LS1", country="GB"))
        keep_changes()
        end_unit_of_work(Response(status=422))
    assert db.session.scalar(select(func.count(Address.id))) == 1


def test_a_failed_sign_in_is_audited_although_the_page_answers_with_an_error(client):
    from fantasize.audit.models import AuditEvent

    user = UserFactory()
    response = client.post("/login", data={"email": user.email, "password": "not the password"})
    assert response.status_code == 200
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "auth.login_failed"))


def test_after_commit_work_waits_for_the_real_commit_not_a_savepoint(app):
    from fantasize.db import after_commit

    user = UserFactory()
    ran = []
    after_commit(db.session(), lambda: ran.append("outer"))
    with db.session.begin_nested():  # released here: SQLAlchemy reports it as a commit
        db.session.add(Address(user_id=user.id, line1="1 Lane", city="Leeds", postal_code="LS1", country="GB"))
    assert ran == []
    db.session.commit()
    assert ran == ["outer"]


def test_after_commit_work_runs_once_the_connection_is_back_in_the_pool(app):
    from fantasize.db import after_commit

    UserFactory()
    checked_out = []
    db.session.execute(select(func.count(Address.id)))  # the transaction holds a connection now
    after_commit(db.session(), lambda: checked_out.append(db.engine.pool.checkedout()))
    before = db.engine.pool.checkedout()
    db.session.commit()
    assert checked_out == [before - 1]
