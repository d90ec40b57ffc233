"""The home page and the health check."""

from flask import Blueprint

bp = Blueprint("main", __name__)

#: Modules that attach routes and commands to `bp`; create_app() loads them.
ROUTE_MODULES = ("views",)
