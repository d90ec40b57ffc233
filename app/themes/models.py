"""The codebook: themes, the excerpts coded to them, and the priorities the community sets.

An excerpt is a passage of something heard: a conversation's notes, a quote, a long-text form
answer or a meeting's notes (or the whole item). It keeps its source and a copy of where and
when it was heard, so "What we heard" counts distinct sources and places with GROUP BY.
"""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Branch, User
from app.community.models import FocusCommunity
from app.extensions import db
from app.meetings.models import Decision, Meeting
from app.records import Choice, Timestamped, choice_column, utcnow


class ThemeKind(Choice):
    ASPIRATION = "aspiration"
    NEED = "need"
    CONCERN = "concern"
    BARRIER = "barrier"
    ASSET = "asset"
    IDEA = "idea"
    TRUSTED_ACTOR = "trusted_actor", "Trusted actor"


class ThemeStatus(Choice):
    EMERGING = "emerging"
    CONFIRMED = "confirmed", "Confirmed with the community"
    PRIORITISED = "prioritised"
    PARKED = "parked"


class SourceKind(Choice):
    """What an excerpt was taken from."""

    CONVERSATION = "conversation", "Conversation notes"
    QUOTE = "quote"
    ANSWER = "answer", "Form answer"
    MEETING = "meeting", "Meeting notes"


class HeardThrough(Choice):
    """The channel an excerpt came through, for slicing "What we heard"."""

    OUTREACH = "outreach", "Outreach conversation"
    KIOSK = "kiosk", "Kiosk form"
    WEB = "web", "Web or phone form"
    PAPER = "paper", "Paper form"
    MEETING = "meeting", "Meeting"


class PriorityStatus(Choice):
    STAFF_DRAFT = "staff_draft", "Staff draft"
    COMMUNITY_ENDORSED = "community_endorsed", "Community-endorsed"


class PriorityStateError(Exception):
    """The priority cannot take that change: the message says why in plain words."""


class Theme(Timestamped, db.Model):
    """A pattern in what the community said, named in the community's words."""

    __tablename__ = "themes"
    __table_args__ = (ThemeKind.check("kind"), ThemeStatus.check("status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = choice_column(ThemeKind, index=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("themes.id", ondelete="SET NULL"), index=True)
    focus_community_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("focus_communities.id"), index=True)
    status: Mapped[str] = choice_column(ThemeStatus, default=ThemeStatus.EMERGING)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    parent: Mapped["Theme | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Theme"]] = relationship(back_populates="parent", order_by="Theme.name")
    focus_community: Mapped[FocusCommunity | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    excerpts: Mapped[list["Excerpt"]] = relationship(
        secondary="excerpt_themes", back_populates="themes", order_by="Excerpt.id")

    @property
    def kind_label(self) -> str:
        return ThemeKind(self.kind).label

    @property
    def status_label(self) -> str:
        return ThemeStatus(self.status).label


excerpt_themes = sa.Table(
    "excerpt_themes",
    db.metadata,
    sa.Column("excerpt_id", sa.ForeignKey("excerpts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("theme_id", sa.ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True,
              index=True),
)


class Excerpt(db.Model):
    """A coded passage: its source, its text, who coded it, and where and when it was heard."""

    __tablename__ = "excerpts"
    __table_args__ = (
        SourceKind.check("source_kind"),
        HeardThrough.check("heard_through"),
        sa.CheckConstraint(
            "(CASE WHEN conversation_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN quote_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN answer_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN meeting_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="exactly_one_source"),
        sa.CheckConstraint(
            "(start_offset IS NULL AND end_offset IS NULL)"
            " OR (start_offset >= 0 AND end_offset > start_offset)", name="offsets_in_order"),
        sa.Index("ix_excerpts_heard", "heard_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_kind: Mapped[str] = choice_column(SourceKind)
    #: Exactly one of these names the source; a quote's conversation is also in source_key.
    conversation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    quote_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("quotes.id", ondelete="CASCADE"), index=True)
    answer_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("answers.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    #: The coded passage, copied from the source; offsets into the source text, or None for
    #: the whole item.
    text: Mapped[str] = mapped_column(sa.Text)
    start_offset: Mapped[int | None]
    end_offset: Mapped[int | None]
    #: One occasion of hearing: "conversation:12", "response:40" or "meeting:3". Two passages
    #: of one conversation, or a quote and the notes it came with, are one source.
    source_key: Mapped[str] = mapped_column(sa.String(40), index=True)
    #: Where it was heard: "space:3", "organization:5", "branch:2" or "place:<words>".
    place_key: Mapped[str] = mapped_column(sa.String(240), default="")
    place_label: Mapped[str] = mapped_column(sa.String(200), default="")
    heard_on: Mapped[date] = mapped_column(sa.Date)
    heard_through: Mapped[str] = choice_column(HeardThrough)
    focus_community_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("focus_communities.id"), index=True)
    branch_id: Mapped[int | None] = mapped_column(sa.ForeignKey("branches.id"), index=True)
    #: Copied from the source: sensitive notes never leave the library.
    is_sensitive: Mapped[bool] = mapped_column(default=False)
    coded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    coded_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    themes: Mapped[list[Theme]] = relationship(
        secondary=excerpt_themes, back_populates="excerpts", order_by=Theme.name)
    conversation = relationship("Conversation")
    quote = relationship("Quote")
    answer = relationship("Answer")
    meeting: Mapped[Meeting | None] = relationship()
    focus_community: Mapped[FocusCommunity | None] = relationship()
    branch: Mapped[Branch | None] = relationship()
    coded_by: Mapped[User] = relationship()

    @property
    def source_kind_label(self) -> str:
        return SourceKind(self.source_kind).label

    @property
    def heard_through_label(self) -> str:
        return HeardThrough(self.heard_through).label

    @property
    def is_whole_item(self) -> bool:
        return self.start_offset is None


class DismissedSuggestion(db.Model):
    """A suggested theme that staff ignored for one text, so it is not suggested again."""

    __tablename__ = "dismissed_suggestions"

    source_ref: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    theme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True)
    dismissed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    dismissed_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class SkippedSource(db.Model):
    """A text staff marked "nothing to code here", so it leaves the "to code" queue."""

    __tablename__ = "skipped_sources"

    #: The text skipped, as Source.ref: "conversation:12", "quote:7", "answer:40", "meeting:3".
    source_ref: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    skipped_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    skipped_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    skipped_by: Mapped[User] = relationship()


class Priority(Timestamped, db.Model):
    """What the community said matters most, drawn from a theme.

    A priority is a staff draft until it is linked to a decision taken at a meeting that was
    held; only then is it community-endorsed. `endorse()` is the one way there, and the database
    refuses an endorsed priority without a decision.
    """

    __tablename__ = "priorities"
    __table_args__ = (
        PriorityStatus.check("status"),
        sa.CheckConstraint("status != 'community_endorsed' OR decision_id IS NOT NULL",
                           name="endorsed_needs_decision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: In the community's words: "Saturday homework and language mornings".
    title: Mapped[str] = mapped_column(sa.String(300))
    theme_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("themes.id", ondelete="SET NULL"), index=True)
    focus_community_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("focus_communities.id"), index=True)
    rationale: Mapped[str] = mapped_column(sa.Text, default="")
    rank: Mapped[int | None]
    status: Mapped[str] = choice_column(PriorityStatus, default=PriorityStatus.STAFF_DRAFT)
    decision_id: Mapped[int | None] = mapped_column(sa.ForeignKey("decisions.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    theme: Mapped[Theme | None] = relationship()
    focus_community: Mapped[FocusCommunity | None] = relationship()
    decision: Mapped[Decision | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    votes: Mapped[list["DotVote"]] = relationship(
        back_populates="priority", cascade="all, delete-orphan")

    @property
    def status_label(self) -> str:
        return PriorityStatus(self.status).label

    @property
    def is_endorsed(self) -> bool:
        return self.status == PriorityStatus.COMMUNITY_ENDORSED

    def endorse(self, decision: Decision) -> None:
        """Make the priority the community's, on the strength of `decision`."""
        if decision is None or not decision.is_on_record:
            raise PriorityStateError(
                "A priority becomes community-endorsed only through a decision recorded at a "
                "meeting that was held. Record the meeting and its decision first.")
        self.decision = decision
        self.status = PriorityStatus.COMMUNITY_ENDORSED

    def return_to_draft(self) -> None:
        """Undo an endorsement entered by mistake; the decision itself stays on record."""
        self.decision = None
        self.status = PriorityStatus.STAFF_DRAFT


class DotVote(db.Model):
    """A candidate priority on a meeting's dot-vote sheet, and the dots it received."""

    __tablename__ = "dot_votes"
    __table_args__ = (sa.CheckConstraint("dots IS NULL OR dots >= 0", name="dots_not_negative"),)

    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    priority_id: Mapped[int] = mapped_column(
        sa.ForeignKey("priorities.id", ondelete="CASCADE"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(default=0)
    #: None until the votes are counted and entered.
    dots: Mapped[int | None]

    meeting: Mapped[Meeting] = relationship()
    priority: Mapped[Priority] = relationship(back_populates="votes")
