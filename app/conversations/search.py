"""Find conversations in the outreach log, a page at a time.

Pages are cut by keyset on (happened_on, id), newest first, so the hundredth page costs what the
first does: the index ix_conversations_happened serves both the order and the cut. The count
stops at COUNT_LIMIT ("more than 250"): counting a million rows on every view would cost more
than the page itself.
"""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.conversations.models import Conversation, Quote, conversation_organizations
from app.extensions import db

#: The list counts its conversations up to this many, then says "more than".
COUNT_LIMIT = 250


@dataclass(frozen=True)
class ConversationFilters:
    """What the list is narrowed to; None or "" means "any"."""

    date_from: date | None = None
    date_to: date | None = None
    branch_id: int | None = None
    focus_community_id: int | None = None
    organization_id: int | None = None
    space_id: int | None = None
    kind: str | None = None
    purpose: str | None = None
    logged_by_id: int | None = None
    text: str | None = None


@dataclass(frozen=True)
class Cursor:
    """The position of one conversation in the list order."""

    happened_on: date
    id: int

    def __str__(self) -> str:
        return f"{self.happened_on.isoformat()}_{self.id}"

    @classmethod
    def parse(cls, value: str | None) -> "Cursor | None":
        """Return the cursor written in `value`, or None when it is missing or malformed."""
        day, _, number = (value or "").partition("_")
        try:
            return cls(date.fromisoformat(day), int(number))
        except ValueError:
            return None


@dataclass
class ConversationPage:
    """One page of the list, with cursors to the pages either side and the count: exact up to
    COUNT_LIMIT, else COUNT_LIMIT with `is_more` set."""

    conversations: list[Conversation]
    total: int
    newer: Cursor | None
    older: Cursor | None
    is_more: bool = False


def matching_conversations(filters: ConversationFilters) -> sa.Select:
    """Return a query for the conversations that pass every filter."""
    query = sa.select(Conversation)
    equal = {Conversation.branch_id: filters.branch_id,
             Conversation.focus_community_id: filters.focus_community_id,
             Conversation.space_id: filters.space_id, Conversation.kind: filters.kind,
             Conversation.purpose: filters.purpose, Conversation.logged_by_id: filters.logged_by_id}
    for column, value in equal.items():
        if value:
            query = query.where(column == value)
    if filters.date_from:
        query = query.where(Conversation.happened_on >= filters.date_from)
    if filters.date_to:
        query = query.where(Conversation.happened_on <= filters.date_to)
    if filters.organization_id:
        query = query.where(_with_organization(filters.organization_id))
    if filters.text and filters.text.strip():
        query = query.where(_containing(filters.text.strip()))
    return query


def conversation_page(filters: ConversationFilters, *, older_than: Cursor | None = None,
                      newer_than: Cursor | None = None, size: int = 25) -> ConversationPage:
    """Return the page after `older_than`, before `newer_than`, or else the newest page."""
    query = matching_conversations(filters)
    total = count_up_to(query, COUNT_LIMIT)
    page = _page(query, total, older_than, newer_than, size)
    page.total, page.is_more = min(total, COUNT_LIMIT), total > COUNT_LIMIT
    return page


def count_up_to(query: sa.Select, limit: int) -> int:
    """Return how many rows `query` finds, counting no further than limit + 1."""
    found = query.with_only_columns(sa.literal(1), maintain_column_froms=True)
    found = found.limit(limit + 1).subquery()
    return db.session.scalar(sa.select(sa.func.count()).select_from(found))


def _page(query: sa.Select, total: int, older_than: Cursor | None, newer_than: Cursor | None,
          size: int) -> ConversationPage:
    key = sa.tuple_(Conversation.happened_on, Conversation.id)
    if newer_than is not None:
        rows = _fetch(query.where(key > (newer_than.happened_on, newer_than.id)), size,
                      newest=False)
        if len(rows) > size:
            page = rows[:size][::-1]
            return ConversationPage(page, total, newer=_cursor(page[0]), older=_cursor(page[-1]))
        older_than = None  # less than a page above: show the newest page, full
    if older_than is not None:
        query = query.where(key < (older_than.happened_on, older_than.id))
    rows = _fetch(query, size, newest=True)
    page = rows[:size]
    return ConversationPage(page, total,
                            newer=_cursor(page[0]) if older_than is not None and page else None,
                            older=_cursor(page[-1]) if len(rows) > size else None)


def _fetch(query: sa.Select, size: int, *, newest: bool) -> list[Conversation]:
    order = ((Conversation.happened_on.desc(), Conversation.id.desc()) if newest
             else (Conversation.happened_on, Conversation.id))
    query = query.order_by(*order).limit(size + 1).options(
        selectinload(Conversation.organizations), selectinload(Conversation.space),
        selectinload(Conversation.place_organization), selectinload(Conversation.logged_by),
        selectinload(Conversation.quotes), selectinload(Conversation.follow_ups))
    return list(db.session.scalars(query))


def _cursor(conversation: Conversation) -> Cursor:
    return Cursor(conversation.happened_on, conversation.id)


def _with_organization(organization_id: int) -> sa.ColumnElement[bool]:
    took_part = sa.select(conversation_organizations.c.conversation_id).where(
        conversation_organizations.c.organization_id == organization_id)
    return sa.or_(Conversation.id.in_(took_part),
                  Conversation.place_organization_id == organization_id)


def _containing(text: str) -> sa.ColumnElement[bool]:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    quoted = sa.select(Quote.conversation_id).where(Quote.text.ilike(pattern, escape="\\"))
    return sa.or_(Conversation.notes.ilike(pattern, escape="\\"),
                  Conversation.place_text.ilike(pattern, escape="\\"),
                  Conversation.who_description.ilike(pattern, escape="\\"),
                  Conversation.id.in_(quoted))
