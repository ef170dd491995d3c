"""The browser's OAuth redirect flow: /auth/oauth/<provider> and its callback."""

from __future__ import annotations

from authlib.integrations.base_client.errors import OAuthError
from flask import Blueprint, flash, redirect, request, session, url_for
from flask.wrappers import Response

from fantasize.accounts import services
from fantasize.accounts.oauth import OAuthFailed, client, facebook_identity, identity_from_claims
from fantasize.accounts.session import await_second_factor, start_session
from fantasize.errors import AppError
from fantasize.web.forms import safe_next_url
from fantasize.web.transactions import settle_failure

bp = Blueprint("oauth", __name__, url_prefix="/auth/oauth")


@bp.get("/<provider>")
def authorize(provider: str) -> Response:
    session["oauth_next"] = safe_next_url(request.args.get("next"), url_for("catalog.home"))
    redirect_uri = url_for("oauth.callback", provider=provider, _external=True)
    return client(provider).authorize_redirect(redirect_uri)


@bp.get("/<provider>/callback")
def callback(provider: str) -> Response:
    try:
        oauth_client = client(provider)
        token = oauth_client.authorize_access_token()  # checks state, and the ID token's nonce (Google)
        if provider == "google":
            identity = identity_from_claims("google", token["userinfo"])
        else:
            identity = facebook_identity(token["access_token"])
        user = services.sign_in_with_identity(identity, ip=request.remote_addr)
    except (OAuthError, OAuthFailed, AppError, KeyError) as error:
        settle_failure(error if isinstance(error, AppError) else None)
        message = (
            error.message if isinstance(error, AppError) else "The sign-in was cancelled or could not be verified."
        )
        flash(message, "error")
        return redirect(url_for("accounts.login"), code=303)
    next_url = session.pop("oauth_next", None)
    if not services.finish_sign_in(user, provider, None, ip=request.remote_addr, code_on_next_page=True):
        return await_second_factor(user, provider, False, next_url)
    return start_session(user, False, next_url)
