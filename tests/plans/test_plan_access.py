"""Who may open which plan page: members of a plan's action group read it and write its
community part; other groups' plans and staff pages answer 403."""

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.plans.models import Indicator, Membership, PlanChange
from tests.conftest import log_in


@pytest.fixture
def own_plan(make_plan, make_action_group, member):
    group = make_action_group(name="Eastgate Families Table", members=[member])
    plan = make_plan(title="Saturday homework mornings", action_group=group,
                     staff_hours="6 hours a week", budget="$900 for snacks",
                     risks="Volunteers may burn out")
    plan.indicators = [Indicator(statement="Kids leave with homework done", kind="story",
                                 level="short_term")]
    db.session.flush()
    return plan


@pytest.fixture
def other_plan(make_plan, make_action_group):
    plan = make_plan(title="Fix-it and tea", action_group=make_action_group(name="Northside"))
    plan.indicators = [Indicator(statement="Neighbours know each other", kind="story",
                                 level="long_term")]
    db.session.flush()
    return plan


def _member_routes(plan) -> list[tuple[str, str]]:
    indicator = plan.indicators[0]
    return [("GET", f"/plans/{plan.id}"), ("GET", f"/plans/{plan.id}/community"),
            ("POST", f"/plans/{plan.id}/community"),
            ("GET", f"/plans/{plan.id}/indicators/new"),
            ("POST", f"/plans/{plan.id}/indicators/new"),
            ("GET", f"/plans/indicators/{indicator.id}/edit"),
            ("POST", f"/plans/indicators/{indicator.id}/edit"),
            ("POST", f"/plans/indicators/{indicator.id}/delete")]


def _staff_routes(plan) -> list[tuple[str, str]]:
    return [("GET", "/plans/new"), ("POST", "/plans/new"),
            ("GET", f"/plans/{plan.id}/internal"), ("POST", f"/plans/{plan.id}/internal"),
            ("POST", f"/plans/{plan.id}/move")]


def test_a_member_edits_the_community_part_of_their_groups_plan(member_client, member,
                                                                own_plan):
    db.session.commit()
    page = member_client.get(f"/plans/{own_plan.id}/community").get_data(as_text=True)
    assert 'name="goal"' in page and 'name="title"' not in page
    assert 'name="action_group_id"' not in page
    response = member_client.post(f"/plans/{own_plan.id}/community", data={
        "goal": "Our kids finish homework with help in Arabic and Tigrinya.",
        "why": "", "summary": "", "starts_on": "", "ends_on": "",
        "title": "Renamed by a member", "action_group_id": "0", "budget": "$0"})
    assert response.status_code == 302
    db.session.expire_all()
    assert own_plan.goal == "Our kids finish homework with help in Arabic and Tigrinya."
    assert own_plan.title == "Saturday homework mornings"  # not a member's field
    assert own_plan.action_group_id is not None and own_plan.budget == "$900 for snacks"
    [change] = own_plan.changes
    assert (change.changed_by, change.part, change.summary) == (
        member, "community", "Changed the goal")
    page = member_client.get(f"/plans/{own_plan.id}").get_data(as_text=True)
    assert "Changed the goal" in page and "Mo Member" in page


def test_a_member_does_not_see_the_internal_part(member_client, own_plan):
    db.session.commit()
    page = member_client.get(f"/plans/{own_plan.id}").get_data(as_text=True)
    assert "Saturday homework mornings" in page
    assert "Internal: staff only" not in page
    for secret in ("6 hours a week", "$900 for snacks", "Volunteers may burn out"):
        assert secret not in page
    assert "audience=internal" not in page and "audience=partners" in page


@pytest.mark.parametrize("index", range(5))
def test_staff_only_plan_routes_answer_403_to_members(member_client, own_plan, index):
    db.session.commit()
    method, url = _staff_routes(own_plan)[index]
    assert member_client.open(url, method=method).status_code == 403


@pytest.mark.parametrize("index", range(8))
def test_another_groups_plan_answers_403_on_every_member_route(member_client, other_plan,
                                                               index):
    db.session.commit()
    method, url = _member_routes(other_plan)[index]
    assert member_client.open(url, method=method, data={"goal": "x"}).status_code == 403
    db.session.expire_all()
    assert other_plan.goal == "Kids leave with homework done." and len(other_plan.indicators) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PlanChange)) == 0


def test_a_plan_without_an_action_group_is_staff_only(member_client, make_plan):
    plan = make_plan(title="Staff sketch")
    db.session.commit()
    assert member_client.get(f"/plans/{plan.id}").status_code == 403
    assert "Staff sketch" not in member_client.get("/plans/").get_data(as_text=True)


def test_a_member_who_left_the_group_no_longer_sees_its_plan(member_client, member, own_plan):
    membership = db.session.scalars(sa.select(Membership).where(
        Membership.user_id == member.id)).one()
    membership.left_on = own_plan.created_at.date()
    db.session.commit()
    assert member_client.get(f"/plans/{own_plan.id}").status_code == 403


def test_members_list_only_their_groups_plans_without_filters(member_client, own_plan,
                                                              other_plan):
    db.session.commit()
    page = member_client.get(f"/plans/?action_group_id={other_plan.action_group_id}").get_data(
        as_text=True)
    assert "Saturday homework mornings" in page and "Fix-it and tea" not in page
    assert "Filter the plans" not in page and "Start a plan" not in page


def test_history_names_other_members_only_as_they_agreed(client, make_user, own_plan, member):
    quiet = make_user("member", name="Quiet Person")
    listed = make_user("member", name="Listed Person")
    own_plan.action_group.memberships += [
        Membership(user=quiet, display_name="Quiet Person"),
        Membership(user=listed, display_name="Layla", consent_to_be_listed=True)]
    own_plan.record_change(quiet, "community", "Changed the summary")
    own_plan.record_change(listed, "community", "Changed the dates")
    db.session.commit()
    log_in(client, member)
    page = client.get(f"/plans/{own_plan.id}").get_data(as_text=True)
    assert "Quiet Person" not in page and "A group member" in page
    assert "Layla" in page and "Listed Person" not in page


def test_staff_see_every_name_in_the_history(staff_client, make_user, own_plan):
    quiet = make_user("member", name="Quiet Person")
    own_plan.record_change(quiet, "community", "Changed the summary")
    db.session.commit()
    assert "Quiet Person" in staff_client.get(f"/plans/{own_plan.id}").get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_log_in(client, own_plan):
    db.session.commit()
    for method, url in _member_routes(own_plan) + _staff_routes(own_plan) + [("GET", "/plans/")]:
        response = client.open(url, method=method)
        assert response.status_code == 302 and response.location.startswith("/login?next=")
