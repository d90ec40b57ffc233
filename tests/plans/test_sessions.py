"""Sessions of an activity: recorded on a phone by members of the plan's group, counts checked
as whole numbers, and every addition, change and removal kept in the plan's history."""

from datetime import date, timedelta

import pytest

from app.extensions import db
from app.plans.models import Activity, ActivitySession, Plan
from app.records import library_today


def _history(plan: Plan) -> list[str]:
    db.session.expire_all()
    return [change.summary for change in plan.changes]


def _session_count() -> int:
    return db.session.scalar(db.select(db.func.count(ActivitySession.id)))


@pytest.fixture
def activity(make_action_group, make_plan, member):
    """An activity of a plan whose group the logged-in member belongs to."""
    group = make_action_group(members=[member])
    plan = make_plan(title="Saturday mornings", action_group=group)
    activity = Activity(plan=plan, title="Homework help", kind="program",
                        place="Community room")
    db.session.add(activity)
    db.session.commit()
    return activity


@pytest.fixture
def other_session(make_action_group, make_plan, make_user):
    """A session of another group's activity."""
    group = make_action_group(members=[make_user("member")])
    plan = make_plan(action_group=group)
    activity = Activity(plan=plan, title="Fix-it afternoons", kind="program",
                        sessions=[ActivitySession(held_on=date(2025, 1, 9), headcount=7)])
    db.session.add(activity)
    db.session.commit()
    return activity.sessions[0]


def _session_form(**fields) -> dict:
    data = {"held_on": (library_today() - timedelta(days=1)).isoformat(),
            "place": "Community room", "headcount": "14", "new_cards": "3",
            "items_borrowed": "22", "referrals": "", "other_outputs": "",
            "facilitators": "Tesfaye and Amira", "notes": "Ran out of chairs."}
    data.update(fields)
    return data


def test_the_session_form_starts_at_today_in_the_activitys_place(member_client, activity):
    page = member_client.get(f"/plans/activities/{activity.id}/sessions/new").get_data(
        as_text=True)
    assert f'value="{library_today().isoformat()}"' in page
    assert 'value="Community room"' in page
    assert 'inputmode="numeric"' in page and "Outputs (counts)" in page


def test_a_member_records_a_session_and_the_history_keeps_it(member_client, activity, member):
    response = member_client.post(f"/plans/activities/{activity.id}/sessions/new",
                                  data=_session_form())
    assert response.status_code == 302
    assert response.location.endswith(f"/plans/activities/{activity.id}")
    session = db.session.scalar(db.select(ActivitySession))
    assert (session.headcount, session.new_cards, session.items_borrowed, session.referrals) == (
        14, 3, 22, None)
    assert session.recorded_by_id == member.id
    [summary] = _history(activity.plan)
    assert summary.startswith("Added session of “Homework help” on ")
    assert summary.endswith("(14 people)")
    page = member_client.get(response.location).get_data(as_text=True)
    assert "Tesfaye and Amira" in page and "Ran out of chairs." in page


@pytest.mark.parametrize("typed, message", [
    ("-3", "Write a whole number: 0 or more."),
    ("lots", "Write a whole number such as 12, without words or decimals."),
    ("2.5", "Write a whole number such as 12, without words or decimals."),
    ("1000000", "Write a whole number: 0 or more."),
])
def test_counts_must_be_whole_numbers_of_zero_or_more(member_client, activity, typed, message):
    page = member_client.post(f"/plans/activities/{activity.id}/sessions/new",
                              data=_session_form(new_cards=typed)).get_data(as_text=True)
    assert message in page
    assert 'id="new_cards-error"' in page
    assert _session_count() == 0


def test_a_session_cannot_be_recorded_before_it_happens(member_client, activity):
    tomorrow = (library_today() + timedelta(days=1)).isoformat()
    page = member_client.post(f"/plans/activities/{activity.id}/sessions/new",
                              data=_session_form(held_on=tomorrow)).get_data(as_text=True)
    assert "A session is recorded after it happens." in page
    assert _session_count() == 0 and _history(activity.plan) == []


def test_a_member_corrects_and_removes_a_session_on_the_record(member_client, activity):
    session = ActivitySession(activity=activity, held_on=date(2025, 3, 1), headcount=9)
    db.session.add(session)
    db.session.commit()
    response = member_client.post(f"/plans/sessions/{session.id}/edit",
                                  data=_session_form(held_on="2025-03-01", headcount="12"))
    assert response.status_code == 302
    assert session.headcount == 12
    response = member_client.post(f"/plans/sessions/{session.id}/delete")
    assert response.status_code == 302
    assert _session_count() == 0
    assert _history(activity.plan) == [
        "Removed session of “Homework help” on Sat 1 Mar 2025",
        "Changed session of “Homework help” on Sat 1 Mar 2025 (12 people)"]


@pytest.mark.parametrize("method, path", [
    ("get", "/plans/sessions/{id}/edit"),
    ("post", "/plans/sessions/{id}/edit"),
    ("post", "/plans/sessions/{id}/delete"),
])
def test_another_groups_session_answers_403_to_a_member(member_client, other_session, method,
                                                        path):
    response = getattr(member_client, method)(path.format(id=other_session.id),
                                              data=_session_form())
    assert response.status_code == 403
    assert db.session.get(ActivitySession, other_session.id).headcount == 7


def test_staff_may_record_sessions_for_any_group(staff_client, other_session):
    response = staff_client.post(
        f"/plans/activities/{other_session.activity_id}/sessions/new", data=_session_form())
    assert response.status_code == 302
    assert _session_count() == 2
