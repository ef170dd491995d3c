"""Customization JSON endpoints: options (public read, staff write), presets, previews and uploads."""

from __future__ import annotations

from flask import Response, request
from werkzeug.exceptions import BadRequest

from fantasize.accounts.permissions import current_principal, login_required, permission_required
from fantasize.api.auth import current_api_user, require_api_user
from fantasize.api.envelope import ApiBlueprint, image_response, multipart_body
from fantasize.api.fields import partial_schema
from fantasize.catalog import sellables
from fantasize.customization import services, uploads
from fantasize.customization.preview import FORMATS, preview_item
from fantasize.customization.schemas import (
    AttachSchema,
    OptionSchema,
    PresetSchema,
    PreviewSchema,
    UploadSchema,
)
from fantasize.extensions import limiter
from fantasize.media.images import max_upload_bytes
from fantasize.media.storage import storage

bp = ApiBlueprint("customization", __name__, description="Customization options, presets, previews and uploads")


def _kind(kinds: str) -> str:
    return kinds[:-1]


@bp.get("/<any(products, packages):kinds>/<int:item_id>/customizations")
@bp.response(200, OptionSchema(many=True))
def list_options(kinds: str, item_id: int):
    """The options a shopper chooses from, own ones first, then those of attached presets."""
    services.get_item(_kind(kinds), item_id, for_sale=True)
    return services.options_for(_kind(kinds), item_id)


@bp.post("/<any(products, packages):kinds>/<int:item_id>/customizations")
@permission_required("catalog.write")
@bp.arguments(OptionSchema)
@bp.response(201, OptionSchema)
def create_option(body: dict, kinds: str, item_id: int):
    option = services.create_option(services.get_item(_kind(kinds), item_id), body)
    return option


@bp.patch("/customizations/<int:option_id>")
@permission_required("catalog.write")
@bp.arguments(partial_schema(OptionSchema))
@bp.response(200, OptionSchema)
def update_option(body: dict, option_id: int):
    option = services.update_option(services.get_option(option_id), body)
    return option


@bp.delete("/customizations/<int:option_id>")
@permission_required("catalog.write")
@bp.response(204)
def delete_option(option_id: int):
    services.delete_option(services.get_option(option_id))
    return Response(status=204)


@bp.get("/customization-presets")
@permission_required("catalog.write")
@bp.response(200, PresetSchema(many=True))
def list_presets():
    return services.list_presets()


@bp.post("/customization-presets")
@permission_required("catalog.write")
@bp.arguments(PresetSchema)
@bp.response(201, PresetSchema)
def create_preset(body: dict):
    preset = services.save_preset(None, body)
    return preset


@bp.patch("/customization-presets/<int:preset_id>")
@permission_required("catalog.write")
@bp.arguments(partial_schema(PresetSchema))
@bp.response(200, PresetSchema)
def update_preset(body: dict, preset_id: int):
    preset = services.save_preset(services.get_preset(preset_id), body)
    return preset


@bp.post("/customization-presets/<int:preset_id>/options")
@permission_required("catalog.write")
@bp.arguments(OptionSchema)
@bp.response(201, OptionSchema)
def create_preset_option(body: dict, preset_id: int):
    option = services.create_option(services.get_preset(preset_id), body)
    return option


@bp.post("/<any(products, packages):kinds>/<int:item_id>/presets")
@permission_required("catalog.write")
@bp.arguments(AttachSchema)
@bp.response(200, OptionSchema(many=True))
def attach_preset(body: dict, kinds: str, item_id: int):
    """Attach a preset: its options appear on the item (and follow later edits of the preset)."""
    services.attach_preset(services.get_preset(body["preset_id"]), _kind(kinds), item_id)
    return services.options_for(_kind(kinds), item_id)


@bp.delete("/<any(products, packages):kinds>/<int:item_id>/presets/<int:preset_id>")
@permission_required("catalog.write")
@bp.response(204)
def detach_preset(kinds: str, item_id: int, preset_id: int):
    services.detach_preset(services.get_preset(preset_id), _kind(kinds), item_id)
    return Response(status=204)


@bp.post("/customizations/preview")
@limiter.limit("120 per minute", methods=["POST"])
@bp.arguments(PreviewSchema)
@bp.doc(responses={200: image_response("The rendered picture: PNG, or WebP when `format` is webp")})
def preview(body: dict):
    """Render the item with the options chosen so far (PNG, or WebP with ``format``).

    Options not chosen yet (a missing required option, empty text) are left out; invalid values
    are refused with the same ``customization.<option id>`` field errors as the cart.
    """
    kind, item_id = sellables.item_named_in(body)
    user = current_api_user()
    image = preview_item(kind, item_id, body["customization"], user.id if user else None, body["format"])
    return Response(image, mimetype=FORMATS[body["format"]][1], headers={"Cache-Control": "no-store"})


@bp.post("/uploads")
@login_required
@bp.doc(requestBody=multipart_body("The picture (JPEG, PNG or WebP)"))
@bp.response(201, UploadSchema)
def upload():
    """Upload a picture for an ``image`` option (multipart field ``file``); use the returned token as its value."""
    file = request.files.get("file")
    if file is None:
        error = BadRequest("Send the picture as multipart/form-data in the field 'file'.")
        error.data = {"messages": {"files": {"file": ["Missing file."]}}}
        raise error
    max_bytes = max_upload_bytes()
    stored = uploads.store_upload(require_api_user(), file.read(max_bytes + 1))
    return stored


@bp.get("/uploads/<token>")
@login_required
@bp.doc(responses={200: image_response("The picture", ("image/jpeg", "image/png", "image/webp"))})
def get_upload(token: str) -> Response:
    """The picture itself, for its owner and for staff only."""
    from flask import send_file

    principal = current_principal()
    stored = uploads.upload_for_viewer(token, require_api_user(), reviewer=principal.can("orders.manage"))
    return send_file(storage().path(stored.path), mimetype=stored.content_type, max_age=0)
