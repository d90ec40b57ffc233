"""Stage 5: outcome forms of a plan, measurements per indicator, stories of change with the
panel's selections, evaluations of a plan over a period, and imports of past outcome data.

Outputs (counts of sessions) and outcomes (what changed for people) stay apart throughout.
An evaluation is signed off only through a decision of a meeting that was held.
"""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.extensions import db
from app.meetings.models import Decision
from app.plans.models import Indicator, Plan
from app.records import Choice, Timestamped, choice_column, utcnow
from app.surveys.models import Question, Survey


class OutcomeMoment(Choice):
    IMMEDIATE = "immediate", "At the end of a session"
    FOLLOW_UP = "follow_up", "Follow-up, some weeks later"


class OutcomeForm(db.Model):
    """A form that measures a plan's outcomes, at the end of a session or weeks later.

    The form itself is an ordinary survey, editable in the form builder; this row says which
    plan it serves and at which moment. A plan has at most one form per moment.
    """

    __tablename__ = "outcome_forms"
    __table_args__ = (
        OutcomeMoment.check("moment"),
        sa.UniqueConstraint("plan_id", "moment", name="uq_outcome_forms_plan_moment"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"))
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"),
                                           unique=True)
    moment: Mapped[str] = choice_column(OutcomeMoment)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    plan: Mapped[Plan] = relationship()
    survey: Mapped[Survey] = relationship()
    created_by: Mapped[User | None] = relationship()

    @property
    def moment_label(self) -> str:
        return OutcomeMoment(self.moment).label


class MeasureMethod(Choice):
    HAND = "hand", "Entered by hand"
    FORM_SHARE = "form_share", "Share of form answers"
    SESSION_SUM = "session_sum", "Sum of session outputs"


class MeasurePeriod(Choice):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class IndicatorMeasure(db.Model):
    """How an indicator is measured: by hand, from form answers, or from session outputs.

    FORM_SHARE counts, among the answers to `question`, the share that chose one of
    `counted_option_ids` (choice questions), scored at least `min_score` (rating), or said yes.
    SESSION_SUM adds up `session_output` (a counted output of the plan's sessions).
    Computed values come per `period`; an indicator without a row is measured by hand.
    """

    __tablename__ = "indicator_measures"
    __table_args__ = (
        MeasureMethod.check("method"),
        MeasurePeriod.check("period"),
    )

    indicator_id: Mapped[int] = mapped_column(
        sa.ForeignKey("indicators.id", ondelete="CASCADE"), primary_key=True)
    method: Mapped[str] = choice_column(MeasureMethod, default=MeasureMethod.HAND)
    question_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("questions.id", ondelete="SET NULL"))
    counted_option_ids: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    min_score: Mapped[int | None]
    #: "sessions", "headcount", "new_cards", "items_borrowed" or "referrals".
    session_output: Mapped[str] = mapped_column(sa.String(30), default="")
    period: Mapped[str] = choice_column(MeasurePeriod, default=MeasurePeriod.MONTH)

    indicator: Mapped[Indicator] = relationship()
    question: Mapped[Question | None] = relationship()


class Measurement(db.Model):
    """A value of an indicator entered by hand, for a day or a period, with where it came from."""

    __tablename__ = "measurements"
    __table_args__ = (
        sa.CheckConstraint("period_end >= period_start", name="period_in_order"),
        sa.CheckConstraint("value IS NOT NULL OR value_text <> ''", name="has_value"),
        sa.Index("ix_measurements_indicator_period", "indicator_id", "period_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        sa.ForeignKey("indicators.id", ondelete="CASCADE"))
    period_start: Mapped[date] = mapped_column(sa.Date)
    period_end: Mapped[date] = mapped_column(sa.Date)
    value: Mapped[float | None]
    #: A value in words, for observations and milestones ("Done: cards without a lease").
    value_text: Mapped[str] = mapped_column(sa.String(300), default="")
    #: Where the figure came from ("sign-in sheets", "group's check-in calls").
    source: Mapped[str] = mapped_column(sa.String(200), default="")
    note: Mapped[str] = mapped_column(sa.Text, default="")
    entered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    entered_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    indicator: Mapped[Indicator] = relationship()
    entered_by: Mapped[User | None] = relationship()


class StoryConsent(Choice):
    INTERNAL = "internal_only", "Internal only"
    ANONYMOUS_PUBLIC = "anonymous_public", "Public, without a name"
    NAMED_PUBLIC = "named_public", "Public, with their name"


class Story(Timestamped, db.Model):
    """A story of change: what changed for someone and why it matters, told in their words.

    The teller is described by a role ("a grandmother from Tower B"); a name is kept only when
    they agreed to be named in public. Public documents carry only public stories.
    """

    __tablename__ = "stories"
    __table_args__ = (
        StoryConsent.check("consent_level"),
        sa.CheckConstraint("teller_name = '' OR consent_level = 'named_public'",
                           name="name_only_when_named"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"),
                                         index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    #: The domain of change, in the group's words ("feeling at home in the library").
    domain: Mapped[str] = mapped_column(sa.String(200), default="")
    period_start: Mapped[date | None] = mapped_column(sa.Date)
    period_end: Mapped[date | None] = mapped_column(sa.Date)
    what_changed: Mapped[str] = mapped_column(sa.Text)
    why_it_matters: Mapped[str] = mapped_column(sa.Text, default="")
    teller_role: Mapped[str] = mapped_column(sa.String(200))
    teller_name: Mapped[str] = mapped_column(sa.String(160), default="")
    consent_level: Mapped[str] = choice_column(StoryConsent, default=StoryConsent.INTERNAL)
    told_on: Mapped[date | None] = mapped_column(sa.Date)
    collected_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    verified: Mapped[bool] = mapped_column(default=False)

    plan: Mapped[Plan] = relationship()
    collected_by: Mapped[User | None] = relationship()
    selections: Mapped[list["StorySelection"]] = relationship(
        back_populates="story", cascade="all, delete-orphan",
        order_by="StorySelection.chosen_on")

    @property
    def consent_label(self) -> str:
        return StoryConsent(self.consent_level).label

    @property
    def is_public(self) -> bool:
        return self.consent_level != StoryConsent.INTERNAL

    @property
    def public_teller(self) -> str:
        """How a public document names the teller: the name only with named consent."""
        if self.consent_level == StoryConsent.NAMED_PUBLIC and self.teller_name:
            return f"{self.teller_name}, {self.teller_role}"
        return self.teller_role


class StorySelection(db.Model):
    """A panel's choice of a story: who chose it, when, why, and when the teller heard of it."""

    __tablename__ = "story_selections"

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(sa.ForeignKey("stories.id", ondelete="CASCADE"),
                                          index=True)
    #: Who sat on the panel, described as the panel wishes ("two parents, the settlement
    #: worker and the branch librarian").
    panel: Mapped[str] = mapped_column(sa.String(300))
    round: Mapped[str] = mapped_column(sa.String(120), default="")
    chosen_on: Mapped[date] = mapped_column(sa.Date)
    reason: Mapped[str] = mapped_column(sa.Text)
    fed_back_on: Mapped[date | None] = mapped_column(sa.Date)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    story: Mapped[Story] = relationship(back_populates="selections")
    recorded_by: Mapped[User | None] = relationship()


evaluation_stories = sa.Table(
    "evaluation_stories",
    db.metadata,
    sa.Column("evaluation_id", sa.ForeignKey("evaluations.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("story_id", sa.ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
)


class EvaluationError(Exception):
    """An evaluation cannot change as asked; the message says why in plain words."""


class Evaluation(Timestamped, db.Model):
    """A look back at a plan over a period, judged by the success the community defined.

    It is signed off only by a decision of a meeting that was held (`sign_off`).
    """

    __tablename__ = "evaluations"
    __table_args__ = (
        sa.CheckConstraint("period_end >= period_start", name="period_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"),
                                         index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    period_start: Mapped[date] = mapped_column(sa.Date)
    period_end: Mapped[date] = mapped_column(sa.Date)
    #: Who took part in evaluating, community members included, as they wish to be described.
    evaluators: Mapped[str] = mapped_column(sa.String(300), default="")
    methods: Mapped[str] = mapped_column(sa.Text, default="")
    lessons: Mapped[str] = mapped_column(sa.Text, default="")
    keep: Mapped[str] = mapped_column(sa.Text, default="")
    change: Mapped[str] = mapped_column(sa.Text, default="")
    stop: Mapped[str] = mapped_column(sa.Text, default="")
    start: Mapped[str] = mapped_column(sa.Text, default="")
    recommendations: Mapped[str] = mapped_column(sa.Text, default="")
    policy_changes: Mapped[str] = mapped_column(sa.Text, default="")
    #: What changed, in plain words for the "You said, we did" handout.
    what_changed: Mapped[str] = mapped_column(sa.Text, default="")
    signed_off_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("decisions.id"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    plan: Mapped[Plan] = relationship()
    signed_off_by: Mapped[Decision | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    stories: Mapped[list[Story]] = relationship(secondary=evaluation_stories,
                                                order_by=Story.title)

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_by_id is not None

    def sign_off(self, decision: Decision) -> None:
        """Record the community's sign-off; refuse a decision that is not on record."""
        if not decision.is_on_record:
            raise EvaluationError(
                "A sign-off needs a decision taken at a meeting that was held. Record the "
                "meeting as held and its decision first.")
        self.signed_off_by = decision


class OutcomeImport(db.Model):
    """One upload of past outcome data from another survey tool, imported whole or not at all.

    Imported responses carry the channel "imported" and a submission id
    `import:<this id>:<line number>`, so each can be traced to its line in the file.
    """

    __tablename__ = "outcome_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"),
                                           index=True)
    filename: Mapped[str] = mapped_column(sa.String(255))
    #: The name of the tool the file came from, as staff typed it.
    source_tool: Mapped[str] = mapped_column(sa.String(120), default="")
    row_count: Mapped[int] = mapped_column(default=0)
    #: Which CSV column went to which question: {"column name": question id}.
    mapping: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    imported_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    imported_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    survey: Mapped[Survey] = relationship()
    imported_by: Mapped[User | None] = relationship()
