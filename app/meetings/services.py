"""Use cases for meetings: saving a meeting with its agenda, decisions, action items and lists.

Services flush, never commit. Members reach meetings only through their action groups
(app/plans/membership.py); every list here is scoped to what the viewer may see.
"""

from dataclasses import dataclass, field
from datetime import date, time

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.accounts.models import Role, User
from app.community.models import Space
from app.extensions import db
from app.meetings.models import (
    ActionItem,
    AgendaItem,
    Decision,
    Meeting,
    MeetingStateError,
    MeetingStatus,
)
from app.plans.membership import visible_to
from app.plans.models import ActionGroup, Membership
from app.records import utcnow
from app.surveys.models import Survey


class DecisionInUse(Exception):
    """Something (a priority, a plan, an indicator) points at the decision, so it must stay."""


@dataclass
class AgendaItemDraft:
    """An agenda row as typed; `id` names an existing item."""

    title: str
    led_by: str = ""
    minutes: int | None = None
    id: int | None = None
    remove: bool = False


@dataclass
class MeetingDraft:
    """Everything the meeting form collects; ids of None mean "none"."""

    title: str
    kind: str
    held_on: date
    starts_at: time | None = None
    ends_at: time | None = None
    branch_id: int | None = None
    focus_community_id: int | None = None
    action_group_id: int | None = None
    space_id: int | None = None
    place_text: str = ""
    languages: list[str] = field(default_factory=list)
    facilitator: str = ""
    headcount: int | None = None
    supports: list[str] = field(default_factory=list)
    supports_note: str = ""
    notes: str = ""
    next_meeting: str = ""
    feedback_survey_id: int | None = None
    agenda_items: list[AgendaItemDraft] = field(default_factory=list)


MEETING_FIELDS = ("title", "kind", "held_on", "starts_at", "ends_at", "branch_id",
                  "focus_community_id", "action_group_id", "space_id", "place_text", "languages",
                  "facilitator", "headcount", "supports", "supports_note", "notes",
                  "next_meeting", "feedback_survey_id")


@dataclass
class DecisionDraft:
    """A decision as typed on the decision form."""

    text: str
    method: str
    decided_by: str
    votes_for: int | None = None
    votes_against: int | None = None
    abstentions: int | None = None
    result_note: str = ""

    def figures(self) -> dict:
        return {"votes_for": self.votes_for, "votes_against": self.votes_against,
                "abstentions": self.abstentions, "result_note": self.result_note}


@dataclass
class ActionItemDraft:
    """An action item as typed: an owner who logs in, or else a name in words."""

    description: str
    owner_id: int | None = None
    owner_name: str = ""
    due_on: date | None = None


@dataclass
class MeetingFilters:
    """The filters above the list of meetings; None or "" means any."""

    kind: str = ""
    status: str = ""
    focus_community_id: int | None = None
    action_group_id: int | None = None


def new_meeting(by: User, *, action_group_id: int | None = None,
                focus_community_id: int | None = None) -> Meeting:
    """Return an unsaved meeting at `by`'s branch, for the group or focus community given."""
    group = db.session.get(ActionGroup, action_group_id) if action_group_id else None
    if group is not None and focus_community_id is None:
        focus_community_id = group.focus_community_id
    return Meeting(branch_id=by.branch_id, action_group_id=group.id if group else None,
                   focus_community_id=focus_community_id, kind="action_group" if group else None,
                   languages=[], supports=[], status=MeetingStatus.PLANNED.value)


def save_meeting(meeting: Meeting, *, by: User, draft: MeetingDraft, today: date) -> Meeting:
    """Create or update a meeting with its agenda items.

    Raises MeetingStateError when a held meeting would move to a future date.
    """
    if meeting.is_held and draft.held_on > today:
        raise MeetingStateError(
            "This meeting was held, so its date cannot be in the future. Check the date.")
    for name in MEETING_FIELDS:
        setattr(meeting, name, getattr(draft, name))
    _apply_agenda(meeting, draft.agenda_items)
    if meeting.id is None:
        meeting.created_by = by
        db.session.add(meeting)
    else:
        meeting.updated_at = utcnow()
    db.session.flush()
    return meeting


def _apply_agenda(meeting: Meeting, drafts: list[AgendaItemDraft]) -> None:
    existing = {item.id: item for item in meeting.agenda_items}
    position = 0
    for draft in drafts:
        item = existing.get(draft.id)
        if draft.remove or not draft.title.strip():
            if item is not None:
                meeting.agenda_items.remove(item)
            continue
        if item is None:
            item = AgendaItem()
            meeting.agenda_items.append(item)
        position += 1
        item.position, item.title = position, draft.title.strip()
        item.led_by, item.minutes = draft.led_by.strip(), draft.minutes


def change_status(meeting: Meeting, status: str, *, today: date) -> None:
    """Move the meeting to `status`; raises MeetingStateError saying why it cannot."""
    if status == MeetingStatus.HELD:
        meeting.mark_held(today)
    elif status == MeetingStatus.CANCELLED:
        meeting.cancel()
    elif status == MeetingStatus.PLANNED:
        meeting.restore()
    else:
        raise MeetingStateError("Choose held, cancelled or planned.")
    db.session.flush()


def get_meeting(meeting_id: int) -> Meeting | None:
    """Return a meeting with everything its page shows, or None."""
    query = sa.select(Meeting).where(Meeting.id == meeting_id).options(
        selectinload(Meeting.agenda_items), selectinload(Meeting.decisions),
        selectinload(Meeting.action_items).selectinload(ActionItem.owner),
        selectinload(Meeting.action_group), selectinload(Meeting.space))
    return db.session.scalar(query)


def meetings_for(viewer: User, filters: MeetingFilters, *, today: date) -> tuple[sa.Select,
                                                                                  sa.Select]:
    """Return the queries of upcoming (soonest first) and past (latest first) meetings."""
    query = sa.select(Meeting).where(visible_to(viewer, Meeting.action_group_id)).options(
        selectinload(Meeting.action_group), selectinload(Meeting.space))
    if filters.kind:
        query = query.where(Meeting.kind == filters.kind)
    if filters.status:
        query = query.where(Meeting.status == filters.status)
    if filters.focus_community_id:
        query = query.where(Meeting.focus_community_id == filters.focus_community_id)
    if filters.action_group_id:
        query = query.where(Meeting.action_group_id == filters.action_group_id)
    upcoming = query.where(Meeting.held_on >= today).order_by(Meeting.held_on, Meeting.id)
    past = query.where(Meeting.held_on < today).order_by(Meeting.held_on.desc(),
                                                         Meeting.id.desc())
    return upcoming, past


def open_action_items(viewer: User, *, limit: int = 50) -> list[ActionItem]:
    """Return open action items the viewer may see: their own first, then by due date."""
    query = (
        sa.select(ActionItem).join(ActionItem.meeting)
        .where(ActionItem.done_at.is_(None), Meeting.status != MeetingStatus.CANCELLED,
               visible_to(viewer, Meeting.action_group_id))
        .order_by(sa.case((ActionItem.owner_id == viewer.id, 0), else_=1),
                  ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
        .options(selectinload(ActionItem.owner), selectinload(ActionItem.meeting))
        .limit(limit))
    return list(db.session.scalars(query))


def record_decision(meeting: Meeting, *, by: User, draft: DecisionDraft) -> Decision:
    """Record a decision at a held meeting; raises MeetingStateError otherwise."""
    decision = meeting.record_decision(text=draft.text, method=draft.method,
                                       decided_by=draft.decided_by, recorded_by=by,
                                       **draft.figures())
    db.session.flush()
    return decision


def update_decision(decision: Decision, *, draft: DecisionDraft) -> Decision:
    """Correct what was recorded about a decision."""
    decision.text, decision.method, decision.decided_by = (
        draft.text, draft.method, draft.decided_by)
    for name, value in draft.figures().items():
        setattr(decision, name, value)
    db.session.flush()
    return decision


def decision_reference_count(decision: Decision) -> int:
    """Return how many records anywhere point at the decision.

    The referring tables are read from the schema, so a new area that points at decisions is
    counted without this module knowing it.
    """
    target = Decision.__table__.c.id
    total = 0
    for table in db.metadata.sorted_tables:
        for foreign_key in table.foreign_keys:
            if foreign_key.column is target and table is not Decision.__table__:
                total += db.session.scalar(sa.select(sa.func.count()).select_from(table).where(
                    foreign_key.parent == decision.id)) or 0
    return total


def delete_unused_decision(decision: Decision) -> None:
    """Delete a decision recorded by mistake; raises DecisionInUse when anything points at it."""
    if decision_reference_count(decision):
        raise DecisionInUse(
            "This decision cannot be deleted: a priority, a plan or a success indicator "
            "points at it. Correct it instead, or unlink it there first.")
    meeting = decision.meeting
    db.session.delete(decision)
    db.session.flush()
    db.session.expire(meeting, ["decisions"])


def create_action_item(meeting: Meeting, *, draft: ActionItemDraft) -> ActionItem:
    """Add an action item agreed at the meeting."""
    item = ActionItem()
    _apply_action_item(item, draft)
    meeting.action_items.append(item)
    db.session.flush()
    return item


def update_action_item(item: ActionItem, *, draft: ActionItemDraft) -> ActionItem:
    """Change what an action item says, who owns it or when it is due."""
    _apply_action_item(item, draft)
    db.session.flush()
    return item


def _apply_action_item(item: ActionItem, draft: ActionItemDraft) -> None:
    item.description, item.due_on = draft.description.strip(), draft.due_on
    item.owner_id = draft.owner_id or None
    item.owner_name = "" if item.owner_id else draft.owner_name.strip()


def owner_choices(meeting: Meeting, *, current: User | None = None) -> list[tuple[int, str]]:
    """Return the people who may own an action item: staff, and the meeting's group members.

    Members of other groups are never offered, so no one learns who else takes part.
    """
    staff = sa.select(User.id).where(User.role.in_([Role.STAFF, Role.ADMIN]),
                                     User.disabled_at.is_(None))
    ids = set(db.session.scalars(staff))
    if meeting.action_group_id:
        ids |= set(db.session.scalars(sa.select(Membership.user_id).where(
            Membership.action_group_id == meeting.action_group_id,
            Membership.left_on.is_(None), Membership.user_id.is_not(None))))
    if current is not None:
        ids.add(current.id)
    people = db.session.scalars(sa.select(User).where(User.id.in_(ids)).order_by(User.name))
    return [(person.id, person.name) for person in people]


def group_choices(viewer: User, *, blank: str) -> list[tuple[int, str]]:
    """Return (id, name) of the action groups the viewer may see."""
    rows = db.session.execute(sa.select(ActionGroup.id, ActionGroup.name)
                              .where(visible_to(viewer, ActionGroup.id))
                              .order_by(ActionGroup.name))
    return [(0, blank)] + [(row.id, row.name) for row in rows]


def survey_choices(*, blank: str) -> list[tuple[int, str]]:
    """Return (id, title and status) of every form, for the feedback form select."""
    surveys = sorted(db.session.scalars(sa.select(Survey)), key=lambda survey: survey.title)
    return [(0, blank)] + [(survey.id, f"{survey.title} ({survey.status_label.lower()})")
                           for survey in surveys]


def space_choices(*, blank: str) -> list[tuple[int, str]]:
    """Return (id, name) of every community space."""
    rows = db.session.execute(sa.select(Space.id, Space.name).order_by(Space.name, Space.id))
    return [(0, blank)] + [(row.id, row.name) for row in rows]
