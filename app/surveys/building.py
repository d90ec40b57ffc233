"""Building forms: their settings, the list of forms, copies, and the library's area list.

Services flush and never commit; the view that calls them owns the transaction. The questions
of a form are built in `question_building`.
"""

import copy
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.surveys.models import (
    Question,
    QuestionKind,
    QuestionOption,
    Survey,
    SurveyArea,
    SurveyResponse,
    SurveyStatus,
)
from app.surveys.translating import translation_progress, write_texts

SURVEY_TEXT_FIELDS = ("title", "intro", "consent_text", "thank_you", "contact_purpose")
#: Kinds whose choices the builder sets, not staff: staff translate them but do not edit them.
FIXED_KINDS = {QuestionKind.YES_NO, QuestionKind.AGE_BAND, QuestionKind.AREA}
#: The built-in choices, in the languages we ship them in; other languages start in English.
FIXED_LABELS = {
    QuestionKind.YES_NO: {
        "en": ("Yes", "No"), "es": ("Sí", "No"), "fr": ("Oui", "Non"), "ar": ("نعم", "لا"),
    },
    QuestionKind.AGE_BAND: {
        "en": ("Under 13", "13–17", "18–24", "25–34", "35–44", "45–54", "55–64", "65–74",
               "75 and over", "Prefer not to say"),
        "es": ("Menos de 13", "13–17", "18–24", "25–34", "35–44", "45–54", "55–64", "65–74",
               "75 o más", "Prefiero no decirlo"),
        "fr": ("Moins de 13 ans", "13–17 ans", "18–24 ans", "25–34 ans", "35–44 ans",
               "45–54 ans", "55–64 ans", "65–74 ans", "75 ans et plus",
               "Je préfère ne pas répondre"),
        "ar": ("أقل من 13", "13–17", "18–24", "25–34", "35–44", "45–54", "55–64", "65–74",
               "75 فأكثر", "أفضّل عدم الإجابة"),
    },
}


#: The age at which each of the builder's age bands above ends (None: no end, or no age given).
AGE_BAND_ENDS = (13, 18, 25, 35, 45, 55, 65, 75, None, None)
#: The ages a library may set as CONTACT_MINIMUM_AGE: where the bands of children end.
CONTACT_AGES = (13, 18)


def child_choices(survey: Survey) -> dict[int, frozenset[int]]:
    """Return, per age band question of a form that asks "You may contact me", the choices of
    children under CONTACT_MINIMUM_AGE; empty when the form has none or asks no contact."""
    if not survey.asks_for_contact:
        return {}
    minimum_age = current_app.config["CONTACT_MINIMUM_AGE"]
    choices = {question.id: child_option_ids(question, minimum_age)
               for question in survey.active_questions}
    return {question_id: ids for question_id, ids in choices.items() if ids}


def child_option_ids(question: Question, minimum_age: int) -> frozenset[int]:
    """Return the ids of an age band question's choices for children under `minimum_age`,
    who leave no contact details without a parent or guardian (DOMAIN privacy rule 11).

    The builder's ten bands are fixed and never edited, so they are known by their place;
    a question with other bands (made before the builder fixed them) has none."""
    options = sorted(question.options, key=lambda option: option.position)
    if question.kind != QuestionKind.AGE_BAND or len(options) != len(AGE_BAND_ENDS):
        return frozenset()
    return frozenset(option.id for option, end in zip(options, AGE_BAND_ENDS, strict=True)
                     if end is not None and end <= minimum_age)


class DefaultLanguageIncomplete(Exception):
    """A language becomes the default only once every text is translated into it."""


class AreaNameTaken(Exception):
    """Another area on the library's list has this name."""


@dataclass(frozen=True)
class SurveyRow:
    """A form in the list, with how many responses it has and when the last came in."""

    survey: Survey
    response_count: int
    last_response_at: datetime | None


@dataclass
class SurveySettings:
    """A form's settings as the edit screen gives them; texts are in the default language."""

    purpose: str
    focus_community_id: int | None
    default_language: str
    other_languages: list[str]
    texts: dict[str, str]
    asks_for_contact: bool
    consent_months: int


# Forms

def survey_rows(*, status: str | None = None) -> list[SurveyRow]:
    """Return the forms, newest first, with their response counts from one grouped query."""
    counts = (sa.select(SurveyResponse.survey_id,
                        sa.func.count(SurveyResponse.id).label("responses"),
                        sa.func.max(SurveyResponse.submitted_at).label("last_at"))
              .group_by(SurveyResponse.survey_id).subquery())
    query = (sa.select(Survey, sa.func.coalesce(counts.c.responses, 0), counts.c.last_at)
             .outerjoin(counts, counts.c.survey_id == Survey.id)
             .options(joinedload(Survey.focus_community))
             .order_by(Survey.created_at.desc(), Survey.id.desc()))
    if status:
        query = query.where(Survey.status == status)
    return [SurveyRow(*row) for row in db.session.execute(query)]


def get_survey(survey_id: int) -> Survey | None:
    """Return the form with its questions and their choices loaded."""
    return db.session.get(Survey, survey_id, options=[
        selectinload(Survey.questions).selectinload(Question.options)])


def response_count(survey: Survey) -> int:
    """Return how many responses the form has."""
    return db.session.scalar(sa.select(sa.func.count(SurveyResponse.id))
                             .where(SurveyResponse.survey_id == survey.id)) or 0


def save_survey(survey: Survey, *, settings: SurveySettings) -> Survey:
    """Store a form's settings; the texts go in the language they were shown in."""
    shown_in = survey.default_language if survey.id else settings.default_language
    survey.purpose = settings.purpose
    survey.focus_community_id = settings.focus_community_id or None
    survey.asks_for_contact = settings.asks_for_contact
    survey.consent_months = settings.consent_months
    write_texts(survey, shown_in, {name: settings.texts.get(name, "")
                                   for name in SURVEY_TEXT_FIELDS})
    new_default = settings.default_language
    if survey.id and new_default != survey.default_language:
        progress = translation_progress(survey, new_default)
        if not progress.is_complete:
            raise DefaultLanguageIncomplete(progress)
    survey.default_language = new_default
    survey.languages = list(dict.fromkeys([new_default, *settings.other_languages, shown_in]))
    db.session.add(survey)
    db.session.flush()
    return survey


def duplicate_survey(survey: Survey, *, created_by_id: int | None) -> Survey:
    """Copy a form with its questions, choices, show-if and texts, as a new draft."""
    texts = copy.deepcopy(survey.texts or {})
    texts.setdefault(survey.default_language, {})["title"] = f"Copy of {survey.title}"
    twin = Survey(status=SurveyStatus.DRAFT, purpose=survey.purpose, texts=texts,
                  focus_community_id=survey.focus_community_id,
                  default_language=survey.default_language, languages=list(survey.languages),
                  asks_for_contact=survey.asks_for_contact, consent_months=survey.consent_months,
                  created_by_id=created_by_id)
    questions = sorted(survey.active_questions, key=lambda q: q.position)
    twins, option_twins = {}, {}
    for position, question in enumerate(questions):
        twins[question.id] = Question(
            kind=question.kind, position=position, texts=copy.deepcopy(question.texts),
            is_required=question.is_required, min_value=question.min_value,
            max_value=question.max_value, show_if_option_ids=[],
            options=[QuestionOption(position=place, texts=copy.deepcopy(option.texts))
                     for place, option in enumerate(question.active_options)])
        option_twins.update(zip((o.id for o in question.active_options),
                                twins[question.id].options, strict=True))
        twin.questions.append(twins[question.id])
    db.session.add(twin)
    db.session.flush()
    for question in questions:
        if question.show_if_question_id in twins:
            twins[question.id].show_if_question_id = twins[question.show_if_question_id].id
            twins[question.id].show_if_option_ids = [
                option_twins[i].id for i in question.show_if_option_ids if i in option_twins]
    db.session.flush()
    return twin


# The library's list of areas

def survey_areas() -> list[SurveyArea]:
    """Return the library's areas in their order, switched-off ones included."""
    return list(db.session.scalars(sa.select(SurveyArea)
                                   .order_by(SurveyArea.position, SurveyArea.id)))


def active_area_names() -> list[str]:
    """Return the names of the areas that are switched on, in order."""
    return [area.name for area in survey_areas() if area.is_active]


def save_area(area: SurveyArea, *, name: str) -> SurveyArea:
    """Add or rename an area; names are unique, whatever their capitals."""
    taken = db.session.scalar(sa.select(SurveyArea.id).where(
        sa.func.lower(SurveyArea.name) == name.lower(), SurveyArea.id != (area.id or 0)))
    if taken:
        raise AreaNameTaken(name)
    if area.id is None:
        area.position = len(survey_areas())
        area.is_active = True
        db.session.add(area)
    area.name = name
    db.session.flush()
    return area


def move_area(area: SurveyArea, *, up: bool) -> None:
    """Swap the area with its neighbour above or below."""
    areas = survey_areas()
    place = areas.index(area)
    other = place - 1 if up else place + 1
    if 0 <= other < len(areas):
        areas[place], areas[other] = areas[other], areas[place]
    for position, each in enumerate(areas):
        each.position = position
    db.session.flush()


def switch_area(area: SurveyArea) -> None:
    """Switch an area off (or back on); questions that already list it keep it."""
    area.is_active = not area.is_active
    db.session.flush()
