"""Helpers between WTForms and the services' field-level errors."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect
from flask.wrappers import Response
from flask_wtf import FlaskForm

from fantasize.errors import AppError


def attach_errors(form: FlaskForm, error: AppError) -> None:
    """Show a service error next to the fields it names (or at the top of the form)."""
    placed = False
    for name, messages in (error.details or {}).items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*list(field.errors or []), *(messages if isinstance(messages, list) else [messages])]
            placed = True
    if not placed:
        form.form_errors.append(error.message)


def safe_next_url(target: str | None, default: str) -> str:
    """Only same-site relative paths: never let ``?next=`` send a shopper to another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


def flash_and_redirect(message: str, url: str, category: str = "success") -> Response:
    """Say what happened and go on (303 after a POST); the request's work is committed on the way out."""
    flash(message, category)
    return redirect(url, code=303)
