"""The options the outreach log's forms offer: branches, places, people, languages."""

from collections.abc import Iterable

import sqlalchemy as sa

from app.accounts.models import Branch, Role, User
from app.accounts.services import branch_choices
from app.community.models import Contact, Organization, Space
from app.community.services import focus_community_choices, languages_with, organization_choices
from app.conversations.models import Conversation
from app.extensions import db


def conversation_choices(conversation: Conversation) -> dict[str, list[tuple]]:
    """Return the options of the conversation form, keyed by field name.

    Choices that are no longer offered (a closed branch, a disabled owner) stay while a
    conversation uses them.
    """
    organizations = organization_choices(blank="Not at an organization's premises")
    branches = branch_choices(include_blank="No branch")
    if conversation.branch is not None and not conversation.branch.is_active:
        branches.append((conversation.branch.id, f"{conversation.branch.name} (closed)"))
    contacts = db.session.execute(
        sa.select(Contact.id, Contact.name, Organization.name.label("organization"))
        .outerjoin(Organization, Contact.organization_id == Organization.id)
        .order_by(Contact.name, Contact.id))
    return {
        "branch_id": branches,
        "focus_community_id": focus_community_choices(blank="None"),
        "space_id": [(0, "Not at a space")] + _id_name_pairs(Space),
        "place_organization_id": organizations,
        "organization_ids": organizations[1:],
        "contact_ids": [(row.id, f"{row.name}, {row.organization}" if row.organization
                         else row.name) for row in contacts],
        "languages": languages_with(conversation.languages or []),
        "owner_id": _owner_choices(follow_up.owner for follow_up in conversation.follow_ups),
    }


def filter_choices() -> dict[str, list[tuple]]:
    """Return the options of the filters above the list, keyed by field name."""
    staff = sa.select(User.id, User.name).where(User.role.in_([Role.STAFF, Role.ADMIN]))
    return {
        "branch_id": [(0, "Any branch")] + _id_name_pairs(Branch),
        "focus_community_id": focus_community_choices(blank="Any focus community"),
        "organization_id": organization_choices(blank="Any organization"),
        "space_id": [(0, "Any space")] + _id_name_pairs(Space),
        "logged_by_id": [(0, "Anyone")] + [
            (row.id, row.name) for row in db.session.execute(staff.order_by(User.name))],
    }


def _id_name_pairs(model: type[db.Model]) -> list[tuple[int, str]]:
    rows = db.session.execute(sa.select(model.id, model.name).order_by(model.name, model.id))
    return [(row.id, row.name) for row in rows]


def _owner_choices(current_owners: Iterable[User]) -> list[tuple[int, str]]:
    query = (sa.select(User).where(User.role.in_([Role.STAFF, Role.ADMIN]),
                                   User.disabled_at.is_(None)).order_by(User.name))
    people = list(db.session.scalars(query))
    people += [owner for owner in set(current_owners) if owner not in people]
    return [(person.id, person.name if person.is_active else f"{person.name} (disabled)")
            for person in people]
