"""A plan's outcome forms: staff create them from the evaluation page, they open in the builder
and publicly, and `outcome_summary` counts the share who agreed, per outcome and form."""

import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from app.evaluation import outcomes
from app.evaluation.models import OutcomeForm
from app.extensions import db
from app.plans.models import Indicator, PlanChange
from app.surveys.models import Answer, Survey, SurveyResponse
from app.surveys.question_building import (
    OptionDraft,
    QuestionDraft,
    remove_question,
    save_question,
)

SCALE = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
         "Strongly agree"]


@pytest.fixture
def plan(make_plan, make_action_group, make_focus_community, member):
    community = make_focus_community(name="Newcomer families", languages=["en", "ar"])
    group = make_action_group(members=[member], name="Eastgate Families Table")
    plan = make_plan(title="Homework help", action_group=group, focus_community=community)
    db.session.add_all([
        Indicator(plan=plan, statement="Parents feel confident helping with homework.",
                  kind="survey_outcome", level="short_term"),
        Indicator(plan=plan, statement="Stories from parents", kind="story", level="short_term"),
    ])
    db.session.commit()
    return plan


def _create(client, plan, moment):
    return client.post(f"/plans/{plan.id}/evaluation/outcome-forms/{moment}")


def _form(plan, moment) -> OutcomeForm:
    db.session.expire_all()
    return db.session.scalar(sa.select(OutcomeForm).where(OutcomeForm.plan_id == plan.id,
                                                          OutcomeForm.moment == moment))


def _prompts(survey: Survey) -> list[str]:
    return [question.text("prompt") for question in survey.active_questions]


def test_staff_create_the_end_of_session_form_from_the_evaluation_page(staff_client, plan):
    page = staff_client.get(f"/plans/{plan.id}/evaluation").text
    assert "Create the end-of-session form" in page and "Create the follow-up form" in page

    response = _create(staff_client, plan, "immediate")

    form = _form(plan, "immediate")
    survey = form.survey
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/forms/{survey.id}")
    assert (survey.purpose, survey.status, survey.asks_for_contact) == (
        "outcome_immediate", "draft", True)
    assert survey.focus_community_id == plan.focus_community_id
    assert (survey.default_language, survey.languages) == ("en", ["en", "ar"])
    assert survey.title == "Homework help: how was today's session?"
    assert survey.text("contact_purpose").startswith("In a few weeks we would like to send you")
    assert _prompts(survey) == [
        "I learned something new that I can use.",
        "I feel more confident about the topic of today's session.",
        "I intend to use what I learned.",
        "I know more about what the library offers.",
        "What was most useful?",
        "What could be better?",
    ]
    kinds = [question.kind for question in survey.active_questions]
    assert kinds == ["single_choice"] * 4 + ["long_text"] * 2
    for question in survey.active_questions[:4]:
        assert [option.text() for option in question.options] == SCALE
        assert [option.position for option in question.options] == [0, 1, 2, 3, 4]
    assert [change.summary for change in db.session.scalars(sa.select(PlanChange))] == [
        "Created the outcome form “Homework help: how was today's session?” "
        "(at the end of a session)"]


def test_the_four_agree_questions_are_linked_to_the_survey_outcome_indicators(staff_client,
                                                                              plan):
    _create(staff_client, plan, "immediate")
    _create(staff_client, plan, "follow_up")
    outcome, story = sorted(plan.indicators, key=lambda i: i.kind != "survey_outcome")
    db.session.refresh(outcome)
    db.session.refresh(story)
    immediate, follow_up = _form(plan, "immediate").survey, _form(plan, "follow_up").survey
    linked = {(question.survey_id, question.text("prompt")) for question in outcome.questions}
    assert len(linked) == 8
    assert (immediate.id, "I intend to use what I learned.") in linked
    assert (follow_up.id, "I have used what I learned since the session.") in linked
    assert (immediate.id, "What was most useful?") not in linked
    assert story.questions == []


def test_the_follow_up_form_asks_what_has_happened_since_and_no_contact(staff_client,
                                                                       make_plan):
    plan = make_plan(title="Seniors online")
    db.session.commit()
    _create(staff_client, plan, "follow_up")
    survey = _form(plan, "follow_up").survey
    assert (survey.purpose, survey.asks_for_contact, survey.focus_community_id) == (
        "outcome_follow_up", False, None)
    assert survey.languages == ["en"]
    prompts = _prompts(survey)
    assert prompts[2] == "I have used what I learned since the session."
    assert len(prompts) == 6 and prompts[4] == "What has been most useful since the session?"


def test_a_second_create_says_so_and_links_to_the_existing_form(staff_client, plan):
    _create(staff_client, plan, "immediate")
    existing = _form(plan, "immediate")
    response = _create(staff_client, plan, "immediate")
    assert response.headers["Location"].endswith(f"/forms/{existing.survey_id}")
    page = staff_client.get(response.headers["Location"]).text
    assert "This plan already has its end-of-session form" in page
    assert db.session.scalar(sa.select(sa.func.count(OutcomeForm.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(Survey.id))) == 1


def test_the_service_refuses_a_second_form_and_a_closed_plan(app, plan, staff, make_plan,
                                                             make_decision):
    outcomes.create_outcome_form(plan, "follow_up", by=staff)
    with pytest.raises(outcomes.OutcomeFormExists) as raised:
        outcomes.create_outcome_form(plan, "follow_up", by=staff)
    assert raised.value.existing.plan_id == plan.id
    closed = make_plan(status="closed", endorsed_by=make_decision())
    with pytest.raises(outcomes.OutcomeFormRefused, match="This plan is closed"):
        outcomes.create_outcome_form(closed, "immediate", by=staff)


def test_created_forms_open_in_the_builder_and_publicly_with_the_contact_question(
        staff_client, client, plan):
    _create(staff_client, plan, "immediate")
    survey = _form(plan, "immediate").survey
    builder = staff_client.get(f"/forms/{survey.id}")
    assert builder.status_code == 200
    assert "I learned something new that I can use." in builder.text
    survey.open()
    db.session.commit()
    public = staff_client.get(f"/f/{survey.token}").text
    assert "Strongly agree" in public and "What could be better?" in public
    assert "In a few weeks we would like to send you a short follow-up form" in public
    assert "Yes, you may contact me" in public


def test_the_evaluation_page_shows_each_form_with_its_links_and_the_follow_up_list(
        staff_client, plan):
    _create(staff_client, plan, "immediate")
    survey = _form(plan, "immediate").survey
    page = staff_client.get(f"/plans/{plan.id}/evaluation").text
    assert "Create the end-of-session form" not in page
    assert "Create the follow-up form" in page
    for link in (f"/forms/{survey.id}", f"/forms/{survey.id}/share",
                 f"/forms/{survey.id}/results", f"/plans/{plan.id}/evaluation/follow-up"):
        assert f'href="{link}"' in page
    assert "0 responses" in page and "0 people agreed" in page


def test_members_see_the_forms_but_cannot_create_them_or_reach_the_list(
        member_client, staff, plan):
    outcomes.create_outcome_form(plan, "immediate", by=staff)
    db.session.commit()
    page = member_client.get(f"/plans/{plan.id}/evaluation")
    assert page.status_code == 200
    assert "Homework help: how was today&#39;s session?" in page.text
    assert "Create the follow-up form" not in page.text
    assert "follow-up list" not in page.text.lower()
    assert not re.search(r'href="/forms/', page.text)
    assert _create(member_client, plan, "follow_up").status_code == 403
    assert _form(plan, "follow_up") is None


def test_a_member_of_another_group_gets_403_on_the_evaluation_page(
        member_client, make_plan, make_action_group, make_user):
    other = make_plan(action_group=make_action_group(members=[make_user("member")]))
    db.session.commit()
    assert member_client.get(f"/plans/{other.id}/evaluation").status_code == 403


# outcome_summary, against hand-computed shares

def _respond(survey: Survey, at: datetime, choices: dict[int, int]) -> None:
    """Store a response submitted `at` (UTC), choosing option index per question index."""
    questions = survey.active_questions
    db.session.add(SurveyResponse(
        survey=survey, submission_id=f"s-{survey.id}-{at.isoformat()}-{len(choices)}",
        channel="web", language="en", submitted_at=at,
        answers=[Answer(question_id=questions[q].id, option_id=questions[q].options[o].id)
                 for q, o in choices.items()]))


@pytest.fixture
def both_forms(app, plan, staff):
    immediate = outcomes.create_outcome_form(plan, "immediate", by=staff).survey
    follow_up = outcomes.create_outcome_form(plan, "follow_up", by=staff).survey
    march = datetime(2026, 3, 10, 18, tzinfo=UTC)
    # Immediate, in March: knowledge answered 4 times, agreed by 3 (Agree, Strongly, Strongly;
    # Neither does not count); confidence answered twice, agreed once (Disagree, Agree).
    _respond(immediate, march, {0: 3, 1: 1})
    _respond(immediate, march.replace(day=11), {0: 4, 1: 3})
    _respond(immediate, march.replace(day=12), {0: 4})
    _respond(immediate, march.replace(day=13), {0: 2})
    # 1 March 03:00 UTC is still 28 February in Toronto: outside March.
    _respond(immediate, datetime(2026, 3, 1, 3, tzinfo=UTC), {0: 4, 1: 4})
    # 1 April 03:30 UTC is still 31 March in Toronto: inside March.
    _respond(immediate, datetime(2026, 4, 1, 3, 30, tzinfo=UTC), {2: 0})
    # Follow-up, in March: knowledge 1 of 2 agreed; applying it 2 of 3 agreed.
    _respond(follow_up, march, {0: 4, 2: 3})
    _respond(follow_up, march.replace(day=20), {0: 0, 2: 4})
    _respond(follow_up, march.replace(day=21), {2: 1})
    db.session.commit()
    return immediate, follow_up


def _by_outcome(plan, start, end) -> dict[str, outcomes.OutcomeLine]:
    return {line.outcome: line for line in outcomes.outcome_summary(plan, start, end)}


def test_outcome_summary_matches_hand_computed_shares(plan, both_forms):
    lines = _by_outcome(plan, date(2026, 3, 1), date(2026, 3, 31))
    assert list(lines) == ["Knowledge", "Confidence", "Applying it",
                           "Awareness of library services"]
    knowledge = lines["Knowledge"]
    assert knowledge.statement == "I learned something new that I can use."
    assert knowledge.immediate == outcomes.AgreeShare(agree=3, answered=4)
    assert knowledge.immediate.share == 0.75
    assert knowledge.follow_up == outcomes.AgreeShare(agree=1, answered=2)
    assert lines["Confidence"].immediate == outcomes.AgreeShare(agree=1, answered=2)
    assert lines["Confidence"].follow_up == outcomes.AgreeShare(agree=0, answered=0)
    assert lines["Applying it"].immediate == outcomes.AgreeShare(agree=0, answered=1)
    assert lines["Applying it"].immediate.share == 0
    assert lines["Applying it"].follow_up.share == pytest.approx(2 / 3)
    awareness = lines["Awareness of library services"]
    assert awareness.immediate.answered == 0 and awareness.immediate.share is None


def test_an_agree_choice_reworded_after_answers_still_counts_them(plan, both_forms):
    immediate, _ = both_forms
    knowledge = immediate.active_questions[0]
    drafts = [OptionDraft(label=option.text(), id=option.id) for option in knowledge.options]
    drafts[-1].label = "Yes, very much"  # was "Strongly agree", chosen twice in March
    save_question(immediate, knowledge, draft=QuestionDraft(
        kind=knowledge.kind, prompt=knowledge.text("prompt"), options=drafts))
    db.session.commit()
    assert [option.text() for option in knowledge.active_options][-2:] == [
        "Agree", "Yes, very much"]
    _respond(immediate, datetime(2026, 3, 14, 18, tzinfo=UTC), {0: 4})  # the new wording
    db.session.commit()
    lines = _by_outcome(plan, date(2026, 3, 1), date(2026, 3, 31))
    assert lines["Knowledge"].immediate == outcomes.AgreeShare(agree=4, answered=5)


def test_outcome_summary_counts_days_where_the_library_is(plan, both_forms):
    february = _by_outcome(plan, date(2026, 2, 28), date(2026, 2, 28))
    assert february["Knowledge"].immediate == outcomes.AgreeShare(agree=1, answered=1)
    assert february["Confidence"].immediate == outcomes.AgreeShare(agree=1, answered=1)
    one_day = _by_outcome(plan, date(2026, 3, 11), date(2026, 3, 11))
    assert one_day["Knowledge"].immediate == outcomes.AgreeShare(agree=1, answered=1)


def test_a_period_with_no_responses_gives_nothing_answered(plan, both_forms):
    for line in outcomes.outcome_summary(plan, date(2025, 1, 1), date(2025, 12, 31)):
        assert line.immediate == outcomes.AgreeShare(agree=0, answered=0)
        assert line.follow_up == outcomes.AgreeShare(agree=0, answered=0)
        assert line.immediate.share is None


def test_a_plan_without_forms_or_with_a_removed_question_gives_none(plan, staff, make_plan):
    bare = make_plan()
    assert [(line.immediate, line.follow_up) for line in
            outcomes.outcome_summary(bare, date(2026, 1, 1), date(2026, 12, 31))] == \
        [(None, None)] * 4
    immediate = outcomes.create_outcome_form(plan, "immediate", by=staff).survey
    remove_question(immediate.active_questions[1])  # confidence, never answered: deleted
    db.session.commit()
    lines = _by_outcome(plan, date(2026, 1, 1), date(2026, 12, 31))
    assert lines["Confidence"].immediate is None
    assert lines["Confidence"].statement == \
        "I feel more confident about the topic of today's session."
    assert lines["Knowledge"].immediate == outcomes.AgreeShare(agree=0, answered=0)
    assert lines["Knowledge"].follow_up is None
