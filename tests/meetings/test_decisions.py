"""Decisions: recorded only at held meetings, corrected, and kept while anything points at them."""

import sqlalchemy as sa

from app.extensions import db
from app.meetings.models import Decision
from app.records import library_today

DECISION = {"text": "Saturday mornings come first.", "method": "dot_vote",
            "decided_by": "Everyone present, 14 people", "votes_for": "31", "votes_against": "2",
            "result_note": "Highest of eight."}


def _decisions() -> list[Decision]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Decision)))


def test_a_decision_is_recorded_at_a_held_meeting(staff_client, staff, make_meeting):
    meeting = make_meeting()
    db.session.commit()
    response = staff_client.post(f"/meetings/{meeting.id}/decisions", data=DECISION)
    assert response.status_code == 302
    assert response.location == f"/meetings/{meeting.id}#decisions"
    [decision] = _decisions()
    assert (decision.text, decision.method, decision.decided_by) == (
        "Saturday mornings come first.", "dot_vote", "Everyone present, 14 people")
    assert (decision.votes_for, decision.votes_against, decision.abstentions) == (31, 2, None)
    assert decision.result_note == "Highest of eight." and decision.recorded_by == staff
    page = staff_client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Saturday mornings come first." in page and "For: 31 · Against: 2" in page


def test_a_decision_is_refused_with_the_models_message_unless_the_meeting_was_held(
        staff_client, make_meeting):
    meeting = make_meeting(status="planned", held_on=library_today())
    db.session.commit()
    response = staff_client.post(f"/meetings/{meeting.id}/decisions", data=DECISION)
    assert response.status_code == 400
    assert ("Decisions are recorded for meetings that were held. Mark the meeting as held first."
            in response.get_data(as_text=True))
    assert _decisions() == []


def test_bad_decision_input_is_shown_next_to_the_field(staff_client, make_meeting):
    meeting = make_meeting()
    db.session.commit()
    response = staff_client.post(f"/meetings/{meeting.id}/decisions", data=dict(
        DECISION, decided_by="", votes_for="-1"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Say who decided" in page and "Write a number from 0 to 100,000." in page
    assert _decisions() == []


def test_a_decision_can_be_corrected(staff_client, make_decision):
    decision = make_decision()
    db.session.commit()
    form = staff_client.get(f"/meetings/decisions/{decision.id}/edit").get_data(as_text=True)
    assert "We agree." in form
    response = staff_client.post(f"/meetings/decisions/{decision.id}/edit", data=dict(
        DECISION, method="vote", abstentions="1"))
    assert response.status_code == 302
    [decision] = _decisions()
    assert (decision.method, decision.abstentions) == ("vote", 1)


def test_an_unused_decision_can_be_deleted(staff_client, make_decision):
    decision = make_decision()
    db.session.commit()
    response = staff_client.post(f"/meetings/decisions/{decision.id}/delete",
                                 follow_redirects=True)
    assert "Deleted the decision." in response.get_data(as_text=True)
    assert _decisions() == []


def test_a_decision_a_priority_points_at_cannot_be_deleted(staff_client, make_decision,
                                                           make_priority):
    decision = make_decision()
    priority = make_priority()
    priority.endorse(decision)
    db.session.commit()
    response = staff_client.post(f"/meetings/decisions/{decision.id}/delete",
                                 follow_redirects=True)
    assert "This decision cannot be deleted" in response.get_data(as_text=True)
    assert len(_decisions()) == 1


def test_a_decision_a_plan_points_at_cannot_be_deleted(staff_client, make_decision, make_plan):
    decision = make_decision()
    make_plan(status="community_endorsed", endorsed_by_id=decision.id)
    db.session.commit()
    staff_client.post(f"/meetings/decisions/{decision.id}/delete")
    assert len(_decisions()) == 1
