"""Groundwork: community-led planning for public libraries."""

import secrets
from collections.abc import Mapping
from importlib import import_module
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app.config import INSTANCE, ROOT
from app.extensions import babel, csrf, db, limiter, login_manager, migrate
from app.request import GroundworkRequest
from app.security import SessionCookies


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. Tests pass `overrides`; deployments set environment variables."""
    app = Flask(__name__, template_folder=str(ROOT / "templates"), static_folder=None,
                instance_path=str(INSTANCE))
    app.request_class = GroundworkRequest
    app.session_interface = SessionCookies()
    app.config.from_object("app.config.Defaults")
    app.config.update(overrides or {})
    if str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("sqlite"):
        # A SQLite file never drops a connection: a ping before every request would be wasted.
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            key: value for key, value in app.config["SQLALCHEMY_ENGINE_OPTIONS"].items()
            if key != "pool_pre_ping"}
    # The static route is added once the configuration is read, so it too answers only
    # GET and HEAD (PROVIDE_AUTOMATIC_OPTIONS).
    app.static_folder = str(ROOT / "static")
    app.add_url_rule("/static/<path:filename>", endpoint="static",
                     view_func=app.send_static_file)
    ensure_secret_key(app)
    check_production_settings(app)
    check_contact_minimum_age(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    babel.init_app(app)
    register_blueprints(app)
    register_hooks(app)
    from app.surveys.lane import PublicFormLane
    app.wsgi_app = PublicFormLane(app, app.wsgi_app)
    if app.config["PROXY_COUNT"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_COUNT"],
                                x_proto=app.config["PROXY_COUNT"])
    return app


def ensure_secret_key(app: Flask) -> None:
    """Use SECRET_KEY from the environment; in development, generate one once into instance/."""
    if app.config.get("SECRET_KEY"):
        return
    if app.config.get("GROUNDWORK_ENV") == "production":
        raise UnsafeSettings("SECRET_KEY must be set in production.")
    key_file = Path(app.instance_path) / "secret_key"
    key_file.parent.mkdir(parents=True, exist_ok=True)
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    app.config["SECRET_KEY"] = key_file.read_text().strip()


class UnsafeSettings(RuntimeError):
    """A deployment is configured in a way that would lose or leak something."""


def check_contact_minimum_age(app: Flask) -> None:
    """Refuse a CONTACT_MINIMUM_AGE the forms' age bands cannot tell apart: a child of that
    age could leave contact details without a parent or guardian."""
    from app.surveys.building import CONTACT_AGES

    if app.config["CONTACT_MINIMUM_AGE"] not in CONTACT_AGES:
        raise UnsafeSettings(
            f"CONTACT_MINIMUM_AGE is {app.config['CONTACT_MINIMUM_AGE']}; it must be one of "
            f"{' or '.join(map(str, CONTACT_AGES))}, where the forms' age bands begin.")


def check_production_settings(app: Flask) -> None:
    """In production, refuse to start with debug on or with rate limits that workers cannot
    share. (A missing SECRET_KEY is refused by ensure_secret_key.)"""
    if app.config.get("GROUNDWORK_ENV") != "production":
        return
    if app.debug or app.config.get("DEBUG"):
        raise UnsafeSettings("Debug mode is on in production: it shows code and data to anyone "
                             "who causes an error. Unset FLASK_DEBUG.")
    storage = str(app.config.get("RATELIMIT_STORAGE_URI", ""))
    if (app.config.get("RATELIMIT_ENABLED") and storage.startswith("memory://")
            and app.config["WEB_CONCURRENCY"] > 1):
        raise UnsafeSettings(
            "Rate limits are kept in memory while several workers serve, so each worker counts "
            "on its own. Set RATELIMIT_STORAGE_URI to a Redis URL (redis://host:6379/0).")


#: The product areas with screens or commands, each a package with a blueprint `bp`.
AREAS = ("main", "accounts", "community", "conversations", "surveys", "meetings", "themes",
         "plans", "evaluation", "privacy", "demo")
#: Areas with stored records; their models load first, so every table is known to the metadata.
MODELS = ("accounts", "community", "conversations", "surveys", "privacy", "meetings", "themes",
          "plans", "evaluation")


def register_blueprints(app: Flask) -> None:
    """Load each area's route modules and register its blueprint.

    Route modules load here rather than from the area's __init__, so that importing one area's
    models never drags in another area's views (the community map's pages show conversations,
    and conversations point at the community map).
    """
    for name in MODELS:
        import_module(f"app.{name}.models")
    for name in AREAS:
        area = import_module(f"app.{name}")
        for module in area.ROUTE_MODULES:
            import_module(f"app.{name}.{module}")
        app.register_blueprint(area.bp)


def register_hooks(app: Flask) -> None:
    from app import errors, security, templating
    from app.accounts.access import register_access_rules
    from app.database import configure_connections
    from app.documents.fonts import print_fonts
    from app.privacy.backup_commands import backup, restore
    from app.surveys.locale import register_locale_selector

    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    configure_connections(app)
    register_access_rules(app)
    register_locale_selector(app)
    errors.register_error_handlers(app)
    security.register_security_headers(app)
    templating.register_template_helpers(app)
    app.cli.add_command(backup)
    app.cli.add_command(restore)
    app.cli.add_command(print_fonts)
