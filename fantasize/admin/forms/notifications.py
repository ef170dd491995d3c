"""Forms of the e-mail template editor (shape only: ``notifications.templates`` checks that each part
is there and that its Jinja parses and renders)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Regexp

from fantasize.notifications.kinds import KINDS
from fantasize.notifications.templates import DEFAULT_DOCUMENTS, LANGUAGE_PATTERN, SOURCE_LIMITS


def _limit(field: str) -> Length:
    return Length(max=SOURCE_LIMITS[field], message=f"Keep it under {SOURCE_LIMITS[field]:,} characters.")


class EmailTemplateForm(FlaskForm):
    subject = StringField(
        "Subject",
        validators=[_limit("subject")],
        description="One line; {{ order.number }} and the other variables work here too.",
    )
    summary = TextAreaField(
        "Summary (push and in-app inbox)",
        validators=[_limit("summary")],
        render_kw={"rows": 2},
        description="One short line, shown on phones and in the shopper's inbox.",
    )
    html = TextAreaField(
        "HTML body",
        validators=[_limit("html")],
        render_kw={"rows": 18, "spellcheck": "false", "class": "code-input"},
    )
    text = TextAreaField(
        "Text body",
        validators=[_limit("text")],
        render_kw={"rows": 12, "class": "code-input"},
        description="The plain-text version, for mail apps that do not show HTML.",
    )

    def document(self) -> dict[str, str]:
        return {name: (self[name].data or "").replace("\r\n", "\n") for name in ("subject", "summary", "html", "text")}


class NewLanguageForm(FlaskForm):
    """Start a template in another language (GET: it only leads to the editor)."""

    class Meta:
        csrf = False

    event = SelectField("Message", choices=[SelectChoice(event, KINDS[event].label) for event in DEFAULT_DOCUMENTS])
    language = StringField(
        "Language code",
        validators=[
            InputRequired("Give a language code, like “de” or “pt-BR”."),
            Regexp(LANGUAGE_PATTERN.pattern, message="Use a code like “de” or “pt-BR”."),
        ],
        render_kw={"placeholder": "e.g. de or pt-BR", "maxlength": 5, "autocomplete": "off"},
    )
