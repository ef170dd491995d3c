"""Staff pages for the e-mail templates: list, edit with a live preview (admins: ``notifications.send``).

- ``/admin/notifications/templates``: every message, its language, default or edited (when, by whom)
- ``/admin/notifications/templates/<event>/<language>``: the editor; "Save", "Preview" (without
  JavaScript) and "Restore default" post here, and redirect (303) with a flash when done
- ``/admin/notifications/templates/<event>/<language>/preview``: the htmx partial the editor asks for
  as the admin types: subject, summary, text, and the HTML inside a sandboxed ``<iframe srcdoc>``
  (no scripts, no same-origin), so a template's HTML never runs in the admin's origin

Templates render in the sandbox of ``fantasize.notifications.templates`` with sample data; a
template's problems (syntax, refused attributes, too big) show next to their field, never a 500.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, make_response, redirect, render_template, request, url_for
from flask.wrappers import Response
from flask_login import current_user

from fantasize.accounts.permissions import permission_required
from fantasize.admin.forms.notifications import EmailTemplateForm, NewLanguageForm
from fantasize.errors import NotFound
from fantasize.notifications import templates as email_templates
from fantasize.notifications.kinds import KINDS
from fantasize.web.forms import flash_and_redirect
from fantasize.web.htmx import wants_partial
from fantasize.web.security import CONTENT_SECURITY_POLICY
from fantasize.web.transactions import run_form

bp = Blueprint("admin_notifications", __name__, url_prefix="/admin/notifications")
admin_only = permission_required("notifications.send")

# The preview's <iframe srcdoc> inherits this page's policy: e-mail HTML styles itself inline.
# Scripts stay off (the policy, and the iframe's sandbox without allow-scripts).
EDITOR_CSP = CONTENT_SECURITY_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


def _check_key(event: str, language: str) -> None:
    if event not in email_templates.DEFAULT_DOCUMENTS or not email_templates.LANGUAGE_PATTERN.match(language):
        raise NotFound("There is no such e-mail template.")


def _actor() -> Any:
    return current_user._get_current_object()


def _preview(document: dict[str, str], event: str) -> tuple[email_templates.Rendered | None, dict[str, list[str]]]:
    """The document rendered with the event's sample data, or the problems of each field."""
    try:
        return email_templates.render_document(document, email_templates.sample_context(event)), {}
    except email_templates.TemplateProblem as problem:
        return None, problem.errors


def _variables(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    """``(name, sample value)`` of each variable, for the list beside the editor."""
    if isinstance(value, dict):
        found: list[tuple[str, str]] = []
        for key, item in value.items():
            found.extend(_variables(item, f"{prefix}.{key}" if prefix else key))
        return found
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return [(prefix, "a list; each item has " + ", ".join(value[0]))]
        return [(prefix, "a list of text")]
    return [(prefix, "none" if value is None else str(value))]


def _editor_page(event: str, language: str, form: EmailTemplateForm, preview: Any, problems: Any, status: int = 200):
    _, row = email_templates.stored_document(event, language)
    response = make_response(
        render_template(
            "admin/notifications/edit.html",
            event=event,
            kind=KINDS[event],
            language=language,
            form=form,
            preview=preview,
            problems=problems,
            source=row,
            own_row=row is not None and row.language == language,
            variables=_variables(email_templates.sample_context(event)),
        ),
        status,
    )
    response.headers["Content-Security-Policy"] = EDITOR_CSP
    return response


@bp.get("/editor.css")
@admin_only
def editor_css() -> Response:
    response = make_response(render_template("admin/notifications/editor.css"))
    response.mimetype = "text/css"
    response.cache_control.private = True
    response.cache_control.max_age = 3600
    return response


@bp.get("/templates")
@admin_only
def templates() -> str:
    return render_template(
        "admin/notifications/index.html",
        listing=email_templates.documents_for_listing(),
        language_form=NewLanguageForm(formdata=None, language=""),
    )


@bp.get("/templates/new-language")
@admin_only
def new_language() -> Any:
    form = NewLanguageForm(request.args)
    if form.validate():
        return redirect(url_for(".edit", event=form.event.data, language=form.language.data), code=303)
    return render_template(
        "admin/notifications/index.html", listing=email_templates.documents_for_listing(), language_form=form
    ), 422


@bp.route("/templates/<event>/<language>", methods=["GET", "POST"])
@admin_only
def edit(event: str, language: str) -> Any:
    _check_key(event, language)
    label = f"“{KINDS[event].label}” ({language})"
    action = request.form.get("action", "save")
    if request.method == "POST" and action == "reset":
        if email_templates.reset_template(event, language, _actor()):
            message = f"Default restored for {label}."
        else:
            message = f"{label} already uses the default."
        return flash_and_redirect(message, url_for(".edit", event=event, language=language), "info")

    if request.method == "GET":
        document, _ = email_templates.stored_document(event, language)
        form = EmailTemplateForm(data=document)
        preview, problems = _preview(document, event)
        return _editor_page(event, language, form, preview, problems)

    form = EmailTemplateForm()
    if action == "preview":
        form.validate()
        preview, problems = _preview(form.document(), event)
        for name, messages in problems.items():
            form[name].errors = [*form[name].errors, *messages]
        return _editor_page(event, language, form, preview, {}, 422 if form.errors else 200)

    done, _ = run_form(form, lambda: email_templates.save_template(event, language, form.document(), _actor()))
    if done:
        return flash_and_redirect(f"{label} saved.", url_for(".edit", event=event, language=language))
    preview, _problems = _preview(form.document(), event)
    return _editor_page(event, language, form, preview, {}, 422)


@bp.post("/templates/<event>/<language>/preview")
@admin_only
def preview(event: str, language: str) -> Response:
    """The live preview (htmx); without htmx, the editor page with the preview shown."""
    _check_key(event, language)
    form = EmailTemplateForm()
    rendered, problems = _preview(form.document(), event)
    if not wants_partial():
        for name, messages in problems.items():
            form[name].errors = [*form[name].errors, *messages]
        return _editor_page(event, language, form, rendered, {}, 422 if problems else 200)
    response = make_response(
        render_template(
            "admin/notifications/_preview.html",
            preview=rendered,
            problems=problems,
            fields=email_templates.FIELDS,
            oob=True,
        )
    )
    response.headers.add("Vary", "HX-Request")
    return response
