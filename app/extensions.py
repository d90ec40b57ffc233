"""Flask extensions, created unbound and initialised in create_app()."""

from flask import Flask, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

#: Deterministic constraint names, so Alembic revisions read the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()


class ViewLimiter(Limiter):
    """Flask-Limiter, checking each limit only as the view that declares it is called.

    Every limit in Groundwork is declared on its view (`@limiter.limit`), and that decorator
    checks it. Flask-Limiter also hooks every request of the app, for app-wide limits and
    rate-limit headers; Groundwork has neither, and the hooks cost every page about a tenth of
    a millisecond (issue 8, P1), so they are taken off again. The limiter keeps what it tracks
    per request on the request context, which goes with the request.
    """

    APP_WIDE = ("RATELIMIT_DEFAULT", "RATELIMIT_APPLICATION", "RATELIMIT_META",
                "RATELIMIT_HEADERS_ENABLED")

    def init_app(self, app: Flask) -> None:
        super().init_app(app)
        if any(app.config.get(name) for name in self.APP_WIDE):
            return  # app-wide limits or headers need the hooks
        hooks = {self._check_request_limit, self._Limiter__release_context}
        for registry in (app.before_request_funcs, app.after_request_funcs,
                         app.teardown_request_funcs):
            registry[None] = [hook for hook in registry.get(None, [])
                              if hook not in hooks and getattr(hook, "func", None)
                              is not Limiter._Limiter__inject_headers]


limiter = ViewLimiter(key_func=get_remote_address, default_limits=[])


@limiter.request_filter
def _reads_are_not_limited() -> bool:
    """Every limit is on sent forms (POST): a page that is only read skips the limiter's work,
    which costs a busy public form more than anything else on its blank page (issue 8, P1)."""
    return request.method != "POST"
babel = Babel()
