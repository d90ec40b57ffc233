"""The outreach log: conversations staff have in the community, their quotes and follow-ups."""

from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Branch, User
from app.community.models import Contact, FocusCommunity, Organization, Space
from app.extensions import db
from app.records import Choice, Timestamped, choice_column, utcnow


class ConversationKind(Choice):
    DROP_IN_VISIT = "drop_in_visit", "Drop-in visit"
    ONE_TO_ONE = "one_to_one", "One-to-one"
    GROUP_CONVERSATION = "group_conversation", "Group conversation"
    COMMUNITY_CONVERSATION = "community_conversation", "Community conversation session"
    AGENCY_MEETING = "agency_meeting", "Agency meeting"
    EVENT_TABLE = "event_table", "Event table"
    PHONE_OR_EMAIL = "phone_or_email", "Phone or email"
    WALKABOUT = "walkabout", "Walkabout"


class Purpose(Choice):
    LISTENING = "listening"
    RELATIONSHIP = "relationship", "Relationship building"
    INFORMATION_GIVING = "information_giving", "Information-giving"
    PLANNING = "planning"
    FOLLOW_UP = "follow_up", "Follow-up"


class Stage(Choice):
    """The five stages of community-led planning; a tag on records, not a pipeline."""

    KNOW = "1", "1. Get to know the community"
    IDENTIFY = "2", "2. Identify goals and needs"
    PLAN = "3", "3. Plan services"
    DELIVER = "4", "4. Deliver"
    EVALUATE = "5", "5. Evaluate"


class Attribution(Choice):
    ANONYMOUS = "anonymous"
    ROLE = "role", "A role description"
    FIRST_NAME = "first_name", "First name, with consent"


conversation_organizations = sa.Table(
    "conversation_organizations",
    db.metadata,
    sa.Column("conversation_id", sa.ForeignKey("conversations.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("organization_id", sa.ForeignKey("organizations.id", ondelete="CASCADE"),
              primary_key=True, index=True),
)

conversation_contacts = sa.Table(
    "conversation_contacts",
    db.metadata,
    sa.Column("conversation_id", sa.ForeignKey("conversations.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("contact_id", sa.ForeignKey("contacts.id", ondelete="CASCADE"),
              primary_key=True, index=True),
)


class Conversation(Timestamped, db.Model):
    """One conversation out in the community, as an outreach librarian logged it."""

    __tablename__ = "conversations"
    __table_args__ = (
        ConversationKind.check("kind"),
        Purpose.check("purpose"),
        Stage.check("stage"),
        sa.CheckConstraint("headcount IS NULL OR headcount >= 0", name="headcount_not_negative"),
        sa.Index("ix_conversations_happened", "happened_on", "id"),
        # The log is read newest first, filtered by one of these: each index serves a filter
        # and the order at once, so a deep page costs what the first one does.
        sa.Index("ix_conversations_branch_happened", "branch_id", "happened_on", "id"),
        sa.Index("ix_conversations_focus_community_happened", "focus_community_id",
                 "happened_on", "id"),
        sa.Index("ix_conversations_space_happened", "space_id", "happened_on", "id"),
        sa.Index("ix_conversations_kind_happened", "kind", "happened_on", "id"),
        sa.Index("ix_conversations_purpose_happened", "purpose", "happened_on", "id"),
        sa.Index("ix_conversations_logged_by_happened", "logged_by_id", "happened_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    happened_on: Mapped[date] = mapped_column(sa.Date)
    happened_at: Mapped[time | None] = mapped_column(sa.Time)
    branch_id: Mapped[int | None] = mapped_column(sa.ForeignKey("branches.id"))
    focus_community_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("focus_communities.id"))
    #: Where it happened: a space, an organization's premises, or free text.
    space_id: Mapped[int | None] = mapped_column(sa.ForeignKey("spaces.id"))
    place_organization_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organizations.id"), index=True)
    place_text: Mapped[str] = mapped_column(sa.String(200), default="")
    #: Who, when no one is named: "about 5 parents waiting".
    who_description: Mapped[str] = mapped_column(sa.String(300), default="")
    headcount: Mapped[int | None]
    kind: Mapped[str] = choice_column(ConversationKind)
    purpose: Mapped[str] = choice_column(Purpose)
    languages: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    stage: Mapped[str] = choice_column(Stage, default=Stage.KNOW)
    #: Sensitive conversations stay out of exports and printouts.
    is_sensitive: Mapped[bool] = mapped_column(default=False)
    logged_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    branch: Mapped[Branch | None] = relationship()
    focus_community: Mapped[FocusCommunity | None] = relationship()
    space: Mapped[Space | None] = relationship()
    place_organization: Mapped[Organization | None] = relationship()
    organizations: Mapped[list[Organization]] = relationship(
        secondary=conversation_organizations, order_by=Organization.name)
    contacts: Mapped[list[Contact]] = relationship(
        secondary=conversation_contacts, order_by=Contact.name)
    logged_by: Mapped[User] = relationship(foreign_keys=[logged_by_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    quotes: Mapped[list["Quote"]] = relationship(
        back_populates="conversation", cascade="all, delete-orphan", order_by="Quote.id")
    follow_ups: Mapped[list["FollowUp"]] = relationship(
        back_populates="conversation", cascade="all, delete-orphan", order_by="FollowUp.id")

    @property
    def kind_label(self) -> str:
        return ConversationKind(self.kind).label

    @property
    def purpose_label(self) -> str:
        return Purpose(self.purpose).label

    @property
    def stage_label(self) -> str:
        return Stage(self.stage).label

    @property
    def place_label(self) -> str:
        """Where it happened, in words."""
        if self.space:
            return self.space.name
        if self.place_organization:
            return self.place_organization.name
        return self.place_text

    @property
    def who_label(self) -> str:
        """Who took part, in words; named contacts are left to staff-only screens."""
        named = [organization.name for organization in self.organizations]
        if self.who_description:
            named.append(self.who_description)
        if self.headcount:
            named.append(f"{self.headcount} {'person' if self.headcount == 1 else 'people'}")
        return "; ".join(named)

    @property
    def open_follow_up_count(self) -> int:
        """How many promises made in this conversation are still open."""
        return sum(1 for follow_up in self.follow_ups if not follow_up.is_done)


class Quote(db.Model):
    """Words someone said, kept as they said them, with how they may be attributed."""

    __tablename__ = "quotes"
    __table_args__ = (
        Attribution.check("attribution"),
        sa.CheckConstraint("attribution != 'first_name' OR has_name_consent",
                           name="first_name_needs_consent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    attribution: Mapped[str] = choice_column(Attribution, default=Attribution.ANONYMOUS)
    #: The role description ("a grandmother at the Thursday lunch") or the first name.
    attributed_to: Mapped[str] = mapped_column(sa.String(160), default="")
    has_name_consent: Mapped[bool] = mapped_column(default=False)
    #: The speaker agreed that the quote may appear in public documents.
    is_public: Mapped[bool] = mapped_column(default=False)

    conversation: Mapped[Conversation] = relationship(back_populates="quotes")

    @property
    def attribution_label(self) -> str:
        """How the quote is credited when shown: never more than the speaker agreed to."""
        if self.attribution == Attribution.ANONYMOUS or not self.attributed_to:
            return "Anonymous"
        return self.attributed_to


class FollowUp(db.Model):
    """Something promised during a conversation, with who owns it and by when."""

    __tablename__ = "follow_ups"
    __table_args__ = (sa.Index("ix_follow_ups_owner_open", "owner_id", "done_at", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(sa.String(500))
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    due_on: Mapped[date | None] = mapped_column(sa.Date)
    done_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    done_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    conversation: Mapped[Conversation] = relationship(back_populates="follow_ups")
    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    done_by: Mapped[User | None] = relationship(foreign_keys=[done_by_id])

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def is_overdue(self, today: date) -> bool:
        return not self.is_done and self.due_on is not None and self.due_on < today

    def days_overdue(self, today: date) -> int:
        """Return how many days past its due date an open follow-up is; 0 when it is not."""
        return (today - self.due_on).days if self.is_overdue(today) else 0

    def mark_done(self, by: User) -> None:
        """Record that the promise was kept."""
        if self.done_at is None:
            self.done_at = utcnow()
            self.done_by = by

    def reopen(self) -> None:
        self.done_at = None
        self.done_by = None
