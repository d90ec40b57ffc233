"""Screens for a plan's activities and sessions, and the plan document.

Members of the plan's action group add and change activities and sessions; staff do
everything. Anything outside a member's groups answers 403.
"""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.access import Access, allow
from app.community.services import languages_with
from app.documents.audience import Audience, print_request
from app.documents.pdf import pdf_filename, pdf_response, render_pdf
from app.extensions import db
from app.plans import bp
from app.plans.activities import (
    ActivityHasSessions,
    SessionInFuture,
    add_activity,
    add_session,
    delete_activity,
    delete_session,
    output_totals,
    owner_choices,
    owner_label,
    partner_choices,
    update_activity,
    update_session,
)
from app.plans.activity_forms import ActivityForm, SessionForm, activity_values, session_values
from app.plans.document import plan_document
from app.plans.membership import require_group
from app.plans.models import Activity, ActivitySession, Plan
from app.plans.worksheet import success_worksheet
from app.records import library_today


def get_plan_or_404(plan_id: int) -> Plan:
    """Return the plan: 404 if there is none, 403 if it is another group's."""
    plan = db.get_or_404(Plan, plan_id)
    require_group(current_user, plan.action_group_id)
    return plan


def get_activity_or_404(activity_id: int) -> Activity:
    """Return the activity: 404 if there is none, 403 if it is another group's."""
    activity = db.get_or_404(Activity, activity_id)
    require_group(current_user, activity.plan.action_group_id)
    return activity


def get_session_or_404(session_id: int) -> ActivitySession:
    """Return the session: 404 if there is none, 403 if it is another group's."""
    session = db.get_or_404(ActivitySession, session_id)
    require_group(current_user, session.activity.plan.action_group_id)
    return session


@bp.route("/plans/<int:plan_id>/activities/new", methods=["GET", "POST"])
@allow(Access.MEMBER)
def new_activity(plan_id: int):
    plan = get_plan_or_404(plan_id)
    form = _activity_form(plan, ActivityForm())
    if form.validate_on_submit():
        activity = add_activity(plan, form.details(), by=current_user)
        db.session.commit()
        flash(f"Added the activity “{activity.title}”.", "success")
        return redirect(url_for(".activity", activity_id=activity.id))
    return render_template("plans/edit_activity.html", form=form, plan=plan, activity=None)


@bp.route("/plans/activities/<int:activity_id>")
@allow(Access.MEMBER)
def activity(activity_id: int):
    activity = get_activity_or_404(activity_id)
    return render_template("plans/activity.html", activity=activity, plan=activity.plan,
                           owner=owner_label(activity), totals=output_totals(activity.sessions))


@bp.route("/plans/activities/<int:activity_id>/edit", methods=["GET", "POST"])
@allow(Access.MEMBER)
def edit_activity(activity_id: int):
    activity = get_activity_or_404(activity_id)
    form = _activity_form(activity.plan, ActivityForm(data=activity_values(activity)),
                          activity=activity)
    if form.validate_on_submit():
        update_activity(activity, form.details(), by=current_user)
        db.session.commit()
        flash("Saved the activity.", "success")
        return redirect(url_for(".activity", activity_id=activity.id))
    return render_template("plans/edit_activity.html", form=form, plan=activity.plan,
                           activity=activity)


@bp.route("/plans/activities/<int:activity_id>/delete", methods=["POST"],
          endpoint="delete_activity")
@allow(Access.STAFF)
def remove_activity(activity_id: int):
    activity = get_activity_or_404(activity_id)
    plan_id = activity.plan_id
    try:
        delete_activity(activity, by=current_user)
    except ActivityHasSessions as refused:
        flash(str(refused), "error")
        return redirect(url_for(".activity", activity_id=activity.id))
    db.session.commit()
    flash("Removed the activity. The plan's history keeps a note of it.", "success")
    return redirect(url_for(".plan", plan_id=plan_id))


@bp.route("/plans/activities/<int:activity_id>/sessions/new", methods=["GET", "POST"])
@allow(Access.MEMBER)
def new_session(activity_id: int):
    activity = get_activity_or_404(activity_id)
    form = SessionForm(data={"held_on": library_today(), "place": activity.place})
    if form.validate_on_submit():
        try:
            add_session(activity, form.details(), by=current_user, today=library_today())
        except SessionInFuture as refused:
            form.held_on.errors.append(str(refused))
        else:
            db.session.commit()
            flash("Recorded the session.", "success")
            return redirect(url_for(".activity", activity_id=activity.id))
    return render_template("plans/edit_session.html", form=form, activity=activity,
                           session=None)


@bp.route("/plans/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@allow(Access.MEMBER)
def edit_session(session_id: int):
    session = get_session_or_404(session_id)
    form = SessionForm(data=session_values(session))
    if form.validate_on_submit():
        try:
            update_session(session, form.details(), by=current_user, today=library_today())
        except SessionInFuture as refused:
            form.held_on.errors.append(str(refused))
        else:
            db.session.commit()
            flash("Saved the session.", "success")
            return redirect(url_for(".activity", activity_id=session.activity_id))
    return render_template("plans/edit_session.html", form=form, activity=session.activity,
                           session=session)


@bp.route("/plans/sessions/<int:session_id>/delete", methods=["POST"],
          endpoint="delete_session")
@allow(Access.MEMBER)
def remove_session(session_id: int):
    session = get_session_or_404(session_id)
    activity_id = session.activity_id
    delete_session(session, by=current_user)
    db.session.commit()
    flash("Removed the session. The plan's history keeps a note of it.", "success")
    return redirect(url_for(".activity", activity_id=activity_id))


@bp.route("/plans/<int:plan_id>/plan.pdf")
@allow(Access.MEMBER)
def plan_pdf(plan_id: int):
    """Print the plan document for the public, partners (the default) or the library itself."""
    plan = get_plan_or_404(plan_id)
    options = print_request(request.args, default=Audience.PARTNERS, viewer=current_user)
    pdf = render_pdf("pdf/plans/plan.html", audience=options.audience, title=plan.title,
                     large_print=options.large_print,
                     document=plan_document(plan, options.audience))
    return pdf_response(pdf, pdf_filename("plan", plan.title, options.audience.value))


@bp.route("/plans/<int:plan_id>/success-worksheet.pdf")
@allow(Access.MEMBER)
def success_worksheet_pdf(plan_id: int):
    """Print "How will we know this worked for us?" for the meeting that defines success."""
    plan = get_plan_or_404(plan_id)
    pdf = render_pdf("pdf/plans/success_worksheet.html", audience=Audience.PUBLIC,
                     title=f"Success worksheet: {plan.title}",
                     large_print=request.args.get("large") == "1",
                     worksheet=success_worksheet(plan))
    return pdf_response(pdf, pdf_filename("success worksheet", plan.title))


def _activity_form(plan: Plan, form: ActivityForm, *,
                   activity: Activity | None = None) -> ActivityForm:
    owner = activity.owner if activity else None
    form.owner_id.choices = [(0, "No one from the list")] + owner_choices(plan, keep=owner)
    form.organization_ids.choices = partner_choices()
    form.languages.choices = languages_with(activity.languages if activity else [])
    return form
