"""Connection settings that every database connection gets, whatever opened it.

On SQLite, a request that may write (any method but GET, HEAD and OPTIONS) opens its
transaction with BEGIN IMMEDIATE: it takes the write lock at the start and waits its turn
instead of reading first and failing with "database is locked" when another writer got there
between its read and its write. Writers also line up in a queue of our own (`WriterQueue`):
threads of one process on a lock, the processes of one machine (gunicorn's workers) on a lock
file beside the database. SQLite's busy handler sleeps 1, 2, 5, 10 ms and more between tries,
so under a steady stream of writes a waiting worker sleeps through the moment the lock came
free, or misses every try until its timeout; the queue lets the next writer in as soon as the
last lets go. Reads keep a plain BEGIN and never wait for writers under WAL. PostgreSQL needs
none of this: its row locks and unique constraints serialise writers.
"""

import fcntl
import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, g, has_request_context, request
from sqlalchemy import event, exc
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import PoolProxiedConnection

from app.extensions import db

#: Methods that never write; every other method's transaction starts with the write lock.
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
HOLDS_WRITE_LOCK = "groundwork_holds_write_lock"
READS_UNTIL_WRITING = "groundwork_reads_until_writing"
#: Each SQLite engine's writer queue and how long a writer waits its turn, in seconds.
_WRITERS: "weakref.WeakKeyDictionary[Engine, tuple[WriterQueue, float]]" = (
    weakref.WeakKeyDictionary())


class WriterQueue:
    """Writers of one SQLite database, one at a time: threads on a lock, then processes on an
    flock of `lock_path` (none for an in-memory database, which one process alone can open)."""

    #: Longest pause between two tries for the lock file, in seconds.
    LONGEST_PAUSE = 0.001

    def __init__(self, lock_path: str | None):
        self.lock_path = lock_path
        self._threads = threading.Lock()
        self._file: int | None = None
        self._pid = 0

    def acquire(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for this writer's turn; return whether it came."""
        deadline = time.monotonic() + timeout
        if not self._threads.acquire(timeout=timeout):
            return False
        if self.lock_path is None:
            return True
        handle, pause = self._lock_file(), 0.0001
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    self._threads.release()
                    return False
                time.sleep(pause)
                pause = min(pause * 2, self.LONGEST_PAUSE)

    def wait_turn(self, timeout: float) -> None:
        """Wait up to `timeout` seconds for this writer's turn, or fail as SQLite would."""
        if not self.acquire(timeout=timeout):
            raise exc.OperationalError("BEGIN IMMEDIATE", None,
                                       sqlite3.OperationalError("database is locked"))

    def release(self) -> None:
        if self.lock_path is not None and self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
        self._threads.release()

    def _lock_file(self) -> int:
        # Opened in each process (gunicorn forks after loading the app): a file opened before
        # the fork would be one lock shared by every worker.
        if self._file is None or self._pid != os.getpid():
            self._file = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        return self._file


def configure_connections(app: Flask) -> None:
    """Set WAL, foreign keys and a busy timeout on each new SQLite connection, and queue
    writing requests."""
    with app.app_context():
        engine: Engine = db.engine
    if engine.dialect.name != "sqlite":
        return
    timeout_ms = app.config["SQLITE_BUSY_TIMEOUT_MS"]
    database = engine.url.database
    in_memory = not database or database == ":memory:" or database.startswith("file:")
    writers = WriterQueue(None if in_memory else f"{database}-writers")
    _WRITERS[engine] = (writers, timeout_ms / 1000)

    def on_connect(dbapi_connection, _record) -> None:
        if not isinstance(dbapi_connection, sqlite3.Connection):
            return
        # The driver's own implicit BEGIN is switched off; on_begin below issues ours.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(timeout_ms)}")
        # WAL lets readers carry on while one writer writes; in-memory databases keep "memory".
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    def on_begin(connection: Connection) -> None:
        if not writes_expected():
            connection.exec_driver_sql("BEGIN")
            return
        writers.wait_turn(timeout_ms / 1000)
        connection.info[HOLDS_WRITE_LOCK] = True
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except Exception:
            release(connection.info)
            raise

    def release(info: dict) -> None:
        if info.pop(HOLDS_WRITE_LOCK, False):
            writers.release()

    def then_release(end):
        # The queue lets the next writer in once COMMIT or ROLLBACK has finished: SQLAlchemy's
        # commit and rollback events come before them, and a writer let in then would find
        # SQLite's lock still held and sleep in its busy handler.
        def ended(pooled_connection) -> None:
            try:
                end(pooled_connection)
            finally:
                try:
                    info = pooled_connection.info
                except NotImplementedError:  # the connection SQLAlchemy first sets up with
                    info = {}
                release(info)
        return ended

    def release_on_checkin(_dbapi_connection, record) -> None:
        # A connection handed back without an explicit end (the pool rolls it back) lets go.
        if record is not None:
            release(record.info)

    engine.dialect.do_commit = then_release(engine.dialect.do_commit)
    engine.dialect.do_rollback = then_release(engine.dialect.do_rollback)
    event.listen(engine, "connect", on_connect)
    event.listen(engine, "begin", on_begin)
    event.listen(engine, "checkin", release_on_checkin)


def writes_expected() -> bool:
    """Return whether the current request may write. Work outside a request (a command, a
    migration, the demo seeder) is a single writer and keeps a plain BEGIN, so a script that
    only reads never holds the write lock."""
    return (has_request_context() and request.method not in READ_ONLY_METHODS
            and not g.get(READS_UNTIL_WRITING, False))


@contextmanager
def write_transaction(engine: Engine, *,
                      statements_stand_alone: bool = False) -> Iterator[PoolProxiedConnection]:
    """Yield a driver connection of `engine`'s pool in a transaction that writes, committed
    when the block ends and rolled back on an error: for the public form's lane
    (app/surveys/lane.py), which stores without the ORM session, whose begin and commit cost
    more than the INSERTs (issue 8, P1).

    On SQLite the writer waits its turn in the queue and begins with BEGIN IMMEDIATE, as a
    request's write does, and lets the next writer in once COMMIT or ROLLBACK has finished.

    With `statements_stand_alone`, on PostgreSQL, each statement of the block commits on its
    own (autocommit): no BEGIN and no COMMIT, two round trips to the database server fewer.
    For a block that writes with one statement, as the lane does.
    """
    writers, timeout = _WRITERS.get(engine, (None, 0.0))
    connection = engine.raw_connection()
    if statements_stand_alone and engine.dialect.name == "postgresql":
        try:
            connection.driver_connection.autocommit = True
            yield connection
        finally:
            try:
                connection.driver_connection.autocommit = False
            finally:
                connection.close()
        return
    try:
        if writers is not None:
            writers.wait_turn(timeout)
        try:
            if writers is not None:
                connection.driver_connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                connection.rollback()
                raise
            connection.commit()
        finally:
            if writers is not None:
                writers.release()
    finally:
        connection.close()


def read_until_writing() -> None:
    """Let this request read without the write lock until it calls `start_writing()`.

    For a busy route that does much before it writes (a public form checks every answer first):
    the lock is then held only while it writes, not while the page is checked. Other workers'
    writers would otherwise wait on SQLite's busy handler, which sleeps in steps of milliseconds.
    """
    g.setdefault(READS_UNTIL_WRITING, True)


def start_writing() -> None:
    """End the request's read transaction; its next statement starts one with the write lock.

    The read transaction wrote nothing, so ending it with a commit loses nothing. Plain values
    the request read stay as they are; loaded records are read again, inside the write, when
    next used.
    """
    if g.pop(READS_UNTIL_WRITING, False) and db.session().in_transaction():
        db.session.commit()


class Precompiled:
    """A Core statement compiled once per kind of database and sent straight to the driver.

    For the statements every public submission runs (issue 8, P1), and the export's queries
    (P5): SQLAlchemy's execute looks up its compiled cache, builds an execution context and a
    result for every call, which costs more than a small INSERT itself. Values go through the
    columns' own bind processors, so they are stored exactly as `connection.execute(statement)`
    would store them; rows come back as the driver gives them. Python-side column defaults are
    not applied: give every column an INSERT names.
    """

    def __init__(self, statement, keys: tuple[str, ...] | None = None):
        self.statement, self.keys = statement, keys
        self._compiled: dict[str, tuple] = {}

    def _for(self, dialect) -> tuple:
        prepared = self._compiled.get(dialect.name)
        if prepared is None:
            compiled = self.statement.compile(
                dialect=dialect, column_keys=list(self.keys) if self.keys else None)
            processors = {name: processor for name, bind in compiled.binds.items()
                          if (processor := bind.type.dialect_impl(dialect)
                              .bind_processor(dialect)) is not None}
            names = compiled.positiontup or list(compiled.binds)
            # A plain INSERT of the given keys binds each key once, under its own name: its
            # values need no construct_params (which also fills in literal and repeated binds).
            direct = ([(name, processors.get(name)) for name in names]
                      if self.keys and sorted(names) == sorted(self.keys) else None)
            prepared = self._compiled[dialect.name] = (compiled, compiled.positiontup,
                                                       processors, direct)
        return prepared

    def _parameters(self, prepared: tuple, values: dict):
        compiled, positions, processors, direct = prepared
        if direct is not None:
            pairs = [(name, values[name] if processor is None else processor(values[name]))
                     for name, processor in direct]
            return dict(pairs) if positions is None else tuple(value for _, value in pairs)
        parameters = compiled.construct_params(values)
        for name, processor in processors.items():
            if name in parameters:
                parameters[name] = processor(parameters[name])
        return parameters if positions is None else tuple(parameters[name]
                                                          for name in positions)

    def execute(self, connection: Connection | PoolProxiedConnection, values: dict,
                dialect=None):
        """Run once with `values` on `connection`'s transaction; return the driver's cursor.

        `connection` is a SQLAlchemy Connection, or a pooled driver connection with the
        `dialect` of its engine."""
        prepared = self._for(dialect or connection.dialect)
        cursor = driver_of(connection).cursor()
        cursor.execute(prepared[0].string, self._parameters(prepared, values))
        return cursor

    def executemany(self, connection: Connection | PoolProxiedConnection, rows: list[dict],
                    dialect=None) -> None:
        """Run once per row of `rows` (each with the same keys), in one driver call."""
        prepared = self._for(dialect or connection.dialect)
        cursor = driver_of(connection).cursor()
        try:
            cursor.executemany(prepared[0].string,
                               [self._parameters(prepared, row) for row in rows])
        finally:
            cursor.close()


def driver_of(connection: Connection | PoolProxiedConnection) -> PoolProxiedConnection:
    """Return the pooled driver connection of a SQLAlchemy Connection, or `connection`."""
    return connection.connection if isinstance(connection, Connection) else connection


def made_on(dialect: str):
    """Return Alembic's `include_object` for comparing the models with a `dialect` database:
    an index the models create on another kind of database only (`.ddl_if(dialect=...)`) is
    left out."""
    def include_object(schema_object, _name, type_, reflected, _compare_to) -> bool:
        only_on = getattr(getattr(schema_object, "_ddl_if", None), "dialect", None)
        return type_ != "index" or reflected or only_on is None or only_on == dialect
    return include_object
