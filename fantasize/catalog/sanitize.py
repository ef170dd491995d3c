"""Sanitizing text that shoppers and staff write: rich descriptions (bleach) and plain reviews."""

from __future__ import annotations

import unicodedata

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


def plain_text(text: str) -> str:
    """Text kept as typed, without control characters: never rendered as HTML, so nothing to strip.

    It is stored raw and escaped once where it is shown (Jinja autoescape); JSON carries it as is.
    """
    kept = "".join(char for char in (text or "") if char in "\n\t" or unicodedata.category(char) != "Cc")
    return kept.replace("\r\n", "\n").strip()
