"""Outgoing e-mail: sent over real SMTP from a job after commit, or logged when no server is set."""

import logging

from fantasize.extensions import db
from fantasize.notifications.mail import queue_email, send_email_now


def test_a_message_goes_over_smtp_with_sender_recipient_and_text(app, mailbox):
    send_email_now("ada@example.com", "Your order", "It is on its way.")
    assert len(mailbox) == 1
    message = mailbox[0]
    assert (message["To"], message["Subject"]) == ("ada@example.com", "Your order")
    assert message["From"] == app.config["MAIL_FROM"]
    assert message.get_payload(decode=True).decode().strip() == "It is on its way."


def test_without_an_smtp_server_the_message_is_logged_not_sent(app, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "SMTP_HOST", None)
    with caplog.at_level(logging.INFO, logger="fantasize.mail"):
        send_email_now("ada@example.com", "Your order", "It is on its way.")
    record = next(r for r in caplog.records if r.name == "fantasize.mail")
    assert (record.to, record.subject) == ("ada@example.com", "Your order")


def test_a_queued_message_leaves_only_when_the_transaction_commits(mailbox, run_jobs):
    queue_email("first@example.com", "Rolled back", "Never sent")
    db.session.rollback()
    queue_email("second@example.com", "Committed", "Sent")
    db.session.commit()
    run_jobs()
    assert [message["To"] for message in mailbox] == ["second@example.com"]
