"""Store responses for results and export tests, in a line each: answers are given per question
kind, by the English label of the option (retired options and questions included)."""

import secrets
from datetime import datetime

from app.accounts.models import Branch
from app.extensions import db
from app.records import utcnow
from app.surveys.models import Answer, Question, QuestionOption, Survey, SurveyResponse

TEXT_KINDS = {"short_text", "long_text"}
NUMBER_KINDS = {"rating", "number"}


def question_of(survey: Survey, kind: str) -> Question:
    """Return the form's first question of `kind`, retired or not."""
    return next(question for question in survey.questions if question.kind == kind)


def _option(question: Question, label: str) -> QuestionOption:
    return next(option for option in question.options if option.text("en") == label)


def _rows(question: Question, value) -> list[Answer]:
    if question.kind in TEXT_KINDS:
        return [Answer(question=question, text_value=value)]
    if question.kind in NUMBER_KINDS:
        return [Answer(question=question, number_value=float(value))]
    if question.kind == "date":
        return [Answer(question=question, date_value=value)]
    if question.kind == "ranking":
        return [Answer(question=question, option=_option(question, label), rank=rank)
                for rank, label in enumerate(value, start=1)]
    labels = value if isinstance(value, list | tuple) else [value]
    return [Answer(question=question, option=_option(question, label)) for label in labels]


def respond(survey: Survey, *, channel: str, branch: Branch | None = None, language: str = "en",
            submitted_at: datetime | None = None, **answers) -> SurveyResponse:
    """Store one response; `answers` maps a question kind to its value(s)."""
    response = SurveyResponse(
        survey=survey, submission_id=secrets.token_urlsafe(16), channel=channel, branch=branch,
        language=language, submitted_at=submitted_at or utcnow())
    for kind, value in answers.items():
        response.answers.extend(_rows(question_of(survey, kind), value))
    db.session.add(response)
    db.session.flush()
    return response
