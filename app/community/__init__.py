"""The community map: focus communities, organizations and groups, contact people, spaces."""

from flask import Blueprint

bp = Blueprint("community", __name__, url_prefix="/community")

#: Modules that attach routes and commands to `bp`; create_app() loads them.
ROUTE_MODULES = ("print_views", "views")
