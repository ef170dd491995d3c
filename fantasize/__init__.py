"""Fantasize: a shop for customizable gifts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

__version__ = "0.1.0"


def create_app(config: type | None = None, overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app from a config class (default: from ``FANTASIZE_ENV``) plus overrides."""
    from config import ProductionConfig, config_from_env

    config = config or config_from_env()
    if config is ProductionConfig or (isinstance(config, type) and issubclass(config, ProductionConfig)):
        config.validate()

    app = Flask(__name__, instance_path=str(Path(__file__).resolve().parent.parent / "instance"))
    app.config.from_object(config)
    app.config.update(overrides or {})
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    if app.config.get("PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count, x_port=count)
    register_extensions(app)
    register_request_hooks(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_cli(app)
    register_subscribers(app)
    register_unit_of_work(app)  # last: its after_request hook must run first
    return app


def register_extensions(app: Flask) -> None:
    from fantasize.connections import init_redis
    from fantasize.db import install_session_hooks
    from fantasize.extensions import cache, csrf, db, limiter, login_manager, migrate, sock

    redis_url = app.config.get("REDIS_URL")
    app.config.setdefault("CACHE_TYPE", "RedisCache" if redis_url else "SimpleCache")
    app.config.setdefault("CACHE_DEFAULT_TIMEOUT", app.config["CACHE_TTL_PRODUCTS"])
    if redis_url:
        app.config.setdefault("CACHE_REDIS_URL", redis_url)
    app.config.setdefault("RATELIMIT_STORAGE_URI", redis_url or "memory://")
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        engine_options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        engine_options.setdefault("connect_args", {}).setdefault("connect_timeout", 3)
        # A keyed checkout holds two connections at once (the request's and its idempotency claim's),
        # and a gthread worker serves up to 16 requests: room for both without waiting on the pool.
        engine_options.setdefault("pool_size", 16)
        engine_options.setdefault("max_overflow", 32)
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options

    db.init_app(app)
    install_session_hooks()
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        from fantasize.db import enforce_sqlite_foreign_keys

        with app.app_context():
            enforce_sqlite_foreign_keys(db.engine)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    cache.init_app(app)
    limiter.init_app(app)
    sock.init_app(app)
    init_redis(app)

    from fantasize.accounts import session as account_session
    from fantasize.accounts.oauth import init_oauth

    account_session.init_login(app)
    init_oauth(app)


def register_request_hooks(app: Flask) -> None:
    from fantasize.api.auth import init_api_auth
    from fantasize.api.versioning import init_versioning
    from fantasize.ops.logging import configure_logging, init_request_logging
    from fantasize.web.security import init_security
    from fantasize.web.templating import init_templating

    configure_logging(app)
    init_templating(app)
    init_versioning(app)
    init_api_auth(app)
    init_security(app)
    init_request_logging(app)


def register_blueprints(app: Flask) -> None:
    from fantasize.ids import IdConverter

    # Every <int:...> in a URL is an id: ASCII digits within the column range (else 404).
    app.url_map.converters["int"] = IdConverter
    from fantasize.accounts.views.auth import bp as auth_pages
    from fantasize.accounts.views.my_account import bp as account_pages
    from fantasize.accounts.views.oauth import bp as oauth_pages
    from fantasize.admin.views.catalog import bp as admin_catalog_pages
    from fantasize.admin.views.customization import bp as admin_customization_pages
    from fantasize.admin.views.dashboard import bp as admin_pages
    from fantasize.admin.views.jobs import bp as admin_job_pages
    from fantasize.admin.views.notifications import bp as admin_notification_pages
    from fantasize.admin.views.orders import bp as admin_order_pages
    from fantasize.admin.views.realtime import bp as admin_realtime_pages
    from fantasize.api import init_api
    from fantasize.catalog.views.browse import bp as catalog_pages
    from fantasize.catalog.views.items import bp as catalog_item_pages
    from fantasize.notifications.views import bp as notification_pages
    from fantasize.ops.health import bp as ops
    from fantasize.orders.cart_views import bp as order_pages
    from fantasize.orders.cart_views import init_cart
    from fantasize.orders.views import bp as order_shopper_pages
    from fantasize.realtime.ws import init_socket

    app.register_blueprint(ops)
    app.register_blueprint(catalog_pages)
    app.register_blueprint(catalog_item_pages)
    app.register_blueprint(auth_pages)
    app.register_blueprint(account_pages)
    app.register_blueprint(oauth_pages)
    app.register_blueprint(admin_pages)
    app.register_blueprint(order_pages)
    init_cart(app)
    app.register_blueprint(admin_catalog_pages)
    app.register_blueprint(admin_customization_pages)
    app.register_blueprint(order_shopper_pages)
    app.register_blueprint(admin_order_pages)
    app.register_blueprint(admin_notification_pages)
    app.register_blueprint(admin_job_pages)
    app.register_blueprint(admin_realtime_pages)
    app.register_blueprint(notification_pages)
    init_api(app)
    init_socket(app)


def register_error_handlers(app: Flask) -> None:
    from fantasize.web.errors import init_error_handlers

    init_error_handlers(app)


def register_unit_of_work(app: Flask) -> None:
    from fantasize.web.transactions import init_unit_of_work

    init_unit_of_work(app)


def register_subscribers(app: Flask) -> None:
    from fantasize.notifications.subscribers import init_notifications
    from fantasize.realtime.publishers import init_publishers

    init_notifications(app)
    init_publishers(app)


def register_cli(app: Flask) -> None:
    from fantasize.ops.cli import init_cli

    init_cli(app)
