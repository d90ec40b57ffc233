"""Screens for action groups, their members, and invitations to log in.

Members open only their own groups (`app.plans.membership`); everything that changes a group or
shows personal details is for staff. The invitation page is the one public page here: its
one-time link is the key.
"""

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user

from app.accounts.access import Access, allow
from app.accounts.sessions import start_session
from app.accounts.views import SESSION_TOKEN_KEY
from app.community.services import focus_community_choices
from app.documents.qr import qr_svg
from app.errors import render_error
from app.extensions import db, limiter
from app.plans import bp
from app.plans.group_forms import AcceptInvitationForm, GroupForm, InvitationForm, MembershipForm
from app.plans.groups import (
    GroupNameTaken,
    MembershipRefused,
    end_membership,
    group_page,
    group_summaries,
    login_choices,
    save_group,
    save_membership,
)
from app.plans.invitations import (
    INVITATION_LIFETIME,
    EmailHasAccount,
    InvitationRefused,
    accept_invitation,
    invite,
    usable_invitation,
    why_not_invitable,
)
from app.plans.membership import require_group
from app.plans.models import ActionGroup, Membership
from app.records import library_today, utcnow

#: Where a new invitation link waits for the one page view that shows it. It sits in the
#: signed session cookie of the staff member who made it, for one redirect, and is then removed.
NEW_LINK_KEY = "new_invitation_link"

INVALID_INVITATION = ("This invitation link does not work. It may have been used already, or "
                      "it expired after 14 days. Ask the library staff who invited you for a "
                      "new link.")
EMAIL_HAS_ACCOUNT = ("This email already has an account: log in, then ask staff to link it "
                     "to your group.")


def get_group_or_404(group_id: int) -> ActionGroup:
    """Return the group if the current person may see it; another group answers 403."""
    group = db.get_or_404(ActionGroup, group_id)
    require_group(current_user, group.id)
    return group


@bp.route("/groups/")
@allow(Access.MEMBER)
def groups():
    """List the action groups: all of them for staff, a member's own for members."""
    return render_template("plans/groups.html", summaries=group_summaries(current_user))


@bp.route("/groups/<int:group_id>")
@allow(Access.MEMBER)
def group(group_id: int):
    """Show a group: its purpose and ways, its people, meetings, plans and open action items."""
    page = group_page(get_group_or_404(group_id), current_user, today=library_today())
    return render_template("plans/group.html", page=page, group=page.group, now=utcnow())


@bp.route("/groups/new", methods=["GET", "POST"])
@allow(Access.STAFF)
def new_group():
    """Start an action group."""
    return _group_screen(ActionGroup())


@bp.route("/groups/<int:group_id>/edit", methods=["GET", "POST"])
@allow(Access.STAFF)
def edit_group(group_id: int):
    """Change a group's name, purpose, status and ways of working."""
    return _group_screen(db.get_or_404(ActionGroup, group_id))


def _group_screen(group: ActionGroup):
    form = GroupForm(obj=group if group.id else None)
    form.focus_community_id.choices = focus_community_choices(blank="None chosen")
    if request.method == "GET" and group.id:
        form.focus_community_id.data = group.focus_community_id or 0
    if form.validate_on_submit():
        try:
            save_group(group, form.details())
        except GroupNameTaken:
            form.name.errors.append("Another action group already has this name.")
        else:
            db.session.commit()
            flash(f"Saved {group.name}.", "success")
            return redirect(url_for(".group", group_id=group.id))
    return render_template("plans/edit_group.html", form=form, group=group)


@bp.route("/groups/<int:group_id>/members/new", methods=["GET", "POST"])
@allow(Access.STAFF)
def new_membership(group_id: int):
    """Add a community member or a staff liaison to a group."""
    group = db.get_or_404(ActionGroup, group_id)
    return _membership_screen(Membership(action_group_id=group.id), group)


@bp.route("/groups/members/<int:membership_id>/edit", methods=["GET", "POST"])
@allow(Access.STAFF)
def edit_membership(membership_id: int):
    """Change a person's name, role, contact, consent or dates on a group."""
    membership = db.get_or_404(Membership, membership_id)
    return _membership_screen(membership, membership.action_group)


def _membership_screen(membership: Membership, group: ActionGroup):
    form = MembershipForm(obj=membership if membership.id else None)
    form.user_id.choices = login_choices(keep=membership.user)
    if request.method == "GET":
        form.user_id.data = membership.user_id or 0
        form.joined_on.data = membership.joined_on or (None if membership.id else library_today())
    if form.validate_on_submit():
        try:
            save_membership(membership, form.details())
        except MembershipRefused as refused:
            form[refused.field].errors.append(refused.message)
        else:
            db.session.commit()
            flash(f"Saved {membership.display_name} on {group.name}.", "success")
            return redirect(url_for(".group", group_id=group.id, _anchor="members-heading"))
    return render_template("plans/edit_membership.html", form=form, membership=membership,
                           group=group)


@bp.route("/groups/members/<int:membership_id>/end", methods=["POST"])
@allow(Access.STAFF)
def end_membership_today(membership_id: int):
    """Record that a person left the group today; their login no longer opens it."""
    membership = db.get_or_404(Membership, membership_id)
    try:
        end_membership(membership, on=library_today())
    except MembershipRefused as refused:
        flash(refused.message, "error")
    else:
        db.session.commit()
        flash(f"{membership.display_name} has left {membership.action_group.name}.", "info")
    return redirect(url_for(".group", group_id=membership.action_group_id,
                            _anchor="members-heading"))


@bp.route("/groups/members/<int:membership_id>/invite", methods=["GET", "POST"])
@allow(Access.STAFF)
def invite_member(membership_id: int):
    """Make a one-time link for a member to create their login, and show it once."""
    membership = db.get_or_404(Membership, membership_id)
    form = InvitationForm()
    if form.validate_on_submit():
        try:
            token = invite(membership, email=form.email.data, by=current_user)
        except InvitationRefused as refused:
            form.email.errors.append(str(refused))
        except EmailHasAccount:
            form.email.errors.append("This email already has an account. Choose that login for "
                                     "this member on their edit screen instead.")
        else:
            db.session.commit()
            session[NEW_LINK_KEY] = {"membership_id": membership.id, "url": url_for(
                ".accept_invitation", token=token, _external=True)}
            return redirect(url_for(".invite_member", membership_id=membership.id))
    new_link = _take_new_link(membership)
    return render_template(
        "plans/invitation.html", form=form, membership=membership,
        group=membership.action_group, new_link=new_link,
        qr=qr_svg(new_link["url"], title="Invitation link") if new_link else None,
        refusal=why_not_invitable(membership), pending=membership.pending_invitation(utcnow()),
        lifetime_days=INVITATION_LIFETIME.days)


def _take_new_link(membership: Membership) -> dict | None:
    """Return the link just made for `membership`, once: it is gone from the session after."""
    new_link = session.pop(NEW_LINK_KEY, None)
    return new_link if new_link and new_link["membership_id"] == membership.id else None


def _accept_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/invitations/<token>", methods=["GET", "POST"], endpoint="accept_invitation")
@allow(Access.PUBLIC)
@limiter.limit(_accept_limit, methods=["POST"])
def accept_invitation_page(token: str):
    """Let an invited member choose a password; their login is made and they are logged in."""
    invitation = usable_invitation(token)
    if invitation is None:
        return render_error(404, INVALID_INVITATION)
    form, refusal = AcceptInvitationForm(name=invitation.membership.display_name), None
    if not current_user.is_authenticated and form.validate_on_submit():
        try:
            user = accept_invitation(invitation, name=form.name.data, password=form.password.data)
        except EmailHasAccount:
            refusal = EMAIL_HAS_ACCOUNT
        else:
            session.clear()  # a new session at login: nothing carries over from before
            session[SESSION_TOKEN_KEY] = start_session(user)
            db.session.commit()
            login_user(user)
            flash(f"Welcome to {invitation.membership.action_group.name}. You are logged in.",
                  "success")
            return redirect(url_for("main.index"))
    return render_template("plans/accept_invitation.html", form=form, invitation=invitation,
                           group=invitation.membership.action_group, refusal=refusal)

