"""Flask extensions, created unbound and initialised in create_app()."""

import functools
from collections.abc import Callable

from flask import Flask, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from limits import RateLimitItem, parse_many
from limits.storage import RedisStorage
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase
from werkzeug.exceptions import TooManyRequests

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
        # Flask-Limiter keeps the first app's key prefix for good; each app counts under its own.
        self._key_prefix = app.config.get("RATELIMIT_KEY_PREFIX") or ""
        if any(app.config.get(name) for name in self.APP_WIDE):
            return  # app-wide limits or headers need the hooks
        hooks = {self._check_request_limit, self._Limiter__release_context}
        for registry in (app.before_request_funcs, app.after_request_funcs,
                         app.teardown_request_funcs):
            registry[None] = [hook for hook in registry.get(None, [])
                              if hook not in hooks and getattr(hook, "func", None)
                              is not Limiter._Limiter__inject_headers]


    def count_send(self, limits: str, scope: str, address: str | None = None) -> None:
        """Count this request against each of `limits` ("20 per minute;200 per hour") for the
        client's address, and refuse it (429) once one of them is passed.

        The same count as `@limiter.limit` keeps, shortest window first and stopping at the
        first passed, in one trip to Redis for all the windows where `@limiter.limit` makes
        one per window (issue 8, P1). Other storages and strategies count the usual way.
        `address` is the client's, for a caller outside a request (the public form's lane).
        """
        if not self.enabled:
            return
        identifiers = [part for part in (self._key_prefix, address or get_remote_address(),
                                         scope) if part]
        items = _limit_items(limits)
        storage = self.storage
        if isinstance(storage, RedisStorage) and type(self.limiter) is FixedWindowRateLimiter:
            script = _count_script(storage.get_connection())
            keys = [storage.prefixed_key(item.key_for(*identifiers)) for item in items]
            windows = [figure for item in items for figure in (item.get_expiry(), item.amount)]
            if script(keys=keys, args=windows):
                raise TooManyRequests()
            return
        for item in items:
            if not self.limiter.hit(item, *identifiers):
                raise TooManyRequests()


#: Adds one to each window's counter in turn (a new counter expires with its window) and
#: returns the 1-based place of the first window passed, or 0. What limits' incr_expire.lua
#: does per window, for all of them at once.
COUNT_WINDOWS = """
for place, key in ipairs(KEYS) do
    local count = redis.call("incrby", key, 1)
    if count == 1 then
        redis.call("expire", key, ARGV[2 * place - 1])
    end
    if count > tonumber(ARGV[2 * place]) then
        return place
    end
end
return 0
"""


@functools.cache
def _limit_items(limits: str) -> tuple[RateLimitItem, ...]:
    return tuple(sorted(parse_many(limits), key=lambda item: item.GRANULARITY.seconds))


@functools.cache
def _count_script(client) -> Callable:
    return client.register_script(COUNT_WINDOWS)


limiter = ViewLimiter(key_func=get_remote_address, default_limits=[])


#: In a request's environ when the public form's lane already counted its send: "passed" or
#: "refused". A client cannot set it: its headers reach the environ as HTTP_* only.
SEND_COUNTED = "groundwork.send_counted"


def limit_sent_forms(limits: Callable[[], str]):
    """Limit the POSTs of a view per client address (`limiter.count_send`); reading its page
    is not limited. A send the public form's lane counted and handed on is not counted twice."""
    def decorate(view):
        @functools.wraps(view)
        def limited(*args, **kwargs):
            if request.method == "POST":
                counted = request.environ.get(SEND_COUNTED)
                if counted == "refused":
                    raise TooManyRequests()
                if counted is None:
                    limiter.count_send(limits(), scope=request.endpoint)
            return view(*args, **kwargs)
        return limited
    return decorate


@limiter.request_filter
def _reads_are_not_limited() -> bool:
    """Every limit is on sent forms (POST): a page that is only read skips the limiter's work,
    which costs a busy public form more than anything else on its blank page (issue 8, P1)."""
    return request.method != "POST"
babel = Babel()
