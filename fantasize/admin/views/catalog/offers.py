"""Staff pages for offers: time-boxed percentage discounts on chosen products and packages."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import render_template, request

from fantasize.admin.forms.catalog import OfferForm
from fantasize.admin.forms.choices import sellable_choices
from fantasize.admin.views.catalog.blueprint import bp, done, staff_only
from fantasize.catalog import offers
from fantasize.catalog.models import Offer, Package, Product
from fantasize.catalog.offers import get_offer_for_staff
from fantasize.catalog.staff_reads import list_offers, offer_status
from fantasize.web.transactions import run_form


@bp.get("/offers")
@staff_only
def offers_list() -> str:
    now = datetime.now(UTC)
    rows = [
        (offer, offer_status(offer, now), n_products, n_packages) for offer, n_products, n_packages in list_offers()
    ]
    return render_template("admin/catalog/offers.html", rows=rows)


def _naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def _offer_form(offer: Offer | None = None) -> OfferForm:
    if offer is None or request.method == "POST":
        form = OfferForm()
    else:
        form = OfferForm(
            data={
                "name": offer.name,
                "percent": offer.percent,
                "starts_at": _naive_utc(offer.starts_at),
                "ends_at": _naive_utc(offer.ends_at),
                "product_ids": [p.id for p in offer.products],
                "package_ids": [p.id for p in offer.packages],
                "active": offer.active,
            }
        )
    chosen_products = {p.id for p in offer.products} if offer else set()
    chosen_packages = {p.id for p in offer.packages} if offer else set()
    form.product_ids.choices = sellable_choices(Product, keep=chosen_products)
    form.package_ids.choices = sellable_choices(Package, keep=chosen_packages)
    return form


def _offer_values(form: OfferForm) -> dict[str, Any]:
    def aware(moment: datetime | None) -> datetime | None:
        return moment.replace(tzinfo=UTC) if moment is not None else None  # the inputs are in UTC

    return {
        "name": form.name.data or "",
        "percent": form.percent.data,
        "starts_at": aware(form.starts_at.data),
        "ends_at": aware(form.ends_at.data),
        "product_ids": list(form.product_ids.data or []),
        "package_ids": list(form.package_ids.data or []),
        "active": form.active.data,
    }


@bp.route("/offers/new", methods=["GET", "POST"])
@bp.route("/offers/<int:offer_id>/edit", methods=["GET", "POST"])
@staff_only
def offer_form(offer_id: int | None = None) -> Any:
    offer = get_offer_for_staff(offer_id) if offer_id is not None else None
    form = _offer_form(offer)
    ok, saved = run_form(form, lambda: offers.save_offer(offer, _offer_values(form)))
    if ok:
        return done(f"Offer “{saved.name}” is saved.", ".offers_list")
    status = 422 if form.is_submitted() else 200
    return render_template("admin/catalog/offer_form.html", form=form, offer=offer), status
