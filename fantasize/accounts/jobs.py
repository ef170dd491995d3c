"""Account jobs, run by the RQ worker (or inline after commit on the embedded default)."""

from __future__ import annotations

from flask import render_template

from fantasize.accounts import services
from fantasize.extensions import db
from fantasize.notifications.mail import send_email_now
from fantasize.web.templating import external_url


def send_password_reset(email: str) -> None:
    """Create a reset link for the account with this e-mail, if any, and mail it."""
    created = services.create_password_reset(email)
    if created is None:
        return
    db.session.commit()
    user, token = created
    link = external_url("accounts.reset_password_link", token=token)
    text = render_template("emails/password_reset.txt", user=user, link=link)
    send_email_now(user.email, "Choose a new Fantasize password", text)
