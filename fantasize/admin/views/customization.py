"""Staff pages for customization: the options of products and packages, and presets that bundle them.

Thin views, as in the catalog admin: a form gives the shape, ``fantasize.customization.services``
applies the rules, the view redirects with 303 and a flash message (the request hook commits), or
shows the service's errors next to the fields (``run_form``; the work is undone).

- ``/admin/customization``: products and packages with their option counts (search, 50 a page) and the presets
- ``/admin/customization/<products|packages>/<id>``: an item's own options, its presets, "add an option"
- ``/admin/customization/options/<id>/edit``: the option form (any owner: product, package or preset)
- ``/admin/customization/presets/new`` and ``/presets/<id>``: a preset, its options, the items using it
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.wrappers import Response
from wtforms import SelectChoice

from fantasize.accounts.permissions import permission_required
from fantasize.admin.forms.customization import (
    AttachForm,
    OptionForm,
    attach_option_errors,
    option_form,
    option_values,
    preset_form,
)
from fantasize.catalog.models import Package, Product
from fantasize.customization import services
from fantasize.customization.models import CustomizationOption, CustomizationPreset, PresetAttachment
from fantasize.customization.types import OPTION_TYPES
from fantasize.web.forms import flash_and_redirect
from fantasize.web.transactions import run_form

bp = Blueprint("admin_customization", __name__, url_prefix="/admin/customization")
staff_only = permission_required("catalog.write")


@bp.context_processor
def _helpers() -> dict[str, Any]:
    return {"option_types": OPTION_TYPES}


@bp.get("/option-types.css")
@staff_only
def option_types_css() -> Response:
    """Show only the chosen type's section of the option form (no script), for every registered type.

    Generated from the registry, so a new type needs no stylesheet edit; browsers without
    ``:has()`` show every section, and only the chosen type's settings are saved.
    """
    rules = [
        f".option-form:has(#type option[value={name}]:checked) .type-section:not(.type-{name}) {{ display: none; }}"
        for name in OPTION_TYPES
    ]
    response = Response("\n".join(rules) + "\n", mimetype="text/css")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


def _item_url(kind: str, item_id: int, anchor: str = "") -> str:
    return url_for(".item", kinds=f"{kind}s", item_id=item_id) + anchor


def _owner_url(option: CustomizationOption) -> str:
    if option.preset_id is not None:
        return url_for(".preset", preset_id=option.preset_id)
    if option.product_id is not None:
        return _item_url("product", option.product_id)
    return _item_url("package", option.package_id)


# --- the index: every product and package, and the presets ---------------------------------------


def _page_number() -> int:
    return max(1, min(request.args.get("page", 1, type=int) or 1, 100_000))


@bp.get("")
@staff_only
def index() -> str:
    search = request.args.get("q", "").strip()[:200]
    kind = request.args.get("kind", "")
    kind = kind if kind in services.STAFF_MODELS else ""
    return render_template(
        "admin/customization/index.html",
        page=services.list_items_for_staff(search, kind, _page_number()),
        presets=services.list_presets_with_use(),
        search=search,
        kind=kind,
    )


# --- a product's or package's options ------------------------------------------------------------


def _attach_form(attached: list[PresetAttachment], submitted: bool = False) -> AttachForm:
    form = AttachForm() if submitted else AttachForm(formdata=None)
    taken = {attachment.preset_id for attachment in attached}
    presets = services.list_presets()
    form.preset_id.choices = [
        SelectChoice(
            str(preset.id), f"{preset.name} ({len(preset.options)} option{'' if len(preset.options) == 1 else 's'})"
        )
        for preset in presets
        if preset.id not in taken
    ]
    return form


def _item_page(kind: str, item: Product | Package, form: OptionForm | None = None, status: int = 200):
    attached = services.attachments_of(kind, item.id)
    own = [option for option in services.options_for(kind, item.id) if option.preset_id is None]
    return (
        render_template(
            "admin/customization/item.html",
            kind=kind,
            item=item,
            options=own,
            attached=attached,
            attach_form=_attach_form(attached),
            form=form or option_form(None, submitted=False),
        ),
        status,
    )


@bp.get("/<any(products, packages):kinds>/<int:item_id>")
@staff_only
def item(kinds: str, item_id: int) -> Any:
    kind = kinds[:-1]
    return _item_page(kind, services.get_item(kind, item_id))


@bp.post("/<any(products, packages):kinds>/<int:item_id>/options")
@staff_only
def item_option_new(kinds: str, item_id: int) -> Any:
    kind = kinds[:-1]
    item = services.get_item(kind, item_id)
    form = option_form()
    done, option = run_form(
        form, lambda: services.create_option(item, option_values(form, editing=False)), attach_option_errors
    )
    if done:
        return flash_and_redirect(
            f"Option “{option.name}” added to “{item.name}”.", _item_url(kind, item.id, "#options")
        )
    return _item_page(kind, item, form, status=422)


@bp.post("/<any(products, packages):kinds>/<int:item_id>/presets")
@staff_only
def attach(kinds: str, item_id: int) -> Response:
    kind = kinds[:-1]
    item = services.get_item(kind, item_id)
    form = _attach_form(services.attachments_of(kind, item.id), submitted=True)
    if not form.validate_on_submit():
        flash("Choose a preset to attach.", "error")
        return redirect(_item_url(kind, item.id, "#presets"), code=303)
    preset = services.get_preset(form.preset_id.data)
    services.attach_preset(preset, kind, item.id)
    return flash_and_redirect(
        f"Preset “{preset.name}” attached to “{item.name}”.", _item_url(kind, item.id, "#presets")
    )


@bp.post("/<any(products, packages):kinds>/<int:item_id>/presets/<int:preset_id>/detach")
@staff_only
def detach(kinds: str, item_id: int, preset_id: int) -> Response:
    kind = kinds[:-1]
    item = services.get_item(kind, item_id)
    preset = services.get_preset(preset_id)
    services.detach_preset(preset, kind, item.id)
    return flash_and_redirect(
        f"Preset “{preset.name}” detached from “{item.name}”.", _item_url(kind, item.id, "#presets"), "info"
    )


# --- one option (of a product, a package or a preset) --------------------------------------------


@bp.route("/options/<int:option_id>/edit", methods=["GET", "POST"])
@staff_only
def option_edit(option_id: int) -> Any:
    option = services.get_option(option_id)
    owner_kind, owner = services.owner_of(option)
    form = option_form(option, submitted=request.method == "POST")
    done, _ = run_form(
        form, lambda: services.update_option(option, option_values(form, editing=True)), attach_option_errors
    )
    if done:
        return flash_and_redirect(f"Option “{option.name}” saved.", _owner_url(option) + "#options")
    used_by = len(services.preset_users(owner.id)) if owner_kind == "preset" else 0
    return render_template(
        "admin/customization/option_form.html",
        option=option,
        form=form,
        owner=owner,
        owner_kind=owner_kind,
        owner_url=_owner_url(option),
        used_by=used_by,
    ), (422 if form.is_submitted() else 200)


@bp.post("/options/<int:option_id>/delete")
@staff_only
def option_delete(option_id: int) -> Response:
    option = services.get_option(option_id)
    name, back = option.name, _owner_url(option)
    services.delete_option(option)
    return flash_and_redirect(f"Option “{name}” deleted.", back + "#options", "info")


# --- presets -------------------------------------------------------------------------------------


def _preset_page(preset: CustomizationPreset, form: Any = None, new_option: OptionForm | None = None, status=200):
    return (
        render_template(
            "admin/customization/preset.html",
            preset=preset,
            form=form or preset_form(preset, submitted=False),
            new_option=new_option or option_form(None, submitted=False),
            users=services.preset_users(preset.id),
        ),
        status,
    )


@bp.route("/presets/new", methods=["GET", "POST"])
@staff_only
def preset_new() -> Any:
    form = preset_form(submitted=request.method == "POST")
    done, preset = run_form(
        form, lambda: services.save_preset(None, {"name": form.name.data, "description": form.description.data})
    )
    if done:
        return flash_and_redirect(
            f"Preset “{preset.name}” created. Add its options now.", url_for(".preset", preset_id=preset.id)
        )
    return render_template("admin/customization/preset_new.html", form=form), (422 if form.is_submitted() else 200)


@bp.route("/presets/<int:preset_id>", methods=["GET", "POST"])
@staff_only
def preset(preset_id: int) -> Any:
    preset = services.get_preset(preset_id)
    if request.method == "GET":
        return _preset_page(preset)
    form = preset_form(preset)
    done, _ = run_form(
        form, lambda: services.save_preset(preset, {"name": form.name.data, "description": form.description.data})
    )
    if done:
        return flash_and_redirect(f"Preset “{preset.name}” saved.", url_for(".preset", preset_id=preset.id))
    return _preset_page(preset, form=form, status=422)


@bp.post("/presets/<int:preset_id>/options")
@staff_only
def preset_option_new(preset_id: int) -> Any:
    preset = services.get_preset(preset_id)
    form = option_form()
    done, option = run_form(
        form, lambda: services.create_option(preset, option_values(form, editing=False)), attach_option_errors
    )
    if done:
        message = f"Option “{option.name}” added to the preset “{preset.name}”."
        return flash_and_redirect(message, url_for(".preset", preset_id=preset.id) + "#options")
    return _preset_page(preset, new_option=form, status=422)


@bp.post("/presets/<int:preset_id>/delete")
@staff_only
def preset_delete(preset_id: int) -> Response:
    """Delete a preset, its options and its attachments (the items keep their own options)."""
    preset = services.get_preset(preset_id)
    name = preset.name
    services.delete_preset(preset)
    return flash_and_redirect(f"Preset “{name}” deleted.", url_for(".index"), "info")
