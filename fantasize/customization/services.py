"""Customization rules: which options an item has, staff edits, and validating a shopper's selection."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, literal, select, union_all

from fantasize.catalog import sellables
from fantasize.catalog.models import Package, Product
from fantasize.catalog.staff_reads import Page
from fantasize.customization.models import CustomerUpload, CustomizationOption, CustomizationPreset, PresetAttachment
from fantasize.customization.types import OPTION_TYPES, ConfigError, price_delta
from fantasize.db import contains_pattern
from fantasize.errors import Conflict, NotFound, ValidationFailed
from fantasize.extensions import db

MAX_OPTIONS = 20


def options_for(kind: str, item_id: int) -> list[CustomizationOption]:
    """The item's own options, then those of its presets (in attachment order): two queries."""
    own = list(
        db.session.scalars(
            select(CustomizationOption)
            .where(sellables.owner(CustomizationOption, kind) == item_id)
            .order_by(CustomizationOption.position, CustomizationOption.id)
        )
    )
    return own + [option for attachment in attachments_of(kind, item_id) for option in attachment.preset.options]


def get_item(kind: str, item_id: int, *, for_sale: bool = False) -> Product | Package:
    """The item (staff edits), or only an active one when ``for_sale`` (what shoppers may see)."""
    item = db.session.get(sellables.model_of(kind), item_id)
    if item is None or item.deleted_at is not None or (for_sale and not item.active):
        raise NotFound(f"No such {kind}.")
    return item


# --- staff edits -------------------------------------------------------------------------


def _clean(values: dict[str, Any], option: CustomizationOption | None) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    option_type = values.get("type", option.type if option else None)
    if option_type not in OPTION_TYPES:
        *others, last = OPTION_TYPES
        errors["type"] = [f"Choose {', '.join(others)} or {last}."]
    name = (values.get("name", option.name if option else "") or "").strip()
    if not name:
        errors["name"] = ["Give the option a name."]
    cleaned: dict[str, Any] = {"name": name[:80], "type": option_type}
    if option_type in OPTION_TYPES:
        raw_config = dict(option.config if option else {})
        raw_config.update(values.get("config") or {})
        for key in OPTION_TYPES[option_type].config_keys:
            if key in values:
                raw_config[key] = values[key]
        try:
            cleaned["config"] = OPTION_TYPES[option_type].clean_config(raw_config)
        except ConfigError as error:
            errors.update(error.errors)
    if "price_delta" in values:
        cleaned["price_delta"] = price_delta(values["price_delta"] or 0, "price_delta", errors)
    for flag in ("required", "special"):
        if values.get(flag) is not None:
            cleaned[flag] = bool(values[flag])
    if values.get("position") is not None:
        cleaned["position"] = int(values["position"])
    if errors:
        raise ValidationFailed("The option is not valid.", errors)
    return cleaned


def create_option(owner: Product | Package | CustomizationPreset, values: dict[str, Any]) -> CustomizationOption:
    column = {"Product": "product_id", "Package": "package_id", "CustomizationPreset": "preset_id"}[
        type(owner).__name__
    ]
    count = len(
        list(db.session.scalars(select(CustomizationOption.id).where(getattr(CustomizationOption, column) == owner.id)))
    )
    if count >= MAX_OPTIONS:
        raise ValidationFailed(f"Up to {MAX_OPTIONS} options per item.", {"name": ["Too many options."]})
    option = CustomizationOption(**{column: owner.id}, position=count, **_clean(values, None))
    db.session.add(option)
    db.session.flush()
    _invalidate()
    return option


def update_option(option: CustomizationOption, values: dict[str, Any]) -> CustomizationOption:
    for key, value in _clean(values, option).items():
        setattr(option, key, value)
    db.session.flush()
    _invalidate()
    return option


def delete_option(option: CustomizationOption) -> None:
    db.session.delete(option)
    db.session.flush()
    _invalidate()


def get_option(option_id: int) -> CustomizationOption:
    option = db.session.get(CustomizationOption, option_id)
    if option is None:
        raise NotFound("No such option.")
    return option


def save_preset(preset: CustomizationPreset | None, values: dict[str, Any]) -> CustomizationPreset:
    preset = preset or CustomizationPreset()
    name = (values.get("name", preset.name) or "").strip()
    if not name:
        raise ValidationFailed("Give the preset a name.", {"name": ["Required."]})
    clash = db.session.scalar(select(CustomizationPreset.id).where(CustomizationPreset.name == name))
    if clash is not None and clash != preset.id:
        raise Conflict("A preset with this name exists.", {"name": ["Already used."]})
    preset.name, preset.description = name[:80], (values.get("description", preset.description) or "")[:300]
    db.session.add(preset)
    db.session.flush()
    _invalidate()
    return preset


def list_presets() -> list[CustomizationPreset]:
    """Every preset by name, with its options (loaded with one more query)."""
    return list(db.session.scalars(select(CustomizationPreset).order_by(func.lower(CustomizationPreset.name))))


def get_preset(preset_id: int) -> CustomizationPreset:
    preset = db.session.get(CustomizationPreset, preset_id)
    if preset is None:
        raise NotFound("No such preset.")
    return preset


def delete_preset(preset: CustomizationPreset) -> None:
    """Delete a preset with its options; items it was attached to keep their own options."""
    db.session.execute(delete(PresetAttachment).where(PresetAttachment.preset_id == preset.id))
    db.session.delete(preset)  # its options go with it (relationship cascade)
    db.session.flush()
    _invalidate()


def attach_preset(preset: CustomizationPreset, kind: str, item_id: int) -> None:
    get_item(kind, item_id)
    link = sellables.owner(PresetAttachment, kind)
    exists = db.session.scalar(
        select(PresetAttachment.id).where(PresetAttachment.preset_id == preset.id, link == item_id)
    )
    if exists is None:
        db.session.add(PresetAttachment(preset_id=preset.id, **sellables.owner_values(kind, item_id)))
        db.session.flush()
        _invalidate()


def detach_preset(preset: CustomizationPreset, kind: str, item_id: int) -> None:
    link = sellables.owner(PresetAttachment, kind)
    for row in db.session.scalars(
        select(PresetAttachment).where(PresetAttachment.preset_id == preset.id, link == item_id)
    ):
        db.session.delete(row)
    db.session.flush()
    _invalidate()


# --- staff reads (the customization admin pages) ----------------------------------------

STAFF_PAGE_SIZE = 50
STAFF_MODELS: dict[str, type[Product] | type[Package]] = {
    kind: entry.model for kind, entry in sellables.SELLABLES.items()
}


@dataclass(frozen=True)
class ItemRow:
    kind: str
    id: int
    name: str
    active: bool
    own: int
    presets: list[CustomizationPreset]

    @property
    def total(self) -> int:
        return self.own + sum(len(preset.options) for preset in self.presets)


def list_items_for_staff(search: str, kind: str, page: int) -> Page:
    """Products and packages (not deleted) by name, with their own option counts and attached presets."""
    parts = []
    for name, model in STAFF_MODELS.items():
        if kind not in ("", name):
            continue
        part = select(
            literal(name).label("kind"), model.id.label("id"), model.name.label("name"), model.active.label("active")
        ).where(model.deleted_at.is_(None))
        if search:
            part = part.where(model.name.ilike(contains_pattern(search), escape="\\"))
        parts.append(part)
    items = (union_all(*parts) if len(parts) > 1 else parts[0]).subquery()
    query = (
        select(items.c.kind, items.c.id, items.c.name, items.c.active)
        .order_by(func.lower(items.c.name), items.c.kind, items.c.id)
        .offset((page - 1) * STAFF_PAGE_SIZE)
        .limit(STAFF_PAGE_SIZE + 1)
    )
    found = list(db.session.execute(query))
    has_next, found = len(found) > STAFF_PAGE_SIZE, found[:STAFF_PAGE_SIZE]
    own: dict[tuple[str, int], int] = {}
    presets: dict[tuple[str, int], list[CustomizationPreset]] = {}
    for name in STAFF_MODELS:
        ids = [row.id for row in found if row.kind == name]
        if not ids:
            continue
        owner = sellables.owner(CustomizationOption, name)
        for item_id, count in db.session.execute(select(owner, func.count()).where(owner.in_(ids)).group_by(owner)):
            own[(name, item_id)] = count
        link = sellables.owner(PresetAttachment, name)
        attachments = db.session.scalars(
            select(PresetAttachment).where(link.in_(ids)).order_by(PresetAttachment.position, PresetAttachment.id)
        )
        for attachment in attachments:
            presets.setdefault(sellables.item_key(attachment), []).append(attachment.preset)
    rows = [
        ItemRow(
            row.kind,
            row.id,
            row.name,
            bool(row.active),
            own.get((row.kind, row.id), 0),
            presets.get((row.kind, row.id), []),
        )
        for row in found
    ]
    return Page(rows, page, has_next)


def list_presets_with_use() -> list[tuple[CustomizationPreset, int]]:
    """Every preset by name, with how many products and packages use it."""
    used = select(func.count()).where(PresetAttachment.preset_id == CustomizationPreset.id).scalar_subquery()
    query = select(CustomizationPreset, used).order_by(func.lower(CustomizationPreset.name))
    return [(preset, count) for preset, count in db.session.execute(query)]


def attachments_of(kind: str, item_id: int) -> list[PresetAttachment]:
    link = sellables.owner(PresetAttachment, kind)
    return list(
        db.session.scalars(
            select(PresetAttachment).where(link == item_id).order_by(PresetAttachment.position, PresetAttachment.id)
        )
    )


def preset_users(preset_id: int) -> list[tuple[str, Product | Package]]:
    """The products and packages (not deleted) that use the preset, by name."""
    users: list[tuple[str, Product | Package]] = []
    for kind, model in STAFF_MODELS.items():
        link = sellables.owner(PresetAttachment, kind)
        query = (
            select(model)
            .join(PresetAttachment, link == model.id)
            .where(PresetAttachment.preset_id == preset_id, model.deleted_at.is_(None))
            .order_by(func.lower(model.name), model.id)
        )
        users.extend((kind, item) for item in db.session.scalars(query))
    return users


def owner_of(option: CustomizationOption) -> tuple[str, Product | Package | CustomizationPreset]:
    """What the option belongs to: ``("preset" | "product" | "package", the owner)``."""
    if option.preset_id is not None:
        return "preset", get_preset(option.preset_id)
    kind, item_id = sellables.item_key(option)
    return kind, get_item(kind, item_id)


def _invalidate() -> None:
    from fantasize.catalog.cache import invalidate_catalog

    invalidate_catalog()


# --- a shopper's selection --------------------------------------------------------------


@dataclass(frozen=True)
class SelectedOption:
    option_id: int
    name: str
    type: str
    value: str
    display: str
    price_delta: Decimal
    special: bool
    swatch: str | None = None

    def snapshot(self) -> dict[str, Any]:
        """What an order line keeps: labels and prices as they were when chosen."""
        return {
            "option_id": self.option_id,
            "name": self.name,
            "type": self.type,
            "value": self.value,
            "display": self.display,
            "price_delta": str(self.price_delta),
            "special": self.special,
        }


@dataclass(frozen=True)
class Selection:
    chosen: list[SelectedOption] = field(default_factory=list)

    @property
    def price_delta(self) -> Decimal:
        return sum((c.price_delta for c in self.chosen), Decimal("0.00"))

    @property
    def special(self) -> bool:
        return any(c.special for c in self.chosen)

    def raw(self) -> dict[str, str]:
        """The canonical selection (option id → value) stored on a cart line."""
        return {str(c.option_id): c.value for c in self.chosen}


def find_upload(token: Any, user_id: str | None) -> CustomerUpload | None:
    if not isinstance(token, str) or not token or user_id is None:
        return None
    return db.session.scalar(
        select(CustomerUpload).where(CustomerUpload.token == token, CustomerUpload.user_id == user_id)
    )


def options_for_many(kind: str, item_ids: list[int]) -> dict[int, list[CustomizationOption]]:
    """``options_for`` for several items at once (two queries in all, not two per item)."""
    if not item_ids:
        return {}
    owner = sellables.owner(CustomizationOption, kind)
    link = sellables.owner(PresetAttachment, kind)
    result: dict[int, list[CustomizationOption]] = {item_id: [] for item_id in item_ids}
    own = db.session.scalars(
        select(CustomizationOption)
        .where(owner.in_(item_ids))
        .order_by(CustomizationOption.position, CustomizationOption.id)
    )
    for option in own:
        result[sellables.owner_id(option, kind)].append(option)
    attachments = db.session.scalars(
        select(PresetAttachment).where(link.in_(item_ids)).order_by(PresetAttachment.position, PresetAttachment.id)
    )
    for attachment in attachments:
        result[sellables.owner_id(attachment, kind)].extend(attachment.preset.options)
    return result


def validate_selection(
    kind: str,
    item_id: int,
    selection: Any,
    user_id: str | None,
    *,
    partial: bool = False,
    options: list[CustomizationOption] | None = None,
) -> Selection:
    """Check a selection against the item's options; errors name each option (``customization.<id>``).

    The one validation for the cart and the preview. ``partial`` (previews, while the shopper is
    still choosing) tolerates only what is not chosen yet: missing required options and empty
    text. Unknown options and invalid values fail with the same errors as in the cart.
    """
    if selection is None:
        selection = {}
    if not isinstance(selection, dict):
        raise ValidationFailed(
            "Send the customization as an object of option id → value.", {"customization": ["Not an object."]}
        )
    known = options if options is not None else options_for(kind, item_id)
    by_id = {str(option.id): option for option in known}
    errors: dict[str, list[str]] = {}
    for key in selection:
        if str(key) not in by_id:
            errors[f"customization.{key}"] = ["This option does not exist for this item."]
    context = {"find_upload": lambda token: find_upload(token, user_id)}
    chosen = []
    for key, option in by_id.items():
        raw = selection.get(key, selection.get(int(key)) if key.isdigit() else None)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if option.required and not partial:
                errors[f"customization.{key}"] = [f"“{option.name}” is required."]
            continue
        try:
            choice = OPTION_TYPES[option.type].choose(option, raw, context)
        except ValueError as error:
            errors[f"customization.{key}"] = [str(error)]
            continue
        chosen.append(
            SelectedOption(
                option.id,
                option.name,
                option.type,
                choice.value,
                choice.display,
                choice.price_delta,
                option.special,
                choice.swatch,
            )
        )
    if errors:
        raise ValidationFailed("Some customization choices are not valid.", errors)
    return Selection(chosen)
