"""The community map: focus communities, organizations and groups, contact people, spaces."""

from flask import Blueprint

bp = Blueprint("community", __name__, url_prefix="/community")

from app.community import views  # noqa: E402,F401
