"""Outgoing e-mail over SMTP (text and HTML parts); written to the log when no SMTP server is set."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app

log = logging.getLogger("fantasize.mail")


class PermanentMailError(Exception):
    """The server refused this message for good; retrying would not help."""


def build_message(to: str, subject: str, text: str, html: str | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=current_app.config["MAIL_FROM"].rsplit("@", 1)[-1].strip("> "))
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message


def send_email_now(to: str, subject: str, text: str, html: str | None = None) -> None:
    """Deliver one message now (called from jobs).

    Raises :class:`PermanentMailError` when the server refuses it for good, and lets other
    SMTP and network errors through so that the job is retried.
    """
    config = current_app.config
    message = build_message(to, subject, text, html)
    if not config.get("SMTP_HOST"):
        extra = {"to": to, "subject": subject}
        if config.get("MAIL_LOG_BODIES"):
            extra["text"] = text
        log.info("e-mail not sent (SMTP_HOST unset)", extra=extra)
        return
    try:
        with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=10) as smtp:
            if config.get("SMTP_STARTTLS"):
                smtp.starttls()
            if config.get("SMTP_USER"):
                smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
            smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:
        # Greylisting and full mailboxes answer 4xx: only 5xx for every recipient is for good.
        if all(code >= 500 for code, _ in error.recipients.values()):
            raise PermanentMailError(str(error.recipients)) from error
        raise
    except smtplib.SMTPAuthenticationError:
        raise  # our settings, not this message: retried, and seen in the failed jobs
    except smtplib.SMTPResponseException as error:  # sender refused, message refused
        if error.smtp_code >= 500:
            raise PermanentMailError(f"{error.smtp_code} {error.smtp_error!r}") from error
        raise
