"""Use cases for action groups and their members. Services flush, never commit.

What a member may see of a group is decided here as well: the names of people who agreed to be
listed and of the staff liaisons, never anyone's preferred contact, and only for their own groups
(`app.plans.membership`).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.accounts.models import Role, User
from app.extensions import db
from app.meetings.models import ActionItem, Meeting, MeetingStatus
from app.plans.membership import visible_to
from app.plans.models import (
    ActionGroup,
    ActionGroupStatus,
    MemberRole,
    Membership,
    MembershipError,
    Plan,
    PlanStatus,
)

GROUP_FIELDS = ("name", "purpose", "status", "meeting_cadence", "decision_rules", "supports",
                "supports_note")
MEMBERSHIP_FIELDS = ("role", "preferred_contact", "consent_to_be_listed", "joined_on")
#: How many past meetings a group's page lists; older ones are on the meetings page.
RECENT_MEETINGS = 10


class GroupNameTaken(Exception):
    """Another action group already has this name."""


class MembershipRefused(Exception):
    """The membership cannot be saved as typed; `field` names the form field to mark."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class GroupSummary:
    """One row of the list of groups."""

    group: ActionGroup
    member_count: int
    open_plan_count: int


@dataclass(frozen=True)
class MemberListing:
    """A group's people as one viewer may see them."""

    #: Current members shown by name: to staff everyone, to members only the consenting.
    shown: list[Membership]
    #: Current members the viewer may not see by name.
    unlisted_count: int
    #: People who left the group: staff only.
    past: list[Membership]


@dataclass(frozen=True)
class GroupPage:
    """Everything the page of one action group shows."""

    group: ActionGroup
    members: MemberListing
    upcoming_meetings: list[Meeting]
    past_meetings: list[Meeting]
    plans: list[Plan]
    action_items: list[ActionItem]


@dataclass(frozen=True)
class MemberOverview:
    """What a community member sees when they log in: their groups and what is next."""

    groups: list[ActionGroup]
    plans: list[Plan]
    upcoming_meetings: list[Meeting]
    action_items: list[ActionItem]


def group_summaries(viewer: User) -> list[GroupSummary]:
    """Return the groups `viewer` may see, open ones first, with member and open plan counts."""
    groups = db.session.scalars(
        sa.select(ActionGroup).where(visible_to(viewer, ActionGroup.id))
        .options(selectinload(ActionGroup.focus_community))
        .order_by(ActionGroup.status == ActionGroupStatus.CLOSED, ActionGroup.name)).all()
    members = dict(db.session.execute(
        sa.select(Membership.action_group_id, sa.func.count())
        .where(Membership.left_on.is_(None), Membership.role != MemberRole.STAFF_LIAISON)
        .group_by(Membership.action_group_id)).all())
    plans = dict(db.session.execute(
        sa.select(Plan.action_group_id, sa.func.count())
        .where(Plan.status != PlanStatus.CLOSED, Plan.action_group_id.is_not(None))
        .group_by(Plan.action_group_id)).all())
    return [GroupSummary(group, members.get(group.id, 0), plans.get(group.id, 0))
            for group in groups]


def save_group(group: ActionGroup, details: Mapping[str, Any]) -> ActionGroup:
    """Create or update an action group; its name must be unique, whatever the case."""
    clash = sa.select(ActionGroup.id).where(
        sa.func.lower(ActionGroup.name) == details["name"].lower())
    if group.id:
        clash = clash.where(ActionGroup.id != group.id)
    if db.session.scalar(clash):
        raise GroupNameTaken(details["name"])
    for name in GROUP_FIELDS:
        setattr(group, name, details[name])
    group.focus_community_id = details["focus_community_id"] or None
    db.session.add(group)
    db.session.flush()
    return group


def members_for(group: ActionGroup, viewer: User) -> MemberListing:
    """Return the group's people as `viewer` may see them."""
    current = sorted(group.current_memberships, key=_member_order)
    if viewer.is_staff:
        past = sorted((m for m in group.memberships if not m.is_current),
                      key=lambda membership: membership.left_on, reverse=True)
        return MemberListing(shown=current, unlisted_count=0, past=past)
    shown = [membership for membership in current
             if membership.consent_to_be_listed or membership.is_staff_liaison]
    return MemberListing(shown=shown, unlisted_count=len(current) - len(shown), past=[])


def _member_order(membership: Membership) -> tuple[int, str]:
    roles = list(MemberRole)
    return roles.index(MemberRole(membership.role)), membership.display_name.lower()


def group_page(group: ActionGroup, viewer: User, *, today: date) -> GroupPage:
    """Return the group's people, meetings, plans and open action items for its page."""
    upcoming = [meeting for meeting in group.meetings
                if meeting.held_on >= today and meeting.status == MeetingStatus.PLANNED]
    past = [meeting for meeting in group.meetings if meeting not in upcoming]
    return GroupPage(group=group, members=members_for(group, viewer),
                     upcoming_meetings=list(reversed(upcoming)),
                     past_meetings=past[:RECENT_MEETINGS], plans=list(group.plans),
                     action_items=open_action_items(Meeting.action_group_id == group.id))


def open_action_items(where: sa.ColumnElement[bool], *,
                      owner_first: User | None = None) -> list[ActionItem]:
    """Return open action items of the meetings `where` keeps, soonest due first.

    With `owner_first`, that person's own items come before everyone else's.
    """
    order = [ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id]
    if owner_first is not None:
        order.insert(0, sa.case((ActionItem.owner_id == owner_first.id, 0), else_=1))
    query = (sa.select(ActionItem).join(ActionItem.meeting)
             .where(where, ActionItem.done_at.is_(None))
             .options(selectinload(ActionItem.owner), selectinload(ActionItem.meeting))
             .order_by(*order))
    return list(db.session.scalars(query))


def member_overview(user: User, *, today: date) -> MemberOverview:
    """Return the groups of a member, their plans, upcoming meetings and open action items."""
    groups = db.session.scalars(
        sa.select(ActionGroup).where(visible_to(user, ActionGroup.id))
        .order_by(ActionGroup.name)).all()
    plans = db.session.scalars(
        sa.select(Plan).where(visible_to(user, Plan.action_group_id))
        .options(selectinload(Plan.action_group))
        .order_by(Plan.status == PlanStatus.CLOSED, Plan.title)).all()
    meetings = db.session.scalars(
        sa.select(Meeting).where(visible_to(user, Meeting.action_group_id),
                                 Meeting.held_on >= today,
                                 Meeting.status == MeetingStatus.PLANNED)
        .options(selectinload(Meeting.action_group))
        .order_by(Meeting.held_on, Meeting.starts_at, Meeting.id)).all()
    items = open_action_items(visible_to(user, Meeting.action_group_id), owner_first=user)
    return MemberOverview(groups=list(groups), plans=list(plans),
                          upcoming_meetings=list(meetings), action_items=items)


def login_choices(*, keep: User | None = None) -> list[tuple[int, str]]:
    """Return (id, label) pairs of active logins a membership may be linked to."""
    people = list(db.session.scalars(
        sa.select(User).where(User.disabled_at.is_(None)).order_by(User.name)))
    if keep is not None and keep not in people:
        people.append(keep)
    return [(0, "No login")] + [(person.id, f"{person.name} ({person.role_label.lower()})")
                                for person in people]


def save_membership(membership: Membership, details: Mapping[str, Any]) -> Membership:
    """Create or update a person's place on a group, checking who may hold which role.

    A staff liaison is a member of staff with their login; community members may have a member
    login or none. Raises MembershipRefused naming the field to correct.
    """
    user = db.session.get(User, details["user_id"]) if details["user_id"] else None
    _check_login(membership, details["role"], user)
    display_name = details["display_name"] or (user.name if user else "")
    if not display_name:
        raise MembershipRefused("display_name", "Write the name or pseudonym they go by.")
    for name in MEMBERSHIP_FIELDS:
        setattr(membership, name, details[name])
    membership.display_name, membership.user = display_name, user
    try:
        if details["left_on"]:
            membership.end(details["left_on"])
        else:
            membership.left_on = None
    except MembershipError as refusal:
        raise MembershipRefused("left_on", str(refusal)) from refusal
    db.session.add(membership)
    db.session.flush()
    return membership


def _check_login(membership: Membership, role: str, user: User | None) -> None:
    if role == MemberRole.STAFF_LIAISON:
        if user is None or not user.is_staff:
            raise MembershipRefused("user_id", "A staff liaison is a member of staff: choose "
                                               "their login.")
    elif user is not None and user.role != Role.MEMBER:
        raise MembershipRefused(
            "user_id", "Staff take part in a group as staff liaisons. Choose the role "
                       "\u201cStaff liaison\u201d, or no login.")
    if user is None:
        return
    clash = sa.select(Membership.id).where(Membership.action_group_id == membership.action_group_id,
                                           Membership.user_id == user.id)
    if membership.id:
        clash = clash.where(Membership.id != membership.id)
    if db.session.scalar(clash):
        raise MembershipRefused("user_id", f"{user.name} already has a place on this group.")


def end_membership(membership: Membership, *, on: date) -> None:
    """Record that the person left the group; they keep no access to it from then on."""
    try:
        membership.end(on)
    except MembershipError as refusal:
        raise MembershipRefused("left_on", str(refusal)) from refusal
    db.session.flush()
