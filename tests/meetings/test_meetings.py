"""Planning, recording and listing meetings: the form with its agenda rows, and the status."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.meetings.models import Meeting
from app.records import library_today


@pytest.fixture
def meeting_form():
    """Return the fields of a valid meeting form, with `changes` applied."""

    def build(**changes) -> dict:
        fields = {"title": "Share-back at Eastgate", "kind": "share_back",
                  "held_on": library_today().isoformat(), "branch_id": "0",
                  "focus_community_id": "0", "action_group_id": "0", "space_id": "0",
                  "feedback_survey_id": "0", "main_language": ""}
        fields.update(changes)
        return fields

    return build


def _only_meeting() -> Meeting:
    db.session.expire_all()
    return db.session.scalars(sa.select(Meeting)).one()


def test_adding_a_meeting_stores_every_field_and_its_agenda(
        staff_client, staff, meeting_form, make_action_group, make_focus_community):
    group, community = make_action_group(name="Eastgate Families Table"), make_focus_community()
    db.session.commit()
    response = staff_client.post("/meetings/new", data=meeting_form(
        kind="action_group", held_on="2026-03-14", starts_at="10:00", ends_at="12:00",
        action_group_id=str(group.id), focus_community_id=str(community.id),
        place_text="Community room", main_language="ar", languages=["en", "ar"],
        supports=["childcare", "food"], supports_note="Snacks for kids", facilitator="Amira",
        headcount="14", notes="Parents chose Saturdays.", next_meeting="April 12",
        **{"agenda_items-0-title": "Welcome", "agenda_items-0-led_by": "Yohannes",
           "agenda_items-0-minutes": "10", "agenda_items-1-title": "What we heard"}))
    meeting = _only_meeting()
    assert response.status_code == 302
    assert response.location == f"/meetings/{meeting.id}"
    assert (meeting.title, meeting.kind, meeting.status) == (
        "Share-back at Eastgate", "action_group", "planned")
    assert meeting.held_on == date(2026, 3, 14) and meeting.starts_at.hour == 10
    assert (meeting.action_group, meeting.focus_community) == (group, community)
    assert meeting.languages == ["ar", "en"]
    assert meeting.supports == ["childcare", "food"] and meeting.supports_note == "Snacks for kids"
    assert (meeting.facilitator, meeting.headcount, meeting.created_by) == ("Amira", 14, staff)
    assert [(item.position, item.title, item.led_by, item.minutes)
            for item in meeting.agenda_items] == [(1, "Welcome", "Yohannes", 10),
                                                  (2, "What we heard", "", None)]
    page = staff_client.get(response.location).get_data(as_text=True)
    assert "Saved the meeting." in page and "Childcare, Food" in page and "Welcome" in page


def test_add_another_item_shows_one_more_row_and_saves_nothing(staff_client, meeting_form):
    response = staff_client.post("/meetings/new", data=meeting_form(
        add_agenda_item="Add another item", **{"agenda_items-0-title": "Welcome"}))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="agenda_items-2-title"' in page and 'value="Welcome"' in page
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 0


def test_new_meeting_is_prefilled_from_the_action_group(staff_client, make_action_group,
                                                        make_focus_community):
    community = make_focus_community()
    group = make_action_group(focus_community_id=community.id)
    db.session.commit()
    page = staff_client.get(f"/meetings/new?action_group_id={group.id}").get_data(as_text=True)
    assert f'<option selected value="{group.id}">' in page
    assert f'<option selected value="{community.id}">' in page


@pytest.mark.parametrize(("changes", "message"), [
    ({"title": ""}, "Give the meeting a title."),
    ({"held_on": ""}, "Give the date."),
    ({"starts_at": "12:00", "ends_at": "11:00"}, "The meeting should end after it starts."),
    ({"headcount": "-3"}, "Write a number from 0 to 10,000."),
    ({"title": "x" * 201}, "Field cannot be longer than 200 characters."),
    ({"agenda_items-0-led_by": "Amira"}, "Say what the item is about, or clear the row."),
    ({"agenda_items-0-title": "Welcome", "agenda_items-0-minutes": "0"},
     "Write a number of minutes from 1 to 600."),
])
def test_bad_input_is_shown_next_to_the_field(staff_client, meeting_form, changes, message):
    response = staff_client.post("/meetings/new", data=meeting_form(**changes))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 0


def test_a_space_and_a_described_place_together_are_refused(staff_client, meeting_form,
                                                            make_space):
    space = make_space()
    db.session.commit()
    response = staff_client.post("/meetings/new", data=meeting_form(
        space_id=str(space.id), place_text="Room 2"))
    assert response.status_code == 400
    assert "Choose a space or describe the place, not both." in response.get_data(as_text=True)


def test_editing_changes_fields_and_removes_agenda_items(staff_client, meeting_form,
                                                         make_meeting):
    meeting = make_meeting(status="planned", held_on=library_today())
    db.session.commit()
    staff_client.post(f"/meetings/{meeting.id}/edit", data=meeting_form(
        title="Renamed", **{"agenda_items-0-title": "First", "agenda_items-1-title": "Second"}))
    db.session.expire_all()
    first, second = meeting.agenda_items
    response = staff_client.post(f"/meetings/{meeting.id}/edit", data=meeting_form(
        title="Renamed", **{"agenda_items-0-id": str(first.id), "agenda_items-0-title": "First",
                            "agenda_items-0-remove": "y", "agenda_items-1-id": str(second.id),
                            "agenda_items-1-title": "Second, changed"}))
    assert response.status_code == 302
    db.session.expire_all()
    assert meeting.title == "Renamed"
    assert [item.title for item in meeting.agenda_items] == ["Second, changed"]


def test_marking_held_is_refused_for_a_future_meeting(staff_client, make_meeting):
    meeting = make_meeting(status="planned", held_on=library_today() + timedelta(days=3))
    db.session.commit()
    response = staff_client.post(f"/meetings/{meeting.id}/status", data={"status": "held"},
                                 follow_redirects=True)
    assert "A meeting can be marked as held only on or after its date." in response.get_data(
        as_text=True)
    db.session.expire_all()
    assert meeting.status == "planned"


def test_marking_held_cancelling_and_planning_again(staff_client, make_meeting):
    meeting = make_meeting(status="planned", held_on=library_today())
    db.session.commit()
    staff_client.post(f"/meetings/{meeting.id}/status", data={"status": "cancelled"})
    db.session.expire_all()
    assert meeting.status == "cancelled"
    staff_client.post(f"/meetings/{meeting.id}/status", data={"status": "planned"})
    db.session.expire_all()
    assert meeting.status == "planned"
    staff_client.post(f"/meetings/{meeting.id}/status", data={"status": "held"})
    db.session.expire_all()
    assert meeting.status == "held"
    response = staff_client.post(f"/meetings/{meeting.id}/status", data={"status": "cancelled"},
                                 follow_redirects=True)
    assert "cannot be cancelled" in response.get_data(as_text=True)
    db.session.expire_all()
    assert meeting.status == "held"


def test_an_unknown_status_is_a_bad_request(staff_client, make_meeting):
    meeting = make_meeting()
    db.session.commit()
    assert staff_client.post(f"/meetings/{meeting.id}/status",
                             data={"status": "exploded"}).status_code == 400


def test_a_held_meeting_cannot_move_to_a_future_date(staff_client, meeting_form, make_meeting):
    meeting = make_meeting()
    db.session.commit()
    future = (library_today() + timedelta(days=5)).isoformat()
    response = staff_client.post(f"/meetings/{meeting.id}/edit",
                                 data=meeting_form(held_on=future))
    assert response.status_code == 400
    assert "its date cannot be in the future" in response.get_data(as_text=True)


def test_the_list_splits_upcoming_and_past_and_filters(staff_client, make_meeting):
    make_meeting(title="Planning next week", kind="planning", status="planned",
                 held_on=library_today() + timedelta(days=7))
    make_meeting(title="Share-back last month", held_on=library_today() - timedelta(days=30))
    db.session.commit()
    page = staff_client.get("/meetings/").get_data(as_text=True)
    upcoming, past = page.split("Past meetings")
    assert "Planning next week" in upcoming and "Share-back last month" in past
    assert "Add a meeting" in page
    filtered = staff_client.get("/meetings/?kind=planning").get_data(as_text=True)
    assert "Planning next week" in filtered and "Share-back last month" not in filtered
