"""Outgoing e-mail: multipart over real SMTP, logged when no server is set, refusals told apart."""

import logging
import smtplib

import pytest

from fantasize.notifications.mail import PermanentMailError, send_email_now


def test_a_message_goes_over_smtp_with_sender_recipient_and_both_parts(app, mailbox):
    send_email_now("ada@example.com", "Your order", "It is on its way.", "<p>It is <b>on its way</b>.</p>")
    [message] = mailbox
    assert (message["To"], message["Subject"]) == ("ada@example.com", "Your order")
    assert message["From"] == app.config["MAIL_FROM"]
    assert message["Message-ID"]
    parts = {
        part.get_content_type(): part.get_payload(decode=True).decode()
        for part in message.walk()
        if not part.is_multipart()
    }
    assert parts["text/plain"].strip() == "It is on its way."
    assert "<b>on its way</b>" in parts["text/html"]


def test_without_an_smtp_server_the_message_is_logged_not_sent(app, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "SMTP_HOST", None)
    with caplog.at_level(logging.INFO, logger="fantasize.mail"):
        send_email_now("ada@example.com", "Your order", "It is on its way.")
    record = next(r for r in caplog.records if r.name == "fantasize.mail")
    assert (record.to, record.subject, record.text) == ("ada@example.com", "Your order", "It is on its way.")


def test_in_production_the_logged_message_leaves_its_text_out(app, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "SMTP_HOST", None)
    monkeypatch.setitem(app.config, "MAIL_LOG_BODIES", False)
    with caplog.at_level(logging.INFO, logger="fantasize.mail"):
        send_email_now("ada@example.com", "Reset", "https://shop.example/reset/secret-token")
    record = next(r for r in caplog.records if r.name == "fantasize.mail")
    assert not hasattr(record, "text")


def test_a_server_that_is_away_raises_for_a_retry(app, monkeypatch):
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", 9)  # discard: nothing listens
    with pytest.raises(ConnectionRefusedError):
        send_email_now("ada@example.com", "Your order", "It is on its way.")


def test_a_refused_recipient_is_a_permanent_failure_a_greylisted_one_is_not(app, monkeypatch):
    from tests.support.smtp_sink import SmtpSink

    sink = SmtpSink(refuse={"nobody@example.com"}, greylist={"later@example.com"})
    sink.start()
    try:
        monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
        monkeypatch.setitem(app.config, "SMTP_PORT", sink.port)
        with pytest.raises(PermanentMailError):
            send_email_now("nobody@example.com", "Your order", "It is on its way.")
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            send_email_now("later@example.com", "Your order", "It is on its way.")
    finally:
        sink.stop()
