"""The demo plan's evaluation: outcome forms with answers, measurements from forms, sessions
and hand entries, stories chosen by a panel, and a halfway evaluation signed off at a meeting."""

import pytest
import sqlalchemy as sa

from app.demo.plans import EASTGATE_PLAN
from app.demo.seed import seed_demo
from app.evaluation.measuring import indicator_results
from app.evaluation.models import Evaluation, OutcomeForm
from app.evaluation.outcomes import follow_up_list, outcome_summary
from app.extensions import db
from app.plans.models import Plan
from app.records import library_today


@pytest.fixture
def plan(app) -> Plan:
    seed_demo()
    db.session.commit()
    return db.session.scalar(sa.select(Plan).where(Plan.title == EASTGATE_PLAN))


def test_the_plan_has_both_outcome_forms_open_with_answers(plan):
    forms = db.session.scalars(sa.select(OutcomeForm).where(OutcomeForm.plan_id == plan.id))
    assert {form.moment: form.survey.status for form in forms} == {
        "immediate": "open", "follow_up": "open"}
    lines = outcome_summary(plan, plan.starts_on, library_today())
    assert [line.outcome for line in lines] == [
        "Knowledge", "Confidence", "Applying it", "Awareness of library services"]
    assert all(line.immediate.answered >= 40 and line.follow_up.answered == 11
               for line in lines)


def test_the_follow_up_list_holds_only_valid_opt_ins(plan):
    listed = follow_up_list(plan)
    assert len(listed.people) == 5


def test_measurements_come_from_forms_sessions_and_hand_entries(plan):
    evaluation = db.session.scalar(sa.select(Evaluation).where(Evaluation.plan_id == plan.id))
    results = indicator_results(plan, evaluation.period_start, evaluation.period_end)
    methods = {result.indicator.position: result.method for result in results}
    assert methods == {1: "hand", 2: "form_share", 3: "hand", 4: "session_sum"}
    assert all(result.latest is not None for result in results)
    headcounts = sum(value.value or 0 for result in results if result.method == "session_sum"
                     for value in result.periods)
    sessions = [session for activity in plan.activities for session in activity.sessions
                if evaluation.period_start <= session.held_on <= evaluation.period_end]
    assert headcounts == sum(session.headcount for session in sessions)


def test_the_halfway_evaluation_is_signed_off_and_features_two_chosen_stories(plan):
    evaluation = db.session.scalar(sa.select(Evaluation).where(Evaluation.plan_id == plan.id))
    assert evaluation.is_signed_off and evaluation.signed_off_by.is_on_record
    assert evaluation.signed_off_by.meeting.action_group_id == plan.action_group_id
    assert len(evaluation.stories) == 2
    assert all(story.selections and story.is_public for story in evaluation.stories)
