"""Outgoing e-mail over SMTP; printed to the log when no SMTP server is configured."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

from fantasize.db import after_commit
from fantasize.extensions import db
from fantasize.jobs import enqueue

log = logging.getLogger("fantasize.mail")


def build_message(to: str, subject: str, text: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text)
    return message


def send_email_now(to: str, subject: str, text: str) -> None:
    """Deliver one message (runs in the worker)."""
    config = current_app.config
    message = build_message(to, subject, text)
    if not config.get("SMTP_HOST"):
        log.info("e-mail not sent (SMTP_HOST unset)", extra={"to": to, "subject": subject})
        return
    with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=10) as smtp:
        if config.get("SMTP_STARTTLS"):
            smtp.starttls()
        if config.get("SMTP_USER"):
            smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
        smtp.send_message(message)


def send_email_job(to: str, subject: str, text: str) -> None:
    send_email_now(to, subject, text)


def queue_email(to: str, subject: str, text: str) -> None:
    """Send an e-mail from a worker once the current transaction has committed."""
    after_commit(db.session(), lambda: enqueue(send_email_job, to, subject, text))
