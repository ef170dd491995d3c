"""Sign-in, registration and password pages."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask.wrappers import Response
from flask_login import current_user, logout_user

from fantasize.accounts import jobs, services, sign_ins
from fantasize.accounts.forms import (
    ContinueForm,
    ForgotPasswordForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
    SecondFactorForm,
)
from fantasize.accounts.ratelimits import auth_rate_limited, by_pending_user, by_token, mark_failed_attempt
from fantasize.accounts.session import RESET_TOKEN, await_second_factor, pending_sign_in, start_session
from fantasize.web.transactions import run_form

bp = Blueprint("accounts", __name__)


@bp.route("/login", methods=["GET", "POST"])
@auth_rate_limited()
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("catalog.home"))
    form = LoginForm(next=request.args.get("next", ""))
    ok, user = run_form(
        form, lambda: services.authenticate(form.email.data, form.password.data, ip=request.remote_addr)
    )
    if ok:
        remember = bool(form.remember.data)
        if not services.finish_sign_in(user, "password", None, ip=request.remote_addr, code_on_next_page=True):
            return await_second_factor(user, "password", remember, form.next.data)
        return start_session(user, remember, form.next.data)
    if request.method == "POST":
        mark_failed_attempt()
    return render_template("accounts/login.html", form=form, providers=oauth_providers())


@bp.route("/login/mfa", methods=["GET", "POST"])
@auth_rate_limited(account_key=by_pending_user)
def login_second_factor() -> str | Response:
    pending = pending_sign_in()
    if pending is None:
        flash("Sign in again to continue.", "info")
        return redirect(url_for("accounts.login"))
    user, method = pending
    form = SecondFactorForm()
    ok, _ = run_form(form, lambda: services.finish_sign_in(user, method, form.otp.data, ip=request.remote_addr))
    if ok:
        return start_session(user, session.get("mfa_remember", False), session.get("mfa_next"))
    if request.method == "POST":
        mark_failed_attempt()
    return render_template("accounts/login_mfa.html", form=form)


@bp.route("/register", methods=["GET", "POST"])
@auth_rate_limited(count_only_failures=False)
def register() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("catalog.home"))
    form = RegisterForm()
    ok, user = run_form(
        form,
        lambda: services.register_user(form.email.data, form.password.data, form.username.data, ip=request.remote_addr),
    )
    if ok:
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
    session.clear()
    logout_user()  # after clear(): it leaves the flag that deletes the remember cookie
    flash("You are signed out.", "info")
    return redirect(url_for("catalog.home"), code=303)


@bp.route("/password/forgot", methods=["GET", "POST"])
@auth_rate_limited(count_only_failures=False)
def forgot_password() -> str | Response:
    form = ForgotPasswordForm()
    ok, _ = run_form(form, lambda: jobs.queue_password_reset(form.email.data))
    if ok:
        flash("If an account uses that address, we have sent it a link to choose a new password.", "info")
        return redirect(url_for("accounts.login"), code=303)
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@auth_rate_limited(account_key=by_token)
def reset_password_link(token: str) -> str | Response | tuple[str, int]:
    """The e-mailed link. Opening it changes nothing (mail scanners open links too); "Continue"
    swaps its token for a session-held one and leaves for a token-free address."""
    if request.method == "GET":
        if services.reset_link_usable(token):
            return render_template("accounts/reset_password_open.html", form=ContinueForm())
        if session.get(RESET_TOKEN):
            return redirect(url_for("accounts.reset_password"), code=303)  # this browser swapped it already
        return _dead_link("This reset link is invalid, expired or already used; ask for a new one.")
    form = ContinueForm()
    ok, fresh = run_form(form, lambda: services.open_password_reset(token))
    if not ok:
        mark_failed_attempt()
        return _dead_link(form.form_errors[0] if form.form_errors else "Open the link from your e-mail again.")
    session[RESET_TOKEN] = fresh
    return redirect(url_for("accounts.reset_password"), code=303)


def _dead_link(message: str) -> tuple[str, int]:
    return render_template("accounts/reset_password.html", form=None, link_error=message), 400


@bp.route("/password/reset", methods=["GET", "POST"])
@auth_rate_limited(account_key=by_token)
def reset_password() -> str | Response | tuple[str, int]:
    token = session.get(RESET_TOKEN)
    if not token:
        flash("Open the link from your e-mail again, or ask for a new one.", "info")
        return redirect(url_for("accounts.forgot_password"), code=303)
    form = ResetPasswordForm()
    ok, _ = run_form(form, lambda: services.reset_password(token, form.password.data, ip=request.remote_addr))
    if ok:
        session.pop(RESET_TOKEN, None)
        flash("Your password has been changed. Sign in with the new one.", "success")
        return redirect(url_for("accounts.login"), code=303)
    if request.method == "POST":
        mark_failed_attempt()
    return render_template("accounts/reset_password.html", form=form)


def oauth_providers() -> list[str]:
    from fantasize.accounts.oauth import configured_providers

    return configured_providers()
