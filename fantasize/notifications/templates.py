"""E-mail templates: stored per event and language, rendered in a Jinja sandbox.

A template is a JSON document ``{"subject", "html", "text", "summary"}`` of Jinja source
(``summary`` is the one line used for push and the in-app inbox). :func:`render` uses the row
for (event, language), else the event's English row, else the default in
:mod:`fantasize.notifications.default_templates`; a stored template that fails at send time
falls back to the default, so a bad edit never stops an order e-mail.

The sandbox sees only the plain data passed in (dicts, lists, strings, numbers, booleans);
there are no globals (no ``config``, ``request``, ``url_for``, ``range``, ``cycler``…), only
a short list of filters, and only harmless string and dict methods. Unknown variables render
empty; reaching for internals (``''.__class__``), a syntax error or a template that grows too
big raises :class:`TemplateProblem`, whose ``details`` name the field. The HTML body is
autoescaped (and ``|safe`` is not offered, so shopper text is always escaped); subject, text
and summary are not escaped, and subject and summary are collapsed to one short line.

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

import contextvars
import copy
import functools
import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from jinja2 import ChainableUndefined, TemplateError, Undefined, nodes
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.filters import FILTERS, do_replace
from jinja2.runtime import LoopContext, markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import pass_eval_context
from jinja2.visitor import NodeTransformer
from markupsafe import Markup
from sqlalchemy import select

from fantasize.accounts.models import User
from fantasize.audit import services as audit
from fantasize.errors import NotFound, ValidationFailed
from fantasize.extensions import db
from fantasize.notifications.default_templates import DEFAULT_DOCUMENTS, SAMPLE_CONTEXTS, sample_for
from fantasize.notifications.kinds import KINDS
from fantasize.notifications.models import EmailTemplate

log = logging.getLogger(__name__)

FIELDS = ("subject", "summary", "html", "text")
FIELD_LABELS = {"subject": "Subject", "summary": "Summary", "html": "HTML body", "text": "Text body"}
SOURCE_LIMITS = {"subject": 1_000, "summary": 2_000, "html": 100_000, "text": 50_000}
OUTPUT_LIMIT = 200_000  # characters of one rendered part
VALUE_LIMIT = 200_000  # characters (or items) of any string or list a template builds
LOOP_BUDGET = 20_000  # loop turns in one rendering, all loops together
RENDER_SECONDS = 1.0  # time one part may take to render
SUBJECT_MAX = 200
SUMMARY_MAX = 300
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2}(-[A-Z]{2})?$")
DEFAULT_LANGUAGE = "en"

__all__ = [
    "DEFAULT_DOCUMENTS",
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


class TemplateProblem(ValidationFailed):
    """A template that does not parse, reaches for what it may not, or grows too big."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("The template has problems: see the fields marked.", errors)
        self.errors = errors


class _OverLimit(Exception):
    """A template built something too big (or looped too long)."""


# --- the sandbox ---------------------------------------------------------------------------------


class _Undefined(ChainableUndefined):
    """Unknown names render empty, at any depth; a refused attribute raises ``SecurityError`` when used."""

    __slots__ = ()

    def _refuse_if_unsafe(self) -> None:
        if self._undefined_exception is SecurityError:
            self._fail_with_undefined_error()

    def __str__(self) -> str:
        self._refuse_if_unsafe()
        return ""

    def __iter__(self) -> Iterator[Any]:
        self._refuse_if_unsafe()
        return iter(())

    def __bool__(self) -> bool:
        self._refuse_if_unsafe()
        return False

    def __len__(self) -> int:
        self._refuse_if_unsafe()
        return 0


class _Budget:
    """What one rendering may spend: loop turns, and time (checked at every loop turn, filter, call and operator)."""

    __slots__ = ("deadline", "turns")

    def __init__(self) -> None:
        self.turns = 0
        self.deadline = time.monotonic() + RENDER_SECONDS

    def spend(self, turns: int = 0) -> None:
        self.turns += turns
        if self.turns > LOOP_BUDGET or time.monotonic() > self.deadline:
            raise _OverLimit


_budget: contextvars.ContextVar[_Budget] = contextvars.ContextVar("email_template_budget")


def _spend(turns: int = 0) -> None:
    _budget.get().spend(turns)


def _check_size(value: Any) -> Any:
    if isinstance(value, (str, list, tuple)) and len(value) > VALUE_LIMIT:
        raise _OverLimit
    if isinstance(value, int) and value.bit_length() > 4096:
        raise _OverLimit
    return value


def _bounded_loop(iterable: Iterable[Any]) -> Iterator[Any]:
    """Every ``{% for %}`` iterates through this: all loops of one rendering share one budget."""
    budget = _budget.get()
    for item in iterable:
        budget.spend(1)
        yield item


def _guarded(function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that first checks the time budget, then makes sure its result is not too big."""

    @functools.wraps(function)  # keeps Jinja's pass_eval_context marker
    def guarded(*args: Any, **kwargs: Any) -> Any:
        _spend()
        return _check_size(function(*args, **kwargs))

    return guarded


@pass_eval_context
def _concat(eval_ctx: Any, parts: list[Any]) -> str:
    """``a ~ b``, refusing to build a string over the limit."""
    texts = [str(part) for part in parts]
    if sum(map(len, texts)) > VALUE_LIMIT:
        raise _OverLimit
    return markup_join(parts) if eval_ctx.autoescape else str_join(parts)


@pass_eval_context
def _join_filter(eval_ctx: Any, value: Iterable[Any], d: str = "", attribute: Any = None) -> str:
    items = list(value)
    if len(items) > VALUE_LIMIT or sum(len(str(item)) for item in items) + len(str(d)) * len(items) > VALUE_LIMIT:
        raise _OverLimit
    return FILTERS["join"](eval_ctx, items, d, attribute)


@pass_eval_context
def _replace_filter(eval_ctx: Any, s: str, old: str, new: str, count: int | None = None) -> str:
    text, old, new = str(s), str(old), str(new)
    times = len(text) + 1 if old == "" else text.count(old)
    if count is not None:
        times = min(times, max(count, 0))
    if len(text) + times * max(len(new) - len(old), 0) > VALUE_LIMIT:
        raise _OverLimit
    return do_replace(eval_ctx, s, old, new, count)


def _words(text: str) -> list[str]:
    return text.split()


# Filters that cannot grow a value beyond what went in (no center/indent/format/wordwrap/sum,
# no safe/forceescape: shopper text is always escaped in the HTML body).
_SAFE_FILTERS = _words(
    "abs capitalize count d default dictsort e escape first float int items last length list lower map max min "
    "reject rejectattr reverse round select selectattr sort string striptags title trim truncate unique upper "
    "urlencode wordcount"
)
# Methods a template may call: read-only and never larger than their input (no format, center, ljust…).
_SAFE_METHODS = {
    str: frozenset(
        _words(
            "capitalize casefold count endswith find isalnum isalpha isdigit islower isspace istitle isupper lower "
            "lstrip rsplit rstrip split splitlines startswith strip swapcase title upper"
        )
    ),
    dict: frozenset({"get", "items", "keys", "values"}),
    list: frozenset({"count", "index"}),
}
_LOOP_ATTRIBUTES = frozenset(
    _words("index index0 revindex revindex0 first last length depth depth0 previtem nextitem cycle changed")
)
_FORBIDDEN_NODES = (
    nodes.Macro,
    nodes.CallBlock,
    nodes.Include,
    nodes.Import,
    nodes.FromImport,
    nodes.Extends,
    nodes.Block,
)


class _SandboxEnvironment(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"+", "*", "**", "%", "//", "/"})

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        if isinstance(obj, Undefined):
            return True  # an unknown name's attribute: unknown too (and still refused if the name was)
        if isinstance(obj, LoopContext):
            return attr in _LOOP_ATTRIBUTES
        allowed = next((names for kind, names in _SAFE_METHODS.items() if isinstance(obj, kind)), frozenset())
        return attr in allowed

    def wrap_str_format(self, value: Any) -> None:
        return None  # ``str.format`` is not offered at all (it can pad to any width)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _spend()
        return _check_size(super().call(__context, __obj, *args, **kwargs))

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _spend()
        if (
            operator == "**"
            and isinstance(left, int)
            and isinstance(right, int)
            and right > 0
            and max(abs(left).bit_length(), 1) * right > 4096
        ):
            raise _OverLimit
        if operator == "*":
            for a, b in ((left, right), (right, left)):
                if isinstance(a, (str, list, tuple)) and isinstance(b, int) and len(a) * b > VALUE_LIMIT:
                    raise _OverLimit
        if operator == "%" and isinstance(left, str):
            raise SecurityError("the % operator on text is not available in e-mail templates")
        return _check_size(super().call_binop(context, operator, left, right))


class _Guard(NodeTransformer):
    """Refuses what e-mail templates do not need, and routes loops and ``~`` through the limits."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def generic_visit(self, node: nodes.Node, *args: Any, **kwargs: Any) -> Any:
        if isinstance(node, _FORBIDDEN_NODES):
            tag = type(node).__name__.lower().replace("callblock", "call").replace("fromimport", "from")
            self.problems.append(f"Line {node.lineno}: {{% {tag} %}} is not available in e-mail templates.")
        return super().generic_visit(node, *args, **kwargs)

    def visit_Name(self, node: nodes.Name) -> nodes.Node:
        if node.name == "self":
            self.problems.append(f"Line {node.lineno}: “self” is not available in e-mail templates.")
        return node

    def visit_For(self, node: nodes.For) -> nodes.Node:
        node = self.generic_visit(node)
        if node.recursive:
            self.problems.append(f"Line {node.lineno}: recursive loops are not available in e-mail templates.")
        node.iter = nodes.Filter(node.iter, "_loop", [], [], None, None, lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        node = self.generic_visit(node)
        return nodes.Filter(
            nodes.List(node.nodes, lineno=node.lineno), "_concat", [], [], None, None, lineno=node.lineno
        )


def _environment(autoescape: bool) -> _SandboxEnvironment:
    env = _SandboxEnvironment(
        autoescape=autoescape, undefined=_Undefined, trim_blocks=True, lstrip_blocks=True, auto_reload=False
    )
    env.globals.clear()
    env.filters = {name: _guarded(FILTERS[name]) for name in _SAFE_FILTERS}
    env.filters.update({"join": _guarded(_join_filter), "replace": _guarded(_replace_filter)})
    env.filters.update({"_loop": _bounded_loop, "_concat": _guarded(_concat)})
    return env


_HTML_ENV = _environment(autoescape=True)
_TEXT_ENV = _environment(autoescape=False)


def _compile(env: _SandboxEnvironment, source: str) -> Any:
    """The template, or a list of problems (syntax errors, refused tags)."""
    try:
        tree = env.parse(source)
    except TemplateError as error:
        return [_describe(error)]
    guard = _Guard()
    tree = guard.visit(tree)
    if guard.problems:
        return guard.problems
    try:
        return env.from_string(tree)
    except TemplateError as error:
        return [_describe(error)]


def _describe(error: Exception) -> str:
    if isinstance(error, _OverLimit):
        return (
            f"This template grows too big or takes too long (over {OUTPUT_LIMIT // 1000} KB, "
            f"{LOOP_BUDGET:,} loop turns or {RENDER_SECONDS:g} second)."
        )
    if isinstance(error, UndefinedError):
        return f"{error.message}: e-mail templates can use only the variables listed for this event."
    if isinstance(error, SecurityError):
        return "This template reaches for something e-mail templates may not use."
    lineno = getattr(error, "lineno", None)
    message = getattr(error, "message", None) or str(error) or type(error).__name__
    return f"Line {lineno}: {message}" if lineno else f"This template could not be rendered: {message}"


def _run(template: Any, context: dict[str, Any]) -> str:
    token = _budget.set(_Budget())
    try:
        out: list[str] = []
        size = 0
        for chunk in template.generate(context):
            size += len(chunk)
            if size > OUTPUT_LIMIT:
                raise _OverLimit
            out.append(chunk)
        return "".join(out)
    finally:
        _budget.reset(token)


def _plain(value: Any, depth: int = 0) -> Any:
    """A copy of ``value`` made of plain data only: the template can never reach an application object."""
    if depth > 20:
        raise TypeError("e-mail template context nested too deep")
    if value is None or isinstance(value, (bool, int, float, str)):
        return str(value) if isinstance(value, Markup) else value
    if isinstance(value, (Decimal, date, datetime)):
        return str(value)
    if isinstance(value, Mapping):
        return {str(key): _plain(item, depth + 1) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item, depth + 1) for item in value]
    raise TypeError(f"e-mail template context may hold plain data only, not {type(value).__name__}")


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
    data = _plain(context)
    errors: dict[str, list[str]] = {}
    out: dict[str, str] = {}
    for field in FIELDS:
        env = _HTML_ENV if field == "html" else _TEXT_ENV
        compiled = _compile(env, str(document.get(field) or ""))
        if isinstance(compiled, list):
            errors[field] = compiled
            continue
        try:
            out[field] = _run(compiled, data)
        except Exception as error:
            errors[field] = [_describe(error)]
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
