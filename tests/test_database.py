"""The database connection: PostgreSQL connections that the server dropped are replaced."""

import multiprocessing
import time

import pytest
import sqlalchemy as sa

from app.extensions import db
from tests.conftest import IS_SHARED_DATABASE


@pytest.mark.skipif(not IS_SHARED_DATABASE, reason="PostgreSQL only (set TEST_DATABASE_URL)")
def test_a_terminated_postgresql_backend_does_not_fail_the_next_request(app, staff_client):
    assert staff_client.get("/").status_code == 200
    db.session.remove()  # hand the connection back to the pool, as the end of a request does
    with db.engine.connect() as connection:
        pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    with sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"]).connect() as other:
        terminated = other.execute(sa.text("SELECT pg_terminate_backend(:pid)"),
                                   {"pid": pid}).scalar()
    assert terminated

    assert staff_client.get("/").status_code == 200


@pytest.fixture
def file_app(tmp_path):
    from app import create_app
    from tests.conftest import app_config

    app = create_app(app_config(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/lock.sqlite",
                                SQLITE_BUSY_TIMEOUT_MS=200))
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def other_writer(file_app, tmp_path):
    """Another process's writer, holding SQLite's write lock until it commits."""
    import sqlite3

    connection = sqlite3.connect(f"{tmp_path}/lock.sqlite", isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    yield connection
    connection.close()


@pytest.mark.skipif(IS_SHARED_DATABASE, reason="SQLite's write lock")
def test_a_writing_request_waits_for_the_write_lock_before_it_reads(file_app, other_writer):
    with file_app.test_request_context("/f/x", method="POST"):
        with pytest.raises(sa.exc.OperationalError, match="database is locked"):
            db.session.execute(sa.text("SELECT count(*) FROM surveys"))
        db.session.rollback()


@pytest.mark.skipif(IS_SHARED_DATABASE, reason="SQLite's write lock")
def test_a_request_that_reads_until_writing_reads_while_another_writes(file_app, other_writer):
    from app.database import read_until_writing, start_writing

    with file_app.test_request_context("/f/x", method="POST"):
        read_until_writing()
        assert db.session.scalar(sa.text("SELECT count(*) FROM surveys")) == 0
        start_writing()
        with pytest.raises(sa.exc.OperationalError, match="database is locked"):
            db.session.execute(sa.text("SELECT count(*) FROM surveys"))
        db.session.rollback()
        other_writer.execute("COMMIT")
        db.session.execute(sa.text("DELETE FROM surveys"))
        db.session.commit()


def _hold_the_queue(lock_path: str, seconds: float, holding) -> None:
    from app.database import WriterQueue

    queue = WriterQueue(lock_path)
    assert queue.acquire(timeout=5)
    holding.set()
    time.sleep(seconds)
    queue.release()


def test_writers_of_two_processes_take_turns_on_the_lock_file(tmp_path):
    from app.database import WriterQueue

    lock_path = str(tmp_path / "db.sqlite-writers")
    holding = multiprocessing.get_context("fork").Event()
    other = multiprocessing.get_context("fork").Process(
        target=_hold_the_queue, args=(lock_path, 0.5, holding))
    other.start()
    try:
        assert holding.wait(5)
        queue = WriterQueue(lock_path)
        assert not queue.acquire(timeout=0.05)  # the other process has its turn
        began = time.monotonic()
        assert queue.acquire(timeout=5)  # and lets go after half a second
        assert time.monotonic() - began < 0.5
        queue.release()
    finally:
        other.join(5)


@pytest.mark.skipif(IS_SHARED_DATABASE, reason="SQLite's write lock")
@pytest.mark.parametrize("end", ["commit", "rollback"])
def test_the_next_writer_is_let_in_only_once_sqlite_has_let_go(file_app, tmp_path, monkeypatch,
                                                              end):
    """The writer queue lets go after COMMIT or ROLLBACK, not before: a writer let in earlier
    would find SQLite's lock still held and sleep in its busy handler."""
    import sqlite3

    from app.database import WriterQueue

    free_when_let_go = []
    let_go = WriterQueue.release

    def release(queue):
        other = sqlite3.connect(f"{tmp_path}/lock.sqlite", isolation_level=None, timeout=0)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            free_when_let_go.append(True)
        except sqlite3.OperationalError:
            free_when_let_go.append(False)
        finally:
            other.close()
        let_go(queue)

    monkeypatch.setattr(WriterQueue, "release", release)
    with file_app.test_request_context("/f/x", method="POST"):
        db.session.execute(sa.text("DELETE FROM surveys"))
        getattr(db.session, end)()
    assert free_when_let_go == [True]


@pytest.mark.skipif(IS_SHARED_DATABASE, reason="SQLite's write lock")
def test_a_direct_write_waits_its_turn_and_commits_or_rolls_back(file_app, other_writer):
    """write_transaction (the public form's lane) takes the write lock as a request does, and
    lets the queue go whatever happens."""
    import sqlite3

    from app.database import write_transaction

    insert = ("INSERT INTO branches (name, kind, catchment, is_active, created_at, updated_at) "
              "VALUES ('Eastgate', 'branch', '', 1, '2026-12-07', '2026-12-07')")
    with pytest.raises(sqlite3.OperationalError, match="locked"), \
            write_transaction(db.engine) as connection:
        connection.cursor().execute(insert)
    other_writer.execute("COMMIT")
    with pytest.raises(RuntimeError), write_transaction(db.engine) as connection:
        connection.cursor().execute(insert)
        raise RuntimeError("then something fails")
    with write_transaction(db.engine) as connection:
        connection.cursor().execute(insert)
    assert db.session.scalar(sa.text("SELECT count(*) FROM branches")) == 1


def test_statements_that_stand_alone_commit_each_on_postgresql_only(app):
    """write_transaction(statements_stand_alone=True): on PostgreSQL each statement commits on
    its own, and the pooled connection is handed back as it was; on SQLite the block stays one
    transaction (its writers queue on BEGIN IMMEDIATE)."""
    from app.database import write_transaction

    def insert(name: str) -> str:
        return ("INSERT INTO branches (name, kind, catchment, is_active, created_at, updated_at) "  # noqa: S608 - names of our own
                f"VALUES ('{name}', 'branch', '', true, '2026-12-07', '2026-12-07')")

    with app.app_context():
        with pytest.raises(RuntimeError), \
                write_transaction(db.engine, statements_stand_alone=True) as connection:
            connection.cursor().execute(insert("Eastgate"))
            raise RuntimeError("then something fails")
        with pytest.raises(RuntimeError), write_transaction(db.engine) as connection:
            connection.cursor().execute(insert("Northfield"))
            raise RuntimeError("then something fails")
        db.session.remove()
        kept = db.session.scalars(sa.text("SELECT name FROM branches")).all()
        on_postgresql = db.engine.dialect.name == "postgresql"
    assert kept == (["Eastgate"] if on_postgresql else [])
