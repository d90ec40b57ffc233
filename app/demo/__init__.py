"""Invented demo data for trying Groundwork out: `flask seed-demo`."""

from flask import Blueprint

bp = Blueprint("demo", __name__, cli_group=None)

from app.demo import cli  # noqa: E402,F401
