"""Stage 5: outcome forms, measurements, stories of change, evaluations and their documents."""

from flask import Blueprint

bp = Blueprint("evaluation", __name__)

#: Modules that attach routes to `bp`; create_app() loads them.
ROUTE_MODULES = ("views", "story_views", "outcome_views", "evaluation_views", "import_views",
                 "measure_views")
