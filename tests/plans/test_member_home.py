"""What a member sees on logging in: their groups, plans, meetings and action items, no others."""

from datetime import timedelta

from app.meetings.models import ActionItem
from app.records import library_today, utcnow


def test_a_member_home_shows_their_groups_plans_meetings_and_action_items(
        member_client, member, make_action_group, make_plan, make_meeting):
    today = library_today()
    group = make_action_group(name="Eastgate Families Table", members=[member],
                              meeting_cadence="second Saturday")
    plan = make_plan(title="Saturday homework mornings", action_group=group)
    coming = make_meeting(title="April planning", action_group=group, status="planned",
                          held_on=today + timedelta(days=3))
    held = make_meeting(title="March meeting", action_group=group)
    held.action_items = [
        ActionItem(description="Bring the sign-up sheet", owner_name="Hodan",
                   due_on=today + timedelta(days=1)),
        ActionItem(description="Ask about the room", owner=member,
                   due_on=today + timedelta(days=9)),
        ActionItem(description="Print flyers", done_at=utcnow()),
    ]
    page = member_client.get("/").get_data(as_text=True)
    assert f'href="/groups/{group.id}"' in page and "second Saturday" in page
    assert f'href="/plans/{plan.id}"' in page and "Saturday homework mornings" in page
    assert f'href="/meetings/{coming.id}"' in page and "April planning" in page
    assert "March meeting" in page  # as where an open action item comes from
    assert page.index("Ask about the room") < page.index("Bring the sign-up sheet")
    assert "Yours" in page
    assert "Print flyers" not in page
    assert 'href="/themes/heard"' in page


def test_a_member_home_shows_nothing_of_other_groups(
        member_client, member, make_action_group, make_plan, make_meeting):
    make_action_group(name="Eastgate Families Table", members=[member])
    other = make_action_group(name="Northside Winter Circle")
    make_plan(title="Winter reading circle", action_group=other)
    make_plan(title="A staff plan without a group")
    meeting = make_meeting(title="Northside gathering", action_group=other, status="planned",
                           held_on=library_today() + timedelta(days=2))
    meeting.action_items = [ActionItem(description="Northside chores", owner=member)]
    page = member_client.get("/").get_data(as_text=True)
    for hidden in ("Northside Winter Circle", "Winter reading circle", "A staff plan",
                   "Northside gathering", "Northside chores"):
        assert hidden not in page


def test_past_and_cancelled_meetings_are_not_coming_up(
        member_client, member, make_action_group, make_meeting):
    group = make_action_group(members=[member])
    make_meeting(title="Last month", action_group=group)
    make_meeting(title="Called off", action_group=group, status="cancelled",
                 held_on=library_today() + timedelta(days=4))
    page = member_client.get("/").get_data(as_text=True)
    assert "Last month" not in page and "Called off" not in page
    assert "No meeting planned yet." in page


def test_a_member_without_a_group_is_told_what_happens_next(member_client):
    page = member_client.get("/").get_data(as_text=True)
    assert "You are not on an action group yet" in page
    assert 'href="/themes/heard"' in page


def test_staff_keep_their_own_home(staff_client, staff, make_action_group):
    make_action_group(name="Eastgate Families Table")
    page = staff_client.get("/").get_data(as_text=True)
    assert "Your open follow-ups" in page
    assert "Your action group" not in page
