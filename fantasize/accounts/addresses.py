"""A user's addresses: every read and write is scoped to their owner."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from fantasize.accounts.models import Address, User
from fantasize.errors import NotFound, ValidationFailed
from fantasize.extensions import db

ADDRESS_FIELDS = ("full_name", "line1", "line2", "city", "state", "postal_code", "country", "phone")
MAX_ADDRESSES = 20


def list_addresses(user: User) -> list[Address]:
    return list(db.session.scalars(select(Address).where(Address.user_id == user.id).order_by(Address.id)))


def get_address(user: User, address_id: int) -> Address:
    """The user's own address; someone else's is "not found", never "forbidden" (no probing)."""
    address = db.session.scalar(select(Address).where(Address.id == address_id, Address.user_id == user.id))
    if address is None:
        raise NotFound("No such address.")
    return address


REQUIRED_FIELDS = ("full_name", "line1", "city", "postal_code", "country")


def _apply(address: Address, values: dict[str, Any]) -> None:
    """Set the sent fields, trimmed; a required field left blank is refused (for the API and the pages alike)."""
    blank = [
        field
        for field in REQUIRED_FIELDS
        if (field in values or address.id is None) and not str(values.get(field) or "").strip()
    ]
    if blank:
        raise ValidationFailed("The address is incomplete.", {field: ["Must not be blank."] for field in blank})
    for field in ADDRESS_FIELDS:
        if field in values:
            value = values[field]
            if isinstance(value, str):
                value = value.strip() or None
            if field == "country" and value:
                value = value.upper()
            setattr(address, field, value)


def create_address(user: User, values: dict[str, Any]) -> Address:
    if len(list_addresses(user)) >= MAX_ADDRESSES:
        raise ValidationFailed(f"You can keep up to {MAX_ADDRESSES} addresses.", {"address": ["Too many addresses."]})
    address = Address(user_id=user.id)
    _apply(address, values)
    db.session.add(address)
    db.session.flush()
    return address


def update_address(user: User, address_id: int, values: dict[str, Any]) -> Address:
    address = get_address(user, address_id)
    _apply(address, values)
    db.session.flush()
    return address


def delete_address(user: User, address_id: int) -> None:
    db.session.delete(get_address(user, address_id))
    db.session.flush()
