"""Reading responses one by one: the review queue, a single response, and its review status.

The queue is cut by keyset on (submitted_at, id), newest first, so a page deep in a form of a
million responses costs what the first does: the index on (survey_id, submitted_at) serves the
order and the cut. It counts up to COUNT_LIMIT responses and then says "more than"; page
numbers are shown while the count is exact.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.records import as_utc
from app.surveys.models import (
    Answer,
    KioskLink,
    Question,
    QuestionKind,
    ReviewStatus,
    Survey,
    SurveyResponse,
)
from app.surveys.results import ResponseFilters, ordered_questions

#: Characters of the first written answer shown in the queue.
SNIPPET_LENGTH = 140
#: The queue counts its responses up to this many, then says "more than".
COUNT_LIMIT = 1000
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


class UnknownReviewStatus(ValueError):
    """The review status asked for is not new, reviewed or archived."""


@dataclass(frozen=True)
class AnsweredQuestion:
    """One question of a response and what the person answered, in the default language."""

    prompt: str
    kind_label: str
    is_retired: bool
    #: Chosen options in order (ranking: rank order), or the one typed value; empty if skipped.
    values: list[str]
    is_ranking: bool = False


@dataclass(frozen=True)
class ResponseCursor:
    """The position of one response in the queue: when it was sent, and its id."""

    submitted_at: datetime
    id: int

    def __str__(self) -> str:
        return f"{(as_utc(self.submitted_at) - EPOCH) // MICROSECOND}_{self.id}"

    @classmethod
    def parse(cls, value: str | None) -> "ResponseCursor | None":
        """Return the cursor written in `value`, or None when it is missing or malformed."""
        moment, _, number = (value or "").partition("_")
        try:
            return cls(EPOCH + int(moment) * MICROSECOND, int(number))
        except (ValueError, OverflowError):
            return None

    @classmethod
    def of(cls, response: SurveyResponse) -> "ResponseCursor":
        return cls(as_utc(response.submitted_at), response.id)


@dataclass
class ResponsePage:
    """One page of the queue, newest first, with cursors to the pages either side.

    `total` is exact up to COUNT_LIMIT; past it `is_more` is set and `pages` is None.
    """

    items: list[SurveyResponse]
    total: int
    is_more: bool
    page: int
    per_page: int
    newer: ResponseCursor | None
    older: ResponseCursor | None

    @property
    def pages(self) -> int | None:
        return None if self.is_more else max(1, -(-self.total // self.per_page))


def response_page(survey: Survey, filters: ResponseFilters, *, per_page: int, page: int = 1,
                  older_than: ResponseCursor | None = None,
                  newer_than: ResponseCursor | None = None) -> ResponsePage:
    """Return one page of the survey's responses under `filters`, newest first: the page after
    `older_than`, before `newer_than`, or else page number `page` while it is within the
    counted responses (the first page otherwise)."""
    query = sa.select(SurveyResponse).where(SurveyResponse.survey_id == survey.id,
                                            *filters.conditions())
    found = query.with_only_columns(sa.literal(1), maintain_column_froms=True)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(
        found.limit(COUNT_LIMIT + 1).subquery()))
    page = max(page, 1)
    key = sa.tuple_(SurveyResponse.submitted_at, SurveyResponse.id)
    if newer_than is not None:
        rows = _fetch(query.where(key > (newer_than.submitted_at, newer_than.id)), per_page,
                      newest=False)
        if len(rows) > per_page:
            items = rows[:per_page][::-1]
            return _page(items, total, max(page, 1), per_page, has_newer=True, has_older=True)
        older_than, page = None, 1  # less than a page above: show the first page, full
    if older_than is not None:
        rows = _fetch(query.where(key < (older_than.submitted_at, older_than.id)), per_page,
                      newest=True)
    else:
        skip = (page - 1) * per_page
        if skip >= min(total, COUNT_LIMIT):
            page, skip = 1, 0
        rows = _fetch(query.offset(skip), per_page, newest=True)
    return _page(rows[:per_page], total, page, per_page,
                 has_newer=page > 1 or older_than is not None, has_older=len(rows) > per_page)


def _fetch(query: sa.Select, size: int, *, newest: bool) -> list[SurveyResponse]:
    order = ((SurveyResponse.submitted_at.desc(), SurveyResponse.id.desc()) if newest
             else (SurveyResponse.submitted_at, SurveyResponse.id))
    return list(db.session.scalars(query.order_by(*order).limit(size + 1)
                                   .options(selectinload(SurveyResponse.branch))))


def _page(items: list[SurveyResponse], total: int, page: int, per_page: int, *, has_newer: bool,
          has_older: bool) -> ResponsePage:
    return ResponsePage(
        items=items, total=min(total, COUNT_LIMIT), is_more=total > COUNT_LIMIT, page=page,
        per_page=per_page, newer=ResponseCursor.of(items[0]) if has_newer and items else None,
        older=ResponseCursor.of(items[-1]) if has_older and items else None)


def first_text_answers(response_ids: list[int]) -> dict[int, str]:
    """Return the first written answer of each response (by question order), shortened."""
    rows = db.session.execute(
        sa.select(Answer.response_id, Answer.text_value)
        .join(Question, Question.id == Answer.question_id)
        .where(Answer.response_id.in_(response_ids), Answer.text_value.is_not(None),
               Answer.text_value != "")
        .order_by(Answer.response_id, Question.position, Answer.id))
    snippets: dict[int, str] = {}
    for response_id, text in rows:
        if response_id not in snippets:
            snippets[response_id] = _shorten(" ".join(text.split()))
    return snippets


def response_answers(response: SurveyResponse) -> list[AnsweredQuestion]:
    """Return every question of the form with this response's answer, retired ones last."""
    by_question: dict[int, list[Answer]] = {}
    for answer in response.answers:
        by_question.setdefault(answer.question_id, []).append(answer)
    return [AnsweredQuestion(prompt=question.text("prompt"), kind_label=question.kind_label,
                             is_retired=question.is_retired,
                             values=answer_values(question, by_question.get(question.id, [])),
                             is_ranking=question.kind == QuestionKind.RANKING)
            for question in ordered_questions(response.survey)
            if not question.is_retired or question.id in by_question]


def answer_values(question: Question, answers: list[Answer]) -> list[str]:
    """Return what `answers` to `question` say, as text in the form's default language."""
    if question.has_options:
        positions = {option.id: option.position for option in question.options}
        chosen = sorted((answer for answer in answers if answer.option is not None),
                        key=lambda answer: (answer.rank or 0, positions.get(answer.option_id, 0)))
        return [answer.option.text() + (" (retired choice)" if answer.option.is_retired else "")
                for answer in chosen]
    return [value for answer in answers if (value := _typed_value(question, answer))]


def kiosk_label(response: SurveyResponse) -> str | None:
    """Return where the kiosk that took this response stands, if it came from one."""
    if response.kiosk_link_id is None:
        return None
    link = db.session.get(KioskLink, response.kiosk_link_id)
    if link is None:
        return None
    return link.label or f"Kiosk at {link.branch.name}"


def change_review_status(response: SurveyResponse, status: str) -> None:
    """Mark a response new, reviewed or archived."""
    if status not in {member.value for member in ReviewStatus}:
        raise UnknownReviewStatus(status)
    response.review_status = status


def _typed_value(question: Question, answer: Answer) -> str:
    if answer.text_value:
        return answer.text_value
    if answer.date_value is not None:
        return answer.date_value.isoformat()
    if answer.number_value is None:
        return ""
    value = answer.number_value
    text = str(int(value)) if float(value).is_integer() else str(value)
    return f"{text} out of 5" if question.kind == QuestionKind.RATING else text


def _shorten(text: str) -> str:
    if len(text) <= SNIPPET_LENGTH:
        return text
    return text[:SNIPPET_LENGTH].rsplit(" ", 1)[0] + "…"
