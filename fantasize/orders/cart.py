"""The cart: lines of products and packages with their customization, priced from current data."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select

from fantasize.catalog import sellables
from fantasize.catalog.cards import Card
from fantasize.catalog.listing import build_cards, load_options
from fantasize.catalog.models import Package, Product
from fantasize.customization.services import SelectedOption, options_for_many, validate_selection
from fantasize.errors import AppError, NotFound, ValidationFailed
from fantasize.extensions import db
from fantasize.orders.models import Cart, CartItem

MAX_QUANTITY = 99
OUT_OF_STOCK = "Out of stock."
NOT_FOR_SALE = "No longer for sale: remove it to check out."
MAX_LINES = 50


@dataclass(frozen=True)
class CartOwner:
    """A signed-in user, or a guest identified by a random key kept in their session."""

    user_id: str | None = None
    guest_key: str | None = None

    def where(self):
        return Cart.user_id == self.user_id if self.user_id else Cart.guest_key == self.guest_key


def get_cart(owner: CartOwner, *, create: bool = False) -> Cart | None:
    if not owner.user_id and not owner.guest_key:
        return None
    cart = db.session.scalar(select(Cart).where(owner.where()))
    if cart is None and create:
        cart = Cart(user_id=owner.user_id, guest_key=None if owner.user_id else owner.guest_key)
        db.session.add(cart)
        db.session.flush()
    return cart


def _check_quantity(quantity: Any) -> int:
    if not isinstance(quantity, int) or isinstance(quantity, bool) or not 1 <= quantity <= MAX_QUANTITY:
        raise ValidationFailed(
            f"Choose a quantity from 1 to {MAX_QUANTITY}.", {"quantity": [f"Use 1 to {MAX_QUANTITY}."]}
        )
    return quantity


SELLABLE_KINDS = {kind: entry.model for kind, entry in sellables.SELLABLES.items()}


def _sellable(kind: str, item_id: int) -> Product | Package:
    model = SELLABLE_KINDS.get(kind)
    if model is None:
        raise ValidationFailed("Choose a product or a gift box.", {"kind": ["Must be product or package."]})
    item = db.session.get(model, item_id)
    if item is None or not item.active or item.deleted_at is not None:
        raise NotFound(f"No such {kind}.", {f"{kind}_id": ["Not for sale."]})
    return item


def add_item(owner: CartOwner, kind: str, item_id: int, quantity: int, raw_selection: Any) -> CartItem:
    """Add a line (or top up an identical one: same item, same customization)."""
    _sellable(kind, item_id)
    quantity = _check_quantity(quantity)
    selection = validate_selection(kind, item_id, raw_selection, owner.user_id)
    cart = get_cart(owner, create=True)
    canonical = selection.raw()
    for line in cart.items:
        if line.kind == kind and line.item_id == item_id and line.customization == canonical:
            line.quantity = min(MAX_QUANTITY, line.quantity + quantity)
            db.session.flush()
            return line
    if len(cart.items) >= MAX_LINES:
        raise ValidationFailed(f"A cart holds up to {MAX_LINES} lines.", {"cart": ["Too many lines."]})
    line = CartItem(
        cart_id=cart.id, quantity=quantity, customization=canonical, **sellables.owner_values(kind, item_id)
    )
    cart.items.append(line)
    db.session.flush()
    return line


def _line(owner: CartOwner, line_id: int) -> CartItem:
    cart = get_cart(owner)
    line = next((item for item in (cart.items if cart else []) if item.id == line_id), None)
    if line is None:
        raise NotFound("No such cart line.")
    return line


def update_quantity(owner: CartOwner, line_id: int, quantity: int) -> None:
    line = _line(owner, line_id)
    if quantity == 0:
        db.session.delete(line)
    else:
        line.quantity = _check_quantity(quantity)
    db.session.flush()


def remove_item(owner: CartOwner, line_id: int) -> None:
    db.session.delete(_line(owner, line_id))
    db.session.flush()


def merge_guest_cart(guest_key: str | None, user_id: str) -> None:
    """On sign-in, move the guest cart's lines into the account's cart (identical lines add up)."""
    if not guest_key:
        return
    guest = get_cart(CartOwner(guest_key=guest_key))
    if guest is None:
        return
    account = CartOwner(user_id=user_id)
    for line in list(guest.items):
        try:
            add_item(account, line.kind, line.item_id, line.quantity, line.customization)
        except AppError:
            continue  # an item no longer for sale, or a customization that needs the account's own upload
    db.session.execute(delete(Cart).where(Cart.id == guest.id))
    db.session.flush()


# --- what the shopper sees ----------------------------------------------------------------------


@dataclass(frozen=True)
class LineView:
    id: int
    card: Card
    quantity: int
    customization: dict[str, str]
    chosen: tuple[SelectedOption, ...]
    unit_price: Decimal
    line_total: Decimal
    warning: str | None = None
    problem: str | None = None  # the line cannot be ordered as it is

    @property
    def kind(self) -> str:
        return self.card.kind

    @property
    def special(self) -> bool:
        return any(c.special for c in self.chosen)


@dataclass(frozen=True)
class CartView:
    lines: list[LineView] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((line.line_total for line in self.lines if not line.problem), Decimal("0.00"))

    @property
    def count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def orderable(self) -> bool:
        return bool(self.lines) and not any(line.problem for line in self.lines)


def _cards(kind: str, ids: list[int]) -> tuple[dict[int, Card], set[int]]:
    """Cards for the cart's items, and the ids of those no longer for sale (inactive or deleted)."""
    if not ids:
        return {}, set()
    model = sellables.model_of(kind)
    rows = list(db.session.scalars(select(model).where(model.id.in_(ids)).options(*load_options(kind))).unique())
    gone = {row.id for row in rows if not row.active or row.deleted_at is not None}
    return {card.id: card for card in build_cards(kind, rows)}, gone


def view_cart(owner: CartOwner) -> CartView:
    """Price every line from current prices, offers and option deltas; flag stock and option problems."""
    cart = get_cart(owner)
    if cart is None or not cart.items:
        return CartView()
    ids = {kind: sorted({line.item_id for line in cart.items if line.kind == kind}) for kind in sellables.KINDS}
    loaded = {kind: _cards(kind, ids[kind]) for kind in ids}
    cards = {kind: loaded[kind][0] for kind in ids}
    gone = {kind: loaded[kind][1] for kind in ids}
    options = {kind: options_for_many(kind, ids[kind]) for kind in ids}
    lines = []
    for line in cart.items:
        card = cards[line.kind].get(line.item_id)
        if card is None:
            continue
        problem, chosen = None, ()
        try:
            selection = validate_selection(
                line.kind, line.item_id, line.customization, owner.user_id, options=options[line.kind][line.item_id]
            )
            chosen = tuple(selection.chosen)
            delta = selection.price_delta
        except ValidationFailed:
            problem, delta = "The options of this item changed: remove it and choose again.", Decimal(0)
        unit = max(Decimal("0.00"), card.final_price + delta)  # options never make an item pay the shopper
        warning = None
        if line.item_id in gone[line.kind]:
            problem = NOT_FOR_SALE
        elif card.available == 0:
            problem = problem or OUT_OF_STOCK
        elif card.available < line.quantity:
            warning = f"Only {card.available} left: lower the quantity to order."
        lines.append(
            LineView(
                line.id,
                card,
                line.quantity,
                dict(line.customization),
                chosen,
                unit,
                unit * line.quantity,
                warning,
                problem,
            )
        )
    return CartView(lines)
