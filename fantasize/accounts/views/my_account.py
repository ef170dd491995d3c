"""The signed-in shopper's own pages: profile, avatar, addresses, security and API keys."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask.wrappers import Response
from flask_login import current_user
from wtforms import SelectChoice

from fantasize.accounts import addresses as address_service
from fantasize.accounts import api_keys, services, sign_ins
from fantasize.accounts.forms import (
    AddressForm,
    ApiKeyScopesForm,
    AvatarForm,
    ConfirmIdentityForm,
    MfaConfirmForm,
    MfaDisableForm,
    PasswordChangeForm,
    ProfileForm,
)
from fantasize.accounts.models import User
from fantasize.accounts.permissions import PERMISSIONS, login_required, mfa_required_for, role_permissions
from fantasize.extensions import limiter
from fantasize.media.images import max_upload_bytes
from fantasize.media.storage import storage
from fantasize.web.forms import safe_next_url
from fantasize.web.transactions import run_form

bp = Blueprint("my_account", __name__, url_prefix="/account")


def _me() -> User:
    return current_user._get_current_object()


@bp.get("")
@login_required
def account() -> str:
    user = _me()
    return render_template(
        "accounts/account.html",
        profile_form=ProfileForm(obj=user),
        avatar_form=AvatarForm(),
        addresses=address_service.list_addresses(user),
    )


@bp.post("/profile")
@login_required
def update_profile() -> str | Response:
    form = ProfileForm()
    ok, _ = run_form(form, lambda: services.update_profile(_me(), form.data))
    if ok:
        flash("Your profile is saved.", "success")
        return redirect(url_for("my_account.account"), code=303)
    addresses = address_service.list_addresses(_me())
    return render_template(
        "accounts/account.html", profile_form=form, avatar_form=AvatarForm(), addresses=addresses
    ), 422


def _upload_limit() -> str:
    from flask import current_app

    return current_app.config["RATE_LIMIT_UPLOADS"]


@bp.post("/avatar")
@login_required
@limiter.limit(_upload_limit, key_func=lambda: f"uploads:{current_user.get_id()}")
def upload_avatar() -> str | Response:
    form = AvatarForm()
    user = _me()
    max_bytes = max_upload_bytes()
    ok, _ = run_form(form, lambda: services.set_avatar(user, form.avatar.data.read(max_bytes + 1), max_bytes=max_bytes))
    if ok:
        flash("Your new picture is saved.", "success")
        return redirect(url_for("my_account.account"), code=303)
    addresses = address_service.list_addresses(user)
    return render_template(
        "accounts/account.html", profile_form=ProfileForm(obj=user), avatar_form=form, addresses=addresses
    ), 422


@bp.get("/avatar/<key>")
def avatar(key: str) -> Response:
    try:
        path = storage().path(f"avatars/{key}")
    except ValueError:
        abort(404)
    if not path.is_file():
        abort(404)
    return send_file(path, max_age=86400)


# --- addresses -------------------------------------------------------------------------


@bp.route("/addresses/new", methods=["GET", "POST"])
@login_required
def new_address() -> str | Response:
    form = AddressForm()
    ok, _ = run_form(form, lambda: address_service.create_address(_me(), form.data))
    if ok:
        flash("Address added.", "success")
        return redirect(url_for("my_account.account"), code=303)
    return render_template("accounts/address_form.html", form=form, address=None)


@bp.route("/addresses/<int:address_id>/edit", methods=["GET", "POST"])
@login_required
def edit_address(address_id: int) -> str | Response:
    address = address_service.get_address(_me(), address_id)
    form = AddressForm(obj=address)
    ok, _ = run_form(form, lambda: address_service.update_address(_me(), address_id, form.data))
    if ok:
        flash("Address saved.", "success")
        return redirect(url_for("my_account.account"), code=303)
    return render_template("accounts/address_form.html", form=form, address=address)


@bp.post("/addresses/<int:address_id>/delete")
@login_required
def delete_address(address_id: int) -> Response:
    address_service.delete_address(_me(), address_id)
    flash("Address removed.", "info")
    return redirect(url_for("my_account.account"), code=303)


# --- security --------------------------------------------------------------------------


def recent_sign_in_required(view: Callable) -> Callable:
    """Security settings need a recent proof of identity; send the user to confirm it first."""

    @wraps(view)
    def wrapper(*args: object, **kwargs: object) -> object:
        if not sign_ins.is_recent(_me().current_sign_in):
            flash("For your safety, confirm it's you before changing security settings.", "info")
            return redirect(url_for("my_account.confirm_identity", next=url_for("my_account.security")), code=303)
        return view(*args, **kwargs)

    return wrapper


@bp.route("/confirm", methods=["GET", "POST"])
@login_required
def confirm_identity() -> str | Response | tuple[str, int]:
    user = _me()
    form = ConfirmIdentityForm(next=request.args.get("next", ""))
    ok, _ = run_form(
        form,
        lambda: services.reauthenticate(
            user, user.current_sign_in, form.password.data, form.otp.data, ip=request.remote_addr
        ),
    )
    if ok:
        return redirect(safe_next_url(form.next.data, url_for("my_account.security")), code=303)
    status = 422 if form.errors or form.form_errors else 200
    minutes = int(sign_ins.RECENT_AUTHENTICATION.total_seconds() // 60)
    return render_template(
        "accounts/confirm_identity.html",
        form=form,
        minutes=minutes,
        has_password=bool(user.password_hash),
        mfa_enabled=user.mfa_enabled,
    ), status


def _key_form() -> ApiKeyScopesForm:
    form = ApiKeyScopesForm()
    allowed = sorted(role_permissions(_me()))
    form.scopes.choices = [SelectChoice(name, f"{name} — {PERMISSIONS[name]}") for name in allowed]
    return form


def _security_page(status: int = 200, **forms: object) -> tuple[str, int]:
    user = _me()
    context = {
        "password_form": PasswordChangeForm(),
        "confirm_form": MfaConfirmForm(),
        "disable_form": MfaDisableForm(),
        "key_form": _key_form(),
        "enrolment": services.pending_mfa_enrolment(user),
        "recovery_codes": None,
        "new_key": None,
        "keys": api_keys.list_api_keys(user),
        "mfa_required": mfa_required_for(user),
    }
    context.update(forms)
    return render_template("accounts/security.html", **context), status


@bp.get("/security")
@login_required
@recent_sign_in_required
def security() -> tuple[str, int]:
    return _security_page()


@bp.post("/password")
@login_required
@recent_sign_in_required
def change_password() -> str | Response | tuple[str, int]:
    form = PasswordChangeForm()
    user = _me()
    ok, _ = run_form(
        form,
        lambda: services.change_password(
            user, form.current_password.data, form.new_password.data, user.current_sign_in, ip=request.remote_addr
        ),
    )
    if ok:
        flash("Password changed. Other devices and API keys have been signed out.", "success")
        return redirect(url_for("my_account.security"), code=303)
    return _security_page(422, password_form=form)


@bp.post("/mfa/start")
@login_required
@recent_sign_in_required
def start_mfa() -> Response:
    services.begin_mfa_setup(_me(), _me().current_sign_in)
    return redirect(url_for("my_account.security") + "#mfa", code=303)


@bp.post("/mfa/confirm")
@login_required
@recent_sign_in_required
def confirm_mfa() -> str | Response | tuple[str, int]:
    form = MfaConfirmForm()
    user = _me()
    ok, codes = run_form(
        form, lambda: services.confirm_mfa_setup(user, form.otp.data, user.current_sign_in, ip=request.remote_addr)
    )
    if ok:
        # Shown in this answer only: secrets never travel in the (signed, not encrypted) session cookie.
        flash("Two-factor authentication is on.", "success")
        return _security_page(200, recovery_codes=codes)
    return _security_page(422, confirm_form=form)


@bp.post("/mfa/disable")
@login_required
@recent_sign_in_required
def disable_mfa() -> str | Response | tuple[str, int]:
    form = MfaDisableForm()
    user = _me()
    ok, _ = run_form(
        form,
        lambda: services.disable_mfa(
            user, form.password.data or "", form.otp.data, user.current_sign_in, ip=request.remote_addr
        ),
    )
    if ok:
        flash("Two-factor authentication is off.", "info")
        return redirect(url_for("my_account.security") + "#mfa", code=303)
    return _security_page(422, disable_form=form)


@bp.post("/api-keys")
@login_required
@recent_sign_in_required
def create_api_key() -> str | Response | tuple[str, int]:
    form = _key_form()
    user = _me()
    ok, created = run_form(
        form,
        lambda: api_keys.create_api_key(
            user, form.name.data, form.scopes.data or [], sign_in=user.current_sign_in, ip=request.remote_addr
        ),
    )
    if ok:
        return _security_page(200, new_key=created[1])
    return _security_page(422, key_form=form)


@bp.post("/api-keys/<int:key_id>/revoke")
@login_required
def revoke_api_key(key_id: int) -> Response:
    api_keys.revoke_api_key(_me(), key_id, ip=request.remote_addr)
    flash("The key is revoked.", "info")
    return redirect(url_for("my_account.security") + "#api-keys", code=303)
