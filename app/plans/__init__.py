"""Stages 3 and 4: action groups, plans with community-defined success, activities, sessions."""

from flask import Blueprint

bp = Blueprint("plans", __name__)

#: Modules that attach routes and commands to `bp`; create_app() loads them.
ROUTE_MODULES = ("group_views", "plan_views", "activity_views")
