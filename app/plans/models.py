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
from app.meetings.models import Decision, Meeting, Support
from app.records import Choice, Timestamped, as_utc, choice_column, utcnow
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
    def support_labels(self) -> list[str]:
        labels = dict(Support.pairs())
        return [labels[value] for value in self.supports or [] if value in labels]

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
        sa.CheckConstraint("left_on IS NULL OR joined_on IS NULL OR left_on >= joined_on",
                           name="left_after_joining"),
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
    invitations: Mapped[list["Invitation"]] = relationship(
        back_populates="membership", cascade="all, delete-orphan", order_by="Invitation.id")

    @property
    def role_label(self) -> str:
        return MemberRole(self.role).label

    @property
    def is_current(self) -> bool:
        return self.left_on is None

    @property
    def is_staff_liaison(self) -> bool:
        return self.role == MemberRole.STAFF_LIAISON

    @property
    def may_be_invited(self) -> bool:
        """Whether staff may invite this person to make a login: a current member without one."""
        return self.is_current and self.user_id is None and not self.is_staff_liaison

    def pending_invitation(self, now: datetime) -> "Invitation | None":
        """Return the invitation that still works, if one was sent and not yet used."""
        usable = [invitation for invitation in self.invitations if invitation.is_usable(now)]
        return usable[-1] if usable else None

    def end(self, on: date) -> None:
        """Record that the person left the group on `on`; their history with it stays."""
        if self.joined_on is not None and on < self.joined_on:
            joined = f"{self.joined_on.day} {self.joined_on:%B %Y}"
            raise MembershipError(f"The leaving date cannot be before the day they joined "
                                  f"({joined}).")
        self.left_on = on


class MembershipError(Exception):
    """The membership cannot take that change: the message says why in plain words."""


class Invitation(db.Model):
    """A one-time link that lets a member of an action group make their own login.

    Only a SHA-256 of the token is stored: the link itself is shown once, to the staff member
    who made it, so a copy of the database cannot be used to take over an invitation.
    """

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        sa.ForeignKey("memberships.id", ondelete="CASCADE"), index=True)
    #: The address the new login will have; the person cannot change it on the invitation page.
    email: Mapped[str] = mapped_column(sa.String(254))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    membership: Mapped[Membership] = relationship(back_populates="invitations")
    created_by: Mapped[User | None] = relationship()

    def is_usable(self, now: datetime) -> bool:
        """Whether the link still works: not used, not expired, and the person still needs it."""
        return (self.used_at is None and as_utc(self.expires_at) > now
                and self.membership.may_be_invited)

    def mark_used(self, now: datetime) -> None:
        """Record that the link made a login; it works only once."""
        if self.used_at is not None:
            raise MembershipError("This invitation was used already.")
        self.used_at = now

    def withdraw(self, now: datetime) -> None:
        """Stop an unused link from working, as when a newer one replaces it."""
        if self.used_at is None and as_utc(self.expires_at) > now:
            self.expires_at = now


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

    @property
    def is_draft(self) -> bool:
        return self.status == PlanStatus.DRAFT

    @property
    def is_closed(self) -> bool:
        """A closed plan is a record of what happened: it takes no more changes."""
        return self.status == PlanStatus.CLOSED

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
        if target is PlanStatus.ENDORSED and (decision is None or not decision.is_on_record):
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
        change = PlanChange(changed_by=by, part=part, summary=summary[:500])
        self.changes.append(change)
        return change


indicator_questions = sa.Table(
    "indicator_questions",
    db.metadata,
    sa.Column("indicator_id", sa.ForeignKey("indicators.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("question_id", sa.ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True),
)


#: What the community agreed when it agreed an indicator: fixed once the plan is active.
AGREED_TERMS = ("statement", "kind", "level", "target", "agreed_at")
#: Plan statuses in which agreed indicators are locked.
LOCKED_PLAN_STATUSES = {PlanStatus.ACTIVE, PlanStatus.UNDER_REVIEW, PlanStatus.CLOSED}


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

    @property
    def is_agreed(self) -> bool:
        """Whether the community agreed it by a decision at a meeting that was held."""
        return self.agreed_at is not None and self.agreed_at.is_on_record

    @property
    def is_locked(self) -> bool:
        """Whether its agreed terms are fixed: agreed, and the plan is active or past it."""
        return self.is_agreed and self.plan.status in LOCKED_PLAN_STATUSES

    @property
    def may_be_removed(self) -> bool:
        """An agreed indicator stays once the plan has left draft; it is part of the record."""
        return self.plan.is_draft or not self.is_agreed

    def refusal(self, changed: set[str]) -> str | None:
        """Return why the fields named in `changed` may not change now, or None when they may."""
        if not self.is_locked or not changed & set(AGREED_TERMS):
            return None
        meeting = self.agreed_at.meeting
        return (f"This indicator was agreed at {meeting.title} on {meeting.held_on.day} "
                f"{meeting.held_on:%B %Y}. Record a new decision to change it.")


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
