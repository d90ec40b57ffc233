"""Phone numbers and email addresses in notes and quotes stop the save until someone confirms."""

import pytest
import sqlalchemy as sa

from app.conversations.models import Conversation
from app.conversations.services import (
    ConversationDraft,
    PersonalDetailsFound,
    QuoteDraft,
    save_conversation,
)
from app.extensions import db
from app.records import library_today


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Conversation))


def test_a_phone_number_in_the_notes_stops_the_save_and_keeps_everything_typed(
        staff_client, conversation_form):
    response = staff_client.post("/conversations/new", data=conversation_form(**{
        "notes": "Her cell is 613-555-0199, call after 5.", "place_text": "Suds Laundromat",
        "quotes-0-text": "Books for the kids, please."}))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and _count() == 0
    warning = page.split('class="warning-box"')[1].split("</div>")[0]
    assert "Notes and quotes can end up in reports and printouts." in warning
    assert 'Notes: a phone number: <strong class="found">613-555-0199</strong>' in warning
    assert "belong in a contact person's record, with their consent" in warning
    assert "I have checked: keep these details in the text" in warning
    assert "Her cell is 613-555-0199, call after 5." in page
    assert 'value="Suds Laundromat"' in page and "Books for the kids, please." in page


def test_ticking_the_check_box_lets_the_notes_through(staff_client, conversation_form):
    response = staff_client.post("/conversations/new", data=conversation_form(
        notes="Her cell is 613-555-0199.", keep_personal_details="y"))
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Conversation.notes)) == "Her cell is 613-555-0199."


def test_an_email_address_in_a_quote_stops_the_save_and_names_the_quote(
        staff_client, conversation_form):
    response = staff_client.post("/conversations/new", data=conversation_form(**{
        "quotes-0-text": "Nice people.", "quotes-1-text": "Email me at ana@example.org"}))
    page = response.get_data(as_text=True)
    assert _count() == 0
    assert 'Quote 2: an email address: <strong class="found">ana@example.org</strong>' in page
    confirmed = staff_client.post("/conversations/new", data=conversation_form(**{
        "quotes-0-text": "Nice people.", "quotes-1-text": "Email me at ana@example.org",
        "keep_personal_details": "y"}))
    assert confirmed.status_code == 302
    assert _count() == 1


def test_the_check_box_appears_only_when_something_was_found(staff_client):
    page = staff_client.get("/conversations/new").get_data(as_text=True)
    assert "keep these details" not in page


def test_the_save_service_refuses_personal_details_unless_told_to_keep_them(app, staff):
    draft = ConversationDraft(happened_on=library_today(), kind="one_to_one", purpose="listening",
                              headcount=1, notes="Fine notes",
                              quotes=[QuoteDraft(text="call 613 555 0199"),
                                      QuoteDraft(text="write to x@example.org", remove=True)])
    with pytest.raises(PersonalDetailsFound) as found:
        save_conversation(Conversation(), by=staff, draft=draft)
    assert [(item.field, item.finding.text) for item in found.value.findings] == [
        ("Quote 1", "613 555 0199")]
    conversation = save_conversation(Conversation(), by=staff, draft=draft,
                                     keep_personal_details=True)
    assert [quote.text for quote in conversation.quotes] == ["call 613 555 0199"]
