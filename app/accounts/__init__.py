"""Accounts: login and logout, users and roles, branches, and the access rules."""

from flask import Blueprint

bp = Blueprint("accounts", __name__, cli_group=None)

#: Modules that attach routes and commands to `bp`; create_app() loads them.
ROUTE_MODULES = ("cli", "views")
