"""Backups of the whole database, and putting one back.

SQLite is copied while the app keeps serving, with SQLite's online backup API: the copy is one
consistent snapshot (under WAL, writers carry on meanwhile), then checked with
`PRAGMA integrity_check`. Restoring writes the backup over the live file with the same API, so
connections the app holds open see the restored data at once.

PostgreSQL is dumped with `pg_dump --format=custom` and restored with
`pg_restore --clean --if-exists --no-owner` in one transaction, so a failed restore changes
nothing. The password never goes on a command line or the screen: the tools get it from
PGPASSWORD.
"""

import os
import shutil
import sqlite3
import subprocess  # nosec B404 # runs pg_dump and pg_restore only, see _run()
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import URL, make_url

#: Backup files and the folder they go in are readable by the app's own user only.
FILE_MODE = 0o600
FOLDER_MODE = 0o700
#: Seconds to wait for a writer to finish when SQLite is busy.
SQLITE_TIMEOUT = 30


class BackupError(Exception):
    """A backup or a restore could not be done; the message says why in plain words."""


@dataclass(frozen=True)
class Backup:
    """A backup file that was written and checked."""

    path: Path
    size: int
    #: What the check of the copy found, in words ("ok" for SQLite's integrity check).
    check: str


def describe(url: str | URL) -> str:
    """Return the database's name for the screen: never its password."""
    url = make_url(url)
    if url.get_backend_name() == "sqlite":
        return f"the SQLite database {url.database or '(in memory)'}"
    where = url.host or "the local server"
    if url.port:
        where = f"{where}:{url.port}"
    return f"the PostgreSQL database {url.database} on {where}"


def default_backup_path(instance_path: str | Path, url: str | URL, *,
                        now: datetime | None = None) -> Path:
    """Return instance/backups/groundwork-YYYYmmdd-HHMMSS.sqlite (.dump for PostgreSQL)."""
    suffix = ".sqlite" if make_url(url).get_backend_name() == "sqlite" else ".dump"
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return Path(instance_path) / "backups" / f"groundwork-{stamp}{suffix}"


def make_backup_folder(path: Path) -> None:
    """Create the folder a default backup goes in, readable by the app's own user only."""
    path.parent.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)


def backup_database(url: str | URL, target: Path) -> Backup:
    """Back up the database at `url` into the new file `target`, check the copy, return it."""
    url = make_url(url)
    if url.get_backend_name() == "sqlite":
        return backup_sqlite(sqlite_path(url), target)
    if url.get_backend_name() == "postgresql":
        return backup_postgres(url, target)
    raise BackupError(f"Backups of {url.get_backend_name()} databases are not supported.")


def restore_database(url: str | URL, source: Path) -> Backup:
    """Replace everything in the database at `url` with the backup in `source`."""
    url = make_url(url)
    if url.get_backend_name() == "sqlite":
        return restore_sqlite(source, sqlite_path(url))
    if url.get_backend_name() == "postgresql":
        return restore_postgres(source, url)
    raise BackupError(f"Restoring {url.get_backend_name()} databases is not supported.")


# SQLite ----------------------------------------------------------------------------------------

def sqlite_path(url: str | URL) -> Path:
    """Return the file of a SQLite URL; an in-memory database has none to back up."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        raise BackupError("The database is kept in memory only, so there is no file to back up "
                          "or restore. Set DATABASE_URL to a database file.")
    return Path(database)


def backup_sqlite(database: Path, target: Path) -> Backup:
    """Copy the live SQLite file `database` into the new file `target` and check the copy."""
    if not database.is_file():
        raise BackupError(f"There is no database file at {database}.")
    _create_private_file(target)
    try:
        source = _open_read_only(database)
        try:
            copy = sqlite3.connect(target, timeout=SQLITE_TIMEOUT)
            try:
                # One step copies every page inside a single read transaction: a consistent
                # snapshot, however many writes arrive meanwhile (WAL lets them carry on).
                source.backup(copy)
                # The copy stands alone as one file, with no -wal or -shm beside it.
                copy.execute("PRAGMA journal_mode=DELETE").fetchall()
            finally:
                copy.close()
        finally:
            source.close()
        check = check_sqlite(target)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return Backup(path=target, size=target.stat().st_size, check=check)


def check_sqlite(path: Path) -> str:
    """Return "ok" when SQLite's integrity check passes on `path`; raise BackupError if not."""
    try:
        connection = _open_read_only(path)
        try:
            rows = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        finally:
            connection.close()
    except sqlite3.Error as error:
        raise BackupError(f"{path} is not a readable SQLite database ({error}).") from error
    if rows != ["ok"]:
        problems = "; ".join(str(row) for row in rows[:5])
        raise BackupError(f"{path} failed SQLite's integrity check: {problems}")
    return "ok"


def restore_sqlite(source: Path, database: Path) -> Backup:
    """Check the backup `source`, then write it over the SQLite file `database`."""
    if database.exists() and source.resolve() == database.resolve():
        raise BackupError(f"{source} is the database itself, not a backup of it.")
    check_sqlite(source)
    if not _has_tables(source):
        # An empty file passes the integrity check, and would empty the database.
        raise BackupError(f"{source} is not a readable SQLite database "
                          "(it holds no tables at all).")
    if not database.exists():
        database.parent.mkdir(parents=True, exist_ok=True)
        _create_private_file(database)
    try:
        backup = _open_read_only(source)
        try:
            live = sqlite3.connect(database, timeout=SQLITE_TIMEOUT)
            try:
                # Written page by page through SQLite, so connections the app holds open on
                # `database` see the restored data on their next read.
                backup.backup(live)
            finally:
                live.close()
        finally:
            backup.close()
    except sqlite3.Error as error:
        raise BackupError(f"Could not write the backup over {database} ({error}). "
                          "The database is as it was.") from error
    return Backup(path=database, size=database.stat().st_size, check=check_sqlite(database))


def _has_tables(path: Path) -> bool:
    connection = _open_read_only(path)
    try:
        return connection.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] > 0
    finally:
        connection.close()


def _open_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                           timeout=SQLITE_TIMEOUT)


def _create_private_file(path: Path) -> None:
    """Create `path` empty, readable by this user only; refuse to overwrite a file."""
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        raise BackupError(f"{path} already exists. Choose a new file name.") from None
    except OSError as error:
        raise BackupError(f"Could not create {path} ({error.strerror}).") from error


# PostgreSQL ------------------------------------------------------------------------------------

def libpq_connection(url: str | URL) -> tuple[str, dict[str, str]]:
    """Return a libpq connection URI without the password, and an environment that carries
    the password (PGPASSWORD) for pg_dump and pg_restore."""
    url = make_url(url)
    environment = dict(os.environ)
    if url.password is not None:
        environment["PGPASSWORD"] = str(url.password)
    # URL.set() keeps a value passed as None, so the URL is built anew without the password.
    uri = URL.create("postgresql", username=url.username, host=url.host, port=url.port,
                     database=url.database, query=url.query)
    return uri.render_as_string(hide_password=False), environment


def backup_postgres(url: str | URL, target: Path) -> Backup:
    """Dump the PostgreSQL database at `url` into the new file `target` and check the dump."""
    uri, environment = libpq_connection(url)
    pg_dump = _tool("pg_dump")
    _create_private_file(target)
    try:
        _run([pg_dump, "--format=custom", f"--file={target}", f"--dbname={uri}"],
             environment, url)
        check = _check_dump(target, environment, url)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return Backup(path=target, size=target.stat().st_size, check=check)


def restore_postgres(source: Path, url: str | URL) -> Backup:
    """Check the dump `source`, then restore it into the PostgreSQL database at `url`."""
    uri, environment = libpq_connection(url)
    check = _check_dump(source, environment, url)
    _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
          f"--dbname={uri}", str(source.resolve())], environment, url)
    return Backup(path=source, size=source.stat().st_size, check=check)


def _check_dump(path: Path, environment: dict[str, str], url: str | URL) -> str:
    """Return how many entries the dump lists; raise BackupError if pg_restore cannot read it."""
    if not path.is_file() or path.stat().st_size == 0:
        raise BackupError(f"There is no backup at {path}.")
    listing = _run([_tool("pg_restore"), "--list", str(path.resolve())], environment, url,
                   failure=f"{path} is not a readable pg_dump backup")
    entries = [line for line in listing.splitlines() if line and not line.startswith(";")]
    return f"pg_restore can read it ({len(entries)} entries)"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed, and PostgreSQL databases are backed up "
                          f"and restored with it. Install the PostgreSQL client tools "
                          f"(on Debian: apt-get install postgresql-client) and try again.")
    return path


def _run(arguments: list[str], environment: dict[str, str], url: str | URL, *,
         failure: str | None = None) -> str:
    """Run pg_dump or pg_restore with a fixed list of arguments (never a shell); return what
    it printed, or raise BackupError with its complaint, the password taken out."""
    finished = subprocess.run(  # noqa: S603  # nosec B603 # a fixed list, no shell
        arguments, env=environment, capture_output=True, text=True, check=False)
    if finished.returncode == 0:
        return finished.stdout
    complaint = finished.stderr.strip()[-2000:] or f"exit status {finished.returncode}"
    password = make_url(url).password
    if password:
        complaint = complaint.replace(str(password), "***")
    tool = Path(arguments[0]).name
    raise BackupError(f"{failure or tool + ' failed'}: {complaint}")
