"""The option types on their own: settings checked, values validated, normalised and priced (no app client)."""

import re
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest

from fantasize.customization.types import (
    MAX_PRICE_DELTA,
    OPTION_TYPES,
    ButtonType,
    ConfigError,
    ImageType,
    TextType,
    price_delta,
)

TEMPLATES = Path(__file__).resolve().parents[2] / "fantasize" / "templates"


def option(type_name, config, delta="0.00"):
    """An option as the types see it: settings as cleaned for staff, and a price change."""
    return SimpleNamespace(config=OPTION_TYPES[type_name].clean_config(config), price_delta=Decimal(delta))


def upload(**changes):
    values = {"token": "tok", "content_type": "image/png", "size_bytes": 1000, "width": 640, "height": 480}
    return SimpleNamespace(**{**values, **changes})


def with_upload(found):
    return {"find_upload": lambda token: found if found is not None and token == found.token else None}


# --- the registry -------------------------------------------------------------------------------


def test_the_registry_lists_the_three_types_in_menu_order():
    assert list(OPTION_TYPES) == ["button", "text", "image"]
    assert [type(t) for t in OPTION_TYPES.values()] == [ButtonType, TextType, ImageType]


def test_every_type_has_its_shopper_template_and_admin_template():
    for option_type in OPTION_TYPES.values():
        assert (TEMPLATES / option_type.shopper_template).is_file(), option_type.name
        assert (TEMPLATES / option_type.admin_template).is_file(), option_type.name


def test_each_setting_belongs_to_one_type():
    keys = [key for t in OPTION_TYPES.values() for key in t.config_keys]
    assert len(keys) == len(set(keys))


# --- the price-change cap -----------------------------------------------------------------------


@pytest.mark.parametrize("value", ["1000", "-1000", "0", None, "2.5"])
def test_price_changes_within_the_cap_are_kept_in_cents(value):
    errors = {}
    amount = price_delta(value, "price_delta", errors)
    assert errors == {}
    assert amount == Decimal(str(value or 0)).quantize(Decimal("0.01"))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1000.01", "Keep price changes between -1000 and 1000."),
        ("-1001", "Keep price changes between -1000 and 1000."),
        ("a lot", "Not a number."),
    ],
)
def test_price_changes_beyond_the_cap_or_not_numbers_are_refused(value, message):
    errors = {}
    price_delta(value, "choices.0.price_delta", errors)
    assert errors == {"choices.0.price_delta": [message]}
    assert MAX_PRICE_DELTA == 1000


# --- buttons ------------------------------------------------------------------------------------


def test_button_settings_need_a_choice():
    with pytest.raises(ConfigError) as refused:
        ButtonType().clean_config({"choices": []})
    assert refused.value.errors == {"choices": ["Add at least one choice."]}


def test_button_settings_name_each_bad_choice():
    with pytest.raises(ConfigError) as refused:
        ButtonType().clean_config(
            {
                "choices": [
                    {"value": "red", "swatch": "red"},
                    {"value": "red", "price_delta": "5000"},
                    {"value": "  "},
                ]
            }
        )
    assert refused.value.errors == {
        "choices.0.swatch": ["Use a colour like #b3245c."],
        "choices.1.value": ["“red” appears twice."],
        "choices.1.price_delta": ["Keep price changes between -1000 and 1000."],
        "choices.2.value": ["Give each choice a value."],
    }


def test_button_settings_are_normalised():
    config = ButtonType().clean_config({"choices": ["  small ", {"value": "big", "label": "Big", "price_delta": 2}]})
    assert config == {
        "choices": [
            {"value": "small", "label": "small", "price_delta": "0.00", "swatch": None},
            {"value": "big", "label": "Big", "price_delta": "2.00", "swatch": None},
        ]
    }


def test_a_button_value_is_priced_by_its_choice():
    colour = option(
        "button",
        {
            "choices": [
                {"value": "white", "swatch": "#ffffff"},
                {"value": "black", "label": "Black", "price_delta": "2"},
            ]
        },
        delta="9.00",  # a button option's own price change is not used: each choice has one
    )
    chosen = ButtonType().choose(colour, "black", {})
    assert (chosen.value, chosen.display, chosen.price_delta, chosen.swatch) == ("black", "Black", Decimal("2"), None)
    assert ButtonType().choose(colour, "white", {}).swatch == "#ffffff"
    with pytest.raises(ValueError, match=re.escape("Choose one of: white, black.")):
        ButtonType().choose(colour, "green", {})


# --- text ---------------------------------------------------------------------------------------


def test_text_settings_have_defaults_and_limits():
    assert TextType().clean_config({}) == {"max_length": 20, "charset": "basic", "placeholder": ""}
    with pytest.raises(ConfigError) as refused:
        TextType().clean_config({"max_length": 501, "charset": "emoji"})
    assert refused.value.errors == {
        "max_length": ["Use a maximum length between 1 and 500."],
        "charset": ["Choose one of: letters, letters_digits, basic."],
    }


def test_text_is_normalised_and_priced_by_the_option():
    engraving = option("text", {"max_length": 12}, delta="5.00")
    chosen = TextType().choose(engraving, "  Happy \n  day! ", {})
    assert (chosen.value, chosen.display, chosen.price_delta) == ("Happy day!", "Happy day!", Decimal("5.00"))


@pytest.mark.parametrize(
    ("config", "raw", "message"),
    [
        ({"max_length": 5}, "too long", "Too long: at most 5 characters (8 given)."),
        ({"charset": "letters"}, "Room 101", "These characters can't be used: 0 1"),
        ({"charset": "letters_digits"}, "Hi!", "These characters can't be used: !"),
        ({}, "Hi <3", "These characters can't be used: <"),
        ({}, "   ", "Write something, or leave the option out."),
        ({}, 42, "Send text."),
    ],
)
def test_text_outside_the_settings_is_refused(config, raw, message):
    with pytest.raises(ValueError, match=f"^{re.escape(message)}"):
        TextType().choose(option("text", config), raw, {})


# --- pictures -----------------------------------------------------------------------------------


def test_picture_settings_have_defaults_and_keep_known_formats():
    assert ImageType().clean_config({}) == {
        "min_width": 0,
        "min_height": 0,
        "max_mb": 5,
        "formats": ["image/jpeg", "image/png", "image/webp"],
    }
    assert ImageType().clean_config({"formats": ["image/gif", "image/png"]})["formats"] == ["image/png"]
    with pytest.raises(ConfigError) as refused:
        ImageType().clean_config({"max_mb": 21, "min_width": -1, "formats": ["image/gif"]})
    assert set(refused.value.errors) == {"max_mb", "min_width", "formats"}


def test_a_picture_is_chosen_by_its_upload_token_and_priced_by_the_option():
    photo = option("image", {"min_width": 300, "min_height": 200}, delta="3.50")
    chosen = ImageType().choose(photo, "tok", with_upload(upload()))
    assert (chosen.value, chosen.display, chosen.price_delta) == ("tok", "Your picture", Decimal("3.50"))


@pytest.mark.parametrize(
    ("found", "message"),
    [
        (None, "Upload the picture first and send its token."),
        (upload(content_type="image/webp"), "This kind of picture is not accepted here."),
        (upload(size_bytes=2 * 1024 * 1024 + 1), "The picture is larger than 2 MB."),
        (upload(width=299), "The picture is too small: at least 300×200 pixels, got 299×480."),
    ],
)
def test_pictures_outside_the_settings_are_refused(found, message):
    photo = option("image", {"min_width": 300, "min_height": 200, "max_mb": 2, "formats": ["image/png"]})
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        ImageType().choose(photo, "tok", with_upload(found))


# --- what staff see -----------------------------------------------------------------------------


def test_summaries_describe_the_settings():
    assert TextType().summary({"max_length": 12, "charset": "letters", "placeholder": "Anna"}) == (
        "Up to 12 characters: letters and spaces; placeholder “Anna”"
    )
    assert ImageType().summary(ImageType().clean_config({"min_width": 300, "min_height": 200})) == (
        "At least 300×200 px, up to 5 MB; JPEG, PNG, WebP"
    )
    assert ImageType().summary({"formats": ["image/png"], "max_mb": 2}) == "Any size, up to 2 MB; PNG"
