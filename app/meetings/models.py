"""Meetings with the community: agendas, notes, the decisions taken and the action items agreed.

A decision can only be recorded at a meeting that was held. Priorities, plans and success
indicators point at decisions, so "who decided, where and how" is always on record.
"""

from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Branch, User
from app.community.models import FocusCommunity, Space
from app.extensions import db
from app.records import Choice, Timestamped, choice_column, utcnow
from app.surveys.models import Survey


class MeetingKind(Choice):
    SHARE_BACK = "share_back", "Share-back (“did we hear you right?”)"
    ACTION_GROUP = "action_group", "Action group meeting"
    COMMUNITY_CONVERSATION = "community_conversation", "Community conversation"
    PLANNING = "planning", "Planning meeting"


class MeetingStatus(Choice):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class Support(Choice):
    """What the library offers so people can take part."""

    INTERPRETATION = "interpretation"
    CHILDCARE = "childcare"
    FOOD = "food", "Food"
    TRANSIT = "transit", "Transit fare or a ride"


class DecisionMethod(Choice):
    CONSENSUS = "consensus"
    VOTE = "vote", "Vote by show of hands or ballot"
    DOT_VOTE = "dot_vote", "Dot vote"
    OTHER = "other"


class MeetingStateError(Exception):
    """The meeting cannot take that change: the message says why in plain words."""


class Meeting(Timestamped, db.Model):
    """A meeting held with the community or an action group, recorded as it happened."""

    __tablename__ = "meetings"
    __table_args__ = (
        MeetingKind.check("kind"),
        MeetingStatus.check("status"),
        sa.CheckConstraint("headcount IS NULL OR headcount >= 0", name="headcount_not_negative"),
        sa.Index("ix_meetings_held_on", "held_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = choice_column(MeetingKind)
    status: Mapped[str] = choice_column(MeetingStatus, default=MeetingStatus.PLANNED)
    held_on: Mapped[date] = mapped_column(sa.Date)
    starts_at: Mapped[time | None] = mapped_column(sa.Time)
    ends_at: Mapped[time | None] = mapped_column(sa.Time)
    branch_id: Mapped[int | None] = mapped_column(sa.ForeignKey("branches.id"), index=True)
    focus_community_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("focus_communities.id"), index=True)
    #: The action group that convened it; none for a standalone community meeting.
    action_group_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("action_groups.id"), index=True)
    space_id: Mapped[int | None] = mapped_column(sa.ForeignKey("spaces.id"))
    place_text: Mapped[str] = mapped_column(sa.String(200), default="")
    languages: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    #: Who facilitated, in words: a staff member or a community member.
    facilitator: Mapped[str] = mapped_column(sa.String(160), default="")
    #: How many people came; names only ever on a consented sign-in sheet, never stored here.
    headcount: Mapped[int | None]
    #: What happened, in plain words; staff can code passages of it to themes.
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    supports: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    supports_note: Mapped[str] = mapped_column(sa.String(300), default="")
    next_meeting: Mapped[str] = mapped_column(sa.String(300), default="")
    #: A form people can fill in at or after the meeting; its QR code goes on the agenda.
    feedback_survey_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("surveys.id", ondelete="SET NULL"))
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))

    branch: Mapped[Branch | None] = relationship()
    focus_community: Mapped[FocusCommunity | None] = relationship()
    action_group: Mapped["ActionGroup | None"] = relationship(  # noqa: F821 (app.plans)
        "ActionGroup", back_populates="meetings")
    space: Mapped[Space | None] = relationship()
    created_by: Mapped[User] = relationship()
    feedback_survey: Mapped[Survey | None] = relationship()
    agenda_items: Mapped[list["AgendaItem"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan",
        order_by="(AgendaItem.position, AgendaItem.id)")
    decisions: Mapped[list["Decision"]] = relationship(
        back_populates="meeting", order_by="Decision.id")
    action_items: Mapped[list["ActionItem"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="ActionItem.id")

    @property
    def kind_label(self) -> str:
        return MeetingKind(self.kind).label

    @property
    def status_label(self) -> str:
        return MeetingStatus(self.status).label

    @property
    def is_held(self) -> bool:
        return self.status == MeetingStatus.HELD

    @property
    def place_label(self) -> str:
        return self.space.name if self.space else self.place_text

    @property
    def support_labels(self) -> list[str]:
        known = {support.value for support in Support}
        return [Support(value).label for value in self.supports or [] if value in known]

    def mark_held(self, today: date) -> None:
        """Record that the meeting took place; a meeting cannot be held in the future."""
        if self.held_on > today:
            raise MeetingStateError(
                "A meeting can be marked as held only on or after its date.")
        self.status = MeetingStatus.HELD

    def cancel(self) -> None:
        """Record that a planned meeting will not take place; a held meeting stays held."""
        if self.is_held:
            raise MeetingStateError(
                "This meeting was held, so it cannot be cancelled. Change its date or notes "
                "instead.")
        self.status = MeetingStatus.CANCELLED

    def restore(self) -> None:
        """Put a cancelled meeting back on the calendar as planned."""
        if self.status != MeetingStatus.CANCELLED:
            raise MeetingStateError("Only a cancelled meeting can be planned again.")
        self.status = MeetingStatus.PLANNED

    def record_decision(self, *, text: str, method: str, decided_by: str,
                        recorded_by: User, **figures) -> "Decision":
        """Add a decision taken at this meeting; only a held meeting takes decisions."""
        if not self.is_held:
            raise MeetingStateError(
                "Decisions are recorded for meetings that were held. Mark the meeting as held "
                "first.")
        decision = Decision(text=text, method=method, decided_by=decided_by,
                            recorded_by=recorded_by, **figures)
        self.decisions.append(decision)
        return decision


class AgendaItem(db.Model):
    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(sa.String(300))
    #: Who leads this item, in words.
    led_by: Mapped[str] = mapped_column(sa.String(160), default="")
    minutes: Mapped[int | None]

    meeting: Mapped[Meeting] = relationship(back_populates="agenda_items")


class Decision(db.Model):
    """What a meeting decided, how, and by whom: the record that makes a choice the community's."""

    __tablename__ = "decisions"
    __table_args__ = (
        DecisionMethod.check("method"),
        sa.CheckConstraint(
            "(votes_for IS NULL OR votes_for >= 0)"
            " AND (votes_against IS NULL OR votes_against >= 0)"
            " AND (abstentions IS NULL OR abstentions >= 0)", name="figures_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    method: Mapped[str] = choice_column(DecisionMethod)
    #: Who decided, in words: "Eastgate Families Table, 9 members present".
    decided_by: Mapped[str] = mapped_column(sa.String(300))
    votes_for: Mapped[int | None]
    votes_against: Mapped[int | None]
    abstentions: Mapped[int | None]
    result_note: Mapped[str] = mapped_column(sa.String(500), default="")
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="decisions")
    recorded_by: Mapped[User] = relationship()

    @property
    def method_label(self) -> str:
        return DecisionMethod(self.method).label

    @property
    def decided_on(self) -> date:
        return self.meeting.held_on

    @property
    def is_on_record(self) -> bool:
        """Whether this decision was taken at a meeting that was held."""
        return self.meeting is not None and self.meeting.is_held


class ActionItem(db.Model):
    """Something a meeting agreed someone would do, with an owner who may be a community member."""

    __tablename__ = "action_items"
    __table_args__ = (sa.Index("ix_action_items_open", "done_at", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(sa.String(500))
    #: A person who logs in (staff or member), or else a name in words.
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    owner_name: Mapped[str] = mapped_column(sa.String(160), default="")
    due_on: Mapped[date | None] = mapped_column(sa.Date)
    done_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="action_items")
    owner: Mapped[User | None] = relationship()

    @property
    def owner_label(self) -> str:
        return self.owner.name if self.owner else self.owner_name

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def is_overdue(self, today: date) -> bool:
        """Whether the item is still open after its due date."""
        return not self.is_done and self.due_on is not None and self.due_on < today

    def mark_done(self) -> None:
        if self.done_at is None:
            self.done_at = utcnow()

    def reopen(self) -> None:
        self.done_at = None
