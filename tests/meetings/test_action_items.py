"""Action items: an owner who logs in or a name typed in, a due date, done and open again."""

from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.meetings.models import ActionItem
from app.records import library_today


def _items() -> list[ActionItem]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(ActionItem).order_by(ActionItem.id)))


def test_an_action_item_is_added_with_a_staff_owner(staff_client, staff, make_meeting):
    meeting = make_meeting()
    db.session.commit()
    response = staff_client.post(f"/meetings/{meeting.id}/action-items", data={
        "description": "Book the room", "owner_id": str(staff.id), "due_on": "2026-04-01"})
    assert response.status_code == 302
    [item] = _items()
    assert (item.description, item.owner, item.owner_name, item.due_on.isoformat()) == (
        "Book the room", staff, "", "2026-04-01")


def test_an_action_item_can_belong_to_a_community_member_by_name(staff_client, make_meeting):
    meeting = make_meeting()
    db.session.commit()
    staff_client.post(f"/meetings/{meeting.id}/action-items", data={
        "description": "Ask the association", "owner_id": "0", "owner_name": "Yohannes"})
    [item] = _items()
    assert (item.owner_id, item.owner_label) == (None, "Yohannes")


def test_an_action_item_needs_exactly_one_owner(staff_client, staff, make_meeting):
    meeting = make_meeting()
    db.session.commit()
    nobody = staff_client.post(f"/meetings/{meeting.id}/action-items", data={
        "description": "Book the room", "owner_id": "0"})
    both = staff_client.post(f"/meetings/{meeting.id}/action-items", data={
        "description": "Book the room", "owner_id": str(staff.id), "owner_name": "Yohannes"})
    blank = staff_client.post(f"/meetings/{meeting.id}/action-items", data={
        "description": "", "owner_id": str(staff.id)})
    assert (nobody.status_code, both.status_code, blank.status_code) == (400, 400, 400)
    assert "Say who will do it" in nobody.get_data(as_text=True)
    assert "Choose a person or type a name, not both." in both.get_data(as_text=True)
    assert "Say what will be done." in blank.get_data(as_text=True)
    assert _items() == []


def test_an_owner_from_outside_the_offered_people_is_refused(staff_client, make_meeting,
                                                             make_user):
    outsider = make_user("member")
    meeting = make_meeting()
    db.session.commit()
    response = staff_client.post(f"/meetings/{meeting.id}/action-items", data={
        "description": "Book the room", "owner_id": str(outsider.id)})
    assert response.status_code == 400
    assert _items() == []


def test_marking_done_and_reopening(staff_client, make_meeting):
    meeting = make_meeting()
    meeting.action_items.append(ActionItem(description="Book the room", owner_name="Yohannes"))
    db.session.commit()
    [item] = _items()
    staff_client.post(f"/meetings/action-items/{item.id}/done")
    assert _items()[0].is_done
    staff_client.post(f"/meetings/action-items/{item.id}/reopen")
    assert not _items()[0].is_done


def test_editing_an_action_item(staff_client, staff, make_meeting):
    meeting = make_meeting()
    meeting.action_items.append(ActionItem(description="Book the room", owner_name="Yohannes"))
    db.session.commit()
    [item] = _items()
    form = staff_client.get(f"/meetings/action-items/{item.id}/edit").get_data(as_text=True)
    assert 'value="Yohannes"' in form
    response = staff_client.post(f"/meetings/action-items/{item.id}/edit", data={
        "description": "Book the big room", "owner_id": str(staff.id), "owner_name": ""})
    assert response.status_code == 302
    [item] = _items()
    assert (item.description, item.owner, item.owner_name) == ("Book the big room", staff, "")


def test_overdue_items_are_shown_as_such_and_mine_come_first(staff_client, staff, make_meeting,
                                                             make_user):
    colleague = make_user(name="Colleague")
    meeting = make_meeting(title="Share-back")
    meeting.action_items = [
        ActionItem(description="Colleague task", owner=colleague,
                   due_on=library_today() - timedelta(days=9)),
        ActionItem(description="My late task", owner=staff,
                   due_on=library_today() - timedelta(days=1)),
        ActionItem(description="Finished task", owner=staff, due_on=library_today()),
    ]
    meeting.action_items[2].mark_done()
    db.session.commit()
    page = staff_client.get("/meetings/").get_data(as_text=True)
    assert page.index("My late task") < page.index("Colleague task")
    assert page.count("Overdue") == 2 and "Finished task" not in page
    meeting_page = staff_client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert meeting_page.count("Overdue") == 2 and "Finished task" in meeting_page
