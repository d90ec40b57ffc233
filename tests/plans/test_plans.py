"""Plans: the list, starting one, the plan page, and saving its community and internal parts
with a history row that says in words what changed."""

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.plans.models import Activity, Indicator, Plan, PlanChange


def _changes(plan: Plan) -> list[str]:
    db.session.expire_all()
    return [change.summary for change in plan.changes]


@pytest.fixture
def community_form():
    """Return form data for the community part as a member sees it; keywords override."""

    def build(plan: Plan, **fields) -> dict:
        data = {"goal": plan.goal, "why": plan.why, "summary": plan.summary,
                "starts_on": plan.starts_on.isoformat() if plan.starts_on else "",
                "ends_on": plan.ends_on.isoformat() if plan.ends_on else "",
                "theme_ids": [str(theme.id) for theme in plan.themes],
                "priority_ids": [str(priority.id) for priority in plan.priorities]}
        data.update(fields)
        return data

    return build


# The list

def test_staff_see_every_plan_and_can_filter_by_status_and_group(
        staff_client, make_plan, make_action_group, make_focus_community):
    group = make_action_group(name="Northside Winter Circle")
    eastgate = make_focus_community(name="Newcomer families in Eastgate")
    make_plan(title="Fix-it and tea", action_group=group)
    make_plan(title="Homework mornings", focus_community=eastgate)
    db.session.commit()
    page = staff_client.get("/plans/").get_data(as_text=True)
    assert "Fix-it and tea" in page and "Homework mornings" in page
    page = staff_client.get(f"/plans/?action_group_id={group.id}").get_data(as_text=True)
    assert "Fix-it and tea" in page and "Homework mornings" not in page
    page = staff_client.get(f"/plans/?focus_community_id={eastgate.id}").get_data(as_text=True)
    assert "Fix-it and tea" not in page and "Homework mornings" in page
    page = staff_client.get("/plans/?status=active").get_data(as_text=True)
    assert "No plans match these filters." in page


def test_a_filter_that_names_nothing_known_shows_every_plan(staff_client, make_plan):
    make_plan(title="Homework mornings")
    db.session.commit()
    response = staff_client.get("/plans/?status=bogus&action_group_id=999")
    assert response.status_code == 200
    assert "Homework mornings" in response.get_data(as_text=True)


# Starting a plan

def test_staff_start_a_plan_for_a_group_with_its_focus_community_prefilled(
        staff_client, staff, make_action_group, make_focus_community):
    community = make_focus_community(name="Older adults in Northside")
    group = make_action_group(name="Northside Winter Circle", focus_community=community)
    db.session.commit()
    page = staff_client.get(f"/plans/new?action_group_id={group.id}").get_data(as_text=True)
    assert f'<option selected value="{group.id}">Northside Winter Circle</option>' in page
    assert f'<option selected value="{community.id}">Older adults in Northside</option>' in page
    response = staff_client.post(f"/plans/new?action_group_id={group.id}", data={
        "title": "Fix-it and tea", "focus_community_id": str(community.id),
        "action_group_id": str(group.id), "branch_id": "0"})
    plan = db.session.scalars(sa.select(Plan)).one()
    assert response.status_code == 302 and response.location == f"/plans/{plan.id}"
    assert (plan.title, plan.status, plan.action_group, plan.focus_community) == (
        "Fix-it and tea", "draft", group, community)
    assert plan.created_by == staff and plan.branch_id is None
    assert _changes(plan) == ["Started the plan"]


@pytest.mark.parametrize("title, message", [("", "Give the plan a title."),
                                            ("x" * 201, "cannot be longer than 200")])
def test_a_plan_needs_a_title_that_fits(staff_client, title, message):
    response = staff_client.post("/plans/new", data={
        "title": title, "focus_community_id": "0", "action_group_id": "0", "branch_id": "0"})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Plan)) == 0


# The plan page

def test_the_plan_page_shows_the_community_part_indicators_activities_and_documents(
        staff_client, make_plan, make_theme, make_priority, make_decision):
    theme = make_theme(name="Homework help in home languages")
    endorsed = make_priority(title="Saturday mornings")
    endorsed.endorse(make_decision())
    draft = make_priority(title="It's free messaging")
    plan = make_plan(goal="Our kids finish their homework with help in our languages.",
                     why="Parents told us homework is hard to help with.",
                     themes=[theme], priorities=[endorsed, draft], staff_hours="4 a week")
    plan.indicators = [
        Indicator(statement="Volunteers come back each week", kind="count", level="output"),
        Indicator(statement="Kids feel confident at school", kind="story", level="long_term"),
        Indicator(statement="Kids leave with homework done", kind="observation",
                  level="short_term"),
    ]
    plan.activities = [Activity(title="Saturday homework mornings", kind="program")]
    db.session.commit()
    page = staff_client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert plan.goal in page and plan.why in page
    assert "Homework help in home languages" in page
    assert "Saturday mornings" in page and "Community-endorsed" in page
    assert "Staff draft: not yet endorsed" in page
    outcomes, outputs = page.index("<h3>Outcomes</h3>"), page.index("<h3>Outputs</h3>")
    short, long_, output = (page.index(s) for s in (
        "Kids leave with homework done", "Kids feel confident", "Volunteers come back"))
    assert outcomes < short < long_ < outputs < output
    activity = plan.activities[0]
    assert f'href="/plans/activities/{activity.id}"' in page
    assert f'href="/plans/{plan.id}/activities/new"' in page
    assert f'href="/plans/{plan.id}/plan.pdf?audience=internal"' in page
    assert f'href="/plans/{plan.id}/plan.pdf?audience=public"' in page
    assert "Internal: staff only" in page and "4 a week" in page


def test_an_unknown_plan_answers_404(staff_client):
    assert staff_client.get("/plans/999").status_code == 404


# Saving the parts

def test_saving_the_community_part_records_what_changed(staff_client, staff, make_plan,
                                                        make_theme):
    theme = make_theme(name="Hours don't fit workers' days")
    plan = make_plan(title="Late evenings")
    db.session.commit()
    response = staff_client.post(f"/plans/{plan.id}/community", data={
        "title": "Late evenings", "focus_community_id": "0", "action_group_id": "0",
        "branch_id": "0", "goal": "Open later one day a week.", "why": "", "summary": "",
        "starts_on": "2026-05-01", "ends_on": "2026-09-30", "theme_ids": [str(theme.id)]})
    assert response.status_code == 302
    db.session.expire_all()
    assert plan.goal == "Open later one day a week." and plan.themes == [theme]
    assert str(plan.starts_on) == "2026-05-01" and str(plan.ends_on) == "2026-09-30"
    [change] = plan.changes
    assert (change.part, change.changed_by, change.summary) == (
        "community", staff, "Changed the goal, the dates and the themes")
    page = staff_client.get(response.location).get_data(as_text=True)
    assert "Changed the goal, the dates and the themes." in page  # the flash
    assert "Sam Staff" in page


def test_saving_without_a_change_keeps_no_history(staff_client, make_plan, community_form):
    plan = make_plan()
    db.session.commit()
    data = community_form(plan, title=plan.title, focus_community_id="0", action_group_id="0",
                          branch_id="0")
    response = staff_client.post(f"/plans/{plan.id}/community", data=data,
                                 follow_redirects=True)
    assert "Nothing had changed, so nothing was saved." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PlanChange)) == 0


def test_the_end_date_cannot_be_before_the_start(staff_client, make_plan, community_form):
    plan = make_plan()
    db.session.commit()
    data = community_form(plan, title=plan.title, focus_community_id="0", action_group_id="0",
                          branch_id="0", starts_on="2026-06-01", ends_on="2026-05-01")
    response = staff_client.post(f"/plans/{plan.id}/community", data=data)
    assert response.status_code == 200
    assert "The end date cannot be before the start date." in response.get_data(as_text=True)


def test_saving_the_internal_part_records_it_as_internal(staff_client, staff, make_plan):
    plan = make_plan()
    db.session.commit()
    response = staff_client.post(f"/plans/{plan.id}/internal", data={
        "staff_hours": "3 hours a week", "budget": "$400 for snacks", "resources": "",
        "risks": ""})
    assert response.status_code == 302
    db.session.expire_all()
    assert (plan.staff_hours, plan.budget) == ("3 hours a week", "$400 for snacks")
    [change] = plan.changes
    assert (change.part, change.summary) == ("internal", "Changed the staff hours and the budget")


def test_the_internal_part_refuses_text_longer_than_its_column(staff_client, make_plan):
    plan = make_plan()
    db.session.commit()
    response = staff_client.post(f"/plans/{plan.id}/internal", data={"staff_hours": "x" * 201})
    assert response.status_code == 200
    assert "cannot be longer than 200" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["community", "internal"])
def test_a_closed_plan_takes_no_more_changes(staff_client, make_plan, make_decision, path):
    plan = make_plan(status="closed", endorsed_by=make_decision())
    db.session.commit()
    response = staff_client.post(f"/plans/{plan.id}/{path}", data={"goal": "New"},
                                 follow_redirects=True)
    assert "This plan is closed." in response.get_data(as_text=True)
    db.session.expire_all()
    assert plan.goal == "Kids leave with homework done." and plan.changes == []
