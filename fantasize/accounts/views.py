"""Sign-in, registration and password pages."""

from __future__ import annotations

import time

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask.wrappers import Response
from flask_login import current_user, login_user, logout_user

from fantasize.accounts import services, sign_ins
from fantasize.accounts.forms import ForgotPasswordForm, LoginForm, RegisterForm, ResetPasswordForm, SecondFactorForm
from fantasize.accounts.models import User
from fantasize.accounts.ratelimits import auth_rate_limited, by_pending_user, by_token, mark_failed_attempt
from fantasize.accounts.session import RESET_TOKEN
from fantasize.errors import AppError
from fantasize.extensions import db
from fantasize.web.forms import attach_errors, safe_next_url

bp = Blueprint("accounts", __name__)
MFA_PENDING = "mfa_pending_user"
MFA_PENDING_SECONDS = 300


# What survives the fresh session of a sign-in (a guest's cart is merged into the account's).
CARRIED_OVER = ("cart_key",)


def await_second_factor(user: User, remember: bool, next_url: str | None) -> Response:
    """The password (or provider) checked out; the session now waits a few minutes for the code."""
    session[MFA_PENDING] = user.id
    session["mfa_pending_at"] = int(time.time())
    session["mfa_remember"] = remember
    session["mfa_next"] = next_url
    return redirect(url_for("accounts.login_second_factor"), code=303)


def _pending_user() -> User | None:
    started = session.get("mfa_pending_at", 0)
    if not session.get(MFA_PENDING) or time.time() - started > MFA_PENDING_SECONDS:
        for key in (MFA_PENDING, "mfa_pending_at", "mfa_remember", "mfa_next"):
            session.pop(key, None)
        return None
    return db.session.get(User, session[MFA_PENDING])


def start_session(user: User, remember: bool, next_url: str | None) -> Response:
    """Sign ``user`` in with a fresh session (no session fixation) and a new sign-in record, and go on."""
    carried = {key: session[key] for key in CARRIED_OVER if key in session}
    session.clear()
    session.update(carried)
    sign_ins.start_sign_in(user, sign_ins.BROWSER)
    login_user(user, remember=remember)
    db.session.commit()
    return redirect(safe_next_url(next_url, url_for("catalog.home")), code=303)


@bp.route("/login", methods=["GET", "POST"])
@auth_rate_limited()
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("catalog.home"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data, ip=request.remote_addr)
        except AppError as error:
            db.session.commit()  # keep the failed attempt in the audit log
            mark_failed_attempt()
            attach_errors(form, error)
        else:
            if user.mfa_enabled:
                return await_second_factor(user, bool(form.remember.data), form.next.data)
            services.record_sign_in(user, "password", ip=request.remote_addr)
            return start_session(user, bool(form.remember.data), form.next.data)
    elif request.method == "POST":
        mark_failed_attempt()
    return render_template("accounts/login.html", form=form, providers=oauth_providers())


@bp.route("/login/mfa", methods=["GET", "POST"])
@auth_rate_limited(account_key=by_pending_user)
def login_second_factor() -> str | Response:
    user = _pending_user()
    if user is None:
        flash("Sign in again to continue.", "info")
        return redirect(url_for("accounts.login"))
    form = SecondFactorForm()
    if form.validate_on_submit():
        try:
            services.check_second_factor(user, form.otp.data, ip=request.remote_addr)
        except AppError as error:
            db.session.commit()
            mark_failed_attempt()
            attach_errors(form, error)
        else:
            services.record_sign_in(user, "password+mfa", ip=request.remote_addr)
            return start_session(user, session.get("mfa_remember", False), session.get("mfa_next"))
    elif request.method == "POST":
        mark_failed_attempt()
    return render_template("accounts/login_mfa.html", form=form)


@bp.route("/register", methods=["GET", "POST"])
@auth_rate_limited(count_only_failures=False)
def register() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("catalog.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.register_user(
                form.email.data, form.password.data, form.username.data, ip=request.remote_addr
            )
        except AppError as error:
            db.session.rollback()
            attach_errors(form, error)
        else:
            services.record_sign_in(user, "registration", ip=request.remote_addr)
            response = start_session(user, False, request.args.get("next"))
            flash("Welcome to Fantasize! Your account is ready.", "success")
            return response
    return render_template("accounts/register.html", form=form, providers=oauth_providers())


@bp.post("/logout")
def logout() -> Response:
    """End this browser's sign-in for good: on the server, and its session and remember cookies."""
    if current_user.is_authenticated and current_user.current_sign_in is not None:
        sign_ins.revoke(current_user.current_sign_in.id)
        db.session.commit()
    session.clear()
    logout_user()  # after clear(): it leaves the flag that deletes the remember cookie
    flash("You are signed out.", "info")
    return redirect(url_for("catalog.home"), code=303)


@bp.route("/password/forgot", methods=["GET", "POST"])
@auth_rate_limited(count_only_failures=False)
def forgot_password() -> str | Response:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        flash("If an account uses that address, we have sent it a link to choose a new password.", "info")
        return redirect(url_for("accounts.login"), code=303)
    return render_template("accounts/forgot_password.html", form=form)


@bp.get("/password/reset/<token>")
def reset_password_link(token: str) -> str | Response | tuple[str, int]:
    """The e-mailed link: swap its token for a session-held one and drop it from the address bar."""
    try:
        session[RESET_TOKEN] = services.open_password_reset(token)
    except AppError as error:
        db.session.rollback()
        mark_failed_attempt()
        return render_template("accounts/reset_password.html", form=None, link_error=error.message), 400
    db.session.commit()
    return redirect(url_for("accounts.reset_password"), code=303)


@bp.route("/password/reset", methods=["GET", "POST"])
@auth_rate_limited(account_key=by_token)
def reset_password() -> str | Response | tuple[str, int]:
    token = session.get(RESET_TOKEN)
    if not token:
        flash("Open the link from your e-mail again, or ask for a new one.", "info")
        return redirect(url_for("accounts.forgot_password"), code=303)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data, ip=request.remote_addr)
        except AppError as error:
            db.session.rollback()
            mark_failed_attempt()
            attach_errors(form, error)
        else:
            db.session.commit()
            session.pop(RESET_TOKEN, None)
            flash("Your password has been changed. Sign in with the new one.", "success")
            return redirect(url_for("accounts.login"), code=303)
    return render_template("accounts/reset_password.html", form=form)


def oauth_providers() -> list[str]:
    from fantasize.accounts.oauth import configured_providers

    return configured_providers()
