"""Reading responses one by one: the review queue, a single response, and its review status."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import selectinload

from app.extensions import db
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


def response_page(survey: Survey, filters: ResponseFilters, *, page: int,
                  per_page: int) -> Pagination:
    """Return one page of the survey's responses under `filters`, newest first."""
    query = (sa.select(SurveyResponse)
             .where(SurveyResponse.survey_id == survey.id, *filters.conditions())
             .options(selectinload(SurveyResponse.branch))
             .order_by(SurveyResponse.submitted_at.desc(), SurveyResponse.id.desc()))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


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
