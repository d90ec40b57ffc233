"""The demo form "Your library, your say" and its responses."""

from datetime import timedelta

import sqlalchemy as sa

from app.documents.audience import Audience
from app.extensions import db
from app.privacy.models import ConsentRecord
from app.records import as_utc, library_today, utcnow
from app.surveys.models import Answer, KioskLink, Survey, SurveyResponse
from app.surveys.results import ResponseFilters, summarise


def _seed(runner) -> Survey:
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return db.session.scalar(sa.select(Survey).order_by(Survey.id).limit(1))


def _distinct(column) -> set:
    return set(db.session.scalars(sa.select(column).distinct()))


def test_demo_form_is_open_in_three_languages_with_every_text_translated(runner):
    survey = _seed(runner)
    assert survey.title == "Your library, your say" and survey.is_open
    assert survey.languages == ["en", "es", "ar"]
    assert survey.focus_community.name.startswith("Newcomer families")
    assert len(survey.active_questions) >= 8
    for language in survey.languages:
        assert all(survey.texts[language].get(field) for field in (
            "title", "intro", "consent_text", "thank_you", "contact_purpose"))
        for question in survey.questions:
            assert question.texts[language]["prompt"]
            assert all(option.text(language) for option in question.options)
    kinds = {question.kind for question in survey.questions}
    assert {"single_choice", "multi_choice", "rating", "yes_no", "age_band", "area", "number",
            "long_text"} <= kinds
    assert {link.branch.name for link in db.session.scalars(sa.select(KioskLink))} == {
        "Eastgate", "Millbrook"}


def test_demo_has_two_hundred_responses_over_channels_branches_and_languages(runner):
    _seed(runner)
    assert db.session.scalar(sa.select(sa.func.count(SurveyResponse.id))) >= 200
    assert _distinct(SurveyResponse.channel) == {"kiosk", "web", "paper"}
    assert len(_distinct(SurveyResponse.branch_id) - {None}) >= 3
    assert _distinct(SurveyResponse.language) == {"en", "es", "ar"}
    moments = [as_utc(moment) for moment in _distinct(SurveyResponse.submitted_at)]
    assert min(moments) < utcnow() - timedelta(days=42) and max(moments) <= utcnow()
    paper = db.session.scalars(sa.select(SurveyResponse).filter_by(channel="paper")).all()
    assert all(response.transcribed_by is not None for response in paper)
    kiosk = db.session.scalars(sa.select(SurveyResponse).filter_by(channel="kiosk")).all()
    assert all(response.kiosk_link_id is not None for response in kiosk)


def test_demo_answers_fill_every_question_and_summarise(runner):
    survey = _seed(runner)
    answered = _distinct(Answer.question_id)
    assert {question.id for question in survey.questions} <= answered
    summary = summarise(survey, ResponseFilters(), audience=Audience.INTERNAL)
    assert summary.total >= 200
    texts = next(question for question in summary.questions if question.kind == "long_text")
    assert {answer.language for answer in texts.texts.answers} == {"en", "es", "ar"}
    assert any(option.is_retired and option.tally.count
               for question in summary.questions for option in question.options)


def test_demo_keeps_a_few_follow_up_consents_with_fake_contacts(runner):
    survey = _seed(runner)
    consents = db.session.scalars(sa.select(ConsentRecord).where(
        ConsentRecord.survey_id == survey.id)).all()
    assert 3 <= len(consents) <= 10
    assert all(consent.contact_value.startswith("555-01")
               or consent.contact_value.endswith("@example.org") for consent in consents)
    assert all(consent.is_valid_on(library_today()) for consent in consents)
