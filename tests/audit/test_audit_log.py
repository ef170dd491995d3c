"""The audit log: who did what to which target, with before/after, kept with the change."""

from sqlalchemy import select

from fantasize.audit import services as audit
from fantasize.audit.models import AuditEvent
from fantasize.extensions import db
from tests.factories import UserFactory


def test_an_event_records_actor_target_before_after_and_address():
    admin, target = UserFactory(role="admin"), UserFactory()
    audit.record(
        "user.role_changed",
        actor_id=admin.id,
        target=f"user:{target.id}",
        before={"role": "customer"},
        after={"role": "manager"},
        ip="203.0.113.9",
    )
    db.session.commit()
    event = db.session.scalar(select(AuditEvent))
    assert (event.action, event.actor_id, event.target) == ("user.role_changed", admin.id, f"user:{target.id}")
    assert (event.before, event.after, event.ip) == ({"role": "customer"}, {"role": "manager"}, "203.0.113.9")
    assert event.at is not None


def test_an_event_is_part_of_the_change_it_describes():
    user = UserFactory()
    audit.record("auth.login", actor_id=user.id, target=f"user:{user.id}")
    db.session.rollback()  # the change did not happen: neither did its record
    assert db.session.scalar(select(AuditEvent)) is None


def test_deleting_the_actor_keeps_the_event():
    user = UserFactory()
    audit.record("auth.login", actor_id=user.id, target=f"user:{user.id}")
    db.session.commit()
    db.session.delete(user)
    db.session.commit()
    event = db.session.scalar(select(AuditEvent))
    assert event.actor_id is None
    assert event.target == f"user:{user.id}"


def test_an_admin_role_change_from_the_page_is_audited(client, login):
    admin, target = UserFactory(role="admin"), UserFactory()
    login(admin)
    response = client.post(f"/admin/users/{target.id}/role", data={"role": "manager"})
    assert response.status_code == 303
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.role_changed"))
    assert event.actor_id == admin.id
    assert (event.before, event.after) == ({"role": "customer"}, {"role": "manager"})
