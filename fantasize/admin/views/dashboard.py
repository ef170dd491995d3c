"""Admin pages (staff only)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.wrappers import Response
from flask_login import current_user

from fantasize.accounts import services as account_services
from fantasize.accounts import users as users_service
from fantasize.accounts.forms import RoleForm
from fantasize.accounts.permissions import current_principal, login_required, permission_required
from fantasize.admin import services
from fantasize.errors import PermissionDenied
from fantasize.web.transactions import run_form

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("")
@login_required
def dashboard() -> str:
    principal = current_principal()
    if not principal.user.is_staff:
        raise PermissionDenied("The dashboard is for shop staff.")
    return render_template(
        "admin/dashboard.html",
        counts=services.dashboard_counts(),
        events=services.recent_audit_events() if principal.can("reports.view") else [],
        principal=principal,
    )


@bp.get("/users")
@permission_required("users.manage")
def users() -> str:
    rows, next_after = users_service.search_users(
        request.args.get("q"), request.args.get("role"), request.args.get("after")
    )
    return render_template("admin/users.html", users=rows, next_after=next_after, role_form=RoleForm())


@bp.post("/users/<user_id>/role")
@permission_required("users.manage")
def change_role(user_id: str) -> Response:
    form = RoleForm()
    target = account_services.get_user(user_id)
    actor = current_user._get_current_object()
    ok, _ = run_form(form, lambda: account_services.change_role(actor, target, form.role.data, ip=request.remote_addr))
    if ok:
        flash(f"{target.email} is now {target.role}.", "success")
    else:
        problems = [*form.form_errors, *(message for messages in form.errors.values() for message in messages)]
        flash(problems[0] if problems else "Choose a valid role.", "error")
    return redirect(url_for("admin.users"), code=303)
