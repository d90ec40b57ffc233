"""Helpers for tests of the public pages: find a form's questions and options, read pages."""

import re

import sqlalchemy as sa

from app.extensions import db
from app.surveys.models import Answer, Question, Survey, SurveyResponse


def active_question(survey: Survey, kind: str) -> Question:
    """Return the first active question of `kind`."""
    return next(q for q in survey.active_questions if q.kind == kind)


def name_of(survey: Survey, kind: str) -> str:
    """Return the field name of the first question of `kind`."""
    return f"q_{active_question(survey, kind).id}"


def option_of(survey: Survey, kind: str, index: int = 0) -> int:
    """Return the id of an option of the first question of `kind`."""
    return active_question(survey, kind).options[index].id


def good_answers(survey: Survey) -> dict:
    """Return form data answering every question of every_kind() well."""
    ranking = active_question(survey, "ranking")
    data = {
        name_of(survey, "single_choice"): option_of(survey, "single_choice", 0),
        name_of(survey, "multi_choice"): [option_of(survey, "multi_choice", 0),
                                          option_of(survey, "multi_choice", 2)],
        name_of(survey, "rating"): "4",
        name_of(survey, "yes_no"): option_of(survey, "yes_no", 0),
        name_of(survey, "short_text"): "Eastgate",
        name_of(survey, "long_text"): "More evening hours, please.",
        name_of(survey, "number"): "2",
        name_of(survey, "date"): "2025-03-01",
        f"q_{ranking.id}-{ranking.options[0].id}": "1",
        f"q_{ranking.id}-{ranking.options[1].id}": "2",
        name_of(survey, "age_band"): option_of(survey, "age_band", 1),
        name_of(survey, "area"): option_of(survey, "area", 0),
    }
    return data


def submission_id(page: bytes) -> str:
    """Return the submission id a blank form was issued with."""
    return re.search(rb'name="submission_id" type="hidden" value="([^"]+)"', page).group(1).decode()


def responses() -> list[SurveyResponse]:
    """Return every stored response, oldest first."""
    db.session.expire_all()
    return db.session.scalars(sa.select(SurveyResponse).order_by(SurveyResponse.id)).all()


def answers_to(question: Question) -> list[Answer]:
    """Return the stored answer rows of `question`."""
    return db.session.scalars(
        sa.select(Answer).where(Answer.question_id == question.id).order_by(Answer.id)).all()
