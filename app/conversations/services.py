"""Use cases for the outreach log. Services flush, never commit."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.conversations.models import Conversation, FollowUp
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
