"""Community-led plans: action groups and their members, plans, success indicators,
activities and their sessions, and the history of every change to a plan.

A plan moves draft → community-endorsed → active → under review → closed, and only through
`Plan.move_to()`, which refuses a move the community has not made on record and says why.
"""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Branch, User
from app.community.models import FocusCommunity, Organization
from app.extensions import db
from app.meetings.models import Decision, Meeting
from app.records import Choice, Timestamped, choice_column, utcnow
from app.surveys.models import Question
from app.themes.models import Priority, Theme


class ActionGroupStatus(Choice):
    FORMING = "forming"
    ACTIVE = "active"
    PAUSED = "paused"
    CLOSED = "closed"


class MemberRole(Choice):
    CO_CHAIR = "co_chair", "Co-chair"
    MEMBER = "member"
    PARTNER_REP = "partner_rep", "Partner representative"
    STAFF_LIAISON = "staff_liaison", "Staff liaison"


class PlanStatus(Choice):
    DRAFT = "draft"
    ENDORSED = "community_endorsed", "Community-endorsed"
    ACTIVE = "active"
    UNDER_REVIEW = "under_review", "Under review"
    CLOSED = "closed"


class IndicatorKind(Choice):
    STORY = "story"
    COUNT = "count"
    SURVEY_OUTCOME = "survey_outcome", "Survey outcome"
    OBSERVATION = "observation"
    MILESTONE = "milestone"


class IndicatorLevel(Choice):
    OUTPUT = "output"
    SHORT_TERM = "short_term", "Short-term outcome"
    INTERMEDIATE = "intermediate", "Intermediate outcome"
    LONG_TERM = "long_term", "Long-term outcome"

    @property
    def is_outcome(self) -> bool:
        return self is not IndicatorLevel.OUTPUT


class ActivityKind(Choice):
    PROGRAM = "program"
    SERVICE_CHANGE = "service_change", "Service change"
    COLLECTION = "collection"
    SPACE_CHANGE = "space_change", "Change to a space"
    POLICY_CHANGE = "policy_change", "Policy change"
    PARTNERSHIP = "partnership"
    OUTREACH_SERVICE = "outreach_service", "Outreach service"


class ActivityStatus(Choice):
    PLANNED = "planned"
    RUNNING = "running"
    DONE = "done"
    DROPPED = "dropped"


class PlanStateError(Exception):
    """The plan cannot make that move: the message says why in plain words."""


class ActionGroup(Timestamped, db.Model):
    """Community members who take the helm of a plan, with staff who convene and support."""

    __tablename__ = "action_groups"
    __table_args__ = (ActionGroupStatus.check("status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(160), unique=True)
    focus_community_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("focus_communities.id"), index=True)
    purpose: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = choice_column(ActionGroupStatus, default=ActionGroupStatus.FORMING)
    meeting_cadence: Mapped[str] = mapped_column(sa.String(200), default="")
    #: How the group makes decisions, in its own words.
    decision_rules: Mapped[str] = mapped_column(sa.Text, default="")
    supports: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    supports_note: Mapped[str] = mapped_column(sa.String(300), default="")

    focus_community: Mapped[FocusCommunity | None] = relationship()
    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="action_group", cascade="all, delete-orphan", order_by="Membership.id")
    meetings: Mapped[list[Meeting]] = relationship(
        back_populates="action_group", order_by=Meeting.held_on.desc())
    plans: Mapped[list["Plan"]] = relationship(back_populates="action_group",
                                               order_by="Plan.id")

    @property
    def status_label(self) -> str:
        return ActionGroupStatus(self.status).label

    @property
    def current_memberships(self) -> list["Membership"]:
        return [membership for membership in self.memberships if membership.left_on is None]

    def listed_members(self) -> list["Membership"]:
        """Members who agreed to be named outside the library's staff."""
        return [membership for membership in self.current_memberships
                if membership.consent_to_be_listed]


class Membership(db.Model):
    """A person's place on an action group. Named outside the staff only with their consent."""

    __tablename__ = "memberships"
    __table_args__ = (
        MemberRole.check("role"),
        sa.UniqueConstraint("action_group_id", "user_id", name="one_membership_per_login"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    action_group_id: Mapped[int] = mapped_column(
        sa.ForeignKey("action_groups.id", ondelete="CASCADE"), index=True)
    #: The login of a member invited to Groundwork, or of a staff liaison.
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: A name or a pseudonym, as the person wishes to be known.
    display_name: Mapped[str] = mapped_column(sa.String(160))
    role: Mapped[str] = choice_column(MemberRole, default=MemberRole.MEMBER)
    #: Personal detail: staff and admins only.
    preferred_contact: Mapped[str] = mapped_column(sa.String(200), default="")
    consent_to_be_listed: Mapped[bool] = mapped_column(default=False)
    joined_on: Mapped[date | None] = mapped_column(sa.Date)
    left_on: Mapped[date | None] = mapped_column(sa.Date)

    action_group: Mapped[ActionGroup] = relationship(back_populates="memberships")
    user: Mapped[User | None] = relationship()

    @property
    def role_label(self) -> str:
        return MemberRole(self.role).label


plan_themes = sa.Table(
    "plan_themes",
    db.metadata,
    sa.Column("plan_id", sa.ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("theme_id", sa.ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True),
)

plan_priorities = sa.Table(
    "plan_priorities",
    db.metadata,
    sa.Column("plan_id", sa.ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("priority_id", sa.ForeignKey("priorities.id", ondelete="CASCADE"),
              primary_key=True),
)

#: Moves a plan may make; anything else is refused.
PLAN_MOVES = {
    PlanStatus.DRAFT: {PlanStatus.ENDORSED},
    PlanStatus.ENDORSED: {PlanStatus.ACTIVE, PlanStatus.DRAFT},
    PlanStatus.ACTIVE: {PlanStatus.UNDER_REVIEW},
    PlanStatus.UNDER_REVIEW: {PlanStatus.ACTIVE, PlanStatus.CLOSED},
    PlanStatus.CLOSED: set(),
}


class Plan(Timestamped, db.Model):
    """A plan the community wrote through its action group, with a community and internal part."""

    __tablename__ = "plans"
    __table_args__ = (
        PlanStatus.check("status"),
        sa.CheckConstraint("status = 'draft' OR endorsed_by_id IS NOT NULL",
                           name="past_draft_needs_endorsement"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    focus_community_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("focus_communities.id"), index=True)
    action_group_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("action_groups.id"), index=True)
    branch_id: Mapped[int | None] = mapped_column(sa.ForeignKey("branches.id"))
    status: Mapped[str] = choice_column(PlanStatus, default=PlanStatus.DRAFT)
    # The community part: everyone with access to the plan sees it; members may edit it.
    #: The goal in the community's own words.
    goal: Mapped[str] = mapped_column(sa.Text, default="")
    #: Why: what was heard that led here, in plain words.
    why: Mapped[str] = mapped_column(sa.Text, default="")
    #: What will happen, in plain words.
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    starts_on: Mapped[date | None] = mapped_column(sa.Date)
    ends_on: Mapped[date | None] = mapped_column(sa.Date)
    # The internal part: staff and admins only, never in a partners or public document.
    staff_hours: Mapped[str] = mapped_column(sa.String(200), default="")
    budget: Mapped[str] = mapped_column(sa.Text, default="")
    resources: Mapped[str] = mapped_column(sa.Text, default="")
    risks: Mapped[str] = mapped_column(sa.Text, default="")
    #: The decision that endorsed the plan; set by `move_to(ENDORSED, decision=...)`.
    endorsed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("decisions.id"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    focus_community: Mapped[FocusCommunity | None] = relationship()
    action_group: Mapped[ActionGroup | None] = relationship(back_populates="plans")
    branch: Mapped[Branch | None] = relationship()
    endorsed_by: Mapped[Decision | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    themes: Mapped[list[Theme]] = relationship(secondary=plan_themes, order_by=Theme.name)
    priorities: Mapped[list[Priority]] = relationship(secondary=plan_priorities,
                                                      order_by=Priority.title)
    indicators: Mapped[list["Indicator"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan",
        order_by="(Indicator.position, Indicator.id)")
    activities: Mapped[list["Activity"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan",
        order_by="(Activity.starts_on, Activity.id)")
    changes: Mapped[list["PlanChange"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan",
        order_by="PlanChange.id.desc()")

    @property
    def status_label(self) -> str:
        return PlanStatus(self.status).label

    def agreed_indicators(self) -> list["Indicator"]:
        """Indicators agreed at a held meeting no later than the plan's endorsement."""
        if self.endorsed_by is None:
            return []
        deadline = self.endorsed_by.meeting.held_on
        return [indicator for indicator in self.indicators
                if indicator.agreed_at is not None and indicator.agreed_at.is_on_record
                and indicator.agreed_at.meeting.held_on <= deadline]

    def refusal(self, target: PlanStatus, decision: Decision | None = None) -> str | None:
        """Return why the plan may not move to `target`, or None when it may."""
        current = PlanStatus(self.status)
        if target not in PLAN_MOVES[current]:
            return (f"A plan that is {current.label.lower()} cannot become "
                    f"{target.label.lower()}.")
        if target is PlanStatus.ENDORSED:
            if decision is None or not decision.is_on_record:
                return ("Endorsement needs a decision recorded at a meeting that was held. "
                        "Record the meeting and the decision, then choose it here.")
        if target is PlanStatus.ACTIVE and not self.agreed_indicators():
            return ("A plan goes active only when at least one success indicator was agreed at "
                    "a recorded meeting, no later than the endorsement. Success is defined "
                    "first, in the community's words.")
        return None

    def move_to(self, target: PlanStatus, *, by: User, decision: Decision | None = None) -> None:
        """Move the plan to `target`, or raise PlanStateError saying why not."""
        reason = self.refusal(target, decision)
        if reason:
            raise PlanStateError(reason)
        before = self.status
        if target is PlanStatus.ENDORSED:
            self.endorsed_by = decision
        elif target is PlanStatus.DRAFT:
            self.endorsed_by = None
        self.status = target
        self.record_change(by, "status", f"Status: {PlanStatus(before).label} → {target.label}")

    def record_change(self, by: User, part: str, summary: str) -> "PlanChange":
        """Keep who changed what and when; shown on the plan's history."""
        change = PlanChange(plan=self, changed_by=by, part=part, summary=summary[:500])
        self.changes.append(change)
        return change


indicator_questions = sa.Table(
    "indicator_questions",
    db.metadata,
    sa.Column("indicator_id", sa.ForeignKey("indicators.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("question_id", sa.ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True),
)


class Indicator(db.Model):
    """How the community will know the plan worked, in its own words, agreed at a meeting."""

    __tablename__ = "indicators"
    __table_args__ = (IndicatorKind.check("kind"), IndicatorLevel.check("level"))

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"),
                                         index=True)
    position: Mapped[int] = mapped_column(default=0)
    #: "Kids in our group bring homework and leave with it done."
    statement: Mapped[str] = mapped_column(sa.Text)
    kind: Mapped[str] = choice_column(IndicatorKind)
    level: Mapped[str] = choice_column(IndicatorLevel)
    how_measured: Mapped[str] = mapped_column(sa.Text, default="")
    collected_by: Mapped[str] = mapped_column(sa.String(200), default="")
    frequency: Mapped[str] = mapped_column(sa.String(120), default="")
    baseline: Mapped[str] = mapped_column(sa.String(200), default="")
    target: Mapped[str] = mapped_column(sa.String(200), default="")
    #: The decision at which the community agreed this indicator.
    agreed_at_id: Mapped[int | None] = mapped_column(sa.ForeignKey("decisions.id"))

    plan: Mapped[Plan] = relationship(back_populates="indicators")
    agreed_at: Mapped[Decision | None] = relationship()
    questions: Mapped[list[Question]] = relationship(secondary=indicator_questions)

    @property
    def kind_label(self) -> str:
        return IndicatorKind(self.kind).label

    @property
    def level_label(self) -> str:
        return IndicatorLevel(self.level).label

    @property
    def is_outcome(self) -> bool:
        return IndicatorLevel(self.level).is_outcome


activity_organizations = sa.Table(
    "activity_organizations",
    db.metadata,
    sa.Column("activity_id", sa.ForeignKey("activities.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("organization_id", sa.ForeignKey("organizations.id", ondelete="CASCADE"),
              primary_key=True),
)


class Activity(db.Model):
    """Something the plan does: a program, a service change, a policy change…"""

    __tablename__ = "activities"
    __table_args__ = (ActivityKind.check("kind"), ActivityStatus.check("status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"),
                                         index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = choice_column(ActivityKind)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    #: A person who logs in (staff or member), or else a name in words.
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    owner_name: Mapped[str] = mapped_column(sa.String(160), default="")
    place: Mapped[str] = mapped_column(sa.String(200), default="")
    schedule: Mapped[str] = mapped_column(sa.String(200), default="")
    starts_on: Mapped[date | None] = mapped_column(sa.Date)
    ends_on: Mapped[date | None] = mapped_column(sa.Date)
    languages: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    status: Mapped[str] = choice_column(ActivityStatus, default=ActivityStatus.PLANNED)

    plan: Mapped[Plan] = relationship(back_populates="activities")
    owner: Mapped[User | None] = relationship()
    organizations: Mapped[list[Organization]] = relationship(
        secondary=activity_organizations, order_by=Organization.name)
    sessions: Mapped[list["ActivitySession"]] = relationship(
        back_populates="activity", cascade="all, delete-orphan",
        order_by="(ActivitySession.held_on, ActivitySession.id)")

    @property
    def kind_label(self) -> str:
        return ActivityKind(self.kind).label

    @property
    def status_label(self) -> str:
        return ActivityStatus(self.status).label

    @property
    def owner_label(self) -> str:
        return self.owner.name if self.owner else self.owner_name


class ActivitySession(db.Model):
    """One time an activity happened, with its outputs (counts), kept apart from outcomes."""

    __tablename__ = "activity_sessions"
    __table_args__ = (
        sa.CheckConstraint(
            "(headcount IS NULL OR headcount >= 0) AND (new_cards IS NULL OR new_cards >= 0)"
            " AND (items_borrowed IS NULL OR items_borrowed >= 0)"
            " AND (referrals IS NULL OR referrals >= 0)", name="outputs_not_negative"),
        sa.Index("ix_activity_sessions_held", "activity_id", "held_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(sa.ForeignKey("activities.id", ondelete="CASCADE"))
    held_on: Mapped[date] = mapped_column(sa.Date)
    place: Mapped[str] = mapped_column(sa.String(200), default="")
    facilitators: Mapped[str] = mapped_column(sa.String(300), default="")
    headcount: Mapped[int | None]
    new_cards: Mapped[int | None]
    items_borrowed: Mapped[int | None]
    referrals: Mapped[int | None]
    other_outputs: Mapped[str] = mapped_column(sa.String(300), default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    activity: Mapped[Activity] = relationship(back_populates="sessions")
    recorded_by: Mapped[User | None] = relationship()


class PlanChange(db.Model):
    """One change to a plan or its parts: who, what, when. Kept, never edited."""

    __tablename__ = "plan_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"),
                                         index=True)
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    #: Which part changed: "community", "internal", "status", "indicator", "activity", "session".
    part: Mapped[str] = mapped_column(sa.String(40))
    summary: Mapped[str] = mapped_column(sa.String(500))

    plan: Mapped[Plan] = relationship(back_populates="changes")
    changed_by: Mapped[User | None] = relationship()
