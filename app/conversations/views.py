"""Screens for the outreach log."""

from datetime import timedelta

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.access import Access, allow
from app.accounts.services import safe_next_url
from app.conversations import bp
from app.conversations.choices import conversation_choices, filter_choices
from app.conversations.forms import ConversationFilterForm, ConversationForm, values_for
from app.conversations.models import Conversation, FollowUp
from app.conversations.search import ConversationFilters, Cursor, conversation_page
from app.conversations.services import (
    PersonalDetailsFound,
    get_conversation,
    new_conversation,
    open_follow_ups,
    recently_done_follow_ups,
    save_conversation,
)
from app.extensions import db
from app.records import utcnow

#: How far back "My follow-ups" lists the promises already kept.
RECENTLY_DONE = timedelta(days=30)


def get_conversation_or_404(conversation_id: int) -> Conversation:
    """Return the conversation or answer 404; every staff member may read and edit it."""
    conversation = get_conversation(conversation_id)
    if conversation is None:
        abort(404)
    return conversation


@bp.route("/")
@allow(Access.STAFF)
def index():
    form = ConversationFilterForm(request.args)
    for name, choices in filter_choices().items():
        form[name].choices = choices
    filters = ConversationFilters(**form.data) if form.validate() else ConversationFilters()
    page = conversation_page(filters, older_than=Cursor.parse(request.args.get("older")),
                             newer_than=Cursor.parse(request.args.get("newer")),
                             size=current_app.config["PAGE_SIZE"])
    args = {name: value for name in form.data if (value := request.args.get(name))
            and not (name.endswith("_id") and value == "0")}
    return render_template("conversations/index.html", form=form, page=page, args=args,
                           is_filtered=bool(args))


@bp.route("/new", methods=["GET", "POST"])
@allow(Access.STAFF)
def new():
    conversation = new_conversation(
        current_user, organization_id=request.args.get("organization_id", type=int),
        space_id=request.args.get("space_id", type=int),
        focus_community_id=request.args.get("focus_community_id", type=int))
    return _conversation_screen(conversation)


@bp.route("/<int:conversation_id>/edit", methods=["GET", "POST"])
@allow(Access.STAFF)
def edit(conversation_id: int):
    return _conversation_screen(get_conversation_or_404(conversation_id))


def _conversation_screen(conversation: Conversation):
    form = ConversationForm(data=values_for(conversation, owner_id=current_user.id))
    if form.is_submitted() and form.wants_another_row:
        form.add_row(owner_id=current_user.id)
    form.use_choices(conversation_choices(conversation))
    findings = []
    if not form.wants_another_row and form.validate_on_submit():
        try:
            save_conversation(conversation, by=current_user, draft=form.draft(),
                              keep_personal_details=form.keep_personal_details.data)
        except PersonalDetailsFound as found:
            findings = found.findings
        else:
            db.session.commit()
            flash("Saved the conversation.", "success")
            return redirect(url_for(".detail", conversation_id=conversation.id))
    return render_template("conversations/edit.html", form=form, conversation=conversation,
                           findings=findings)


@bp.route("/<int:conversation_id>")
@allow(Access.STAFF)
def detail(conversation_id: int):
    return render_template("conversations/detail.html",
                           conversation=get_conversation_or_404(conversation_id))


@bp.route("/follow-ups/<int:follow_up_id>/done", methods=["POST"])
@allow(Access.STAFF)
def complete_follow_up(follow_up_id: int):
    follow_up = db.get_or_404(FollowUp, follow_up_id)
    follow_up.mark_done(current_user)
    db.session.commit()
    flash(f"Done: {follow_up.description}", "success")
    return _back_to(follow_up)


@bp.route("/follow-ups/<int:follow_up_id>/reopen", methods=["POST"])
@allow(Access.STAFF)
def reopen_follow_up(follow_up_id: int):
    follow_up = db.get_or_404(FollowUp, follow_up_id)
    follow_up.reopen()
    db.session.commit()
    flash(f"Open again: {follow_up.description}", "info")
    return _back_to(follow_up)


def _back_to(follow_up: FollowUp):
    fallback = url_for(".detail", conversation_id=follow_up.conversation_id)
    return redirect(safe_next_url(request.args.get("next")) or fallback)


@bp.route("/follow-ups/mine")
@allow(Access.STAFF)
def my_follow_ups():
    return render_template(
        "conversations/my_follow_ups.html", follow_ups=open_follow_ups(current_user),
        done=recently_done_follow_ups(current_user, since=utcnow() - RECENTLY_DONE))
