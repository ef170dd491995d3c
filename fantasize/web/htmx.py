"""htmx helpers: one function decides between a full page and a partial."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import make_response, redirect, render_template, request
from flask.wrappers import Response


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def wants_partial() -> bool:
    """A real htmx swap, not boosted navigation or a history restore (those need the page)."""
    return (
        is_htmx()
        and request.headers.get("HX-Boosted") != "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def render_page_or_partial(page: str, partial: str, **context: Any) -> Response:
    """Render ``partial`` alone for an htmx swap, else the whole ``page`` (which includes it)."""
    template = partial if wants_partial() else page
    response = make_response(render_template(template, **context))
    response.headers.add("Vary", "HX-Request")
    return response


def partial_or_redirect(
    partial: str,
    url: str | Callable[[], str],
    status: int = 200,
    context_of: Callable[[], dict[str, Any]] | None = None,
    **context: Any,
) -> Response:
    """After a POST from a component: its ``partial`` for an htmx swap, else a 303 to ``url`` (a plain form).

    ``url`` and ``context_of`` may be callables, so that only the answer given is worked out.
    """
    if wants_partial():
        response = make_response(render_template(partial, **(context_of() if context_of else {}), **context), status)
    else:
        response = redirect(url() if callable(url) else url, code=303)
    response.headers.add("Vary", "HX-Request")
    return response
