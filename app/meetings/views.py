"""Screens for meetings: the list, the meeting with its decisions and action items, the forms.

Staff and admins reach every meeting. A member reaches the meetings of their own action groups
only (app/plans/membership.py); any other meeting, and every meeting of no group, answers 403.
"""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.access import Access, allow
from app.accounts.services import branch_choices
from app.community.services import focus_community_choices, languages_with
from app.extensions import db
from app.meetings import bp
from app.meetings.forms import (
    ActionItemForm,
    DecisionForm,
    MeetingFilterForm,
    MeetingForm,
    StatusForm,
    meeting_values,
)
from app.meetings.models import ActionItem, Decision, Meeting, MeetingStateError
from app.meetings.services import (
    DecisionInUse,
    change_status,
    create_action_item,
    delete_unused_decision,
    get_meeting,
    group_choices,
    meetings_for,
    new_meeting,
    open_action_items,
    owner_choices,
    record_decision,
    save_meeting,
    space_choices,
    survey_choices,
    update_action_item,
    update_decision,
)
from app.plans.membership import require_group
from app.records import library_today

STATUS_MESSAGES = {"held": "Marked as held.", "cancelled": "Marked as cancelled.",
                   "planned": "The meeting is planned again."}


def get_meeting_or_404(meeting_id: int) -> Meeting:
    """Return the meeting the current person may see, or answer 404."""
    meeting = get_meeting(meeting_id)
    if meeting is None:
        abort(404)
    require_group(current_user, meeting.action_group_id)
    return meeting


def get_action_item_or_404(item_id: int) -> ActionItem:
    """Return the action item of a meeting the current person may see, or answer 404."""
    item = db.get_or_404(ActionItem, item_id)
    require_group(current_user, item.meeting.action_group_id)
    return item


@bp.route("/")
@allow(Access.MEMBER)
def index():
    form = MeetingFilterForm(request.args)
    form.focus_community_id.choices = focus_community_choices(blank="Any focus community")
    form.action_group_id.choices = group_choices(current_user, blank="Any action group")
    upcoming, past = meetings_for(current_user, form.filters(), today=library_today())
    args = {name: value for name in form.data if (value := request.args.get(name))
            and value != "0"}
    return render_template(
        "meetings/index.html", form=form, upcoming=db.session.scalars(upcoming).all(),
        past=db.paginate(past, per_page=current_app.config["PAGE_SIZE"], error_out=False),
        action_items=open_action_items(current_user), args=args, is_filtered=bool(args))


@bp.route("/new", methods=["GET", "POST"])
@allow(Access.STAFF)
def new():
    meeting = new_meeting(current_user,
                          action_group_id=request.args.get("action_group_id", type=int),
                          focus_community_id=request.args.get("focus_community_id", type=int))
    return _meeting_screen(meeting)


@bp.route("/<int:meeting_id>/edit", methods=["GET", "POST"])
@allow(Access.STAFF)
def edit(meeting_id: int):
    return _meeting_screen(get_meeting_or_404(meeting_id))


def _meeting_screen(meeting: Meeting):
    form = MeetingForm(data=meeting_values(meeting))
    if form.is_submitted() and form.wants_another_row:
        form.add_row()
    form.use_choices(_meeting_choices(meeting))
    if not form.wants_another_row and form.validate_on_submit():
        try:
            save_meeting(meeting, by=current_user, draft=form.draft(), today=library_today())
        except MeetingStateError as refusal:
            form.held_on.errors.append(str(refusal))
        else:
            db.session.commit()
            flash("Saved the meeting.", "success")
            return redirect(url_for(".meeting", meeting_id=meeting.id))
    status = 400 if form.is_submitted() and form.errors else 200
    return render_template("meetings/edit.html", form=form, meeting=meeting), status


def _meeting_choices(meeting: Meeting) -> dict[str, list[tuple]]:
    return {
        "branch_id": branch_choices(include_blank="No branch"),
        "focus_community_id": focus_community_choices(blank="None"),
        "action_group_id": group_choices(current_user, blank="None: a standalone meeting"),
        "space_id": space_choices(blank="Not at a space"),
        "languages": languages_with(meeting.languages or []),
        "main_language": [("", "Not chosen")] + languages_with(meeting.languages or []),
        "feedback_survey_id": survey_choices(blank="No feedback form"),
    }


@bp.route("/<int:meeting_id>")
@allow(Access.MEMBER)
def meeting(meeting_id: int):
    meeting = get_meeting_or_404(meeting_id)
    return _meeting_page(meeting, decision_form=DecisionForm(formdata=None),
                         item_form=_item_form(meeting, formdata=None))


def _item_form(meeting: Meeting, item: ActionItem | None = None, **kwargs) -> ActionItemForm:
    form = ActionItemForm(obj=item, **kwargs)
    choices = owner_choices(meeting, current=item.owner if item else None)
    form.owner_id.choices = [(0, "Someone else (type the name below)")] + choices
    return form


def _meeting_page(meeting: Meeting, *, decision_form: DecisionForm, item_form: ActionItemForm,
                  status: int = 200):
    return render_template("meetings/meeting.html", meeting=meeting,
                           decision_form=decision_form, item_form=item_form,
                           status_form=StatusForm(formdata=None), today=library_today()), status


@bp.route("/<int:meeting_id>/status", methods=["POST"])
@allow(Access.STAFF)
def set_status(meeting_id: int):
    meeting = get_meeting_or_404(meeting_id)
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        change_status(meeting, form.status.data, today=library_today())
    except MeetingStateError as refusal:
        flash(str(refusal), "error")
    else:
        db.session.commit()
        flash(STATUS_MESSAGES[form.status.data], "success")
    return redirect(url_for(".meeting", meeting_id=meeting.id))


@bp.route("/<int:meeting_id>/decisions", methods=["POST"])
@allow(Access.STAFF)
def add_decision(meeting_id: int):
    meeting = get_meeting_or_404(meeting_id)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            record_decision(meeting, by=current_user, draft=form.draft())
        except MeetingStateError as refusal:
            form.text.errors.append(str(refusal))
        else:
            db.session.commit()
            flash("Recorded the decision.", "success")
            return redirect(url_for(".meeting", meeting_id=meeting.id, _anchor="decisions"))
    return _meeting_page(meeting, decision_form=form,
                         item_form=_item_form(meeting, formdata=None), status=400)


@bp.route("/decisions/<int:decision_id>/edit", methods=["GET", "POST"])
@allow(Access.STAFF)
def edit_decision(decision_id: int):
    decision = db.get_or_404(Decision, decision_id)
    form = DecisionForm(obj=decision)
    if form.validate_on_submit():
        update_decision(decision, draft=form.draft())
        db.session.commit()
        flash("Saved the decision.", "success")
        return redirect(url_for(".meeting", meeting_id=decision.meeting_id, _anchor="decisions"))
    status = 400 if form.errors else 200
    return render_template("meetings/decision.html", form=form, decision=decision), status


@bp.route("/decisions/<int:decision_id>/delete", methods=["POST"])
@allow(Access.STAFF)
def delete_decision(decision_id: int):
    decision = db.get_or_404(Decision, decision_id)
    meeting_id = decision.meeting_id
    try:
        delete_unused_decision(decision)
    except DecisionInUse as refusal:
        flash(str(refusal), "error")
    else:
        db.session.commit()
        flash("Deleted the decision.", "success")
    return redirect(url_for(".meeting", meeting_id=meeting_id, _anchor="decisions"))


@bp.route("/<int:meeting_id>/action-items", methods=["POST"])
@allow(Access.MEMBER)
def add_action_item(meeting_id: int):
    meeting = get_meeting_or_404(meeting_id)
    form = _item_form(meeting)
    if form.validate_on_submit():
        create_action_item(meeting, draft=form.draft())
        db.session.commit()
        flash("Added the action item.", "success")
        return redirect(url_for(".meeting", meeting_id=meeting.id, _anchor="action-items"))
    return _meeting_page(meeting, decision_form=DecisionForm(formdata=None), item_form=form,
                         status=400)


@bp.route("/action-items/<int:item_id>/edit", methods=["GET", "POST"])
@allow(Access.STAFF)
def edit_action_item(item_id: int):
    item = get_action_item_or_404(item_id)
    form = _item_form(item.meeting, item)
    if request.method == "GET":
        form.owner_id.data = item.owner_id or 0
    if form.validate_on_submit():
        update_action_item(item, draft=form.draft())
        db.session.commit()
        flash("Saved the action item.", "success")
        return redirect(url_for(".meeting", meeting_id=item.meeting_id, _anchor="action-items"))
    status = 400 if form.errors else 200
    return render_template("meetings/action_item.html", form=form, item=item), status


@bp.route("/action-items/<int:item_id>/done", methods=["POST"])
@allow(Access.MEMBER)
def complete_action_item(item_id: int):
    item = get_action_item_or_404(item_id)
    item.mark_done()
    db.session.commit()
    flash(f"Done: {item.description}", "success")
    return _back_to(item)


@bp.route("/action-items/<int:item_id>/reopen", methods=["POST"])
@allow(Access.MEMBER)
def reopen_action_item(item_id: int):
    item = get_action_item_or_404(item_id)
    item.reopen()
    db.session.commit()
    flash(f"Open again: {item.description}", "info")
    return _back_to(item)


def _back_to(item: ActionItem):
    if request.args.get("next") == "list":
        return redirect(url_for(".index", _anchor="action-items"))
    return redirect(url_for(".meeting", meeting_id=item.meeting_id, _anchor="action-items"))

