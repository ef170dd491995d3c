"""The option types: one class each, with config validation, selection validation and pricing.

A registry in the style of CTFd's pluggable challenge types: ``OPTION_TYPES["text"]`` etc.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
# Punctuation allowed in engraved text besides letters, digits and spaces.
BASIC_PUNCTUATION = set(".,!?'&-:;()+/@#\"’")
CHARSETS = {
    "letters": "letters and spaces",
    "letters_digits": "letters, digits and spaces",
    "basic": "letters, digits, spaces and . , ! ? ' & - : ; ( ) + / @ #",
}


class ConfigError(ValueError):
    """An option definition that does not make sense (shown to staff field by field)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    price_delta: Decimal
    swatch: str | None = None


@dataclass(frozen=True)
class Chosen:
    """A valid value for one option, priced and labelled as it was chosen."""

    value: str
    display: str
    price_delta: Decimal
    swatch: str | None = None


class OptionType:
    name: ClassVar[str]

    def clean_config(self, config: dict[str, Any]) -> dict[str, Any]:
        return {}

    def choose(self, option: Any, raw: Any, context: dict[str, Any]) -> Chosen:
        raise NotImplementedError


def _decimal(value: Any, field: str, errors: dict[str, list[str]]) -> Decimal:
    try:
        amount = Decimal(str(value if value is not None else 0)).quantize(Decimal("0.01"))
    except ArithmeticError:
        errors.setdefault(field, []).append("Not a number.")
        return Decimal(0)
    if not Decimal("-1000") <= amount <= Decimal("1000"):
        errors.setdefault(field, []).append("Keep price changes between -1000 and 1000.")
    return amount


class ButtonType(OptionType):
    """Pick one of predefined values (a colour, a size), each with an optional price change and swatch."""

    name = "button"

    def clean_config(self, config: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, list[str]] = {}
        raw_choices = config.get("choices") or []
        if not isinstance(raw_choices, list) or not raw_choices:
            raise ConfigError({"choices": ["Add at least one choice."]})
        choices, seen = [], set()
        for index, raw in enumerate(raw_choices):
            raw = raw if isinstance(raw, dict) else {"value": raw}
            value = str(raw.get("value") or "").strip()[:60]
            if not value:
                errors.setdefault(f"choices.{index}.value", []).append("Give each choice a value.")
                continue
            if value in seen:
                errors.setdefault(f"choices.{index}.value", []).append(f"“{value}” appears twice.")
            seen.add(value)
            swatch = raw.get("swatch") or None
            if swatch is not None and not HEX_COLOUR.match(str(swatch)):
                errors.setdefault(f"choices.{index}.swatch", []).append("Use a colour like #b3245c.")
            choices.append(
                {
                    "value": value,
                    "label": str(raw.get("label") or value).strip()[:80],
                    "price_delta": str(_decimal(raw.get("price_delta"), f"choices.{index}.price_delta", errors)),
                    "swatch": swatch,
                }
            )
        if errors:
            raise ConfigError(errors)
        return {"choices": choices}

    @staticmethod
    def choices(option: Any) -> list[Choice]:
        return [
            Choice(c["value"], c["label"], Decimal(c.get("price_delta") or 0), c.get("swatch"))
            for c in option.config.get("choices", [])
        ]

    def choose(self, option: Any, raw: Any, context: dict[str, Any]) -> Chosen:
        for choice in self.choices(option):
            if str(raw) == choice.value:
                return Chosen(choice.value, choice.label, choice.price_delta, choice.swatch)
        allowed = ", ".join(c.value for c in self.choices(option))
        raise ValueError(f"Choose one of: {allowed}.")


class TextType(OptionType):
    """A free message (an engraving), with a length limit and a set of allowed characters."""

    name = "text"

    def clean_config(self, config: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, list[str]] = {}
        try:
            max_length = int(config.get("max_length") or 20)
        except (TypeError, ValueError):
            max_length = 0
        if not 1 <= max_length <= 500:
            errors["max_length"] = ["Use a maximum length between 1 and 500."]
        charset = config.get("charset") or "basic"
        if charset not in CHARSETS:
            errors["charset"] = [f"Choose one of: {', '.join(CHARSETS)}."]
        if errors:
            raise ConfigError(errors)
        return {"max_length": max_length, "charset": charset, "placeholder": str(config.get("placeholder") or "")[:80]}

    @staticmethod
    def _allowed(char: str, charset: str) -> bool:
        if char == " " or char.isalpha():
            return True
        if char.isdigit():
            return charset != "letters"
        return charset == "basic" and char in BASIC_PUNCTUATION

    def choose(self, option: Any, raw: Any, context: dict[str, Any]) -> Chosen:
        if not isinstance(raw, str):
            raise ValueError("Send text.")
        text = " ".join(raw.split())  # no line breaks or runs of spaces on an engraving
        max_length = option.config.get("max_length", 20)
        if len(text) > max_length:
            raise ValueError(f"Too long: at most {max_length} characters ({len(text)} given).")
        charset = option.config.get("charset", "basic")
        bad = sorted({c for c in text if not self._allowed(c, charset)})
        if bad:
            raise ValueError(f"These characters can't be used: {' '.join(bad)} (allowed: {CHARSETS[charset]}).")
        if not text:
            raise ValueError("Write something, or leave the option out.")
        return Chosen(text, text, Decimal(option.price_delta))


class ImageType(OptionType):
    """A picture the shopper uploaded first (``POST /uploads``); the selection holds its token."""

    name = "image"
    FORMATS = ("image/jpeg", "image/png", "image/webp")

    def clean_config(self, config: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, list[str]] = {}
        try:
            min_width, min_height = int(config.get("min_width") or 0), int(config.get("min_height") or 0)
            max_mb = int(config.get("max_mb") or 5)
        except (TypeError, ValueError):
            raise ConfigError({"min_width": ["Use whole numbers."]}) from None
        if min_width < 0 or min_height < 0 or min_width > 10000 or min_height > 10000:
            errors["min_width"] = ["Use a minimum size between 0 and 10000 pixels."]
        if not 1 <= max_mb <= 20:
            errors["max_mb"] = ["Use a size limit between 1 and 20 MB."]
        formats = [f for f in (config.get("formats") or self.FORMATS) if f in self.FORMATS]
        if not formats:
            errors["formats"] = ["Allow at least one of JPEG, PNG, WebP."]
        if errors:
            raise ConfigError(errors)
        return {"min_width": min_width, "min_height": min_height, "max_mb": max_mb, "formats": formats}

    def choose(self, option: Any, raw: Any, context: dict[str, Any]) -> Chosen:
        upload = context["find_upload"](raw)
        if upload is None:
            raise ValueError("Upload the picture first and send its token.")
        config = option.config
        if upload.content_type not in config.get("formats", self.FORMATS):
            raise ValueError("This kind of picture is not accepted here.")
        if upload.size_bytes > config.get("max_mb", 5) * 1024 * 1024:
            raise ValueError(f"The picture is larger than {config.get('max_mb', 5)} MB.")
        if upload.width < config.get("min_width", 0) or upload.height < config.get("min_height", 0):
            raise ValueError(
                f"The picture is too small: at least {config['min_width']}×{config['min_height']} pixels, "
                f"got {upload.width}×{upload.height}."
            )
        return Chosen(upload.token, "Your picture", Decimal(option.price_delta))


OPTION_TYPES: dict[str, OptionType] = {t.name: t for t in (ButtonType(), TextType(), ImageType())}
