"""Flask extensions, created unbound and initialised in create_app()."""

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager

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
from redis.exceptions import NoScriptError
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
        client's address, and refuse it (429) once one of them is passed."""
        with self.counting_send(limits, scope, address) as count:
            if count.refused():
                raise TooManyRequests()

    @contextmanager
    def counting_send(self, limits: str, scope: str,
                      address: str | None = None) -> Iterator["SendCount"]:
        """Start counting a send against each of `limits`; the block does other work while
        Redis counts, then asks `count.refused()`.

        The same count as `@limiter.limit` keeps, shortest window first and stopping at the
        first passed, in one trip to Redis for all the windows where `@limiter.limit` makes
        one per window (issue 8, P1). The count is sent at once and its answer read when
        asked, so a worker checks a sent page meanwhile instead of waiting for Redis. Other
        storages and strategies count the usual way, at once. `address` is the client's, for
        a caller outside a request (the public form's lane).
        """
        if not self.enabled:
            yield SendCount(lambda: 0)
            return
        identifiers = [part for part in (self._key_prefix, address or get_remote_address(),
                                         scope) if part]
        items = _limit_items(limits)
        storage = self.storage
        if not (isinstance(storage, RedisStorage)
                and type(self.limiter) is FixedWindowRateLimiter):
            passed = all(self.limiter.hit(item, *identifiers) for item in items)
            yield SendCount(lambda: 0 if passed else 1)
            return
        client = storage.get_connection()
        script = _count_script(client)
        keys = [storage.prefixed_key(item.key_for(*identifiers)) for item in items]
        windows = [figure for item in items for figure in (item.get_expiry(), item.amount)]
        pool = client.connection_pool
        connection = pool.get_connection()
        try:
            connection.send_command("EVALSHA", script.sha, len(keys), *keys, *windows)
        except BaseException:
            pool.release(connection)
            raise

        def answer() -> int:
            try:
                return connection.read_response()
            except NoScriptError:  # a Redis that has not seen the script yet: load and count
                return script(keys=keys, args=windows)

        count = SendCount(answer)
        try:
            yield count
        finally:
            try:
                count.refused()  # read whatever happened in the block: the count stands
            except BaseException:
                connection.disconnect()  # its answer may be unread: the pool opens a fresh one
                raise
            finally:
                pool.release(connection)


class SendCount:
    """A send being counted: `refused()` waits for the count's answer, once."""

    def __init__(self, answer: Callable[[], int]):
        self._answer, self._place = answer, None

    def refused(self) -> bool:
        """Return whether the send passed one of the limits (the 1-based window, or 0)."""
        if self._place is None:
            self._place = self._answer()
        return bool(self._place)


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
