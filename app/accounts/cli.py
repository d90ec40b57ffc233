"""Command-line tasks for accounts."""

import click
from flask.cli import with_appcontext

from app.accounts import bp
from app.accounts.models import MIN_PASSWORD_LENGTH, Role
from app.accounts.services import EmailTaken, create_user
from app.extensions import db


@bp.cli.command("create-user")
@click.argument("email")
@click.option("--name", required=True, help="The person's name as colleagues know it.")
@click.option("--role", type=click.Choice([role.value for role in Role]), default="staff",
              show_default=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help=f"At least {MIN_PASSWORD_LENGTH} characters; asked for when left out.")
@with_appcontext
def create_user_command(email: str, name: str, role: str, password: str) -> None:
    """Create an account that can log in."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.BadParameter(f"use at least {MIN_PASSWORD_LENGTH} characters",
                                 param_hint="--password")
    try:
        user = create_user(email=email, name=name, role=role, password=password)
    except EmailTaken:
        raise click.ClickException(f"An account with the email {email} already exists.") from None
    db.session.commit()
    click.echo(f"Created {user.role} account for {user.name} <{user.email}>.")
