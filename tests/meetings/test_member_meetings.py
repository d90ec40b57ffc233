"""Members see and work on the meetings of their own action groups, and nothing else."""

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.meetings.models import ActionItem
from app.records import library_today

#: Every route a member may open, with the ids it needs: meeting and action item.
MEMBER_ROUTES = [
    ("GET", "/meetings/{meeting}"),
    ("GET", "/meetings/{meeting}/agenda.pdf"),
    ("GET", "/meetings/{meeting}/minutes.pdf"),
    ("POST", "/meetings/{meeting}/action-items"),
    ("POST", "/meetings/action-items/{item}/done"),
    ("POST", "/meetings/action-items/{item}/reopen"),
]
STAFF_ROUTES = [
    ("GET", "/meetings/{meeting}/edit"),
    ("POST", "/meetings/{meeting}/status"),
    ("POST", "/meetings/{meeting}/decisions"),
    ("GET", "/meetings/{meeting}/sign-in.pdf"),
    ("GET", "/meetings/action-items/{item}/edit"),
    ("GET", "/meetings/decisions/{decision}/edit"),
    ("POST", "/meetings/decisions/{decision}/delete"),
]


@pytest.fixture
def own_meeting(member, make_action_group, make_meeting):
    group = make_action_group(name="Eastgate Families Table", members=[member])
    meeting = make_meeting(title="Our group's meeting", action_group=group,
                           notes="We chose Saturdays.")
    meeting.action_items.append(ActionItem(description="Bring the flyers", owner_name="Hana"))
    db.session.commit()
    return meeting


@pytest.fixture
def other_meetings(make_action_group, make_meeting, make_decision, make_user):
    """A meeting of a group the member is not on, and a standalone meeting; each with an item."""
    stranger = make_user("member", name="Zara Stranger")
    other = make_meeting(title="Another group's meeting",
                         action_group=make_action_group(members=[stranger]))
    standalone = make_meeting(title="A standalone meeting")
    for meeting in (other, standalone):
        meeting.action_items.append(ActionItem(description="Secret task", owner=stranger))
        make_decision(meeting=meeting)
    db.session.commit()
    return [other, standalone]


def _url(template: str, meeting) -> str:
    return template.format(meeting=meeting.id, item=meeting.action_items[0].id,
                           decision=meeting.decisions[0].id if meeting.decisions else 1)


def test_the_list_shows_only_the_members_groups(member_client, own_meeting, other_meetings):
    page = member_client.get("/meetings/").get_data(as_text=True)
    assert "Our group&#39;s meeting" in page and "Bring the flyers" in page
    assert "Another group" not in page and "standalone" not in page
    assert "Secret task" not in page and "Add a meeting" not in page


@pytest.mark.parametrize(("method", "template"), MEMBER_ROUTES)
def test_every_meeting_route_answers_403_for_meetings_outside_the_members_groups(
        member_client, own_meeting, other_meetings, method, template):
    for meeting in other_meetings:
        response = member_client.open(_url(template, meeting), method=method,
                                      data={"description": "x", "owner_id": "0",
                                            "owner_name": "Me"})
        assert response.status_code == 403, (template, meeting.title)
    db.session.expire_all()
    assert [len(meeting.action_items) for meeting in other_meetings] == [1, 1]
    assert not any(meeting.action_items[0].is_done for meeting in other_meetings)


@pytest.mark.parametrize(("method", "template"), STAFF_ROUTES)
def test_staff_routes_are_closed_to_members_even_for_their_own_meetings(
        member_client, own_meeting, make_decision, method, template):
    make_decision(meeting=own_meeting)
    db.session.commit()
    assert member_client.open(_url(template, own_meeting), method=method).status_code == 403


def test_a_member_opens_their_groups_meeting_without_staff_controls(member_client, own_meeting):
    page = member_client.get(f"/meetings/{own_meeting.id}").get_data(as_text=True)
    assert "We chose Saturdays." in page and "Bring the flyers" in page
    assert "Add an action item" in page and "Mark done" in page
    assert "Record a decision" not in page and "/edit" not in page
    assert "sign-in.pdf" not in page and "audience=internal" not in page
    assert "Code these notes" not in page


def test_a_member_adds_an_action_item_and_ticks_it(member_client, member, own_meeting):
    response = member_client.post(f"/meetings/{own_meeting.id}/action-items", data={
        "description": "Call the school", "owner_id": str(member.id)})
    assert response.status_code == 302
    item = db.session.scalar(sa.select(ActionItem).where(ActionItem.owner_id == member.id))
    assert item.description == "Call the school"
    member_client.post(f"/meetings/action-items/{item.id}/done")
    db.session.expire_all()
    assert item.is_done


def test_members_are_offered_staff_and_their_own_group_only(
        member_client, own_meeting, other_meetings, staff):
    db.session.commit()
    page = member_client.get(f"/meetings/{own_meeting.id}").get_data(as_text=True)
    assert "Mo Member" in page and "Sam Staff" in page
    assert "Zara Stranger" not in page


def test_members_print_agenda_and_minutes_but_not_internal_minutes(member_client, own_meeting):
    agenda = member_client.get(f"/meetings/{own_meeting.id}/agenda.pdf")
    minutes = member_client.get(f"/meetings/{own_meeting.id}/minutes.pdf")
    internal = member_client.get(f"/meetings/{own_meeting.id}/minutes.pdf?audience=internal")
    assert agenda.data.startswith(b"%PDF-") and minutes.data.startswith(b"%PDF-")
    assert internal.status_code == 403
    assert "Internal minutes are for library staff." in internal.get_data(as_text=True)


def test_a_member_who_left_the_group_loses_its_meetings(member_client, member, own_meeting):
    own_meeting.action_group.memberships[0].left_on = library_today()
    db.session.commit()
    assert member_client.get(f"/meetings/{own_meeting.id}").status_code == 403
