"""Self-entered forms: a form's questions in several languages, and the responses to it.

On screens and paper a `Survey` is called a "form"; the class name keeps clear of WTForms.
Every text a respondent reads is stored per language in a JSON `texts` column, shaped
{"en": {"title": "...", "intro": "..."}, "es": {...}}; `text()` falls back to the form's
default language when a translation is missing.
"""

import secrets
from collections.abc import Iterable
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Branch, User
from app.community.models import FocusCommunity
from app.extensions import db
from app.records import Choice, Timestamped, choice_column, utcnow

RIGHT_TO_LEFT = {"ar", "fa", "prs", "he", "ur", "ps", "ckb", "yi", "dv"}
#: Letters for short codes: no 0/O, 1/I/L, so people can type them from paper.
SHORT_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def is_right_to_left(language: str) -> bool:
    """Return whether `language` is written right to left."""
    return language.split("-")[0] in RIGHT_TO_LEFT


def new_token() -> str:
    """Return an unguessable token for a public link."""
    return secrets.token_urlsafe(16)


def new_short_code() -> str:
    """Return a short code people can type from a printed form."""
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(6))


def pick_text(texts: dict, field: str, language: str | None, default_language: str) -> str:
    """Return `field` in `language`, else in the default language, else ''."""
    for lang in (language, default_language):
        value = (texts or {}).get(lang or "", {}).get(field)
        if value:
            return value
    return ""


class SurveyStatus(Choice):
    DRAFT = "draft"
    OPEN = "open", "Open for responses"
    CLOSED = "closed"


class SurveyPurpose(Choice):
    GENERAL = "general_input", "General input"
    PROGRAM_FEEDBACK = "program_feedback", "Program feedback"
    OUTCOME_IMMEDIATE = "outcome_immediate", "Outcome, at the end of a session"
    OUTCOME_FOLLOW_UP = "outcome_follow_up", "Outcome, follow-up weeks later"


class SurveyStateError(Exception):
    """The form cannot make that change of status."""


class Survey(Timestamped, db.Model):
    """A form that community members fill in at a kiosk, on a phone or on paper."""

    __tablename__ = "surveys"
    __table_args__ = (SurveyStatus.check("status"), SurveyPurpose.check("purpose"))

    id: Mapped[int] = mapped_column(primary_key=True)
    #: For the public link /f/<token>.
    token: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_token)
    #: Printed on paper copies, so a typed-in sheet finds its form.
    short_code: Mapped[str] = mapped_column(sa.String(8), unique=True, default=new_short_code)
    status: Mapped[str] = choice_column(SurveyStatus, default=SurveyStatus.DRAFT)
    purpose: Mapped[str] = choice_column(SurveyPurpose, default=SurveyPurpose.GENERAL)
    focus_community_id: Mapped[int | None] = mapped_column(sa.ForeignKey("focus_communities.id"))
    default_language: Mapped[str] = mapped_column(sa.String(16), default="en")
    #: Every language the form is offered in, the default first.
    languages: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    #: Per language: title, intro, consent_text, thank_you, contact_purpose.
    texts: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    #: Offer "you may contact me" at the end, for the purpose in contact_purpose.
    asks_for_contact: Mapped[bool] = mapped_column(default=False)
    #: Months a contact consent given on this form lasts.
    consent_months: Mapped[int] = mapped_column(default=6)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    opened_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    focus_community: Mapped[FocusCommunity | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    questions: Mapped[list["Question"]] = relationship(
        back_populates="survey", cascade="all, delete-orphan", order_by="Question.position")
    kiosk_links: Mapped[list["KioskLink"]] = relationship(
        back_populates="survey", cascade="all, delete-orphan", order_by="KioskLink.id")

    def text(self, field: str, language: str | None = None) -> str:
        return pick_text(self.texts, field, language, self.default_language)

    @property
    def title(self) -> str:
        """The title in the default language, as staff see it in lists."""
        return self.text("title") or "Untitled form"

    @property
    def is_open(self) -> bool:
        return self.status == SurveyStatus.OPEN

    @property
    def status_label(self) -> str:
        return SurveyStatus(self.status).label

    @property
    def purpose_label(self) -> str:
        return SurveyPurpose(self.purpose).label

    @property
    def active_questions(self) -> list["Question"]:
        return [question for question in self.questions if not question.is_retired]

    def offers(self, language: str | None) -> bool:
        return language in (self.languages or [self.default_language])

    def open(self) -> None:
        """Start accepting responses; a form needs at least one question."""
        if not self.active_questions:
            raise SurveyStateError("A form needs at least one question before it can open.")
        self.status, self.opened_at, self.closed_at = SurveyStatus.OPEN, utcnow(), None

    def close(self) -> None:
        """Stop accepting responses; the responses stay."""
        if self.status != SurveyStatus.OPEN:
            raise SurveyStateError("Only an open form can be closed.")
        self.status, self.closed_at = SurveyStatus.CLOSED, utcnow()


class QuestionKind(Choice):
    SHORT_TEXT = "short_text", "Short text"
    LONG_TEXT = "long_text", "Long text"
    SINGLE_CHOICE = "single_choice", "Single choice"
    MULTI_CHOICE = "multi_choice", "Multiple choice"
    RATING = "rating", "Rating scale (1 to 5)"
    YES_NO = "yes_no", "Yes or no"
    NUMBER = "number"
    DATE = "date"
    RANKING = "ranking", "Ranking"
    AGE_BAND = "age_band", "Age band"
    AREA = "area", "Area (from the library's list)"


#: Kinds whose answers are options of the question (yes/no, age band and area included).
OPTION_KINDS = {QuestionKind.SINGLE_CHOICE, QuestionKind.MULTI_CHOICE, QuestionKind.RANKING,
                QuestionKind.YES_NO, QuestionKind.AGE_BAND, QuestionKind.AREA}


class Question(db.Model):
    __tablename__ = "questions"
    __table_args__ = (
        QuestionKind.check("kind"),
        sa.CheckConstraint("min_value IS NULL OR max_value IS NULL OR min_value <= max_value",
                           name="range_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"),
                                           index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = choice_column(QuestionKind)
    #: Per language: prompt, help, low_label and high_label (rating scales).
    texts: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    is_required: Mapped[bool] = mapped_column(default=False)
    min_value: Mapped[float | None]
    max_value: Mapped[float | None]
    #: Show this question only when the earlier question has one of the options below.
    show_if_question_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("questions.id", ondelete="SET NULL"))
    show_if_option_ids: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    #: A question removed after people answered it: off the form, still in results.
    is_retired: Mapped[bool] = mapped_column(default=False)

    survey: Mapped[Survey] = relationship(back_populates="questions")
    options: Mapped[list["QuestionOption"]] = relationship(
        back_populates="question", cascade="all, delete-orphan",
        order_by="QuestionOption.position")
    show_if_question: Mapped["Question | None"] = relationship(remote_side=[id])

    def text(self, field: str, language: str | None = None) -> str:
        return pick_text(self.texts, field, language, self.survey.default_language)

    @property
    def kind_label(self) -> str:
        return QuestionKind(self.kind).label

    @property
    def has_options(self) -> bool:
        return self.kind in OPTION_KINDS

    @property
    def active_options(self) -> list["QuestionOption"]:
        return [option for option in self.options if not option.is_retired]

    def same_choices(self, option_ids: Iterable[int]) -> set[int]:
        """Return `option_ids` with every other wording of the same choices: the retired
        choices they replaced and the choices that replaced them."""
        linked: dict[int, set[int]] = {}
        for option in self.options:
            if option.replaces_id is not None:
                linked.setdefault(option.id, set()).add(option.replaces_id)
                linked.setdefault(option.replaces_id, set()).add(option.id)
        found, waiting = set(), list(option_ids)
        while waiting:
            option_id = waiting.pop()
            if option_id not in found:
                found.add(option_id)
                waiting.extend(linked.get(option_id, ()))
        return found


class QuestionOption(db.Model):
    """One choice of a question. Answered options are retired, never deleted."""

    __tablename__ = "question_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("questions.id", ondelete="CASCADE"),
                                             index=True)
    position: Mapped[int] = mapped_column(default=0)
    #: Per language: {"en": {"label": "..."}}.
    texts: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    is_retired: Mapped[bool] = mapped_column(default=False)
    #: The answered choice this one took over when staff reworded it: the same choice, so
    #: counts of it (outcome shares, measures) take in the answers given under either wording.
    replaces_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("question_options.id", ondelete="SET NULL"))

    question: Mapped[Question] = relationship(back_populates="options")

    def text(self, language: str | None = None) -> str:
        return pick_text(self.texts, "label", language, self.question.survey.default_language)


class SurveyArea(db.Model):
    """An area on the library's pick-list for "area" questions (a neighbourhood, a town)."""

    __tablename__ = "survey_areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)


class KioskLink(db.Model):
    """A link a branch device opens to run a form as a kiosk."""

    __tablename__ = "kiosk_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_token)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"),
                                           index=True)
    branch_id: Mapped[int] = mapped_column(sa.ForeignKey("branches.id"))
    #: Where the device stands, e.g. "tablet by the holds shelf".
    label: Mapped[str] = mapped_column(sa.String(120), default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    survey: Mapped[Survey] = relationship(back_populates="kiosk_links")
    branch: Mapped[Branch] = relationship()
    created_by: Mapped[User | None] = relationship()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = utcnow()


class Channel(Choice):
    KIOSK = "kiosk"
    WEB = "web", "Web or phone"
    PAPER = "paper"
    IMPORTED = "imported", "Imported from another tool"


class ReviewStatus(Choice):
    NEW = "new"
    REVIEWED = "reviewed"
    ARCHIVED = "archived"


class SurveyResponse(db.Model):
    """One person's completed form. Anonymous: no name, address, IP or device is stored."""

    __tablename__ = "survey_responses"
    __table_args__ = (
        Channel.check("channel"),
        ReviewStatus.check("review_status"),
        sa.Index("ix_survey_responses_survey_submitted", "survey_id", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"))
    #: Issued with the blank form; the same id sent twice stores one response.
    submission_id: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: A digest of the answers, to tell a resubmission from a different one with the same id.
    answers_digest: Mapped[str] = mapped_column(sa.String(64), default="")
    channel: Mapped[str] = choice_column(Channel)
    branch_id: Mapped[int | None] = mapped_column(sa.ForeignKey("branches.id"), index=True)
    kiosk_link_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("kiosk_links.id", ondelete="SET NULL"))
    language: Mapped[str] = mapped_column(sa.String(16))
    submitted_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    #: Staff who typed in a paper response.
    transcribed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    review_status: Mapped[str] = choice_column(ReviewStatus, default=ReviewStatus.NEW)

    survey: Mapped[Survey] = relationship()
    branch: Mapped[Branch | None] = relationship()
    transcribed_by: Mapped[User | None] = relationship()
    answers: Mapped[list["Answer"]] = relationship(
        back_populates="response", cascade="all, delete-orphan", order_by="Answer.id")

    @property
    def channel_label(self) -> str:
        return Channel(self.channel).label


class Answer(db.Model):
    """One value of a response: a text, a number, a date, or one chosen option (with its rank).

    A multiple choice or ranking answer is one row per chosen option, so results are counted
    by the database with GROUP BY.
    """

    __tablename__ = "answers"
    __table_args__ = (
        # On PostgreSQL only: on SQLite each stored answer would write one more page of it
        # while holding the one write lock (migration 0007).
        sa.Index("ix_answers_question_option", "question_id", "option_id").ddl_if(
            dialect="postgresql"),
        sa.Index("ix_answers_response", "response_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        sa.ForeignKey("survey_responses.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("questions.id", ondelete="CASCADE"))
    option_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("question_options.id", ondelete="CASCADE"))
    #: Position in a ranking, 1 = most important.
    rank: Mapped[int | None]
    text_value: Mapped[str | None] = mapped_column(sa.Text)
    number_value: Mapped[float | None]
    date_value: Mapped[date | None] = mapped_column(sa.Date)

    response: Mapped[SurveyResponse] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()
    option: Mapped[QuestionOption | None] = relationship()
