"""One database transaction per request, committed at the boundary.

Services flush and never commit. When the view or API handler has answered, the request's
work is committed if the answer is a success (below 400), and rolled back otherwise. A few
failures must still keep what they wrote (a failed sign-in's audit record, a revoked token
family, a picture uploaded before the rest of the form failed): :func:`keep_changes` says
so, and such errors carry ``keep_changes``. Side effects that must not outlive a rollback
(e-mails, jobs, realtime messages, files) run in after-commit hooks (:mod:`fantasize.db`).

This module holds the only ``commit()`` calls of request handling; jobs and CLI commands
are boundaries of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, g
from flask.wrappers import Response
from flask_wtf import FlaskForm

from fantasize.errors import AppError
from fantasize.extensions import db
from fantasize.web.forms import attach_errors

T = TypeVar("T")
_KEEP = "keep_changes"


def keep_changes() -> None:
    """Commit this request's work even if it ends in an error answer."""
    setattr(g, _KEEP, True)


def settle_failure(error: AppError | None = None) -> None:
    """A request failed: undo its work now (before an error page queries anything), unless it must be kept."""
    if (error is not None and error.keep_changes) or g.get(_KEEP):
        db.session.commit()
    else:
        db.session.rollback()


def abandon_unit_of_work() -> None:
    """Something broke (a database error, a bug): nothing of this request is kept."""
    g.pop(_KEEP, None)
    db.session.rollback()


def end_unit_of_work(response: Response) -> Response:
    """Commit a successful request's work; roll back a failed one's (errors settled it already)."""
    if response.status_code < 400 or g.pop(_KEEP, False):
        db.session.commit()
    else:
        db.session.rollback()
    return response


def run_form(
    form: FlaskForm,
    call: Callable[[], T],
    attach: Callable[[FlaskForm, AppError], None] = attach_errors,
) -> tuple[bool, T | None]:
    """Validate ``form`` and run ``call``; a service error lands on the form's fields (by ``attach``).

    Returns ``(True, result)`` on success, ``(False, None)`` when the form was not submitted,
    was invalid, or the service refused it (its work undone unless the error keeps it).
    """
    if not form.validate_on_submit():
        return False, None
    try:
        return True, call()
    except AppError as error:
        settle_failure(error)
        attach(form, error)
        return False, None


def attempt(call: Callable[[], object]) -> AppError | None:
    """Run a service call for an action without a form (a delete button, an inline edit).

    Returns ``None`` when it worked, or its error, with the work undone, for the page to show.
    """
    try:
        call()
    except AppError as error:
        settle_failure(error)
        return error
    return None


def init_unit_of_work(app: Flask) -> None:
    """Register last: Flask runs after_request hooks in reverse order, so the commit comes first,
    before the response is logged, and a failed commit still becomes a 500."""
    app.after_request(end_unit_of_work)
