"""`flask backup` and `flask restore` (being written)."""

import click


@click.command("backup")
def backup() -> None:
    """Back up the database."""
    raise click.ClickException("Not available yet.")


@click.command("restore")
def restore() -> None:
    """Restore the database from a backup."""
    raise click.ClickException("Not available yet.")
