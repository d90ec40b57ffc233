"""Use cases for the outreach log. Services flush, never commit."""

from dataclasses import dataclass, field
from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.community.models import Contact, FocusCommunity, Organization, Space
from app.conversations.models import (
    Attribution,
    Conversation,
    FollowUp,
    Quote,
    Stage,
    conversation_contacts,
    conversation_organizations,
)
from app.conversations.privacy import Finding, find_personal_details
from app.extensions import db
from app.records import library_today, utcnow


@dataclass
class QuoteDraft:
    """A quote as typed on the conversation form; `id` names an existing quote."""

    text: str
    attribution: str = Attribution.ANONYMOUS
    attributed_to: str = ""
    has_name_consent: bool = False
    is_public: bool = False
    id: int | None = None
    remove: bool = False


@dataclass
class FollowUpDraft:
    """A promise as typed on the conversation form; `id` names an existing follow-up."""

    description: str
    owner_id: int
    due_on: date | None = None
    id: int | None = None
    remove: bool = False


@dataclass
class ConversationDraft:
    """Everything the conversation form collects; ids of None mean "none"."""

    happened_on: date
    kind: str
    purpose: str
    happened_at: time | None = None
    branch_id: int | None = None
    focus_community_id: int | None = None
    space_id: int | None = None
    place_organization_id: int | None = None
    place_text: str = ""
    organization_ids: list[int] = field(default_factory=list)
    contact_ids: list[int] = field(default_factory=list)
    who_description: str = ""
    headcount: int | None = None
    languages: list[str] = field(default_factory=list)
    notes: str = ""
    stage: str = Stage.KNOW
    is_sensitive: bool = False
    quotes: list[QuoteDraft] = field(default_factory=list)
    follow_ups: list[FollowUpDraft] = field(default_factory=list)


CONVERSATION_FIELDS = ("happened_on", "happened_at", "branch_id", "focus_community_id",
                       "space_id", "place_organization_id", "place_text", "who_description",
                       "headcount", "kind", "purpose", "languages", "notes", "stage",
                       "is_sensitive")


@dataclass(frozen=True)
class PlacedFinding:
    """A personal detail found in one field of the form: "Notes" or "Quote 2"."""

    field: str
    finding: Finding


class PersonalDetailsFound(Exception):
    """Notes or quotes contain what looks like a phone number or email address."""

    def __init__(self, findings: list[PlacedFinding]):
        super().__init__(findings)
        self.findings = findings


def personal_details_in(draft: ConversationDraft) -> list[PlacedFinding]:
    """Return the phone numbers and email addresses in the draft's notes and kept quotes."""
    texts = [("Notes", draft.notes)]
    kept = [quote for quote in draft.quotes if quote.text.strip() and not quote.remove]
    texts += [(f"Quote {number}", quote.text) for number, quote in enumerate(kept, start=1)]
    return [PlacedFinding(name, finding)
            for name, text in texts for finding in find_personal_details(text)]


def save_conversation(conversation: Conversation, *, by: User, draft: ConversationDraft,
                      keep_personal_details: bool = False) -> Conversation:
    """Create or update a conversation with its quotes and follow-ups.

    Raises PersonalDetailsFound unless the person confirmed they want to keep what was found.
    """
    if not keep_personal_details:
        findings = personal_details_in(draft)
        if findings:
            raise PersonalDetailsFound(findings)
    for name in CONVERSATION_FIELDS:
        setattr(conversation, name, getattr(draft, name))
    conversation.organizations = _by_ids(Organization, draft.organization_ids)
    conversation.contacts = _by_ids(Contact, draft.contact_ids)
    _apply_quotes(conversation, draft.quotes)
    _apply_follow_ups(conversation, draft.follow_ups)
    if conversation.id is None:
        conversation.logged_by = by
        db.session.add(conversation)
    else:
        conversation.updated_by = by
        conversation.updated_at = utcnow()
    db.session.flush()
    return conversation


def _apply_quotes(conversation: Conversation, drafts: list[QuoteDraft]) -> None:
    existing = {quote.id: quote for quote in conversation.quotes}
    for draft in drafts:
        quote = existing.get(draft.id)
        if draft.remove or not draft.text.strip():
            if quote is not None:
                conversation.quotes.remove(quote)
            continue
        if quote is None:
            quote = Quote()
            conversation.quotes.append(quote)
        anonymous = draft.attribution == Attribution.ANONYMOUS
        quote.text, quote.attribution = draft.text.strip(), draft.attribution
        quote.attributed_to = "" if anonymous else draft.attributed_to.strip()
        quote.has_name_consent, quote.is_public = draft.has_name_consent, draft.is_public


def _apply_follow_ups(conversation: Conversation, drafts: list[FollowUpDraft]) -> None:
    existing = {follow_up.id: follow_up for follow_up in conversation.follow_ups}
    for draft in drafts:
        follow_up = existing.get(draft.id)
        if draft.remove or not draft.description.strip():
            if follow_up is not None:
                conversation.follow_ups.remove(follow_up)
            continue
        if follow_up is None:
            follow_up = FollowUp()
            conversation.follow_ups.append(follow_up)
        follow_up.description = draft.description.strip()
        follow_up.owner_id, follow_up.due_on = draft.owner_id, draft.due_on


def _by_ids(model: type[db.Model], ids: list[int]) -> list:
    if not ids:
        return []
    return list(db.session.scalars(sa.select(model).where(model.id.in_(ids))))


# Where each follow-up's conversation happened, loaded up front for lists of follow-ups.
_FOLLOW_UP_PLACES = (
    selectinload(FollowUp.conversation).selectinload(Conversation.space),
    selectinload(FollowUp.conversation).selectinload(Conversation.place_organization),
)


def open_follow_ups(owner: User, *, limit: int | None = None) -> list[FollowUp]:
    """Return the promises `owner` has not yet kept: overdue first, then by due date."""
    query = (
        sa.select(FollowUp)
        .where(FollowUp.owner_id == owner.id, FollowUp.done_at.is_(None))
        .order_by(FollowUp.due_on.is_(None), FollowUp.due_on, FollowUp.id)
        .options(*_FOLLOW_UP_PLACES)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def recently_done_follow_ups(owner: User, *, since: datetime) -> list[FollowUp]:
    """Return the promises `owner` kept since `since`, most recently done first."""
    query = (
        sa.select(FollowUp)
        .where(FollowUp.owner_id == owner.id, FollowUp.done_at >= since)
        .order_by(FollowUp.done_at.desc(), FollowUp.id.desc())
        .options(*_FOLLOW_UP_PLACES)
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


def get_conversation(conversation_id: int) -> Conversation | None:
    """Return a conversation with everything its page shows, or None."""
    query = sa.select(Conversation).where(Conversation.id == conversation_id).options(
        selectinload(Conversation.organizations), selectinload(Conversation.contacts),
        selectinload(Conversation.quotes), selectinload(Conversation.logged_by),
        selectinload(Conversation.follow_ups).selectinload(FollowUp.owner),
        selectinload(Conversation.follow_ups).selectinload(FollowUp.done_by))
    return db.session.scalar(query)


def new_conversation(by: User, *, organization_id: int | None = None,
                     space_id: int | None = None,
                     focus_community_id: int | None = None) -> Conversation:
    """Return an unsaved conversation dated today at `by`'s branch, linked to what was given."""
    organization = db.session.get(Organization, organization_id) if organization_id else None
    return Conversation(happened_on=library_today(), branch_id=by.branch_id,
                        space_id=space_id, focus_community_id=focus_community_id,
                        organizations=[organization] if organization else [],
                        stage=Stage.KNOW.value, languages=[], is_sensitive=False)
