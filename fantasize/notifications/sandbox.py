"""The Jinja sandbox e-mail templates render in.

Threat model: a template is source an admin typed into a form, so it is treated as untrusted
code. Whatever it says, it must reach nothing of the application and must not exhaust the worker
that renders it (a web request for the preview, an RQ job at send time).

- Nothing to reach: the template sees only a copy of the context made of plain data (dicts,
  lists, strings, numbers, booleans, ``None``; see :func:`plain`), no globals (no ``config``,
  ``request``, ``url_for``, ``range``, ``cycler``…), a short list of filters, only harmless
  string and dict methods (no ``str.format``, no ``%`` on text), no attributes starting with
  ``_``, and no ``include``/``import``/``extends``/``block``/``macro``/``call``, recursive loops
  or ``self``. The HTML part is autoescaped and ``|safe`` is not offered, so shopper text is
  always escaped.
- Nothing to exhaust: one part may take :data:`RENDER_SECONDS`, :data:`LOOP_BUDGET` loop turns
  (all loops together), build no string or list over :data:`VALUE_LIMIT` and produce at most
  :data:`OUTPUT_LIMIT` characters; filters, calls and operators that could blow a value up are
  left out or checked before they run.

Unknown variables render empty, at any depth. Anything refused, a syntax error or a limit
reached raises :class:`TemplateProblem` naming the part (:func:`render_part`).
"""

from __future__ import annotations

import contextvars
import functools
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
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

from fantasize.errors import ValidationFailed

OUTPUT_LIMIT = 200_000  # characters of one rendered part
VALUE_LIMIT = 200_000  # characters (or items) of any string or list a template builds
LOOP_BUDGET = 20_000  # loop turns in one rendering, all loops together
RENDER_SECONDS = 1.0  # time one part may take to render

__all__ = [
    "LOOP_BUDGET",
    "OUTPUT_LIMIT",
    "RENDER_SECONDS",
    "VALUE_LIMIT",
    "TemplateProblem",
    "plain",
    "render_part",
]


class TemplateProblem(ValidationFailed):
    """A template that does not parse, reaches for what it may not, or grows too big."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("The template has problems: see the fields marked.", errors)
        self.errors = errors


class _OverLimit(Exception):
    """A template built something too big (or looped too long)."""


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


@functools.lru_cache(maxsize=256)
def _compile(env: _SandboxEnvironment, source: str) -> Any:
    """The template, or a list of problems (syntax errors, refused tags); cached by source,
    since the same few templates are rendered for every message."""
    try:
        tree = env.parse(source)
        guard = _Guard()
        tree = guard.visit(tree)
        if guard.problems:
            return guard.problems
        return env.from_string(tree)
    except TemplateError as error:
        return [_describe(error)]
    except (RecursionError, MemoryError):  # absurdly deep nesting: refused like a syntax error
        return ["This template nests too deeply."]


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


def _run(template: Any, context: Mapping[str, Any]) -> str:
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


def plain(value: Any, depth: int = 0) -> Any:
    """A copy of ``value`` made of plain data only: the template can never reach an application object."""
    if depth > 20:
        raise TypeError("e-mail template context nested too deep")
    if value is None or isinstance(value, (bool, int, float, str)):
        return str(value) if isinstance(value, Markup) else value
    if isinstance(value, (Decimal, date, datetime)):
        return str(value)
    if isinstance(value, Mapping):
        return {str(key): plain(item, depth + 1) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item, depth + 1) for item in value]
    raise TypeError(f"e-mail template context may hold plain data only, not {type(value).__name__}")


def render_part(field: str, source: str, data: Mapping[str, Any], *, autoescape: bool) -> str:
    """Render one part of a template with ``data`` (the output of :func:`plain`).

    Raises :class:`TemplateProblem` ``{field: [messages]}`` when the source does not parse, is
    refused, or fails (or reaches a limit) while rendering.
    """
    compiled = _compile(_HTML_ENV if autoescape else _TEXT_ENV, source)
    if isinstance(compiled, list):
        raise TemplateProblem({field: list(compiled)})
    try:
        return _run(compiled, data)
    except Exception as error:
        raise TemplateProblem({field: [_describe(error)]}) from error
