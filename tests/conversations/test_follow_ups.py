"""Follow-ups: marking them done and reopening them, and each person's own list."""

from datetime import timedelta

import sqlalchemy as sa

from app.conversations.models import FollowUp
from app.extensions import db
from app.records import library_today, utcnow


def _follow_up(follow_up_id: int) -> FollowUp:
    db.session.expire_all()
    return db.session.get(FollowUp, follow_up_id)


def test_marking_a_follow_up_done_and_reopening_it(staff_client, staff, make_conversation):
    conversation = make_conversation(follow_ups=[{"description": "Send the flyer"}])
    db.session.commit()
    follow_up_id = conversation.follow_ups[0].id
    done = staff_client.post(f"/conversations/follow-ups/{follow_up_id}/done")
    assert done.location == f"/conversations/{conversation.id}"
    follow_up = _follow_up(follow_up_id)
    assert follow_up.is_done and follow_up.done_by == staff
    page = staff_client.get(done.location).get_data(as_text=True)
    assert "Done: Send the flyer" in page and "Reopen" in page
    staff_client.post(f"/conversations/follow-ups/{follow_up_id}/reopen")
    follow_up = _follow_up(follow_up_id)
    assert not follow_up.is_done and follow_up.done_by is None


def test_done_and_reopen_go_back_to_a_page_on_this_site_only(staff_client, make_conversation):
    conversation = make_conversation(follow_ups=[{"description": "Send the flyer"}])
    db.session.commit()
    follow_up_id = conversation.follow_ups[0].id
    back = staff_client.post(
        f"/conversations/follow-ups/{follow_up_id}/done?next=/conversations/follow-ups/mine")
    assert back.location == "/conversations/follow-ups/mine"
    away = staff_client.post(
        f"/conversations/follow-ups/{follow_up_id}/reopen?next=https://evil.example/")
    assert away.location == f"/conversations/{conversation.id}"


def test_marking_an_unknown_follow_up_done_is_404(staff_client):
    assert staff_client.post("/conversations/follow-ups/999/done").status_code == 404


def test_my_follow_ups_lists_mine_overdue_first_then_by_due_date_then_undated(
        staff_client, staff, make_user, make_conversation):
    today = library_today()
    someone_else = make_user(name="Other Person")
    make_conversation(logged_by=staff, place_text="Suds Laundromat", follow_ups=[
        {"description": "Undated promise"},
        {"description": "Due next week", "due_on": today + timedelta(days=7)},
        {"description": "Three days late", "due_on": today - timedelta(days=3)},
        {"description": "Due tomorrow", "due_on": today + timedelta(days=1)},
        {"description": "Someone else's", "owner": someone_else, "due_on": today},
        {"description": "Kept last week", "done_at": utcnow() - timedelta(days=7)},
        {"description": "Kept long ago", "done_at": utcnow() - timedelta(days=45)},
    ])
    db.session.commit()
    page = staff_client.get("/conversations/follow-ups/mine").get_data(as_text=True)
    open_part, done_part = page.split("Done in the last 30 days")
    order = ["Three days late", "Due tomorrow", "Due next week", "Undated promise"]
    positions = [open_part.index(description) for description in order]
    assert positions == sorted(positions)
    assert "Overdue by 3 days" in open_part and open_part.count("Overdue") == 1
    assert "Someone else" not in page
    assert "Kept last week" in done_part and "Kept last week" not in open_part
    assert "Kept long ago" not in page
    assert "Suds Laundromat, " in open_part


def test_the_done_button_on_my_follow_ups_comes_back_to_the_list(
        staff_client, staff, make_conversation):
    make_conversation(logged_by=staff, follow_ups=[{"description": "Send the flyer"}])
    db.session.commit()
    page = staff_client.get("/conversations/follow-ups/mine").get_data(as_text=True)
    follow_up_id = db.session.scalar(sa.select(FollowUp.id))
    action = f"/conversations/follow-ups/{follow_up_id}/done?next=/conversations/follow-ups/mine"
    assert f'action="{action}"' in page
    assert staff_client.post(action).location == "/conversations/follow-ups/mine"
