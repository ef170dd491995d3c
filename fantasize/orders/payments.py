"""Payments behind one interface: cash on delivery, or a card gateway that only ever sees tokens.

The shop never receives a card number or security code: the browser (or app) gives the card
to the gateway and sends us the gateway's token. We keep the gateway's reference, the brand
and the last four digits it reports — nothing else.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from fantasize.errors import AppError, ValidationFailed


class PaymentDeclined(AppError):
    status = 402
    code = "payment_declined"


@dataclass(frozen=True)
class Authorization:
    reference: str
    brand: str
    last4: str


class CardGateway(Protocol):
    def authorize(self, amount: Decimal, currency: str, token: str) -> Authorization: ...

    def void(self, reference: str) -> None: ...


class TestGateway:
    """A gateway for development and tests: well-known tokens, no network, no card data."""

    CARDS = {
        "tok_visa": ("visa", "4242"),
        "tok_mastercard": ("mastercard", "4444"),
        "tok_amex": ("amex", "0005"),
    }
    DECLINES = {
        "tok_declined": "The card was declined.",
        "tok_insufficient_funds": "The card has insufficient funds.",
    }

    def __init__(self) -> None:
        self.voided: list[str] = []

    def authorize(self, amount: Decimal, currency: str, token: str) -> Authorization:
        if token in self.DECLINES:
            raise PaymentDeclined(self.DECLINES[token], {"payment_token": [self.DECLINES[token]]})
        if token not in self.CARDS:
            raise ValidationFailed("Unknown payment token.", {"payment_token": ["Not a token from the payment form."]})
        brand, last4 = self.CARDS[token]
        return Authorization(reference=f"test_{secrets.token_hex(8)}", brand=brand, last4=last4)

    def void(self, reference: str) -> None:
        self.voided.append(reference)


_gateway: CardGateway = TestGateway()


def gateway() -> CardGateway:
    return _gateway
