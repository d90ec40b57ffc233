"""A plan's status moves draft → community-endorsed → active → under review → closed, only
through moves the community made on record; a refused move says why."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.plans.models import Indicator, Plan, PlanChange, PlanStateError, PlanStatus

TODAY = date.today()


@pytest.fixture
def decision_on(make_meeting, make_decision):
    """Build a decision at a meeting held `days_ago` days ago (or planned, with held=False)."""

    def make(days_ago: int = 10, *, held: bool = True, **meeting_fields):
        meeting = make_meeting(held_on=TODAY - timedelta(days=days_ago),
                               status="held" if held else "planned", **meeting_fields)
        if held:
            return make_decision(meeting=meeting)
        decision = make_decision(meeting=make_meeting())  # recorded first, then un-held
        decision.meeting = meeting
        db.session.flush()
        return decision

    return make


def _indicator(plan: Plan, decision=None) -> Indicator:
    indicator = Indicator(plan=plan, statement="Kids leave with homework done.", kind="story",
                          level="short_term", agreed_at=decision)
    db.session.add(indicator)
    db.session.flush()
    return indicator


@pytest.fixture
def endorsed_plan(make_plan, decision_on, staff):
    plan = make_plan()
    plan.move_to(PlanStatus.ENDORSED, by=staff, decision=decision_on(5))
    db.session.flush()
    return plan


@pytest.fixture
def active_plan(endorsed_plan, decision_on, staff):
    _indicator(endorsed_plan, decision_on(8))
    endorsed_plan.move_to(PlanStatus.ACTIVE, by=staff)
    db.session.flush()
    return endorsed_plan


# Allowed moves

def test_a_decision_at_a_held_meeting_endorses_a_draft(make_plan, decision_on, staff):
    plan, decision = make_plan(), decision_on(3)
    plan.move_to(PlanStatus.ENDORSED, by=staff, decision=decision)
    assert (plan.status, plan.endorsed_by) == ("community_endorsed", decision)
    assert plan.changes[0].summary == "Status: Draft → Community-endorsed"
    assert plan.changes[0].changed_by == staff


def test_an_endorsed_plan_goes_active_with_an_indicator_agreed_before_the_endorsement(
        endorsed_plan, decision_on, staff):
    _indicator(endorsed_plan, decision_on(9))
    endorsed_plan.move_to(PlanStatus.ACTIVE, by=staff)
    assert endorsed_plan.status == "active"


def test_an_indicator_agreed_at_the_endorsing_meeting_itself_counts(endorsed_plan, make_decision,
                                                                       staff):
    _indicator(endorsed_plan, make_decision(meeting=endorsed_plan.endorsed_by.meeting))
    endorsed_plan.move_to(PlanStatus.ACTIVE, by=staff)
    assert endorsed_plan.status == "active"


def test_an_endorsed_plan_can_return_to_draft_and_loses_its_endorsement(endorsed_plan, staff):
    endorsed_plan.move_to(PlanStatus.DRAFT, by=staff)
    assert (endorsed_plan.status, endorsed_plan.endorsed_by) == ("draft", None)


def test_an_active_plan_goes_under_review_then_back_to_active_or_closed(active_plan, staff):
    active_plan.move_to(PlanStatus.UNDER_REVIEW, by=staff)
    assert active_plan.status == "under_review"
    active_plan.move_to(PlanStatus.ACTIVE, by=staff)
    assert active_plan.status == "active"
    active_plan.move_to(PlanStatus.UNDER_REVIEW, by=staff)
    active_plan.move_to(PlanStatus.CLOSED, by=staff)
    db.session.flush()
    db.session.expire(active_plan, ["changes"])  # reload them newest first
    assert active_plan.status == "closed"
    assert [change.summary for change in active_plan.changes][:2] == [
        "Status: Under review → Closed", "Status: Active → Under review"]


# Refused moves

def test_a_draft_cannot_go_straight_to_active(make_plan, staff):
    plan = make_plan()
    with pytest.raises(PlanStateError, match="A plan that is draft cannot become active."):
        plan.move_to(PlanStatus.ACTIVE, by=staff)
    assert plan.status == "draft" and plan.changes == []


def test_a_decision_of_a_planned_meeting_does_not_endorse(make_plan, decision_on, staff):
    plan = make_plan()
    with pytest.raises(PlanStateError, match="Endorsement needs a decision recorded at a "
                                             "meeting that was held"):
        plan.move_to(PlanStatus.ENDORSED, by=staff, decision=decision_on(held=False))
    assert plan.status == "draft"


def test_endorsement_without_a_decision_is_refused(make_plan, staff):
    with pytest.raises(PlanStateError, match="Endorsement needs a decision"):
        make_plan().move_to(PlanStatus.ENDORSED, by=staff)


def test_an_endorsed_plan_without_an_indicator_cannot_go_active(endorsed_plan, staff):
    with pytest.raises(PlanStateError, match="at least one success indicator was agreed"):
        endorsed_plan.move_to(PlanStatus.ACTIVE, by=staff)
    assert endorsed_plan.status == "community_endorsed"


def test_an_indicator_not_agreed_at_any_meeting_does_not_count(endorsed_plan, staff):
    _indicator(endorsed_plan)
    with pytest.raises(PlanStateError, match="at least one success indicator"):
        endorsed_plan.move_to(PlanStatus.ACTIVE, by=staff)


def test_an_indicator_agreed_after_the_endorsement_does_not_count(endorsed_plan, decision_on,
                                                                  staff):
    _indicator(endorsed_plan, decision_on(1))  # endorsed 5 days ago, agreed yesterday
    with pytest.raises(PlanStateError, match="no later than the endorsement"):
        endorsed_plan.move_to(PlanStatus.ACTIVE, by=staff)


def test_an_indicator_agreed_at_a_planned_meeting_does_not_count(endorsed_plan, decision_on,
                                                                 staff):
    _indicator(endorsed_plan, decision_on(9, held=False))
    with pytest.raises(PlanStateError, match="at least one success indicator"):
        endorsed_plan.move_to(PlanStatus.ACTIVE, by=staff)


@pytest.mark.parametrize("target", list(PlanStatus))
def test_a_closed_plan_cannot_move_anywhere(active_plan, staff, target):
    active_plan.move_to(PlanStatus.UNDER_REVIEW, by=staff)
    active_plan.move_to(PlanStatus.CLOSED, by=staff)
    with pytest.raises(PlanStateError, match=f"A plan that is closed cannot become "
                                             f"{target.label.lower()}."):
        active_plan.move_to(target, by=staff, decision=active_plan.endorsed_by)


@pytest.mark.parametrize("status", ["community_endorsed", "active", "under_review", "closed"])
def test_the_database_refuses_a_plan_past_draft_without_an_endorsement(make_plan, status):
    plan = make_plan()
    db.session.commit()
    plan.status = status
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


# Moves through the plan page

def test_staff_endorse_a_plan_by_choosing_the_decision(staff_client, staff, make_plan,
                                                       decision_on):
    plan, decision = make_plan(), decision_on(2)
    db.session.commit()
    response = staff_client.post(f"/plans/{plan.id}/move", data={
        "target": "community_endorsed", "decision_id": str(decision.id)})
    assert response.status_code == 302
    assert response.location == f"/plans/{plan.id}#status-heading"
    db.session.expire_all()
    assert (plan.status, plan.endorsed_by_id) == ("community_endorsed", decision.id)
    page = staff_client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert "The plan is now community-endorsed." in page
    assert "Status: Draft → Community-endorsed" in page


def test_a_refused_move_redirects_to_the_plan_with_the_reason(staff_client, make_plan):
    plan = make_plan()
    db.session.commit()
    response = staff_client.post(f"/plans/{plan.id}/move", data={"target": "active"},
                                 follow_redirects=True)
    assert response.status_code == 200
    assert "A plan that is draft cannot become active." in response.get_data(as_text=True)
    db.session.expire_all()
    assert plan.status == "draft"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PlanChange)) == 0


def test_endorsing_with_a_planned_meetings_decision_through_the_page_is_refused(
        staff_client, make_plan, decision_on):
    plan, decision = make_plan(), decision_on(held=False)
    db.session.commit()
    response = staff_client.post(f"/plans/{plan.id}/move", follow_redirects=True, data={
        "target": "community_endorsed", "decision_id": str(decision.id)})
    assert "Endorsement needs a decision recorded at a meeting that was held" in \
        response.get_data(as_text=True)
    db.session.expire_all()
    assert plan.status == "draft"


@pytest.mark.parametrize("data", [{"target": "nonsense"}, {}, {"target": "active",
                                                               "decision_id": "abc"}])
def test_a_malformed_move_is_refused_in_words(staff_client, make_plan, data):
    plan = make_plan()
    db.session.commit()
    response = staff_client.post(f"/plans/{plan.id}/move", data=data, follow_redirects=True)
    assert response.status_code == 200
    assert "Choose one of the moves offered on the plan." in response.get_data(as_text=True)


def test_the_plan_page_explains_why_a_move_is_not_possible_yet(staff_client, endorsed_plan):
    db.session.commit()
    page = staff_client.get(f"/plans/{endorsed_plan.id}").get_data(as_text=True)
    assert "Make the plan active" in page and "Not yet" in page
    assert "at least one success indicator was agreed" in page
    assert "Return to draft" in page  # possible: a button


def test_the_decision_chooser_lists_the_groups_held_meetings_first_newest_first(
        staff_client, make_plan, make_action_group, decision_on):
    group = make_action_group(name="Eastgate Families Table")
    plan = make_plan(action_group=group)
    other_old = decision_on(20, title="Library board")
    own_old = decision_on(30, title="Table in March", action_group=group)
    own_new = decision_on(4, title="Table in April", action_group=group)
    other_new = decision_on(2, title="Share-back at Central")
    planned = decision_on(held=False, title="Next table", action_group=group)
    db.session.commit()
    page = staff_client.get(f"/plans/{plan.id}").get_data(as_text=True)
    positions = [page.index(f'value="{d.id}"') for d in (own_new, own_old, other_new, other_old)]
    assert positions == sorted(positions)
    assert 'label="Meetings of Eastgate Families Table"' in page
    assert 'label="Other meetings"' in page
    assert f'value="{planned.id}"' not in page


def test_without_any_held_decision_endorsement_is_explained_not_offered(staff_client, make_plan):
    plan = make_plan()
    db.session.commit()
    page = staff_client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert "Endorsement needs a decision recorded at a meeting that was held." in page
    assert 'name="decision_id"' not in page


def test_members_see_the_next_moves_but_no_buttons(member_client, member, make_plan,
                                                   make_action_group):
    plan = make_plan(action_group=make_action_group(members=[member]))
    db.session.commit()
    page = member_client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert "Your group decides at a meeting; staff then record the change here." in page
    assert f'action="/plans/{plan.id}/move"' not in page
    assert member_client.post(f"/plans/{plan.id}/move",
                              data={"target": "community_endorsed"}).status_code == 403
