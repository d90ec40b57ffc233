"""`flask backup` and `flask restore`: a backup taken while people are sending a form holds every
submission acknowledged before it started, and restores whole, on SQLite and on PostgreSQL."""

import http.client
import os
import secrets
import sqlite3
import stat
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from app import create_app
from app.accounts.models import User
from app.extensions import db
from app.privacy import backup as backups
from app.privacy.backup import BackupError, default_backup_path, describe, libpq_connection
from app.surveys.models import SurveyResponse
from tests.conftest import IS_SHARED_DATABASE, TEST_DATABASE_URL, app_config
from tests.surveys.conftest import interface_catalogues, make_survey, public_app  # noqa: F401
from tests.surveys.test_nothing_lost import _field_names, served  # noqa: F401

#: Senders posting the form at once while the backup is taken.
THREADS = 4
#: Submissions acknowledged before the backup starts.
BEFORE_BACKUP = 60
RESPONSES = SurveyResponse.__tablename__


@pytest.fixture
def app_overrides(tmp_path) -> dict:
    """These tests back up a SQLite file of their own (PostgreSQL's class overrides this)."""
    return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'live.sqlite'}"}


def _cli(app, *args: str):
    """Run `flask <args>` against `app` (its own app context, whatever else is pushed)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(args))


def _dispose(app) -> None:
    with app.app_context():
        db.engine.dispose()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# Backing up and restoring while the form is being sent -----------------------------------------

def _send_while_backing_up(app, served, backup_path: Path) -> dict:  # noqa: F811
    """Post the form from THREADS senders; once BEFORE_BACKUP are acknowledged, run
    `flask backup`, keep sending a little, stop. Return the submission ids acknowledged before
    the backup started, those first sent after it finished, and the command's result."""
    host, port, survey = served
    answers = _field_names(app, survey)
    path = f"/f/{survey.token}"
    thanks = f"{path}/thanks"
    acknowledged: list[tuple[float, float, str]] = []  # (sent at, acknowledged at, id)
    refused: list[tuple[int, str]] = []
    enough, stop = threading.Event(), threading.Event()

    def send() -> None:
        connection = http.client.HTTPConnection(host, port, timeout=60)
        while not stop.is_set():
            submission_id = secrets.token_urlsafe(24)
            sent_at = time.monotonic()
            connection.request(
                "POST", path, headers={"Content-Type": "application/x-www-form-urlencoded"},
                body=urllib.parse.urlencode({**answers, "submission_id": submission_id,
                                             "language": "en"}))
            response = connection.getresponse()
            response.read()
            location = urllib.parse.urlsplit(response.getheader("Location") or "").path
            if response.status in (302, 303) and location == thanks:
                acknowledged.append((sent_at, time.monotonic(), submission_id))
                if len(acknowledged) >= BEFORE_BACKUP:
                    enough.set()
            else:
                refused.append((response.status, location))
        connection.close()

    with ThreadPoolExecutor(THREADS) as pool:
        senders = [pool.submit(send) for _ in range(THREADS)]
        try:
            assert enough.wait(60), f"too few submissions acknowledged: {refused[:5]}"
            started = time.monotonic()
            result = _cli(app, "backup", str(backup_path))
            finished = time.monotonic()
            deadline = finished + 30
            while (not any(sent_at > finished for sent_at, _, _ in list(acknowledged))
                   and time.monotonic() < deadline and not any(s.done() for s in senders)):
                time.sleep(0.05)
        finally:
            stop.set()
            for sender in senders:
                sender.result()

    assert refused == []
    return {
        "result": result,
        "before": {sid for _, acknowledged_at, sid in acknowledged if acknowledged_at < started},
        "after": {sid for sent_at, _, sid in acknowledged if sent_at > finished},
        "all": {sid for _, _, sid in acknowledged},
    }


@pytest.mark.load
@pytest.mark.usefixtures("public_app")
def test_a_sqlite_backup_taken_while_the_form_is_sent_restores_every_earlier_submission(
        app, served, tmp_path):  # noqa: F811
    backup_path = tmp_path / "during-load.sqlite"

    sent = _send_while_backing_up(app, served, backup_path)

    assert sent["result"].exit_code == 0, sent["result"].output
    assert f"to {backup_path} (" in sent["result"].output
    assert "Checked the backup: ok." in sent["result"].output
    assert _mode(backup_path) == 0o600
    assert len(sent["before"]) >= BEFORE_BACKUP and sent["after"]

    restored_path = tmp_path / "restored.sqlite"
    restored_app = create_app(app_config(SQLALCHEMY_DATABASE_URI=f"sqlite:///{restored_path}"))
    result = _cli(restored_app, "restore", str(backup_path), "--yes")

    assert result.exit_code == 0, result.output
    assert f"Replaced everything in the SQLite database {restored_path}" in result.output
    with sqlite3.connect(restored_path) as restored:
        assert restored.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        stored = {row[0] for row in restored.execute(f"SELECT submission_id FROM {RESPONSES}")}  # noqa: S608
    _dispose(restored_app)
    assert sent["before"] <= stored
    assert stored <= sent["all"]
    # Sent after the backup was finished: not in it.
    assert not stored & sent["after"]


@pytest.mark.skipif(not IS_SHARED_DATABASE,
                    reason="TEST_DATABASE_URL does not point at PostgreSQL: the pg_dump and "
                           "pg_restore variant needs a PostgreSQL server to run against")
class TestPostgreSQL:
    @pytest.fixture
    def app_overrides(self) -> dict:
        return {}

    @pytest.fixture
    def restore_url(self):
        """A fresh database named after the test database plus "_restore", dropped after."""
        url = make_url(TEST_DATABASE_URL)
        name = f"{url.database}_restore"
        admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield url.set(database=name)
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()

    @pytest.mark.load
    @pytest.mark.usefixtures("public_app")
    def test_a_pg_dump_taken_while_the_form_is_sent_restores_every_earlier_submission(
            self, app, served, restore_url, tmp_path):  # noqa: F811
        backup_path = tmp_path / "during-load.dump"

        sent = _send_while_backing_up(app, served, backup_path)

        assert sent["result"].exit_code == 0, sent["result"].output
        assert "Backed up the PostgreSQL database" in sent["result"].output
        assert "pg_restore can read it" in sent["result"].output
        assert _mode(backup_path) == 0o600
        assert len(sent["before"]) >= BEFORE_BACKUP and sent["after"]

        restored_app = create_app(app_config(
            SQLALCHEMY_DATABASE_URI=restore_url.render_as_string(hide_password=False)))
        result = _cli(restored_app, "restore", str(backup_path), "--yes")
        _dispose(restored_app)

        assert result.exit_code == 0, result.output
        assert f"the PostgreSQL database {restore_url.database}" in result.output
        restored = sa.create_engine(restore_url)
        try:
            with restored.connect() as connection:
                tables = set(sa.inspect(connection).get_table_names())
                stored = set(connection.scalars(sa.text(
                    f"SELECT submission_id FROM {RESPONSES}")))  # noqa: S608
                surveys = connection.scalar(sa.text("SELECT count(*) FROM surveys"))
        finally:
            restored.dispose()
        assert set(db.metadata.tables) <= tables
        assert surveys == 1
        assert sent["before"] <= stored
        assert stored <= sent["all"]
        assert not stored & sent["after"]

    def test_restoring_twice_over_the_same_database_replaces_it(self, app, make_user,
                                                                restore_url, tmp_path):
        make_user(name="Before the backup")
        db.session.commit()
        backup_path = tmp_path / "users.dump"
        assert _cli(app, "backup", str(backup_path)).exit_code == 0
        restored_app = create_app(app_config(
            SQLALCHEMY_DATABASE_URI=restore_url.render_as_string(hide_password=False)))

        for _ in range(2):  # --clean --if-exists drops what the first restore made
            result = _cli(restored_app, "restore", str(backup_path), "--yes")
            assert result.exit_code == 0, result.output
        with restored_app.app_context():
            names = db.session.scalars(sa.select(User.name)).all()
            db.session.remove()
        _dispose(restored_app)

        assert names == ["Before the backup"]


# SQLite: where backups go, and what restore refuses --------------------------------------------

def test_backup_goes_to_a_dated_private_file_in_the_instance_backups_folder(app, tmp_path):
    app.instance_path = str(tmp_path / "instance")

    result = _cli(app, "backup")

    assert result.exit_code == 0, result.output
    folder = tmp_path / "instance" / "backups"
    [made] = folder.iterdir()
    assert made.name.startswith("groundwork-") and made.suffix == ".sqlite"
    assert datetime.strptime(made.stem, "groundwork-%Y%m%d-%H%M%S")
    assert _mode(made) == 0o600 and _mode(folder) == 0o700
    assert f"to {made} (" in result.output
    with sqlite3.connect(made) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)


def test_the_default_name_carries_the_date_and_time_and_the_kind_of_database():
    now = datetime(2025, 3, 1, 9, 5, 7)

    assert default_backup_path("/srv/instance", "sqlite:////srv/gw.sqlite", now=now) == \
        Path("/srv/instance/backups/groundwork-20250301-090507.sqlite")
    assert default_backup_path("/srv/instance", "postgresql+psycopg://gw@db/gw", now=now) == \
        Path("/srv/instance/backups/groundwork-20250301-090507.dump")


def test_backup_never_overwrites_a_file_and_needs_an_existing_folder(app, tmp_path):
    existing = tmp_path / "existing.sqlite"
    existing.write_text("keep me")

    over = _cli(app, "backup", str(existing))
    nowhere = _cli(app, "backup", str(tmp_path / "missing" / "backup.sqlite"))

    assert over.exit_code == 1
    assert f"{existing} already exists. Choose a new file name." in over.output
    assert existing.read_text() == "keep me"
    assert nowhere.exit_code == 1
    assert f"The folder {tmp_path / 'missing'} does not exist." in nowhere.output


def test_an_in_memory_database_cannot_be_backed_up(tmp_path):
    memory_app = create_app(app_config(SQLALCHEMY_DATABASE_URI="sqlite://"))

    result = _cli(memory_app, "backup", str(tmp_path / "backup.sqlite"))

    assert result.exit_code == 1
    assert "kept in memory only" in result.output
    assert not (tmp_path / "backup.sqlite").exists()


def test_restore_puts_back_the_backup_and_open_connections_see_it(app, make_user, tmp_path):
    make_user(name="Before the backup")
    db.session.commit()
    backup_path = tmp_path / "backup.sqlite"
    assert _cli(app, "backup", str(backup_path)).exit_code == 0
    make_user(name="After the backup")
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 2
    db.session.commit()  # ends the read, as the end of a request does

    result = _cli(app, "restore", str(backup_path), "--yes")

    assert result.exit_code == 0, result.output
    assert f"Checked the backup in {backup_path}: ok." in result.output
    # The app's own pooled connection, open all along, reads the restored data.
    assert db.session.scalars(sa.select(User.name)).all() == ["Before the backup"]
    make_user(name="Written after the restore")
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 2


def test_restore_refuses_without_yes_and_changes_nothing(app, make_user, tmp_path):
    backup_path = tmp_path / "backup.sqlite"
    assert _cli(app, "backup", str(backup_path)).exit_code == 0
    make_user(name="Stored since")
    db.session.commit()

    result = _cli(app, "restore", str(backup_path))

    assert result.exit_code == 1
    assert "Restoring replaces everything in the SQLite database" in result.output
    assert "anything stored since that backup was made is lost" in result.output
    assert "--yes" in result.output
    assert db.session.scalars(sa.select(User.name)).all() == ["Stored since"]


@pytest.mark.parametrize("content", [b"not a database at all" * 300, b""])
def test_restore_refuses_a_file_that_is_not_a_sound_backup(app, make_user, tmp_path, content):
    make_user(name="Still here")
    db.session.commit()
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(content)

    result = _cli(app, "restore", str(broken), "--yes")

    assert result.exit_code == 1
    assert f"{broken} is not a readable SQLite database" in result.output
    assert db.session.scalars(sa.select(User.name)).all() == ["Still here"]


def test_restore_refuses_a_backup_that_fails_the_integrity_check(app, make_user, tmp_path):
    for n in range(200):
        make_user(name=f"Person {n}")
    db.session.commit()
    backup_path = tmp_path / "backup.sqlite"
    assert _cli(app, "backup", str(backup_path)).exit_code == 0
    with sqlite3.connect(backup_path) as copy:
        root = copy.execute("SELECT rootpage FROM sqlite_master WHERE name = 'users'").fetchone()
        page_size = copy.execute("PRAGMA page_size").fetchone()[0]
    with backup_path.open("r+b") as damaged:  # scribble over the users table's first page
        damaged.seek((root[0] - 1) * page_size)
        damaged.write(b"\xff" * 64)

    result = _cli(app, "restore", str(backup_path), "--yes")

    assert result.exit_code == 1
    assert backup_path.name in result.output
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 200


# PostgreSQL without a server: the password, and a missing pg_dump ------------------------------

def test_the_password_goes_to_pg_dump_through_the_environment_never_the_command_line():
    uri, environment = libpq_connection(
        "postgresql+psycopg://groundwork:s3cret%40pass@db.example:5433/groundwork")

    assert uri == "postgresql://groundwork@db.example:5433/groundwork"
    assert environment["PGPASSWORD"] == "s3cret@pass"
    assert "s3cret" not in describe(
        "postgresql+psycopg://groundwork:s3cret@db.example:5433/groundwork")


def test_a_missing_pg_dump_is_named_with_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setattr(backups.shutil, "which", lambda _name: None)

    with pytest.raises(BackupError, match="pg_dump is not installed") as raised:
        backups.backup_postgres("postgresql+psycopg://gw:secret@127.0.0.1/gw",
                                tmp_path / "gw.dump")

    assert "postgresql-client" in str(raised.value)
    assert not (tmp_path / "gw.dump").exists()


@pytest.mark.skipif(backups.shutil.which("pg_dump") is None, reason="pg_dump is not installed")
def test_a_failed_pg_dump_says_why_without_the_password_and_leaves_no_file(tmp_path):
    unreachable = "postgresql+psycopg://groundwork:s3cret-pass@127.0.0.1:1/groundwork"

    with pytest.raises(BackupError) as raised:
        backups.backup_postgres(unreachable, tmp_path / "gw.dump")

    assert str(raised.value).startswith("pg_dump failed: ")
    assert "s3cret-pass" not in str(raised.value)
    assert not (tmp_path / "gw.dump").exists()


def test_a_backup_file_is_private_even_under_a_permissive_umask(app, tmp_path):
    previous = os.umask(0)
    try:
        result = _cli(app, "backup", str(tmp_path / "b.sqlite"))
    finally:
        os.umask(previous)

    assert result.exit_code == 0, result.output
    assert _mode(tmp_path / "b.sqlite") == 0o600
