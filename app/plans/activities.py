"""Activities of a plan and their sessions: adding, changing and removing them, on the record.

Members of the plan's action group and staff both do this, so every change goes into the plan's
history (who, what, when) through `Plan.record_change`. Outputs (counts from sessions) are
totalled here and always kept apart from outcomes, which are the indicators'.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date

import sqlalchemy as sa

from app.accounts.models import Role, User
from app.community.models import Organization
from app.extensions import db
from app.plans.models import Activity, ActivitySession, Membership, Plan
from app.templating import format_date

#: Session outputs that are whole-number counts, with the words people read for them.
COUNTED_OUTPUTS = {
    "headcount": "People who came",
    "new_cards": "New library cards",
    "items_borrowed": "Items borrowed",
    "referrals": "Referrals",
}


QUOTE_MARKS = "\"“”'‘’«»"


class ActivityHasSessions(Exception):
    """An activity with sessions on record cannot be removed: its outputs would be lost."""


class SessionInFuture(ValueError):
    """A session is recorded after it happens, so its date cannot be after today."""


@dataclass
class ActivityDetails:
    """What the activity form collects, as the save service takes it."""

    title: str
    kind: str
    description: str = ""
    owner_id: int | None = None
    owner_name: str = ""
    organization_ids: list[int] = field(default_factory=list)
    place: str = ""
    schedule: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    languages: list[str] = field(default_factory=list)
    status: str = "planned"


@dataclass
class SessionDetails:
    """What the session form collects, as the save service takes it."""

    held_on: date
    place: str = ""
    facilitators: str = ""
    headcount: int | None = None
    new_cards: int | None = None
    items_borrowed: int | None = None
    referrals: int | None = None
    other_outputs: str = ""
    notes: str = ""


@dataclass(frozen=True)
class OutputTotals:
    """The outputs (counts) of a set of sessions, added up."""

    sessions: int = 0
    headcount: int = 0
    new_cards: int = 0
    items_borrowed: int = 0
    referrals: int = 0

    def lines(self) -> list[tuple[str, int]]:
        """Return (label, total) for every counted output, sessions first."""
        return [("Sessions held", self.sessions)] + [
            (label, getattr(self, name)) for name, label in COUNTED_OUTPUTS.items()]


def output_totals(sessions: Iterable[ActivitySession]) -> OutputTotals:
    """Add up the counted outputs of `sessions`; a blank count adds nothing."""
    sessions = list(sessions)
    sums = {name: sum(getattr(session, name) or 0 for session in sessions)
            for name in COUNTED_OUTPUTS}
    return OutputTotals(sessions=len(sessions), **sums)


def plan_output_totals(plan: Plan) -> OutputTotals:
    """Add up the outputs of every session of every activity of `plan`."""
    return output_totals(session for activity in plan.activities
                         for session in activity.sessions)


def owner_choices(plan: Plan, *, keep: User | None = None) -> list[tuple[int, str]]:
    """Return (user id, name) of the people who may own an activity of `plan`.

    They are the staff and the current members of the plan's action group who log in, listed
    under the name they chose for the group; `keep` stays on the list even if they left.
    """
    names = {membership.user_id: membership.display_name
             for membership in _current_memberships(plan) if membership.user_id}
    staff = db.session.scalars(sa.select(User).where(
        User.role.in_((Role.STAFF, Role.ADMIN)), User.disabled_at.is_(None)).order_by(User.name))
    choices = {user.id: user.name for user in staff}
    choices.update(names)
    if keep is not None and keep.id not in choices:
        choices[keep.id] = keep.name
    return sorted(choices.items(), key=lambda choice: choice[1].lower())


def partner_choices() -> list[tuple[int, str]]:
    """Return (id, name) of every organization; names only, never their contact people."""
    rows = db.session.execute(sa.select(Organization.id, Organization.name)
                              .order_by(Organization.name, Organization.id))
    return [(row.id, row.name) for row in rows]


def owner_label(activity: Activity) -> str:
    """Return who owns the activity, as the group knows them: a member by their chosen name."""
    if activity.owner is None:
        return activity.owner_name
    for membership in _current_memberships(activity.plan):
        if membership.user_id == activity.owner_id:
            return membership.display_name
    return activity.owner.name


def add_activity(plan: Plan, details: ActivityDetails, *, by: User) -> Activity:
    """Add an activity to `plan` and record it in the plan's history."""
    activity = Activity()
    _fill_activity(activity, details)
    plan.activities.append(activity)
    _record(plan, by, "activity", f"Added activity {_named(activity.title)}")
    db.session.flush()
    return activity


def update_activity(activity: Activity, details: ActivityDetails, *, by: User) -> None:
    """Store `details` on `activity`; the history names the parts that changed."""
    before = _snapshot(activity)
    _fill_activity(activity, details)
    after = _snapshot(activity)
    changed = [label for name, label in ACTIVITY_FIELDS.items() if before[name] != after[name]]
    if changed:
        _record(activity.plan, by, "activity",
                f"Changed activity {_named(activity.title)}: {', '.join(changed)}")
    db.session.flush()


def delete_activity(activity: Activity, *, by: User) -> None:
    """Remove an activity without sessions; raise ActivityHasSessions otherwise."""
    if activity.sessions:
        count = len(activity.sessions)
        raise ActivityHasSessions(
            f"{_named(activity.title)} has {count} {'session' if count == 1 else 'sessions'} on "
            "record, so it stays: its outputs count. Remove the sessions first if they were "
            "entered by mistake, or mark the activity as dropped.")
    plan = activity.plan
    _record(plan, by, "activity", f"Removed activity {_named(activity.title)}")
    plan.activities.remove(activity)
    db.session.flush()


def add_session(activity: Activity, details: SessionDetails, *, by: User,
                today: date) -> ActivitySession:
    """Record a session of `activity` that has happened, and note it in the plan's history."""
    session = ActivitySession(recorded_by=by)
    _fill_session(session, details, today=today)
    activity.sessions.append(session)
    _record(activity.plan, by, "session", f"Added session of {_named(activity.title)} on "
                                               f"{format_date(session.held_on)}{_people(session)}")
    db.session.flush()
    return session


def update_session(session: ActivitySession, details: SessionDetails, *, by: User,
                   today: date) -> None:
    """Store `details` on `session` and note the change in the plan's history."""
    _fill_session(session, details, today=today)
    activity = session.activity
    _record(activity.plan, by, "session", f"Changed session of {_named(activity.title)} on "
                                               f"{format_date(session.held_on)}{_people(session)}")
    db.session.flush()


def delete_session(session: ActivitySession, *, by: User) -> None:
    """Remove a session entered by mistake; the plan's history keeps that it was removed."""
    activity = session.activity
    _record(activity.plan, by, "session", f"Removed session of {_named(activity.title)} "
                                               f"on {format_date(session.held_on)}")
    activity.sessions.remove(session)
    db.session.flush()


#: Fields named in the history when an activity changes.
ACTIVITY_FIELDS = {
    "title": "title", "kind": "kind", "description": "description", "owner": "owner",
    "organizations": "partner organizations", "place": "place", "schedule": "schedule",
    "dates": "dates", "languages": "languages", "status": "status",
}


def _fill_activity(activity: Activity, details: ActivityDetails) -> None:
    for name in ("title", "kind", "description", "owner_id", "owner_name", "place", "schedule",
                 "starts_on", "ends_on", "languages", "status"):
        setattr(activity, name, getattr(details, name))
    activity.organizations = _organizations(details.organization_ids)


def _fill_session(session: ActivitySession, details: SessionDetails, *, today: date) -> None:
    if details.held_on > today:
        raise SessionInFuture("A session is recorded after it happens. Choose today or an "
                              "earlier date.")
    for item in fields(details):
        setattr(session, item.name, getattr(details, item.name))


def _snapshot(activity: Activity) -> dict[str, object]:
    return {
        "title": activity.title, "kind": activity.kind, "description": activity.description,
        "owner": (activity.owner_id, activity.owner_name),
        "organizations": sorted(organization.id for organization in activity.organizations),
        "place": activity.place, "schedule": activity.schedule,
        "dates": (activity.starts_on, activity.ends_on),
        "languages": sorted(activity.languages or []), "status": activity.status,
    }


def _organizations(ids: list[int]) -> list[Organization]:
    if not ids:
        return []
    return list(db.session.scalars(
        sa.select(Organization).where(Organization.id.in_(ids)).order_by(Organization.name)))


def _current_memberships(plan: Plan) -> list[Membership]:
    return plan.action_group.current_memberships if plan.action_group else []


def _record(plan: Plan, by: User, part: str, summary: str) -> None:
    plan.record_change(by, part, summary)


def _named(title: str) -> str:
    """Return a title in quotation marks, unless it starts or ends with its own."""
    return title if title[:1] in QUOTE_MARKS or title[-1:] in QUOTE_MARKS else f"“{title}”"


def _people(session: ActivitySession) -> str:
    if session.headcount is None:
        return ""
    return f" ({session.headcount} {'person' if session.headcount == 1 else 'people'})"
