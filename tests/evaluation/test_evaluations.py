"""Evaluations of a plan: staff start them, staff and the group write them together, the
community signs them off at a held meeting, and then they stay as agreed."""

from datetime import date

import pytest

from app.evaluation.models import Evaluation, Story
from app.extensions import db
from app.plans.models import PlanChange
from tests.conftest import log_in


@pytest.fixture
def plan(make_action_group, make_plan, member):
    group = make_action_group(members=[member], name="Eastgate Families Table")
    plan = make_plan(title="Saturday homework mornings", action_group=group)
    db.session.commit()
    return plan


@pytest.fixture
def evaluation(plan, staff):
    evaluation = Evaluation(plan=plan, title="First six months", period_start=date(2026, 1, 1),
                            period_end=date(2026, 6, 30), created_by=staff)
    db.session.add(evaluation)
    db.session.commit()
    return evaluation


@pytest.fixture
def outsider_client(client, make_user, make_action_group):
    outsider = make_user("member", name="Olga Outsider")
    make_action_group(members=[outsider], name="Another group")
    db.session.commit()
    log_in(client, outsider)
    return client


def _history(plan) -> list[str]:
    return [change.summary for change in db.session.scalars(
        db.select(PlanChange).where(PlanChange.plan_id == plan.id).order_by(PlanChange.id))]


def test_staff_start_an_evaluation_and_the_plans_history_keeps_it(staff_client, plan):
    response = staff_client.post(f"/plans/{plan.id}/evaluations/new", data={
        "title": "First six months", "period_start": "2026-01-01", "period_end": "2026-06-30",
        "evaluators": "Three parents and the branch librarian"})
    evaluation = db.session.scalars(db.select(Evaluation)).one()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/evaluations/{evaluation.id}")
    assert (evaluation.period_start, evaluation.period_end) == (date(2026, 1, 1),
                                                                date(2026, 6, 30))
    assert evaluation.evaluators == "Three parents and the branch librarian"
    assert _history(plan) == ["Started the evaluation “First six months”"]
    page = staff_client.get(f"/evaluations/{evaluation.id}").get_data(as_text=True)
    assert "Thu 1 Jan 2026 to Tue 30 Jun 2026" in page
    assert "Not signed off yet" in page


def test_an_end_before_the_start_is_refused_next_to_the_field(staff_client, plan):
    response = staff_client.post(f"/plans/{plan.id}/evaluations/new", data={
        "title": "Backwards", "period_start": "2026-06-30", "period_end": "2026-01-01"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The end of the period cannot be before its start." in page
    assert 'id="period_end-error"' in page
    assert db.session.scalars(db.select(Evaluation)).all() == []


def test_a_missing_title_and_dates_are_asked_for_in_words(staff_client, plan):
    page = staff_client.post(f"/plans/{plan.id}/evaluations/new", data={}).get_data(as_text=True)
    assert "Give the evaluation a title." in page
    assert "Enter the first day of the period." in page
    assert "Enter the last day of the period." in page


def test_the_evaluation_page_lists_evaluations_and_offers_staff_a_start(
        staff_client, plan, evaluation):
    page = staff_client.get(f"/plans/{plan.id}/evaluation").get_data(as_text=True)
    assert "First six months" in page
    assert "Not signed off yet" in page
    assert "Start an evaluation" in page


def test_members_read_evaluations_but_do_not_start_them(member_client, plan, evaluation):
    page = member_client.get(f"/plans/{plan.id}/evaluation").get_data(as_text=True)
    assert "First six months" in page
    assert "Start an evaluation" not in page
    assert member_client.get(f"/plans/{plan.id}/evaluations/new").status_code == 403
    assert member_client.post(f"/plans/{plan.id}/evaluations/new",
                              data={"title": "Mine"}).status_code == 403


def test_members_co_author_the_text_but_not_the_title_or_period(
        member_client, member, plan, evaluation):
    form = member_client.get(f"/evaluations/{evaluation.id}/edit").get_data(as_text=True)
    assert 'name="lessons"' in form
    assert 'name="title"' not in form
    response = member_client.post(f"/evaluations/{evaluation.id}/edit", data={
        "title": "Renamed by a member", "period_start": "2020-01-01",
        "lessons": "Parents came when the kids could come too.",
        "keep": "The Saturday time.", "what_changed": "Kids finish their homework."})
    assert response.status_code == 302
    db.session.refresh(evaluation)
    assert evaluation.title == "First six months"
    assert evaluation.period_start == date(2026, 1, 1)
    assert evaluation.lessons == "Parents came when the kids could come too."
    assert evaluation.what_changed == "Kids finish their homework."
    assert _history(plan)[-1] == ("Changed the evaluation “First six months”: the lessons, "
                                  "what to keep and what changed")
    assert evaluation.plan.changes[0].changed_by == member


def test_saving_without_changes_leaves_no_history(staff_client, plan, evaluation):
    staff_client.post(f"/evaluations/{evaluation.id}/edit", data={
        "title": "First six months", "period_start": "2026-01-01", "period_end": "2026-06-30"})
    assert _history(plan) == []


def test_sign_off_is_refused_with_a_planned_meetings_decision(
        staff_client, plan, evaluation, make_meeting, make_decision):
    planned = make_meeting(title="Next share-back", status="planned",
                           held_on=date(2030, 1, 1), action_group=plan.action_group)
    decision = make_decision(meeting=planned, text="We sign off the evaluation.")
    db.session.commit()
    response = staff_client.post(f"/evaluations/{evaluation.id}/sign-off",
                                 data={"decision_id": decision.id}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "A sign-off needs a decision taken at a meeting that was held." in page
    db.session.refresh(evaluation)
    assert not evaluation.is_signed_off


def test_sign_off_works_with_a_held_meeting_and_then_the_evaluation_is_read_only(
        staff_client, plan, evaluation, make_meeting, make_decision):
    held = make_meeting(title="June share-back", held_on=date(2026, 7, 2),
                        action_group=plan.action_group)
    decision = make_decision(meeting=held, text="We sign off the first evaluation.")
    db.session.commit()
    page = staff_client.get(f"/evaluations/{evaluation.id}").get_data(as_text=True)
    assert "We sign off the first evaluation." in page  # offered in the sign-off form
    response = staff_client.post(f"/evaluations/{evaluation.id}/sign-off",
                                 data={"decision_id": decision.id}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Signed off at “June share-back” on Thu 2 Jul 2026" in page
    assert "Edit the evaluation" not in page
    db.session.refresh(evaluation)
    assert evaluation.signed_off_by == decision
    assert _history(plan)[-1] == ("Signed off the evaluation “First six months”: at "
                                  "“June share-back” on Thu 2 Jul 2026")
    response = staff_client.post(f"/evaluations/{evaluation.id}/edit",
                                 data={"lessons": "Changed later"}, follow_redirects=True)
    assert "stays as it was agreed" in response.get_data(as_text=True)
    db.session.refresh(evaluation)
    assert evaluation.lessons == ""


def test_sign_off_without_a_decision_is_refused_in_words(staff_client, evaluation):
    response = staff_client.post(f"/evaluations/{evaluation.id}/sign-off", data={},
                                 follow_redirects=True)
    assert "Choose the decision" in response.get_data(as_text=True)


def test_members_do_not_record_the_sign_off(member_client, evaluation, make_decision):
    decision = make_decision()
    db.session.commit()
    assert member_client.post(f"/evaluations/{evaluation.id}/sign-off",
                              data={"decision_id": decision.id}).status_code == 403


def test_the_evaluation_features_only_the_plans_stories(
        member_client, plan, evaluation, make_plan):
    own = Story(plan=plan, title="Homework done at last", what_changed="Finished on time.",
                teller_role="a father", consent_level="anonymous_public")
    elsewhere = Story(plan=make_plan(title="Other plan"), title="Someone else's story",
                      what_changed="Other.", teller_role="a neighbour")
    db.session.add_all([own, elsewhere])
    db.session.commit()
    page = member_client.get(f"/evaluations/{evaluation.id}/stories").get_data(as_text=True)
    assert "Homework done at last" in page
    assert "Public, without a name" in page
    assert "Someone else" not in page
    member_client.post(f"/evaluations/{evaluation.id}/stories", data={"story_ids": [own.id]})
    db.session.refresh(evaluation)
    assert evaluation.stories == [own]
    assert _history(plan)[-1] == ("Chose the stories of the evaluation “First six months”: "
                                  "“Homework done at last”")
    member_client.post(f"/evaluations/{evaluation.id}/stories",
                       data={"story_ids": [elsewhere.id]})
    db.session.refresh(evaluation)
    assert evaluation.stories == [own]


@pytest.mark.parametrize("path", [
    "/evaluations/{id}", "/evaluations/{id}/edit", "/evaluations/{id}/stories",
    "/evaluations/{id}/summary.pdf?audience=partners", "/evaluations/{id}/you-said-we-did.pdf"])
def test_another_groups_member_gets_403(outsider_client, evaluation, path):
    url = path.format(id=evaluation.id)
    assert outsider_client.get(url).status_code == 403
    if "pdf" not in url and url != f"/evaluations/{evaluation.id}":
        assert outsider_client.post(url, data={"lessons": "x"}).status_code == 403
    db.session.refresh(evaluation)
    assert evaluation.lessons == ""


def test_another_groups_member_cannot_see_the_plans_evaluation_page(outsider_client, plan):
    assert outsider_client.get(f"/plans/{plan.id}/evaluation").status_code == 403
