"""What the shop tells people about: each kind of message, who gets it and on which channels.

The keys are stable: they name e-mail templates, deliveries, inbox entries and preferences.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    key: str
    label: str  # what a user reads on the preferences page and the admin reads in the editor
    channels: tuple[str, ...]  # where it goes by default
    # Whether a user may switch it off; a password reset or a gift notice is always sent.
    optional: bool = True
    staff: bool = False  # addressed to the team, not to shoppers


ORDER_CHANNELS = ("email", "push", "in_app")

KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind("welcome", "Welcome to the shop", ("email",), optional=False),
        Kind("password_reset", "Password reset link", ("email",), optional=False),
        Kind("order_placed", "Order received", ORDER_CHANNELS),
        Kind("customization_approved", "Personalisation approved", ORDER_CHANNELS),
        Kind("customization_rejected", "Personalisation not accepted", ORDER_CHANNELS),
        Kind("order_shipped", "Order shipped", ORDER_CHANNELS),
        Kind("order_delivered", "Order delivered", ORDER_CHANNELS),
        Kind("order_canceled", "Order canceled", ORDER_CHANNELS),
        Kind("gift_notice", "A gift is on its way (to the recipient)", ("email",), optional=False),
        Kind("announcement", "Announcements from the shop", ("push", "in_app")),
        Kind("staff_new_order", "New order", ("in_app",), staff=True),
        Kind("staff_review_needed", "Personalisation waiting for review", ("in_app",), staff=True),
    )
}

# Kinds whose words live in editable templates (every kind: push and inbox use the summary).
TEMPLATE_KINDS = tuple(KINDS)


def user_configurable() -> list[Kind]:
    """The kinds a user can switch on or off, per channel, on their preferences."""
    return [kind for kind in KINDS.values() if kind.optional]
