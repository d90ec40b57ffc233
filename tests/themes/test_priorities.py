"""Priorities: staff drafts until a held meeting's decision endorses them, and the screens that
say so."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.themes.models import Priority, PriorityStateError, PriorityStatus

ENDORSE_RULE = ("A priority becomes community-endorsed only when a meeting that was held "
                "decides it. Record the meeting and its decision, then link it here.")
MODEL_REFUSAL = "A priority becomes community-endorsed only through a decision recorded at a"


@pytest.fixture
def planned_decision(make_meeting, make_decision):
    """A decision hanging off a meeting that has not been held (as after a status mix-up)."""
    meeting = make_meeting(title="Planned evening", status="planned",
                           held_on=date.today() + timedelta(days=7))
    return make_decision(meeting=meeting, text="We would like this.")


def _fresh(priority: Priority) -> Priority:
    db.session.expire_all()
    return db.session.get(Priority, priority.id)


# The rule, in the model and the database

def test_a_decision_of_a_planned_meeting_cannot_endorse(make_priority, planned_decision):
    priority = make_priority()
    with pytest.raises(PriorityStateError, match="meeting that was held"):
        priority.endorse(planned_decision)
    assert priority.status == PriorityStatus.STAFF_DRAFT and priority.decision is None


def test_no_decision_cannot_endorse(make_priority):
    priority = make_priority()
    with pytest.raises(PriorityStateError):
        priority.endorse(None)
    assert not priority.is_endorsed


def test_a_decision_of_a_held_meeting_endorses(make_priority, make_decision):
    priority, decision = make_priority(), make_decision()
    priority.endorse(decision)
    db.session.flush()
    assert priority.is_endorsed and priority.decision_id == decision.id


def test_the_database_refuses_an_endorsed_priority_without_a_decision(make_priority):
    priority = make_priority()
    priority.status = PriorityStatus.COMMUNITY_ENDORSED
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


# The list screen

def test_the_list_puts_endorsed_first_with_who_decided_and_explains_drafts(
        staff_client, make_priority, make_decision, make_meeting, make_focus_community):
    eastgate = make_focus_community(name="Newcomer families, Eastgate")
    meeting = make_meeting(title="Eastgate share-back", held_on=date(2026, 3, 14))
    decision = make_decision(meeting=meeting, method="dot_vote",
                             decided_by="The 23 people at the share-back")
    make_priority(title="Ask about Saturday rooms", focus_community=eastgate)
    endorsed = make_priority(title="Say the library is free", focus_community=eastgate)
    endorsed.endorse(decision)
    db.session.commit()
    page = staff_client.get("/themes/priorities").get_data(as_text=True)
    assert "Newcomer families, Eastgate" in page
    assert page.index("Say the library is free") < page.index("Ask about Saturday rooms")
    assert ("Endorsed on Sat 14 Mar 2026 at" in page
            and "by The 23 people at the share-back (dot vote)" in page)
    assert f'href="/meetings/{meeting.id}"' in page
    assert ENDORSE_RULE in " ".join(page.split())
    assert "Staff draft" in page


def test_the_list_says_when_there_are_no_priorities(staff_client):
    page = staff_client.get("/themes/priorities").get_data(as_text=True)
    assert "No priorities yet." in page


# Writing a priority

def test_a_priority_drawn_from_a_theme_takes_its_focus_community(
        staff_client, staff, make_theme, make_focus_community):
    community = make_focus_community(name="Older adults, Northside")
    theme = make_theme(name="Isolation in winter", focus_community=community)
    db.session.commit()
    form = staff_client.get(f"/themes/priorities/new?theme_id={theme.id}").get_data(
        as_text=True)
    assert f'<option selected value="{theme.id}">Isolation in winter</option>' in form
    response = staff_client.post("/themes/priorities/new", data={
        "title": "Fix-it and tea afternoons", "theme_id": str(theme.id),
        "focus_community_id": "0", "rationale": "People see no one for days.", "rank": ""})
    priority = db.session.scalars(sa.select(Priority)).one()
    assert response.status_code == 302
    assert response.location == f"/themes/priorities/{priority.id}"
    assert (priority.theme, priority.focus_community) == (theme, community)
    assert priority.created_by == staff and priority.status == "staff_draft"
    page = staff_client.get(response.location).get_data(as_text=True)
    for words in ("Fix-it and tea afternoons", "Isolation in winter", "Older adults, Northside",
                  "People see no one for days.", "Not ranked yet", "Staff draft",
                  "Not put to a dot vote yet."):
        assert words in page
    assert ENDORSE_RULE in " ".join(page.split())


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"title": ""}, "title", "Write the priority."),
    ({"title": "x" * 301}, "title", "Field cannot be longer than 300 characters."),
    ({"rank": "first"}, "rank", "Write a whole number, such as 12."),
    ({"rank": "0"}, "rank", "Write a rank from 1 to 999."),
])
def test_bad_input_is_explained_next_to_the_field(staff_client, fields, field, message):
    data = {"title": "Late evenings", "theme_id": "0", "focus_community_id": "0", "rank": ""}
    response = staff_client.post("/themes/priorities/new", data=dict(data, **fields))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<p class="error" id="{field}-error">{message}</p>' in page
    assert db.session.scalar(sa.select(sa.func.count(Priority.id))) == 0


def test_editing_changes_the_priority(staff_client, make_priority):
    priority = make_priority(title="Old words")
    db.session.commit()
    response = staff_client.post(f"/themes/priorities/{priority.id}/edit", data={
        "title": "New words", "theme_id": "0", "focus_community_id": "0", "rank": "2",
        "rationale": "Heard at three places."})
    assert response.status_code == 302
    priority = _fresh(priority)
    assert (priority.title, priority.rank, priority.rationale) == (
        "New words", 2, "Heard at three places.")


def test_an_unknown_priority_is_not_found(staff_client):
    assert staff_client.get("/themes/priorities/999").status_code == 404


# Endorsing and undoing it on the screen

def test_endorsing_offers_decisions_of_held_meetings_only(
        staff_client, make_priority, make_decision, planned_decision):
    priority = make_priority()
    held = make_decision(text="Saturday mornings first.")
    db.session.commit()
    page = staff_client.get(f"/themes/priorities/{priority.id}").get_data(as_text=True)
    assert f'value="{held.id}"' in page and "Saturday mornings first." in page
    assert "We would like this." not in page


def test_endorsing_through_a_planned_meeting_shows_the_refusal_next_to_the_field(
        staff_client, make_priority, planned_decision):
    priority = make_priority()
    db.session.commit()
    response = staff_client.post(f"/themes/priorities/{priority.id}/endorse",
                                 data={"decision_id": str(planned_decision.id)})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<p class="error" id="decision_id-error">' + MODEL_REFUSAL in page
    assert _fresh(priority).status == "staff_draft"


def test_endorsing_without_a_decision_is_refused(staff_client, make_priority):
    priority = make_priority()
    db.session.commit()
    response = staff_client.post(f"/themes/priorities/{priority.id}/endorse",
                                 data={"decision_id": "0"})
    assert '<p class="error" id="decision_id-error">' + MODEL_REFUSAL in response.get_data(
        as_text=True)
    assert not _fresh(priority).is_endorsed


def test_endorsing_through_a_held_meeting_prioritises_the_theme(
        staff_client, make_priority, make_decision, make_theme):
    theme = make_theme(status="confirmed")
    priority, decision = make_priority(theme=theme), make_decision()
    db.session.commit()
    response = staff_client.post(f"/themes/priorities/{priority.id}/endorse",
                                 data={"decision_id": str(decision.id)})
    assert response.status_code == 302
    priority = _fresh(priority)
    assert priority.is_endorsed and priority.decision == decision
    assert priority.theme.status == "prioritised"
    page = staff_client.get(response.location).get_data(as_text=True)
    assert "The priority is now community-endorsed." in page
    assert "We agree." in page and "Return to staff draft" in page


def test_returning_to_draft_needs_a_confirmation_and_keeps_the_decision(
        staff_client, make_priority, make_decision, make_theme):
    theme = make_theme(status="prioritised")
    priority, decision = make_priority(theme=theme), make_decision()
    priority.endorse(decision)
    db.session.commit()
    url = f"/themes/priorities/{priority.id}/return-to-draft"
    refused = staff_client.post(url, data={}).get_data(as_text=True)
    assert '<p class="error" id="confirm-error">Tick the box to confirm' in refused
    assert _fresh(priority).is_endorsed
    response = staff_client.post(url, data={"confirm": "y"})
    assert response.status_code == 302
    priority = _fresh(priority)
    assert priority.status == "staff_draft" and priority.decision is None
    assert priority.theme.status == "confirmed"
    assert db.session.get(type(decision), decision.id) is not None


def test_members_may_not_open_priorities(member_client, make_priority):
    priority = make_priority()
    db.session.commit()
    assert member_client.get("/themes/priorities").status_code == 403
    assert member_client.get(f"/themes/priorities/{priority.id}").status_code == 403
