"""`flask backup` copies the database into a backup file; `flask restore` puts one back."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from app.extensions import db
from app.privacy.backup import (
    BackupError,
    backup_database,
    default_backup_path,
    describe,
    make_backup_folder,
    restore_database,
)


@click.command("backup")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup(path: Path | None) -> None:
    """Back up the database into the new file PATH, while the app keeps running.

    PATH defaults to instance/backups/groundwork-YYYYmmdd-HHMMSS.sqlite (.dump on PostgreSQL).
    """
    url = db.engine.url
    if path is None:
        path = default_backup_path(current_app.instance_path, url)
        make_backup_folder(path)
    try:
        made = backup_database(url, path)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backed up {describe(url)} to {made.path} ({_size(made.size)}).")
    click.echo(f"Checked the backup: {made.check}.")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True,
              help="Confirm that everything in the current database is replaced.")
@with_appcontext
def restore(path: Path, yes: bool) -> None:
    """Replace the database with the backup in PATH (made by `flask backup`)."""
    url = db.engine.url
    if not yes:
        raise click.ClickException(
            f"Restoring replaces everything in {describe(url)} with the backup in {path}: "
            "anything stored since that backup was made is lost. Make a backup of the current "
            "database first (flask backup), then run this again with --yes.")
    try:
        restored = restore_database(url, path)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Checked the backup in {path}: {restored.check}.")
    click.echo(f"Replaced everything in {describe(url)} with that backup.")


def _size(size: int) -> str:
    for unit in ("bytes", "KB", "MB"):
        if size < 1024:
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"
