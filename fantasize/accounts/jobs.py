"""Account jobs, run by the RQ worker (or inline after commit on the embedded default)."""

from __future__ import annotations

from fantasize.accounts import services
from fantasize.db import after_commit
from fantasize.extensions import db
from fantasize.jobs import enqueue
from fantasize.notifications import templates
from fantasize.notifications.context import shop
from fantasize.notifications.mail import send_email_now
from fantasize.web.templating import external_url


def queue_password_reset(email: str) -> None:
    """Send a reset link from a worker once this transaction commits, if the account exists.

    The request does the same work whether or not the account exists (nothing but an
    enqueue), so neither its answer nor its timing tells them apart.
    """
    after_commit(db.session(), lambda: enqueue(send_password_reset, email.strip(), queue="email"))


def send_password_reset(email: str) -> None:
    """Create a reset link for the account with this e-mail, if any, and mail it."""
    created = services.create_password_reset(email)
    if created is None:
        return
    db.session.commit()
    user, token = created
    context = {
        "shop": shop(),
        "recipient": {"name": user.display_name},
        "reset_url": external_url("accounts.reset_password_link", token=token),
        "expires_minutes": int(services.RESET_TOKEN_TTL.total_seconds() // 60),
    }
    message = templates.render("password_reset", "en", context)
    send_email_now(user.email, message.subject, message.text, message.html)
