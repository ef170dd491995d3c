"""Staff order pages (``orders.manage``): the list with filters, an order with its actions, the packing slip.

- ``/admin/orders``: every order, newest first, 50 a page (cursor); filters by status, customer
  e-mail, dates and personalisation. ``?status=under_review`` is the review queue.
- ``/admin/orders/<id>``: the order as the shopper sees it, plus the customer, who did what, the
  uploaded pictures, a button per allowed next status and, while under review, approve / reject.
- ``/admin/orders/<id>/packing-slip``: a printable slip (prices hidden for gifts that ask so,
  the sender shown as "A friend" for anonymous orders).
- ``/admin/orders/uploads/<token>``: a shopper's uploaded picture, for staff eyes only.

As elsewhere: the services apply the rules, the view redirects (303; the request's work commits)
with a flash message; a missing note or reason re-renders the order with the error next to it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask.wrappers import Response
from flask_login import current_user

from fantasize.accounts.models import User
from fantasize.accounts.permissions import permission_required
from fantasize.admin.forms.orders import OrderFilterForm, ReviewForm, StatusForm
from fantasize.api.pagination import decode_cursor, encode_cursor
from fantasize.customization import uploads
from fantasize.errors import AppError, NotFound, ValidationFailed
from fantasize.media.storage import storage
from fantasize.orders import services, state
from fantasize.orders.models import Order, OrderStatus
from fantasize.web.transactions import settle_failure

bp = Blueprint("admin_order_pages", __name__, url_prefix="/admin/orders")
staff_only = permission_required("orders.manage")

PAGE_SIZE = 50
REVIEW_QUEUE = OrderStatus.UNDER_REVIEW.value


@bp.context_processor
def _helpers() -> dict[str, Any]:
    return {
        "status_label": state.status_label,
        "payment_label": state.payment_label,
        "shopper_cancelable": state.shopper_cancelable,
        "review_queue": REVIEW_QUEUE,
    }


def _me() -> User:
    return current_user._get_current_object()


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _filters(form: OrderFilterForm) -> services.OrderFilters:
    """The valid filters of the form (an invalid one is shown as an error and ignored)."""
    form.validate()
    status = form.status.data if form.status.data in {s.value for s in OrderStatus} else None
    customized = {"yes": True, "no": False}.get(form.customized.data or "")
    date_from = form.date_from.data if not form.date_from.errors else None
    date_to = form.date_to.data if not form.date_to.errors else None
    return services.OrderFilters(
        status=status,
        customer=(form.customer.data or "").strip() or None,
        date_from=_start_of(date_from) if date_from else None,
        date_to=_start_of(date_to + timedelta(days=1)) if date_to else None,  # "until" includes that day
        has_customization=customized,
    )


@bp.get("")
@staff_only
def index() -> str:
    form = OrderFilterForm(formdata=request.args)
    cursor = request.args.get("cursor") or None
    rows, next_key = services.list_orders_for_staff(_filters(form), PAGE_SIZE, decode_cursor(cursor))
    return render_template(
        "admin/orders/list.html",
        form=form,
        orders=rows,
        emails=services.emails_of({order.user_id for order in rows}),
        next_cursor=encode_cursor(next_key) if next_key else None,
        paged=cursor is not None,
        filtered=any(request.args.get(name) for name in ("status", "customer", "date_from", "date_to", "customized")),
    )


def _order(order_id: str, *, lock: bool = False) -> Order:
    return services.get_order_for(_me(), order_id, lock=lock, manager=True)


def _render_detail(
    order: Order, status_form: StatusForm | None = None, review_form: ReviewForm | None = None, code: int = 200
) -> tuple[str, int]:
    return render_template(
        "admin/orders/detail.html",
        order=order,
        customer=services.customer_of(order),
        actors=services.emails_of({event.actor_id for event in order.history if event.actor_id}),
        moves=services.staff_moves(order),
        status_form=status_form or StatusForm(formdata=None),
        review_form=review_form or ReviewForm(formdata=None),
        staff_view=True,
    ), code


@bp.get("/<order_id>")
@staff_only
def detail(order_id: str) -> tuple[str, int]:
    return _render_detail(_order(order_id))


def _back_to(order_id: str) -> Response:
    return redirect(url_for("admin_order_pages.detail", order_id=order_id), code=303)


@bp.post("/<order_id>/status")
@staff_only
def change_status(order_id: str) -> Response | tuple[str, int]:
    order = _order(order_id, lock=True)
    form = StatusForm()
    if not form.validate_on_submit():
        return _render_detail(order, status_form=form, code=422)
    target = form.status.data or ""
    try:
        services.change_status(order, target, _me(), form.note.data, as_staff=True)
    except ValidationFailed as error:
        settle_failure(error)
        form.note.errors = [*list(form.note.errors or []), *error.details.get("note", [])]
        flash(error.message, "error")
        return _render_detail(_order(order_id), status_form=form, code=422)
    except AppError as error:
        settle_failure(error)
        flash(error.message, "error")
        return _back_to(order_id)
    flash(f"Order {order.number} is now “{state.status_label(order.status)}”.", "success")
    return _back_to(order_id)


@bp.post("/<order_id>/review")
@staff_only
def review(order_id: str) -> Response | tuple[str, int]:
    order = _order(order_id, lock=True)
    form = ReviewForm()
    decision = form.decision.data
    if not form.validate_on_submit() or decision not in ("approve", "reject"):
        if decision not in ("approve", "reject"):
            flash("Choose Approve or Reject.", "error")
        return _render_detail(order, review_form=form, code=422)
    try:
        services.review(order, _me(), decision, (form.reason.data or "").strip() or None)
    except ValidationFailed as error:
        settle_failure(error)
        form.reason.errors = [*list(form.reason.errors or []), *error.details.get("note", [error.message])]
        flash(error.message, "error")
        return _render_detail(_order(order_id), review_form=form, code=422)
    except AppError as error:
        settle_failure(error)
        flash(error.message, "error")
        return _back_to(order_id)
    done = "approved: it is placed" if decision == "approve" else "rejected"
    flash(f"Order {order.number} is {done}.", "success")
    return _back_to(order_id)


@bp.get("/<order_id>/packing-slip")
@staff_only
def packing_slip(order_id: str) -> str:
    order = _order(order_id)
    sender = services.packing_slip_sender(order)
    return render_template("admin/orders/packing_slip.html", order=order, sender=sender)


@bp.get("/uploads/<token>")
@staff_only
def upload(token: str) -> Response:
    """A shopper's picture for an image option (staff only; never cached by shared caches)."""
    picture = uploads.upload_for_viewer(token, _me(), reviewer=True)  # the blueprint requires orders.manage
    path = storage().path(picture.path)
    if not path.is_file():
        raise NotFound("The picture's file is missing.")
    response = send_file(path, mimetype=picture.content_type, max_age=300)
    response.headers["Cache-Control"] = "private, max-age=300"
    return response
