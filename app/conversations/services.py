"""Use cases for the outreach log. Services flush, never commit."""

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.community.models import Contact, FocusCommunity, Organization, Space
from app.conversations.models import (Conversation, FollowUp, conversation_contacts,
                                      conversation_organizations)
from app.extensions import db


def open_follow_ups(owner: User, *, limit: int | None = None) -> list[FollowUp]:
    """Return the promises `owner` has not yet kept: overdue first, then by due date."""
    query = (
        sa.select(FollowUp)
        .where(FollowUp.owner_id == owner.id, FollowUp.done_at.is_(None))
        .order_by(FollowUp.due_on.is_(None), FollowUp.due_on, FollowUp.id)
        .options(selectinload(FollowUp.conversation))
        .limit(limit)
    )
    return list(db.session.scalars(query))


def recent_conversations(*, limit: int) -> list[Conversation]:
    """Return the most recent conversations, newest first."""
    query = (
        sa.select(Conversation)
        .order_by(Conversation.happened_on.desc(), Conversation.id.desc())
        .options(selectinload(Conversation.organizations), selectinload(Conversation.space),
                 selectinload(Conversation.place_organization))
        .limit(limit)
    )
    return list(db.session.scalars(query))


def timeline(*, organization: Organization | None = None, space: Space | None = None,
             focus_community: FocusCommunity | None = None, contact: Contact | None = None,
             limit: int = 50) -> list[Conversation]:
    """Return the conversations linked to one record of the community map, newest first.

    An organization's timeline holds conversations that named it among who took part or took
    place at its premises.
    """
    query = sa.select(Conversation)
    if organization is not None:
        took_part = sa.select(conversation_organizations.c.conversation_id).where(
            conversation_organizations.c.organization_id == organization.id)
        query = query.where(sa.or_(Conversation.id.in_(took_part),
                                   Conversation.place_organization_id == organization.id))
    if space is not None:
        query = query.where(Conversation.space_id == space.id)
    if focus_community is not None:
        query = query.where(Conversation.focus_community_id == focus_community.id)
    if contact is not None:
        query = query.where(Conversation.id.in_(
            sa.select(conversation_contacts.c.conversation_id).where(
                conversation_contacts.c.contact_id == contact.id)))
    query = (query.order_by(Conversation.happened_on.desc(), Conversation.id.desc())
             .options(selectinload(Conversation.follow_ups).selectinload(FollowUp.owner),
                      selectinload(Conversation.quotes), selectinload(Conversation.logged_by),
                      selectinload(Conversation.organizations))
             .limit(limit))
    return list(db.session.scalars(query))


def last_contact_dates(organization_ids: list[int]) -> dict[int, date]:
    """Return, per organization, the date of the latest conversation with or at it."""
    if not organization_ids:
        return {}
    took_part = (
        sa.select(conversation_organizations.c.organization_id.label("organization_id"),
                  Conversation.happened_on)
        .join(Conversation, Conversation.id == conversation_organizations.c.conversation_id)
        .where(conversation_organizations.c.organization_id.in_(organization_ids))
    )
    hosted = (
        sa.select(Conversation.place_organization_id.label("organization_id"),
                  Conversation.happened_on)
        .where(Conversation.place_organization_id.in_(organization_ids))
    )
    both = sa.union_all(took_part, hosted).subquery()
    rows = db.session.execute(
        sa.select(both.c.organization_id, sa.func.max(both.c.happened_on))
        .group_by(both.c.organization_id))
    return {organization_id: last for organization_id, last in rows}
