"""Activities of a plan: members of the plan's group add and change them, staff remove them,
every change lands in the plan's history, and other groups' activities stay out of sight."""

from datetime import date

import pytest

from app.extensions import db
from app.plans.models import Activity, ActivitySession, Plan


def _history(plan: Plan) -> list[str]:
    db.session.expire_all()
    return [change.summary for change in plan.changes]


@pytest.fixture
def own_plan(make_action_group, make_plan, member):
    """A plan of a group the logged-in member belongs to."""
    group = make_action_group(members=[member], name="Eastgate Families Table")
    plan = make_plan(title="Saturday mornings", action_group=group)
    db.session.commit()
    return plan


@pytest.fixture
def other_activity(make_action_group, make_plan, make_user):
    """An activity, with one session, of a group the member does not belong to."""
    group = make_action_group(members=[make_user("member")], name="Northside Winter Circle")
    plan = make_plan(title="Fix-it and tea", action_group=group)
    activity = Activity(plan=plan, title="Fix-it afternoons", kind="program")
    activity.sessions.append(ActivitySession(held_on=date(2025, 1, 9), headcount=7))
    db.session.add(activity)
    db.session.commit()
    return activity


def _activity(plan: Plan, **fields) -> Activity:
    activity = Activity(plan=plan, title=fields.pop("title", "Homework help"), kind="program",
                        **fields)
    db.session.add(activity)
    db.session.commit()
    return activity


def _activity_form(**fields) -> dict:
    data = {"title": "Homework help", "kind": "program", "description": "Volunteers help.",
            "owner_id": "0", "owner_name": "", "place": "Community room",
            "schedule": "Saturdays 10 to 12", "starts_on": "2025-03-01", "ends_on": "2025-06-28",
            "status": "planned"}
    data.update(fields)
    return data


def test_a_member_adds_an_activity_to_their_groups_plan_and_the_history_keeps_it(
        member_client, own_plan, member, make_organization, make_contact):
    association = make_organization(name="Horn of Africa Families Association")
    make_contact(name="Yonas Gebremedhin", organization=association)
    db.session.commit()
    form = member_client.get(f"/plans/{own_plan.id}/activities/new").get_data(as_text=True)
    assert "Horn of Africa Families Association" in form and "Mo Member" in form
    response = member_client.post(f"/plans/{own_plan.id}/activities/new", data=_activity_form(
        owner_id=str(member.id), organization_ids=[str(association.id)], languages=["ar"]))
    activity = db.session.scalar(db.select(Activity).where(Activity.plan_id == own_plan.id))
    assert response.status_code == 302
    assert response.location.endswith(f"/plans/activities/{activity.id}")
    assert activity.owner_id == member.id and activity.languages == ["ar"]
    assert [organization.name for organization in activity.organizations] == [
        "Horn of Africa Families Association"]
    assert _history(own_plan) == ["Added activity “Homework help”"]
    assert own_plan.changes[0].changed_by_id == member.id and own_plan.changes[0].part == "activity"
    page = member_client.get(response.location).get_data(as_text=True)
    assert "Horn of Africa Families Association" in page and "Community room" in page
    assert "Yonas" not in page


def test_changing_an_activity_names_the_parts_that_changed(staff_client, own_plan):
    activity = _activity(own_plan, place="Room A")
    response = staff_client.post(f"/plans/activities/{activity.id}/edit", data=_activity_form(
        place="Room B", status="running"))
    assert response.status_code == 302
    assert _history(own_plan)[0] == ("Changed activity “Homework help”: description, place, "
                                     "schedule, dates, status")
    assert activity.place == "Room B" and activity.status == "running"


def test_an_owner_is_chosen_or_typed_not_both_and_dates_run_forward(member_client, own_plan,
                                                                    member):
    page = member_client.post(f"/plans/{own_plan.id}/activities/new", data=_activity_form(
        owner_id=str(member.id), owner_name="Hana", starts_on="2025-06-01",
        ends_on="2025-05-01", title="")).get_data(as_text=True)
    assert "Choose a person from the list or type a name, not both." in page
    assert "The end date comes before the start date." in page
    assert "Give the activity a name." in page
    assert db.session.scalar(db.select(db.func.count(Activity.id))) == 0


def test_someone_outside_the_list_cannot_be_made_owner(member_client, own_plan, make_user):
    outsider = make_user("member", name="Not In Group")
    db.session.commit()
    page = member_client.post(f"/plans/{own_plan.id}/activities/new", data=_activity_form(
        owner_id=str(outsider.id))).get_data(as_text=True)
    assert "Not a valid choice" in page
    assert db.session.scalar(db.select(db.func.count(Activity.id))) == 0


def test_the_activity_page_keeps_outputs_apart_and_totals_them(member_client, own_plan):
    activity = _activity(own_plan, sessions=[
        ActivitySession(held_on=date(2025, 3, 1), headcount=9, new_cards=2),
        ActivitySession(held_on=date(2025, 3, 8), headcount=14)])
    page = member_client.get(f"/plans/activities/{activity.id}").get_data(as_text=True)
    assert "Outputs (counts)" in page and "outcomes" in page
    assert ">23<" in page and "2 sessions" in page


@pytest.mark.parametrize("method, path", [
    ("get", "/plans/activities/{id}"),
    ("get", "/plans/activities/{id}/edit"),
    ("post", "/plans/activities/{id}/edit"),
    ("get", "/plans/activities/{id}/sessions/new"),
    ("post", "/plans/activities/{id}/sessions/new"),
    ("get", "/plans/{plan}/activities/new"),
    ("post", "/plans/{plan}/activities/new"),
])
def test_another_groups_activity_answers_403_to_a_member(member_client, other_activity, method,
                                                         path):
    url = path.format(id=other_activity.id, plan=other_activity.plan_id)
    response = getattr(member_client, method)(url, data=_activity_form())
    assert response.status_code == 403
    assert _history(other_activity.plan) == []


def test_members_may_not_remove_an_activity(member_client, own_plan):
    activity = _activity(own_plan)
    assert member_client.post(f"/plans/activities/{activity.id}/delete").status_code == 403
    assert db.session.get(Activity, activity.id) is not None


def test_an_activity_with_sessions_is_not_removed_and_staff_are_told_why(staff_client,
                                                                         other_activity):
    response = staff_client.post(f"/plans/activities/{other_activity.id}/delete",
                                 follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "has 1 session on record, so it stays" in page
    assert db.session.get(Activity, other_activity.id) is not None


def test_staff_remove_an_activity_without_sessions_and_the_history_says_so(staff_client,
                                                                           own_plan):
    activity = _activity(own_plan)
    page = staff_client.get(f"/plans/activities/{activity.id}/edit").get_data(as_text=True)
    assert "Yes, remove “Homework help”" in page
    response = staff_client.post(f"/plans/activities/{activity.id}/delete")
    assert response.status_code == 302 and response.location.endswith(f"/plans/{own_plan.id}")
    assert db.session.get(Activity, activity.id) is None
    assert _history(own_plan) == ["Removed activity “Homework help”"]
