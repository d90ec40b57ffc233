"""The seed-demo command."""

import click
from flask.cli import with_appcontext

from app.demo import bp
from app.demo.seed import DEMO_LOGINS, has_data, seed_demo
from app.extensions import db


@bp.cli.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Load the invented Riverbend demo library, unless data already exists."""
    if has_data():
        click.echo("The database already holds data; demo data was not loaded.")
    else:
        seed_demo()
        db.session.commit()
        click.echo("Loaded the Riverbend Public Library demo.")
    click.echo("Demo logins (only if the demo was loaded into this database):")
    for email, password, role in DEMO_LOGINS:
        click.echo(f"  {role:<7} {email}  password: {password}")
