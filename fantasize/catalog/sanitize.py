"""Sanitizing text that shoppers and staff write (bleach): rich descriptions and plain reviews."""

from __future__ import annotations

import bleach

RICH_TAGS = ["p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "h3", "h4", "blockquote", "a"]
RICH_ATTRIBUTES = {"a": ["href", "title", "rel"]}
RICH_PROTOCOLS = ["http", "https", "mailto"]


def _safe_links(attrs: dict, new: bool = False) -> dict:
    attrs[(None, "rel")] = "nofollow noopener"
    return attrs


def clean_rich_text(html: str) -> str:
    """Keep a small set of formatting tags; drop scripts, styles, event handlers and unsafe links."""
    cleaned = bleach.clean(
        html or "",
        tags=RICH_TAGS,
        attributes=RICH_ATTRIBUTES,
        protocols=RICH_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )
    return bleach.linkify(cleaned, callbacks=[_safe_links], skip_tags=["pre", "code"], parse_email=False)


def clean_plain_text(text: str) -> str:
    """Text with every tag removed (Jinja escapes it again when shown)."""
    return bleach.clean(text or "", tags=[], attributes={}, strip=True, strip_comments=True).strip()
