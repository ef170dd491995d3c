"""E-mail templates: the defaults, the fallback order, saving, and the sandbox's refusals."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from fantasize.extensions import db
from fantasize.notifications import templates
from fantasize.notifications.kinds import KINDS
from fantasize.notifications.models import EmailTemplate
from fantasize.notifications.templates import (
    DEFAULT_DOCUMENTS,
    TemplateProblem,
    render,
    render_document,
    reset_template,
    sample_context,
    save_template,
    seed_default_templates,
    validate_document,
)
from tests.factories import UserFactory

ORDER_EVENTS = [
    "order_placed",
    "customization_approved",
    "customization_rejected",
    "order_shipped",
    "order_delivered",
    "order_canceled",
    "staff_new_order",
    "staff_review_needed",
]


def _doc(**fields: str) -> dict[str, str]:
    document = {"subject": "Hello", "summary": "A line", "html": "<p>Hi</p>", "text": "Hi"}
    document.update(fields)
    return document


def _render_all(source: str, context: dict | None = None):
    """Render ``source`` in every part of a document."""
    return render_document(
        {"subject": source, "summary": source, "html": source, "text": source},
        context if context is not None else sample_context("order_placed"),
    )


# --- defaults ------------------------------------------------------------------------------------


def test_every_kind_but_the_free_text_announcement_has_a_default():
    assert set(DEFAULT_DOCUMENTS) == set(KINDS) - {"announcement"}


@pytest.mark.parametrize("event", sorted(DEFAULT_DOCUMENTS))
def test_each_default_renders_fully_against_its_sample(event):
    rendered = render_document(DEFAULT_DOCUMENTS[event], sample_context(event))
    for part in ("subject", "summary", "html", "text"):
        value = getattr(rendered, part)
        assert value.strip(), part
        for leak in ("None", "{{", "{%", "Undefined"):
            assert leak not in value, (part, leak)
    assert "\n" not in rendered.subject
    assert "\n" not in rendered.summary
    assert rendered.html.lstrip().startswith("<!doctype html>")
    assert "</html>" in rendered.html
    assert "<" not in rendered.text  # a real plain-text part, not HTML
    assert validate_document(DEFAULT_DOCUMENTS[event], event) == {}


@pytest.mark.parametrize("event", ORDER_EVENTS)
def test_order_defaults_name_the_order_and_link_to_it(event):
    context = sample_context(event)
    rendered = render_document(DEFAULT_DOCUMENTS[event], context)
    assert "FZ-7K3M9Q" in rendered.subject + rendered.summary
    link = context["order"]["admin_url" if event.startswith("staff_") else "url"]
    assert link in rendered.html
    assert link in rendered.text
    assert "Personalised Ceramic Mug" in rendered.html
    assert "Engraving: Happy birthday, Mia!" in rendered.text


@pytest.mark.parametrize("event", sorted(DEFAULT_DOCUMENTS))
def test_defaults_greet_gracefully_without_a_name(event):
    context = sample_context(event)
    context["recipient"]["name"] = ""
    if event == "gift_notice":
        context["gift"]["recipient_name"] = ""
    rendered = render_document(DEFAULT_DOCUMENTS[event], context)
    first_line = rendered.text.splitlines()[0]
    assert first_line in {"Hi there,", "Hello,"}
    assert "Hi ," not in rendered.html
    assert "Dear ," not in rendered.html


def test_rejection_and_cancelation_say_why():
    for event in ("customization_rejected", "order_canceled"):
        context = sample_context(event)
        context["order"]["note"] = "The photo is too dark <b>sorry</b>"
        rendered = render_document(DEFAULT_DOCUMENTS[event], context)
        assert "The photo is too dark <b>sorry</b>" in rendered.text
        assert "The photo is too dark &lt;b&gt;sorry&lt;/b&gt;" in rendered.html  # shopper text is escaped
        context["order"]["note"] = None
        rendered = render_document(DEFAULT_DOCUMENTS[event], context)
        assert "Why:" not in rendered.text
        assert "Note:" not in rendered.text


def test_password_reset_carries_the_link_and_its_lifetime():
    rendered = render_document(DEFAULT_DOCUMENTS["password_reset"], sample_context("password_reset"))
    url = sample_context("password_reset")["reset_url"]
    assert url in rendered.text
    assert f'href="{url}"' in rendered.html
    assert "60 minutes" in rendered.text


def test_anonymous_gift_with_hidden_prices_shows_neither_the_buyer_nor_a_price():
    context = sample_context("gift_notice")
    context["gift"].update(from_name=None, hide_prices=True)
    rendered = render_document(DEFAULT_DOCUMENTS["gift_notice"], context)
    everything = " ".join([rendered.subject, rendered.summary, rendered.html, rendered.text])
    assert "Alex" not in everything
    assert "€" not in everything
    assert "Total" not in everything
    assert "Someone" in rendered.subject
    assert "someone" in rendered.text.lower()
    assert "Personalised Ceramic Mug" in rendered.text  # the gift itself is described


def test_hide_prices_holds_even_if_prices_were_passed():
    context = sample_context("gift_notice")
    for line in context["order"]["lines"]:
        line["price"] = "€29.00"
    context["order"]["total"] = "€42.00"
    context["gift"]["hide_prices"] = True
    rendered = render_document(DEFAULT_DOCUMENTS["gift_notice"], context)
    assert "€" not in rendered.html + rendered.text


def test_a_named_gift_with_prices_shows_both():
    context = sample_context("gift_notice")
    context["gift"].update(from_name="Alex", hide_prices=False)
    context["order"]["lines"][0]["price"] = "€29.00"
    context["order"]["total"] = "€42.00"
    rendered = render_document(DEFAULT_DOCUMENTS["gift_notice"], context)
    assert rendered.subject.startswith("Alex is sending you a gift")
    assert "€29.00" in rendered.html
    assert "€42.00" in rendered.text


# --- which document is used ----------------------------------------------------------------------


def test_render_falls_back_from_language_to_english_to_default():
    context = sample_context("order_shipped")
    assert render("order_shipped", "de", context).subject == "Your order FZ-7K3M9Q is on its way"

    save_template("order_shipped", "en", _doc(subject="EN {{ order.number }}"), None)
    db.session.commit()
    assert render("order_shipped", "de", context).subject == "EN FZ-7K3M9Q"

    save_template("order_shipped", "de", _doc(subject="Unterwegs: {{ order.number }}"), None)
    db.session.commit()
    assert render("order_shipped", "de", context).subject == "Unterwegs: FZ-7K3M9Q"
    assert render("order_shipped", "en", context).subject == "EN FZ-7K3M9Q"

    assert reset_template("order_shipped", "de") is True
    db.session.commit()
    assert render("order_shipped", "de", context).subject == "EN FZ-7K3M9Q"
    assert reset_template("order_shipped", "de") is False


def test_a_stored_template_that_fails_at_send_time_falls_back_to_the_default():
    row = EmailTemplate(event="order_placed", language="en", document=_doc(subject="{{ order.total + 1 }}"))
    db.session.add(row)
    db.session.commit()
    rendered = render("order_placed", "en", sample_context("order_placed"))
    assert rendered.subject == "Thank you! We received your order FZ-7K3M9Q"


def test_render_knows_no_template_for_announcements():
    with pytest.raises(LookupError):
        render("announcement", "en", sample_context())


def test_save_validates_and_upserts():
    admin = UserFactory(role="admin")
    with pytest.raises(TemplateProblem) as caught:
        save_template("welcome", "en", _doc(subject="", html="{% if %}"), admin)
    assert set(caught.value.details) == {"subject", "html"}
    assert db.session.scalar(select(func.count()).select_from(EmailTemplate)) == 0

    first = save_template("welcome", "en", _doc(subject="Welcome {{ recipient.name }}"), admin)
    second = save_template("welcome", "en", _doc(subject="Hello {{ recipient.name }}"), admin)
    db.session.commit()
    assert first.id == second.id
    assert second.updated_by_id == admin.id
    assert render("welcome", "en", sample_context("welcome")).subject == "Hello Alex"


def test_save_refuses_unknown_events_and_language_codes():
    with pytest.raises(templates.NotFound):
        save_template("announcement", "en", _doc(), None)
    with pytest.raises(templates.ValidationFailed) as caught:
        save_template("welcome", "english", _doc(), None)
    assert "language" in caught.value.details


def test_validation_catches_empty_parts_and_oversized_sources():
    errors = validate_document(_doc(summary="   ", text="x" * 60_000), "welcome")
    assert set(errors) == {"summary", "text"}
    errors = validate_document(_doc(subject="{{ missing }}"), "welcome")
    assert "empty" in errors["subject"][0]


def test_seeding_stores_each_missing_default_once():
    save_template("welcome", "en", _doc(subject="Mine"), None)
    assert seed_default_templates() == len(DEFAULT_DOCUMENTS) - 1
    assert seed_default_templates() == 0
    db.session.commit()
    assert render("welcome", "en", sample_context("welcome")).subject == "Mine"
    listing = {(entry.event, entry.language): entry for entry in templates.documents_for_listing()}
    assert listing[("welcome", "en")].edited
    assert listing[("order_placed", "en")].stored
    assert not listing[("order_placed", "en")].edited


# --- the sandbox ---------------------------------------------------------------------------------


def test_unknown_variables_render_empty_at_any_depth():
    rendered = _render_all("[{{ nope }}|{{ order.nope.deeper }}|{{ config }}|{{ request }}|{{ g }}|{{ url_for }}]")
    assert rendered.subject == "[|||||]"


def test_subject_and_summary_are_one_short_line():
    rendered = render_document(
        _doc(subject="  Two\n lines  {{ order.number }} ", summary=" word" * 200), sample_context("order_placed")
    )
    assert rendered.subject == "Two lines FZ-7K3M9Q"
    assert len(rendered.summary) <= templates.SUMMARY_MAX
    assert rendered.summary.endswith("…")


def test_only_the_html_body_is_escaped():
    context = sample_context("order_placed")
    context["order"]["note"] = "Tom & Jerry <3"
    rendered = _render_all("{{ order.note }}", context)
    assert rendered.subject == "Tom & Jerry <3"
    assert rendered.text.strip() == "Tom & Jerry <3"
    assert rendered.html.strip() == "Tom &amp; Jerry &lt;3"


def test_shopper_text_cannot_be_marked_safe():
    with pytest.raises(TemplateProblem) as caught:
        _render_all("{{ order.note|safe }}")
    assert "safe" in caught.value.errors["html"][0]


SECRET_PROBES = [
    "{{ config }}",
    "{{ config.SECRET_KEY }}",
    "{{ config['SECRET_KEY'] }}",
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ ().__class__.__base__.__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ joiner.__init__.__globals__.os }}",
    "{{ lipsum.__globals__['os'] }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ order.__init__.__globals__ }}",
    "{{ order.lines.__class__ }}",
    "{{ order['__class__'] }}",
    "{{ order|attr('__class__') }}",
    "{{ order.lines|map(attribute='__class__')|list }}",
    "{{ self }}",
    "{{ self._TemplateReference__context }}",
    "{{ request }}",
    "{{ request.environ }}",
    "{{ g }}",
    "{{ url_for('static') }}",
    "{{ get_flashed_messages() }}",
    "{% for i in range(10**9) %}x{% endfor %}",
    "{{ '{0.__class__}'.format(order) }}",
    "{{ order.number.format_map(order) }}",
    "{% include 'base.html' %}",
    "{% extends 'base.html' %}",
    "{% import 'partials/_forms.html' as f %}",
    "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
]


@pytest.mark.parametrize("source", SECRET_PROBES)
def test_injection_attempts_are_refused_or_harmless(app, source):
    try:
        rendered = _render_all(source)
    except TemplateProblem as problem:
        refused = problem.errors
    else:
        refused = None
    if refused is not None:
        assert all(refused.values())
        return
    secret = app.config["SECRET_KEY"]
    for part in (rendered.subject, rendered.summary, rendered.html, rendered.text):
        assert secret not in part
        assert "<class" not in part
        assert "&lt;class" not in part
        assert "function" not in part
        assert "environ" not in part.lower()
        assert "Config" not in part


@pytest.mark.parametrize(
    "source",
    [
        "{{ 'x' * 10**9 }}",
        "{{ [1] * 10**9 }}",
        "{{ 'x'.center(10**9) }}",
        "{{ 'x'.ljust(10**9) }}",
        "{{ '%09999999999d' % 1 }}",
        "{{ 7 ** (10 ** 8) }}",
        "{{ 'x'|replace('', 'y' * 1000)|replace('', 'z' * 1000) }}",
        "{% set a = 'y' * 100000 %}{% set b = a ~ a ~ a %}{{ b }}",
        "{% set a = 'x' * 1000 %}{% for i in a %}{% for j in a %}{{ j }}{% endfor %}{% endfor %}",
        "{% set a = 'x' * 1000 %}{% for i in a %}{% for j in a %}{% for k in a %}{% endfor %}{% endfor %}{% endfor %}",
        "{% set a = ('y ' * 90000).split() %}{% for i in 'x' * 5000 %}{% set b = a|sort|unique|list %}{% endfor %}",
        "{% for x in order.lines recursive %}{{ loop(order.lines) }}{% endfor %}",
    ],
)
def test_templates_cannot_blow_up_time_or_memory(source):
    started = time.monotonic()
    with pytest.raises(TemplateProblem) as caught:
        render_document(_doc(text=source), sample_context("order_placed"))
    assert list(caught.value.errors) == ["text"]
    assert time.monotonic() - started < 5


def test_ordinary_template_features_still_work():
    source = (
        "{% for line in order.lines %}{{ loop.index }}. {{ line.name|upper }} ({{ line.customization|join(', ') }})"
        "{{ ', ' if not loop.last }}{% endfor %} | {{ order.lines|length }} | {{ order.get('number') }}"
        " | {{ 'ok' if order.is_gift else 'no' }} | {{ order.number|replace('FZ-', '') }} | {{ '-' * 3 }}"
        "{% set who = recipient.name or 'friend' %} | {{ who|title }} | {{ order.number.lower() }}"
    )
    rendered = _render_all(source)
    assert rendered.subject.startswith(
        "1. PERSONALISED CERAMIC MUG (Colour: Rose, Engraving: Happy birthday, Mia!), 2."
    )
    assert rendered.subject.endswith("| 2 | FZ-7K3M9Q | ok | 7K3M9Q | --- | Alex | fz-7k3m9q")


def test_syntax_errors_name_the_field_and_line():
    with pytest.raises(TemplateProblem) as caught:
        render_document(_doc(html="<p>\n{% if order.note %}\n</p>"), sample_context("order_placed"))
    assert list(caught.value.errors) == ["html"]
    assert caught.value.errors["html"][0].startswith("Line ")
    assert caught.value.status == 422  # a ValidationFailed: views show it field by field


def test_only_plain_data_reaches_a_template():
    with pytest.raises(TypeError):
        render_document(_doc(), {"user": UserFactory()})


@pytest.mark.parametrize("source", ["{{ " + "(" * 400 + "1" + ")" * 400 + " }}", "{% if 1 %}" * 2000])
def test_absurdly_deep_nesting_is_a_field_error_not_a_crash(source):
    from fantasize.notifications.templates import TemplateProblem, render_document

    document = {"subject": "Hi", "summary": "Hi", "text": source, "html": "<p>Hi</p>"}
    with pytest.raises(TemplateProblem) as refused:
        render_document(document, {})
    assert "text" in refused.value.details
