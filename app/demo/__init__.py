"""Invented demo data for trying Groundwork out: `flask seed-demo`."""

from flask import Blueprint

bp = Blueprint("demo", __name__, cli_group=None)

#: Modules that attach routes and commands to `bp`; create_app() loads them.
ROUTE_MODULES = ("cli",)
