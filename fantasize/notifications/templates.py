"""E-mail templates: stored per event and language, rendered in a Jinja sandbox.

A template is a JSON document ``{"subject", "html", "text", "summary"}`` of Jinja source
(``summary`` is the one line used for push and the in-app inbox). :func:`render` uses the row
for (event, language), else the event's English row, else the default in
:mod:`fantasize.notifications.default_templates`; a stored template that fails at send time
falls back to the default, so a bad edit never stops an order e-mail.

Each part renders in :mod:`fantasize.notifications.sandbox`, which sees only the plain data
passed in and refuses anything else (and templates that grow too big or run too long) with
:class:`TemplateProblem`, whose ``details`` name the field. The HTML body is autoescaped;
subject, text and summary are not escaped, and subject and summary are collapsed to one short
line.

Variables per event (the dispatcher passes exactly these; details in docs/notifications.md):
Variables per event (the dispatcher passes exactly these; details in docs/notifications.md):

- every event: ``shop {name, url}``, ``recipient {name}`` (``name`` may be ``""``)
- order events (order_placed, customization_approved, customization_rejected, order_shipped,
  order_delivered, order_canceled, staff_new_order, staff_review_needed): ``order {number,
  status, status_label, url, placed_on, total, payment_label, lines [{name, quantity, price,
  customization [str]}], note (str or None), needs_review, is_gift, gift_recipient_name}``;
  staff events also ``order.admin_url`` and ``customer {email}``
- gift_notice: ``gift {recipient_name, from_name (None when anonymous), message, hide_prices,
  wrap}``, ``order {number, status_label, lines [{name, quantity, price (None when hidden),
  customization}], total (None when hidden)}``
- welcome: ``links {account_url, shop_url}``
- password_reset: ``reset_url``, ``expires_minutes``
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from fantasize.accounts.models import User
from fantasize.audit import services as audit
from fantasize.errors import NotFound, ValidationFailed
from fantasize.extensions import db
from fantasize.notifications.default_templates import DEFAULT_DOCUMENTS, SAMPLE_CONTEXTS, sample_for
from fantasize.notifications.kinds import KINDS
from fantasize.notifications.models import EmailTemplate
from fantasize.notifications.sandbox import (
    LOOP_BUDGET,
    OUTPUT_LIMIT,
    RENDER_SECONDS,
    VALUE_LIMIT,
    TemplateProblem,
    plain,
    render_part,
)

log = logging.getLogger(__name__)

FIELDS = ("subject", "summary", "html", "text")
FIELD_LABELS = {"subject": "Subject", "summary": "Summary", "html": "HTML body", "text": "Text body"}
SOURCE_LIMITS = {"subject": 1_000, "summary": 2_000, "html": 100_000, "text": 50_000}
SUBJECT_MAX = 200
SUMMARY_MAX = 300
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2}(-[A-Z]{2})?$")
DEFAULT_LANGUAGE = "en"

__all__ = [
    "DEFAULT_DOCUMENTS",
    "LOOP_BUDGET",
    "OUTPUT_LIMIT",
    "RENDER_SECONDS",
    "VALUE_LIMIT",
    "Rendered",
    "TemplateListing",
    "TemplateProblem",
    "documents_for_listing",
    "render",
    "render_document",
    "reset_template",
    "sample_context",
    "save_template",
    "seed_default_templates",
    "stored_document",
    "template_rows",
    "validate_document",
]


@dataclass(frozen=True)
class Rendered:
    subject: str
    html: str
    text: str
    summary: str


def _one_line(value: str, limit: int) -> str:
    line = " ".join(value.split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1].rsplit(" ", 1)[0] or line[: limit - 1]
    return cut.rstrip(" ,;:.-") + "…"


def _tidy_text(value: str) -> str:
    lines = [line.rstrip() for line in value.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def render_document(document: Mapping[str, Any], context: Mapping[str, Any]) -> Rendered:
    """Render the four parts of ``document``; raises :class:`TemplateProblem` naming the failing fields."""
    data = plain(context)
    errors: dict[str, list[str]] = {}
    out: dict[str, str] = {}
    for field in FIELDS:
        try:
            out[field] = render_part(field, str(document.get(field) or ""), data, autoescape=field == "html")
        except TemplateProblem as problem:
            errors.update(problem.errors)
    if errors:
        raise TemplateProblem(errors)
    return Rendered(
        subject=_one_line(out["subject"], SUBJECT_MAX),
        html=out["html"].strip() + "\n",
        text=_tidy_text(out["text"]),
        summary=_one_line(out["summary"], SUMMARY_MAX),
    )


# --- sample data, validation ---------------------------------------------------------------------


def sample_context(event: str | None = None) -> dict[str, Any]:
    """Realistic data in the shape the dispatcher passes for ``event`` (all variables of all events for ``None``)."""
    if event is None:
        merged = sample_for("welcome")
        for sample in SAMPLE_CONTEXTS.values():
            merged.update(copy.deepcopy(sample))
        return merged
    return sample_for(event)


def validate_document(document: Any, event: str | None = None) -> dict[str, list[str]]:
    """Problems of ``document`` per field: empty, too long, not parsing, or failing on the sample data."""
    if not isinstance(document, Mapping):
        return {"subject": ["The template must be a document with a subject, summary, HTML and text body."]}
    errors: dict[str, list[str]] = {}
    for field in FIELDS:
        value = document.get(field)
        if not isinstance(value, str) or not value.strip():
            errors[field] = [f"Write the {FIELD_LABELS[field].lower()}."]
        elif len(value) > SOURCE_LIMITS[field]:
            errors[field] = [f"Keep the {FIELD_LABELS[field].lower()} under {SOURCE_LIMITS[field]:,} characters."]
    # Render the others with a stand-in for those already wrong, so every field gets its say.
    candidate = {field: "-" if field in errors else document[field] for field in FIELDS}
    try:
        rendered = render_document(candidate, sample_context(event))
    except TemplateProblem as problem:
        return {**problem.errors, **errors}
    for field in ("subject", "summary"):
        if field not in errors and not getattr(rendered, field):
            errors[field] = [f"The {FIELD_LABELS[field].lower()} comes out empty with the sample data."]
    return errors


# --- stored templates ----------------------------------------------------------------------------


def _check_key(event: str, language: str) -> None:
    if event not in DEFAULT_DOCUMENTS:
        raise NotFound(f"There is no e-mail template for “{event}”.")
    if not LANGUAGE_PATTERN.match(language or ""):
        raise ValidationFailed("Unknown language code.", {"language": ["Use a code like “en” or “pt-BR”."]})


def _row(event: str, language: str) -> EmailTemplate | None:
    return db.session.scalar(select(EmailTemplate).filter_by(event=event, language=language))


def stored_document(event: str, language: str) -> tuple[dict[str, Any], EmailTemplate | None]:
    """The document used for (event, language), and the row it comes from (``None``: the default)."""
    _check_key(event, language)
    for code in dict.fromkeys((language, DEFAULT_LANGUAGE)):
        row = _row(event, code)
        if row is not None:
            return dict(row.document), row
    return dict(DEFAULT_DOCUMENTS[event]), None


def render(event: str, language: str, context: Mapping[str, Any]) -> Rendered:
    """The message for ``event``: the (event, language) row, else the English row, else the default."""
    if event not in DEFAULT_DOCUMENTS:
        raise LookupError(f"no e-mail template for event {event!r}")
    if not LANGUAGE_PATTERN.match(language or ""):
        language = DEFAULT_LANGUAGE
    document, row = stored_document(event, language)
    if row is None:
        return render_document(document, context)
    try:
        return render_document(document, context)
    except TemplateProblem as problem:
        log.warning(
            "stored e-mail template failed, default used",
            extra={"event": event, "language": row.language, "errors": problem.errors},
        )
        return render_document(DEFAULT_DOCUMENTS[event], context)


def _clean(document: Mapping[str, Any]) -> dict[str, str]:
    return {field: str(document.get(field) or "").replace("\r\n", "\n") for field in FIELDS}


def save_template(event: str, language: str, document: Mapping[str, Any], actor: User | None) -> EmailTemplate:
    """Validate and store the template for (event, language); raises :class:`TemplateProblem` field by field."""
    _check_key(event, language)
    document = _clean(document)
    errors = validate_document(document, event)
    if errors:
        raise TemplateProblem(errors)
    row = _row(event, language)
    if row is None:
        row = EmailTemplate(event=event, language=language, document=document)
        db.session.add(row)
    else:
        row.document = document
    row.updated_by_id = actor.id if actor is not None else None
    db.session.flush()
    audit.record(
        "email_template.saved",
        actor_id=row.updated_by_id,
        target=f"email_template:{event}/{language}",
        after={"subject": document["subject"][:200]},
    )
    return row


def reset_template(event: str, language: str, actor: User | None = None) -> bool:
    """Delete the stored template so the default applies again; ``False`` when there was none."""
    _check_key(event, language)
    row = _row(event, language)
    if row is None:
        return False
    db.session.delete(row)
    db.session.flush()
    audit.record(
        "email_template.reset", actor_id=actor.id if actor else None, target=f"email_template:{event}/{language}"
    )
    return True


def seed_default_templates() -> int:
    """Store each default (in English) that has no row yet, for admins to edit; returns how many were added."""
    existing = set(db.session.scalars(select(EmailTemplate.event).filter_by(language=DEFAULT_LANGUAGE)))
    added = 0
    for event, document in DEFAULT_DOCUMENTS.items():
        if event not in existing:
            db.session.add(EmailTemplate(event=event, language=DEFAULT_LANGUAGE, document=dict(document)))
            added += 1
    db.session.flush()
    return added


def template_rows() -> list[EmailTemplate]:
    """Every stored template, by event and language."""
    return list(db.session.scalars(select(EmailTemplate).order_by(EmailTemplate.event, EmailTemplate.language)))


@dataclass(frozen=True)
class TemplateListing:
    event: str
    label: str
    language: str
    edited: bool  # stored and different from the default
    stored: bool
    updated_at: datetime | None
    updated_by: str | None


def documents_for_listing() -> list[TemplateListing]:
    """Each template kind in English, then any other language stored, with who last changed it."""
    rows = {(row.event, row.language): row for row in template_rows()}
    editors = {
        user.id: user.username or user.email
        for user in db.session.scalars(
            select(User).where(User.id.in_({row.updated_by_id for row in rows.values() if row.updated_by_id}))
        )
    }
    listing = []
    for event in DEFAULT_DOCUMENTS:
        languages = [DEFAULT_LANGUAGE, *sorted(lang for ev, lang in rows if ev == event and lang != DEFAULT_LANGUAGE)]
        for language in languages:
            row = rows.get((event, language))
            listing.append(
                TemplateListing(
                    event=event,
                    label=KINDS[event].label,
                    language=language,
                    edited=row is not None and _clean(row.document) != _clean(DEFAULT_DOCUMENTS[event]),
                    stored=row is not None,
                    updated_at=row.updated_at if row is not None else None,
                    updated_by=editors.get(row.updated_by_id) if row is not None else None,
                )
            )
    return listing
