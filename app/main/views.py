"""The home page each person lands on, and the health check for monitoring."""

import sqlalchemy as sa
from flask import render_template
from flask_login import current_user

from app.accounts.access import Access, allow
from app.conversations.services import open_follow_ups, recent_conversations
from app.extensions import db
from app.main import bp
from app.plans.groups import member_overview
from app.records import library_today


@bp.route("/")
@allow(Access.MEMBER)
def index():
    if not current_user.is_staff:
        return render_template("main/member_home.html",
                               overview=member_overview(current_user, today=library_today()))
    return render_template("main/index.html",
                           follow_ups=open_follow_ups(current_user, limit=8),
                           conversations=recent_conversations(limit=8))


@bp.route("/healthz")
@allow(Access.PUBLIC)
def healthz():
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return {"status": "unavailable", "detail": "The database does not answer."}, 503
    return {"status": "ok"}
