"""The "to code" queue: texts with words in them that nobody has coded or set aside yet.

Four kinds of text wait here: conversation notes, quotes, long-text form answers and the notes
of held meetings. One UNION query finds them, newest first, so the queue pages in the database.
"""

from dataclasses import dataclass
from math import ceil

import sqlalchemy as sa
from flask import url_for

from app.accounts.models import User
from app.conversations.models import Conversation, Quote
from app.extensions import db
from app.meetings.models import Meeting, MeetingStatus
from app.surveys.models import Answer, Question, QuestionKind, Survey, SurveyResponse
from app.themes.coding import Source, source_for_ref
from app.themes.models import Excerpt, SkippedSource, SourceKind

#: Characters of the text shown in a queue row.
SNIPPET_LENGTH = 160


@dataclass(frozen=True)
class QueueFilters:
    focus_community_id: int | None = None
    source_kind: str = ""

    def args(self) -> dict:
        """Return the filters as query arguments, leaving out the empty ones."""
        return {name: value for name, value in (("focus_community_id", self.focus_community_id),
                                                ("source_kind", self.source_kind)) if value}


@dataclass(frozen=True)
class QueueItem:
    source: Source
    title: str
    snippet: str

    @property
    def kind_label(self) -> str:
        return self.source.kind.label


@dataclass(frozen=True)
class QueuePage:
    """One page of the queue; reads like a Pagination for the `pager` macro."""

    items: list[QueueItem]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def _ref(kind: SourceKind, column: sa.ColumnElement) -> sa.ColumnElement[str]:
    return sa.literal(f"{kind.value}:") + sa.cast(column, sa.String)


def _waiting(kind: SourceKind, column: sa.ColumnElement, id_column: sa.ColumnElement):
    """Conditions: the text has words, no excerpt, and nobody set it aside."""
    return (sa.func.trim(column) != "",
            ~sa.exists().where(getattr(Excerpt, f"{kind.value}_id") == id_column),
            ~sa.exists().where(SkippedSource.source_ref == _ref(kind, id_column)))


def _rows(kind: SourceKind, id_column: sa.ColumnElement,
          heard_on: sa.ColumnElement) -> sa.Select:
    # The kind is written into the SQL rather than bound, so PostgreSQL knows its type.
    return sa.select(sa.literal_column(f"'{kind.value}'", sa.String).label("kind"),
                     id_column.label("id"), heard_on.label("heard_on"))


def _queue_union(filters: QueueFilters) -> sa.Subquery:
    """Return a subquery of (kind, id, heard_on) for every text waiting to be coded."""
    community = filters.focus_community_id

    def of_community(column: sa.ColumnElement) -> sa.ColumnElement[bool]:
        return column == community if community else sa.true()

    parts = {
        SourceKind.CONVERSATION: _rows(SourceKind.CONVERSATION, Conversation.id,
                                       Conversation.happened_on)
        .where(*_waiting(SourceKind.CONVERSATION, Conversation.notes, Conversation.id),
               of_community(Conversation.focus_community_id)),
        SourceKind.QUOTE: _rows(SourceKind.QUOTE, Quote.id, Conversation.happened_on)
        .join(Conversation, Conversation.id == Quote.conversation_id)
        .where(*_waiting(SourceKind.QUOTE, Quote.text, Quote.id),
               of_community(Conversation.focus_community_id)),
        SourceKind.ANSWER: _rows(SourceKind.ANSWER, Answer.id,
                                 sa.func.date(SurveyResponse.submitted_at, type_=sa.Date))
        .join(Question, Question.id == Answer.question_id)
        .join(SurveyResponse, SurveyResponse.id == Answer.response_id)
        .join(Survey, Survey.id == SurveyResponse.survey_id)
        .where(Question.kind == QuestionKind.LONG_TEXT, Answer.text_value.is_not(None),
               *_waiting(SourceKind.ANSWER, Answer.text_value, Answer.id),
               of_community(Survey.focus_community_id)),
        SourceKind.MEETING: _rows(SourceKind.MEETING, Meeting.id, Meeting.held_on)
        .where(Meeting.status == MeetingStatus.HELD,
               *_waiting(SourceKind.MEETING, Meeting.notes, Meeting.id),
               of_community(Meeting.focus_community_id)),
    }
    chosen = [query for kind, query in parts.items()
              if not filters.source_kind or kind == filters.source_kind]
    return sa.union_all(*chosen).subquery("waiting")


def _title(source: Source) -> str:
    record = source.record
    if source.kind is SourceKind.CONVERSATION:
        return f"{record.kind_label}: {record.place_label or record.who_label}".rstrip(": ")
    if source.kind is SourceKind.QUOTE:
        conversation = record.conversation
        return f"Quote from {conversation.place_label or conversation.kind_label.lower()}"
    if source.kind is SourceKind.ANSWER:
        return f"{record.response.survey.title}: {record.question.text('prompt')}"
    return record.title


def describe(source: Source) -> QueueItem:
    """Return the source as a row of the queue: a title and the start of its text."""
    words = " ".join(source.text.split())
    snippet = words if len(words) <= SNIPPET_LENGTH else words[:SNIPPET_LENGTH - 1] + "…"
    return QueueItem(source=source, title=_title(source), snippet=snippet)


def queue_page(filters: QueueFilters, *, page: int, per_page: int) -> QueuePage:
    """Return one page of the texts waiting to be coded, newest first."""
    waiting = _queue_union(filters)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(waiting))
    rows = db.session.execute(
        sa.select(waiting.c.kind, waiting.c.id)
        .order_by(waiting.c.heard_on.desc(), waiting.c.kind, waiting.c.id.desc())
        .limit(per_page).offset((max(page, 1) - 1) * per_page))
    items = [describe(source) for kind, record_id in rows
             if (source := source_for_ref(f"{kind}:{record_id}")) is not None]
    return QueuePage(items=items, page=max(page, 1), per_page=per_page, total=total)


def next_in_queue(filters: QueueFilters, *, after_ref: str) -> Source | None:
    """Return the newest text still waiting, other than `after_ref`, or None."""
    waiting = _queue_union(filters)
    rows = db.session.execute(
        sa.select(waiting.c.kind, waiting.c.id)
        .order_by(waiting.c.heard_on.desc(), waiting.c.kind, waiting.c.id.desc()).limit(2))
    refs = [f"{kind}:{record_id}" for kind, record_id in rows]
    ref = next((ref for ref in refs if ref != after_ref), None)
    return source_for_ref(ref) if ref else None


def skip_source(source: Source, *, by: User) -> None:
    """Take the text off the queue: staff found nothing to code in it. The caller commits."""
    if db.session.get(SkippedSource, source.ref) is None:
        db.session.add(SkippedSource(source_ref=source.ref, skipped_by=by))
        db.session.flush()


def coding_url(source: Source, **args) -> str:
    """Return the address of the coding screen for the source."""
    kind, _, record_id = source.ref.partition(":")
    return url_for("themes.code_source", kind=kind, id=int(record_id), **args)
