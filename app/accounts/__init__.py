"""Accounts: login and logout, users and roles, branches, and the access rules."""

from flask import Blueprint

bp = Blueprint("accounts", __name__, cli_group=None)

from app.accounts import cli, views  # noqa: E402,F401
