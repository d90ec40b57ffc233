"""The Riverbend Public Library: an invented library system for demonstrations.

The records are written out in `riverbend` (the community map) and `outreach` (the
conversations); this module turns them into objects. Dates count back from today, so the demo
always looks like the last three months of work.
"""

import secrets
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from app.accounts.models import Branch, User
from app.community.models import Contact, FocusCommunity, Organization, Space
from app.conversations.models import Conversation, FollowUp, Quote
from app.demo import outreach, riverbend
from app.demo.evaluation import add_demo_evaluation
from app.demo.plans import add_demo_plans
from app.demo.surveys import add_demo_survey
from app.demo.themes import add_demo_themes
from app.extensions import db
from app.records import library_today

DEMO_LOGINS = [
    (riverbend.ADMIN, "riverbend-admin-demo", "admin"),
    (riverbend.AMIRA, "riverbend-staff-demo", "staff"),
    (riverbend.MEMBER, "riverbend-member-demo", "member"),
]

#: How a field's value in the data becomes what the model stores: a dict of records by name, or
#: a function of the value.
Lookup = dict[str, Any] | Callable[[Any], Any]


def has_data() -> bool:
    """Return whether any account exists, i.e. the database is in use."""
    return db.session.scalar(sa.select(sa.func.count(User.id))) > 0


def seed_demo() -> dict[str, Any]:
    """Add the demo library and return what the later stages made, by area. The caller
    commits."""
    today = library_today()
    branches = _add_records(Branch, riverbend.BRANCHES)
    people = _add_people(branches)
    communities = _add_records(FocusCommunity, riverbend.FOCUS_COMMUNITIES, branches=branches)
    organizations = _add_records(Organization, riverbend.ORGANIZATIONS, staff_lead=people,
                                 focus_communities=communities)
    _record_standing(organizations, today)
    contacts = _add_records(Contact, riverbend.CONTACTS, organization=organizations,
                            consented_on=lambda days: today - timedelta(days=days))
    spaces = _add_records(Space, riverbend.SPACES, organization=organizations,
                          focus_communities=communities)
    _add_records(
        Conversation, outreach.CONVERSATIONS, key=None,
        happened_on=lambda when: _weekday_before(today - timedelta(days=when[0]), when[1]),
        logged_by=people, branch=branches, focus_community=communities, space=spaces,
        place_organization=organizations, organizations=organizations, contacts=contacts,
        quotes=lambda quotes: [Quote(**quote) for quote in quotes],
        follow_ups=lambda rows: [_follow_up(row, people, today) for row in rows])
    db.session.flush()
    add_demo_survey(branches, people, communities)
    themes = add_demo_themes(people, communities, branches)
    plans = add_demo_plans(people, communities, branches, organizations, themes)
    evaluation = add_demo_evaluation(plans, people, branches, today)
    return {"themes": themes, "plans": plans, "evaluation": evaluation}


def _add_records(model: type, rows: Iterable[dict[str, Any]], *, key: str | None = "name",
                 **lookups: Lookup) -> dict[str, Any]:
    """Add one `model` per row, passing fields named in `lookups` through them first."""
    records = {}
    for index, row in enumerate(rows):
        fields = {field: _look_up(lookups[field], value) if field in lookups else value
                  for field, value in row.items()}
        record = model(**fields)
        db.session.add(record)
        records[row[key] if key else index] = record
    return records


def _look_up(lookup: Lookup, value: Any) -> Any:
    if value is None:
        return None
    if callable(lookup):
        return lookup(value)
    if isinstance(value, list):
        return [lookup[name] for name in value]
    return lookup[value]


def _add_people(branches: dict[str, Branch]) -> dict[str, User]:
    """Add the accounts; the demo logins get their printed passwords, the rest a random one."""
    people = _add_records(User, riverbend.PEOPLE, key="email", branch=branches)
    passwords = {email: password for email, password, _role in DEMO_LOGINS}
    for email, person in people.items():
        person.set_password(passwords.get(email) or secrets.token_urlsafe(18))
    return people


def _record_standing(organizations: dict[str, Organization], today: date) -> None:
    """Give each organization its starting standing, then its later changes, each dated."""
    for name, steps in riverbend.STANDING.items():
        _change_standing(organizations[name], *steps[0], today=today)
    db.session.flush()  # later changes then record the standing they changed from
    for name, steps in riverbend.STANDING.items():
        for step in steps[1:]:
            _change_standing(organizations[name], *step, today=today)


def _change_standing(organization: Organization, days_ago: int, status: str, level: str,
                     note: str, *, today: date) -> None:
    organization.change_standing(relationship_status=status, engagement_level=level,
                                 changed_by=organization.staff_lead, note=note)
    for change in organization.status_changes:
        if change.changed_at is None:
            change.changed_at = _moment(today, days_ago)


def _follow_up(row: tuple, people: dict[str, User], today: date) -> FollowUp:
    owner, due_in, done_ago, description = row
    done = done_ago is not None
    return FollowUp(owner=people[owner], description=description,
                    due_on=today + timedelta(days=due_in),
                    done_at=_moment(today, done_ago) if done else None,
                    done_by=people[owner] if done else None)


def _weekday_before(day: date, weekday: int) -> date:
    return day - timedelta(days=(day.weekday() - weekday) % 7)


def _moment(today: date, days_ago: int) -> datetime:
    # Mid-afternoon UTC is working hours anywhere in the Americas.
    return datetime.combine(today - timedelta(days=days_ago), time(16), tzinfo=UTC)
