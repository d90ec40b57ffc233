"""Stage 2: the codebook of themes, coding what was heard, "What we heard", and priorities."""

from flask import Blueprint

bp = Blueprint("themes", __name__, url_prefix="/themes")

#: Modules that attach routes and commands to `bp`; create_app() loads them.
ROUTE_MODULES = ("codebook_views", "heard_views", "priority_views")
