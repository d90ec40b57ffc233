"""Meetings with the community: agendas, notes, decisions, action items and their printables."""

from flask import Blueprint

bp = Blueprint("meetings", __name__, url_prefix="/meetings")

#: Modules that attach routes and commands to `bp`; create_app() loads them.
ROUTE_MODULES = ("views", "print_views")
