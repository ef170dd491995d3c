"""Staff customization pages: permissions, options of products and packages, presets."""

from __future__ import annotations

import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from fantasize.admin.forms.customization import CHOICE_ROWS
from fantasize.customization import services
from fantasize.customization.models import CustomizationOption, CustomizationPreset, PresetAttachment
from fantasize.extensions import db
from tests.factories import PackageFactory, ProductFactory, UserFactory


@pytest.fixture
def manager(login):
    user = UserFactory(role="manager")
    login(user)
    return user


def _api_options(client, kinds: str, item_id: int) -> list[dict]:
    response = client.get(f"/api/v2/{kinds}/{item_id}/customizations")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["data"]


def _option_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(CustomizationOption))


def _error_next_to(html: str, field_id: str) -> str:
    """The error text the ``field()`` macro shows right after a field."""
    match = re.search(rf'<small id="{field_id}-help" class="field-error">\s*(.*?)\s*</small>', html, re.S)
    assert match, f"no error shown next to {field_id}"
    return match.group(1)


def _choice_rows(**rows: dict) -> dict:
    """All eight choice rows as a browser sends them: ``_choice_rows(r0={...}, r2={...})``.

    Rows not given are blank with "No swatch" ticked (the form's default); given rows have it
    unticked unless they say ``no_swatch``.
    """
    data = {}
    for index in range(CHOICE_ROWS):
        given = rows.get(f"r{index}")
        row = {"value": "", "label": "", "price_delta": "0.00", "swatch": "#b3245c"}
        row.update(given if given is not None else {"no_swatch": "y"})
        data.update({f"choices-{index}-{name}": value for name, value in row.items()})
    return data


def _preset_with_engraving(max_length: int = 12) -> tuple[CustomizationPreset, CustomizationOption]:
    preset = services.save_preset(None, {"name": "Engraving", "description": "Laser engraving"})
    option = services.create_option(
        preset, {"name": "Engraving", "type": "text", "max_length": max_length, "price_delta": "5.00"}
    )
    db.session.commit()
    return preset, option


# --- permissions ---------------------------------------------------------------------------------


def _every_customization_admin_url(app) -> list[tuple[str, str]]:
    found = set()
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("admin_customization."):
            continue
        for kinds in ("products", "packages"):
            values = {"item_id": 1, "option_id": 1, "preset_id": 1, "kinds": kinds}
            built = rule.build({k: v for k, v in values.items() if k in rule.arguments}, append_unknown=False)
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                found.add((method, built[1]))
    return sorted(found)


def test_anonymous_visitors_are_sent_to_sign_in(app, client):
    urls = _every_customization_admin_url(app)
    assert len(urls) >= 15
    for method, path in urls:
        response = client.open(path, method=method)
        assert response.status_code in (302, 303), (method, path, response.status_code)
        assert "/login" in response.headers["Location"], (method, path)


def test_customers_get_403_and_change_nothing(app, client, login):
    product = ProductFactory()
    preset, _option = _preset_with_engraving()
    services.attach_preset(preset, "product", product.id)
    db.session.commit()
    login(UserFactory(role="customer"))
    for method, path in _every_customization_admin_url(app):
        response = client.open(path, method=method, data={"name": "Hacked", "type": "text", "preset_id": preset.id})
        assert response.status_code == 403, (method, path, response.status_code)
    assert [o["name"] for o in _api_options(client, "products", product.id)] == ["Engraving"]
    assert _option_count() == 1


def test_the_admin_menu_links_the_customization_pages(client, manager):
    html = client.get("/admin/catalog/products").get_data(as_text=True)
    assert re.search(r'<a href="/admin/customization"[^>]*>Customization</a>', html)
    html = client.get("/admin/customization").get_data(as_text=True)
    assert 'href="/admin/customization" aria-current="page"' in html


# --- the index -----------------------------------------------------------------------------------


def test_index_lists_items_with_option_counts_and_presets(client, manager):
    mug = ProductFactory(name="Walnut Mug")
    ProductFactory(name="Silver Ring")
    box = PackageFactory(name="Walnut Box")
    services.create_option(mug, {"name": "Colour", "type": "button", "choices": [{"value": "red"}]})
    preset, _ = _preset_with_engraving()
    services.attach_preset(preset, "package", box.id)
    db.session.commit()

    html = client.get("/admin/customization?q=walnut").get_data(as_text=True)
    assert "Walnut Mug" in html
    assert "Walnut Box" in html
    assert "Silver Ring" not in html
    assert f'href="/admin/customization/products/{mug.id}"' in html
    assert f'href="/admin/customization/packages/{box.id}"' in html
    assert f'href="/admin/customization/presets/{preset.id}"' in html
    assert "1 item" in html  # the preset is used by the box

    html = client.get("/admin/customization?q=walnut&kind=package").get_data(as_text=True)
    assert "Walnut Box" in html
    assert "Walnut Mug" not in html


def test_index_pages_by_50(client, manager):
    for n in range(53):
        ProductFactory(name=f"Item {n:02d}")
    first = client.get("/admin/customization").get_data(as_text=True)
    assert "Item 49" in first
    assert "Item 50" not in first
    assert "page=2" in first
    second = client.get("/admin/customization?page=2").get_data(as_text=True)
    assert "Item 52" in second


# --- options of a product or package -------------------------------------------------------------


class _LabelCheck(HTMLParser):
    """Collects the ids of form controls and the ``for`` of labels."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[str] = []
        self.labelled: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "label" and attributes.get("for"):
            self.labelled.add(attributes["for"])
        if tag in ("input", "select", "textarea") and attributes.get("type") not in ("hidden", "submit"):
            self.controls.append(attributes.get("id") or attributes.get("name"))


def test_every_field_of_the_item_page_has_a_label(client, manager):
    product = ProductFactory()
    _preset_with_engraving()
    html = client.get(f"/admin/customization/products/{product.id}").get_data(as_text=True)
    check = _LabelCheck()
    check.feed(html)
    assert "choices-7-swatch" in check.controls  # eight choice rows
    assert not [control for control in check.controls if control not in check.labelled]
    assert "<script>" not in html


def test_manager_adds_a_text_option_and_shoppers_see_it(client, manager):
    product = ProductFactory()
    response = client.post(
        f"/admin/customization/products/{product.id}/options",
        data={
            "name": "Engraving",
            "type": "text",
            "required": "y",
            "price_delta": "4.50",
            "max_length": "15",
            "charset": "letters",
            "placeholder": "Your name",
            # the button rows are hidden for a text option and not sent to the service
            **_choice_rows(r0={"value": "ignored", "swatch": "nonsense"}),
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/admin/customization/products/{product.id}#options")

    [option] = _api_options(client, "products", product.id)
    assert option["name"] == "Engraving"
    assert option["type"] == "text"
    assert option["required"] is True
    assert option["special"] is False
    assert option["price_delta"] == "4.50"
    assert (option["max_length"], option["charset"], option["placeholder"]) == (15, "letters", "Your name")
    assert "choices" not in option

    html = client.get(f"/admin/customization/products/{product.id}").get_data(as_text=True)
    assert "Option “Engraving” added" in html
    assert "Up to 15 characters" in html


def test_manager_adds_a_button_option_to_a_package_skipping_empty_rows(client, manager):
    package = PackageFactory()
    response = client.post(
        f"/admin/customization/packages/{package.id}/options",
        data={
            "name": "Ribbon",
            "type": "button",
            "special": "y",
            **_choice_rows(
                r0={"value": "red", "label": "Red", "swatch": "#cc0000"},
                r3={"value": "gold", "label": "Gold", "price_delta": "2.50", "swatch": "#d4af37"},
                r5={"value": "plain", "swatch": "#000000", "no_swatch": "y"},
            ),
        },
    )
    assert response.status_code == 303
    [option] = _api_options(client, "packages", package.id)
    assert option["special"] is True
    assert option["choices"] == [
        {"value": "red", "label": "Red", "price_delta": "0.00", "swatch": "#cc0000"},
        {"value": "gold", "label": "Gold", "price_delta": "2.50", "swatch": "#d4af37"},
        {"value": "plain", "label": "plain", "price_delta": "0.00", "swatch": None},
    ]


def test_a_bad_swatch_is_shown_next_to_its_choice_row_and_nothing_is_saved(client, manager):
    product = ProductFactory()
    response = client.post(
        f"/admin/customization/products/{product.id}/options",
        data={
            "name": "Colour",
            "type": "button",
            **_choice_rows(
                r0={"value": "white", "swatch": "#ffffff"},
                # row 1 is empty: the service's "choices.1" is the form's row 2
                r2={"value": "berry", "label": "Berry", "swatch": "berry-red"},
            ),
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert _error_next_to(html, "choices-2-swatch") == "Use a colour like #b3245c."
    assert 'id="choices-0-swatch-help"' not in html
    assert re.search(r'<fieldset class="choice-row choice-row-invalid" id="choice-2">', html)
    assert 'value="Berry"' in html  # what was typed is kept
    assert _option_count() == 0
    assert _api_options(client, "products", product.id) == []


def test_a_button_option_without_choices_and_a_duplicate_value_are_refused(client, manager):
    product = ProductFactory()
    response = client.post(
        f"/admin/customization/products/{product.id}/options", data={"name": "Size", "type": "button"}
    )
    assert response.status_code == 422
    assert "Add at least one choice." in response.get_data(as_text=True)

    response = client.post(
        f"/admin/customization/products/{product.id}/options",
        data={"name": "Size", "type": "button", **_choice_rows(r0={"value": "S"}, r1={"value": "S"})},
    )
    assert response.status_code == 422
    assert "appears twice" in _error_next_to(response.get_data(as_text=True), "choices-1-value")
    assert _option_count() == 0


def test_text_settings_errors_are_shown_next_to_their_fields(client, manager):
    product = ProductFactory()
    response = client.post(
        f"/admin/customization/products/{product.id}/options",
        data={"name": "", "type": "text", "max_length": "900", "charset": "basic"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert _error_next_to(html, "name") == "Give the option a name."
    response = client.post(
        f"/admin/customization/products/{product.id}/options",
        data={"name": "Message", "type": "text", "max_length": "900", "charset": "basic"},
    )
    assert _error_next_to(response.get_data(as_text=True), "max_length") == "Use a maximum length between 1 and 500."
    assert _option_count() == 0


def test_an_image_option_with_its_settings(client, manager):
    product = ProductFactory()
    response = client.post(
        f"/admin/customization/products/{product.id}/options",
        data={
            "name": "Photo",
            "type": "image",
            "special": "y",
            "min_width": "600",
            "min_height": "400",
            "max_mb": "8",
            "formats": ["image/jpeg", "image/png"],
        },
    )
    assert response.status_code == 303
    [option] = _api_options(client, "products", product.id)
    assert (option["min_width"], option["min_height"], option["max_mb"]) == (600, 400, 8)
    assert option["formats"] == ["image/jpeg", "image/png"]
    html = client.get(f"/admin/customization/products/{product.id}").get_data(as_text=True)
    assert "At least 600×400 px, up to 8 MB; JPEG, PNG" in html


def test_editing_an_option_fills_the_form_and_saves_changes(client, manager):
    product = ProductFactory()
    option = services.create_option(
        product,
        {"name": "Colour", "type": "button", "choices": [{"value": "red", "label": "Red", "swatch": "#cc0000"}]},
    )
    db.session.commit()
    html = client.get(f"/admin/customization/options/{option.id}/edit").get_data(as_text=True)
    assert 'value="Colour"' in html
    assert re.search(r'id="choices-0-swatch"[^>]*value="#cc0000"', html)
    assert re.search(r'<option selected value="button">|<option value="button" selected>', html)

    response = client.post(
        f"/admin/customization/options/{option.id}/edit",
        data={
            "name": "Mug colour",
            "type": "button",
            "position": "3",
            **_choice_rows(
                r0={"value": "red", "label": "Red", "swatch": "#cc0000"}, r1={"value": "blue", "no_swatch": "y"}
            ),
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/admin/customization/products/{product.id}#options")
    [shown] = _api_options(client, "products", product.id)
    assert shown["name"] == "Mug colour"
    assert [c["value"] for c in shown["choices"]] == ["red", "blue"]
    assert shown["choices"][1]["swatch"] is None


def test_manager_deletes_an_option(client, manager):
    product = ProductFactory()
    keep = services.create_option(product, {"name": "Message", "type": "text"})
    gone = services.create_option(product, {"name": "Photo", "type": "image"})
    db.session.commit()
    response = client.post(f"/admin/customization/options/{gone.id}/delete")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/admin/customization/products/{product.id}#options")
    assert [o["id"] for o in _api_options(client, "products", product.id)] == [keep.id]
    assert "Option “Photo” deleted." in client.get(response.headers["Location"]).get_data(as_text=True)


def test_options_of_a_missing_or_deleted_item_are_not_found(client, manager):
    from fantasize.catalog import services as catalog

    product = ProductFactory()
    catalog.delete_product(product)
    db.session.commit()
    assert client.get(f"/admin/customization/products/{product.id}").status_code == 404
    assert client.get("/admin/customization/packages/999").status_code == 404
    assert client.post("/admin/customization/options/999/delete").status_code == 404


# --- presets -------------------------------------------------------------------------------------


def test_manager_creates_a_preset_and_adds_options(client, manager):
    response = client.post(
        "/admin/customization/presets/new", data={"preset-name": "Gift wrap", "preset-description": "Paper colours"}
    )
    assert response.status_code == 303
    preset = db.session.scalar(select(CustomizationPreset).where(CustomizationPreset.name == "Gift wrap"))
    assert preset.description == "Paper colours"
    assert response.headers["Location"].endswith(f"/admin/customization/presets/{preset.id}")

    response = client.post(
        f"/admin/customization/presets/{preset.id}/options",
        data={"name": "Paper", "type": "button", **_choice_rows(r0={"value": "kraft", "no_swatch": "y"})},
    )
    assert response.status_code == 303
    html = client.get(f"/admin/customization/presets/{preset.id}").get_data(as_text=True)
    assert "Paper" in html
    assert "1 choice" in html


def test_a_preset_name_must_be_unique(client, manager):
    _preset_with_engraving()
    response = client.post("/admin/customization/presets/new", data={"preset-name": "Engraving"})
    assert response.status_code == 422
    assert _error_next_to(response.get_data(as_text=True), "preset-name") == "Already used."


def test_attach_and_detach_a_preset(client, manager):
    product = ProductFactory()
    own = services.create_option(product, {"name": "Colour", "type": "button", "choices": [{"value": "red"}]})
    preset, engraving = _preset_with_engraving()
    db.session.commit()

    html = client.get(f"/admin/customization/products/{product.id}").get_data(as_text=True)
    assert re.search(rf'<option value="{preset.id}">Engraving \(1 option\)</option>', html)

    response = client.post(f"/admin/customization/products/{product.id}/presets", data={"preset_id": preset.id})
    assert response.status_code == 303
    assert [o["id"] for o in _api_options(client, "products", product.id)] == [own.id, engraving.id]
    html = client.get(f"/admin/customization/products/{product.id}").get_data(as_text=True)
    assert "Preset “Engraving” attached" in html
    assert f"/presets/{preset.id}/detach" in html
    assert "Every preset is attached." in html

    # attaching twice changes nothing
    client.post(f"/admin/customization/products/{product.id}/presets", data={"preset_id": preset.id})
    assert db.session.scalar(select(func.count()).select_from(PresetAttachment)) == 1

    response = client.post(f"/admin/customization/products/{product.id}/presets/{preset.id}/detach")
    assert response.status_code == 303
    assert [o["id"] for o in _api_options(client, "products", product.id)] == [own.id]
    assert db.session.get(CustomizationPreset, preset.id) is not None


def test_attaching_without_a_preset_is_refused_with_a_message(client, manager):
    product = ProductFactory()
    _preset_with_engraving()
    response = client.post(f"/admin/customization/products/{product.id}/presets", data={"preset_id": "9999"})
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Choose a preset to attach." in html
    assert db.session.scalar(select(func.count()).select_from(PresetAttachment)) == 0


def test_editing_a_preset_option_changes_every_item_with_the_preset(client, manager):
    mug, board = ProductFactory(), ProductFactory()
    box = PackageFactory()
    preset, engraving = _preset_with_engraving(max_length=12)
    for kind, item in (("product", mug), ("product", board), ("package", box)):
        services.attach_preset(preset, kind, item.id)
    db.session.commit()

    html = client.get(f"/admin/customization/options/{engraving.id}/edit").get_data(as_text=True)
    assert "used by 3 products or packages" in html

    response = client.post(
        f"/admin/customization/options/{engraving.id}/edit",
        data={"name": "Engraved message", "type": "text", "max_length": "30", "charset": "basic", "price_delta": "6"},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/admin/customization/presets/{preset.id}#options")
    for kinds, item in (("products", mug), ("products", board), ("packages", box)):
        [option] = _api_options(client, kinds, item.id)
        assert (option["name"], option["max_length"], option["price_delta"]) == ("Engraved message", 30, "6.00")


def test_deleting_a_preset_removes_its_options_and_attachments(client, manager):
    product = ProductFactory()
    own = services.create_option(product, {"name": "Message", "type": "text"})
    preset, _ = _preset_with_engraving()
    services.attach_preset(preset, "product", product.id)
    db.session.commit()
    preset_id = preset.id

    response = client.post(f"/admin/customization/presets/{preset_id}/delete")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/admin/customization")
    db.session.expire_all()
    assert db.session.get(CustomizationPreset, preset_id) is None
    assert db.session.scalar(select(func.count()).select_from(PresetAttachment)) == 0
    assert [o["id"] for o in _api_options(client, "products", product.id)] == [own.id]
    assert _option_count() == 1


def test_renaming_a_preset(client, manager):
    preset, _ = _preset_with_engraving()
    response = client.post(
        f"/admin/customization/presets/{preset.id}",
        data={"preset-name": "Laser engraving", "preset-description": ""},
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(CustomizationPreset, preset.id).name == "Laser engraving"


def test_a_price_change_that_is_not_a_number_stays_on_the_form(client, manager):
    product = ProductFactory()
    response = client.post(
        f"/admin/customization/products/{product.id}/options",
        data={"name": "Colour", "type": "button", **_choice_rows(r0={"value": "red", "price_delta": "NaN"})},
    )
    assert response.status_code == 422
    assert _error_next_to(response.get_data(as_text=True), "choices-0-price_delta")
    assert _option_count() == 0
    assert Decimal("0") == sum((o.price_delta for o in db.session.scalars(select(CustomizationOption))), Decimal(0))


def test_the_option_form_stylesheet_has_a_rule_for_every_registered_type(client, login):
    from fantasize.customization.types import OPTION_TYPES

    login(UserFactory(role="manager"))
    response = client.get("/admin/customization/option-types.css")
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    css = response.get_data(as_text=True)
    for name in OPTION_TYPES:
        assert f"option[value={name}]:checked) .type-section:not(.type-{name})" in css
