"""Jinja filters and globals shared by every page."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode, urlsplit

from flask import Flask, current_app, has_request_context, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.routing import BuildError


def money(value: Decimal | float | int | None, currency: str = "€") -> str:
    if value is None:
        return ""
    return f"{currency}{Decimal(value):,.2f}"


def nav_url(endpoint: str, **values: object) -> str | None:
    """The URL of ``endpoint``, or ``None`` while that feature is not installed."""
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def external_url(endpoint: str, **values: object) -> str:
    """An absolute URL for e-mails and push messages: from ``PUBLIC_BASE_URL`` when set, never from a Host header.

    Works in workers too, where there is no request: the URL map is bound to the public address
    (``PUBLIC_BASE_URL``, required in production; ``http://localhost:5000`` in development).
    """
    base = current_app.config.get("PUBLIC_BASE_URL")
    if has_request_context():
        if base:
            return base.rstrip("/") + url_for(endpoint, **values)
        return url_for(endpoint, _external=True, **values)
    public = urlsplit(base or "http://localhost:5000")
    adapter = current_app.url_map.bind(public.netloc, script_name=public.path or "/", url_scheme=public.scheme)
    return adapter.build(endpoint, values, force_external=True)


def media_url(key: str | None) -> str | None:
    """URL of a stored catalog picture (``products/abc.jpg``)."""
    if not key:
        return None
    folder, name = key.split("/", 1)
    return url_for("catalog.media", folder=folder, name=name)


def item_url(card: object) -> str:
    kind = getattr(card, "kind", "product")
    return url_for(f"catalog_items.{kind}", slug=card.slug)


def merge_args(args: MultiDict, **overrides: object) -> str:
    """The query string of ``args`` with ``overrides`` replacing their keys (for "next page" links)."""
    merged = MultiDict(args)
    for key, value in overrides.items():
        merged.setlist(key, [value] if value is not None else [])
    return urlencode(list(merged.items(multi=True)))


def user_can(permission: str) -> bool:
    """Whether the signed-in user may ``permission`` (for showing links; the views check again)."""
    from fantasize.accounts.permissions import current_principal

    principal = current_principal()
    return bool(principal and principal.can(permission))


def init_templating(app: Flask) -> None:
    app.add_template_filter(merge_args, "merge_args")
    app.add_template_filter(money, "money")
    app.add_template_global(nav_url, "nav_url")
    app.add_template_global(user_can, "user_can")
    app.add_template_global(media_url, "media_url")
    app.add_template_global(item_url, "item_url")
