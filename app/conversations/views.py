"""Screens for the outreach log."""

from flask import render_template
from flask_login import current_user

from app.accounts.access import Access, allow
from app.conversations import bp
from app.conversations.services import open_follow_ups, recent_conversations


@bp.route("/")
@allow(Access.STAFF)
def index():
    return render_template("conversations/index.html",
                           conversations=recent_conversations(limit=25))


@bp.route("/follow-ups/mine")
@allow(Access.STAFF)
def my_follow_ups():
    return render_template("conversations/my_follow_ups.html",
                           follow_ups=open_follow_ups(current_user))
