"""Self-entered forms: the builder, kiosk, web and paper channels, results and exports."""

from flask import Blueprint

bp = Blueprint("surveys", __name__)

#: Modules that attach routes and commands to `bp`; create_app() loads them.
ROUTE_MODULES = ("builder_views", "public_views", "share_views", "results_views",
                 "contact_views")
