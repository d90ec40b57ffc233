"""The outreach log: conversations, quotes and the follow-ups staff promised."""

from flask import Blueprint

bp = Blueprint("conversations", __name__, url_prefix="/conversations")

#: Modules that attach routes and commands to `bp`; create_app() loads them.
ROUTE_MODULES = ("views",)
