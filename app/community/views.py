"""Screens for the community map."""

from flask import render_template

from app.accounts.access import Access, allow
from app.community import bp


@bp.route("/")
@allow(Access.STAFF)
def index():
    return render_template("community/index.html")
