"""The demo action groups and plans: Eastgate's plan went draft → endorsed → active through
recorded decisions, with activities, sessions and indicators; Northside's is a draft the demo
member cannot see."""

import pytest
import sqlalchemy as sa

from app.accounts.models import Branch, User
from app.community.models import FocusCommunity, Organization
from app.demo import riverbend
from app.demo.plans import EASTGATE_GROUP, EASTGATE_PLAN, NORTHSIDE_GROUP, add_demo_plans
from app.demo.seed import seed_demo
from app.extensions import db
from app.plans.models import ActionGroup, Plan
from app.themes.models import Theme
from tests.conftest import log_in


def _by(model, key: str) -> dict:
    return {getattr(record, key): record for record in db.session.scalars(sa.select(model))}


@pytest.fixture
def demo(app):
    """The demo library with its plans, whether or not seed_demo() adds them itself."""
    seed_demo()
    if db.session.scalar(sa.select(Plan).where(Plan.title == EASTGATE_PLAN)) is None:
        add_demo_plans(_by(User, "email"), _by(FocusCommunity, "name"), _by(Branch, "name"),
                       _by(Organization, "name"))
    db.session.commit()
    return _by(Plan, "title")


def test_the_eastgate_plan_became_active_through_recorded_decisions(demo):
    plan = demo[EASTGATE_PLAN]
    assert plan.status == "active" and plan.action_group.name == EASTGATE_GROUP
    assert plan.endorsed_by.is_on_record
    assert plan.endorsed_by.meeting.action_group_id == plan.action_group_id
    statuses = [change.summary for change in plan.changes if change.part == "status"]
    assert statuses == ["Status: Community-endorsed → Active",
                        "Status: Draft → Community-endorsed"]
    oldest = min(plan.changes, key=lambda change: change.changed_at)
    assert oldest.part == "community"


def test_the_eastgate_plan_has_agreed_indicators_activities_and_sessions(demo):
    plan = demo[EASTGATE_PLAN]
    statements = {indicator.statement: indicator for indicator in plan.agreed_indicators()}
    kids = statements["Kids in our group bring homework and leave with it done"]
    mothers = statements["Mothers say they feel fine coming to the library alone"]
    assert (kids.kind, kids.level) == ("observation", "short_term")
    assert (mothers.kind, mothers.level) == ("story", "intermediate")
    assert any(indicator.level == "output" for indicator in plan.indicators)
    mornings, free = plan.activities[0], plan.activities[1]
    assert mornings.kind == "program" and free.kind == "service_change"
    assert [organization.name for organization in mornings.organizations] == [
        "Horn of Africa Families Association"]
    assert 6 <= len(mornings.sessions) <= 8
    assert all(session.headcount for session in mornings.sessions)
    assert {theme.name for theme in plan.themes} == {
        "Homework help in home languages",
        "Fear of costs and fines; unclear that services are free"}
    assert all(theme.excerpts for theme in plan.themes)


def test_the_demo_member_is_a_listed_member_of_eastgate_only(demo):
    member = db.session.scalar(sa.select(User).where(User.email == riverbend.MEMBER))
    groups = _by(ActionGroup, "name")
    eastgate, northside = groups[EASTGATE_GROUP], groups[NORTHSIDE_GROUP]
    [membership] = [row for row in eastgate.memberships if row.user_id == member.id]
    assert membership.consent_to_be_listed
    assert member.id not in {row.user_id for row in northside.memberships}
    unlisted = [row for row in eastgate.current_memberships
                if not row.consent_to_be_listed and row.role != "staff_liaison"]
    assert len(unlisted) == 3
    assert [plan.status for plan in northside.plans] == ["draft"]


def test_the_demo_member_sees_eastgate_work_and_not_northside(demo, client):
    member = db.session.scalar(sa.select(User).where(User.email == riverbend.MEMBER))
    log_in(client, member)
    plan = demo[EASTGATE_PLAN]
    activity = plan.activities[0]
    assert client.get(f"/plans/activities/{activity.id}").status_code == 200
    assert client.get(f"/plans/{plan.id}/plan.pdf").status_code == 200
    northside = db.session.scalar(sa.select(ActionGroup).where(
        ActionGroup.name == NORTHSIDE_GROUP)).plans[0]
    assert client.get(f"/plans/{northside.id}/plan.pdf").status_code == 403


def test_the_plan_themes_are_not_made_twice(demo):
    names = db.session.scalars(sa.select(Theme.name)).all()
    assert names.count("Homework help in home languages") == 1


def test_with_the_themes_demo_the_plan_uses_its_themes_and_endorsed_priorities(app):
    from app.demo.themes import add_demo_themes

    seed_demo()
    if db.session.scalar(sa.select(Plan).where(Plan.title == EASTGATE_PLAN)) is None:
        people, communities = _by(User, "email"), _by(FocusCommunity, "name")
        branches = _by(Branch, "name")
        already = db.session.scalar(sa.select(Theme).where(
            Theme.name == "Homework help in home languages"))
        themes_demo = None if already else add_demo_themes(people, communities, branches)
        add_demo_plans(people, communities, branches, _by(Organization, "name"), themes_demo)
    db.session.commit()
    plan = db.session.scalar(sa.select(Plan).where(Plan.title == EASTGATE_PLAN))
    names = db.session.scalars(sa.select(Theme.name)).all()
    assert names.count("Homework help in home languages") == 1
    assert plan.priorities and all(priority.is_endorsed for priority in plan.priorities)
