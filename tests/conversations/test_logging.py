"""Logging and editing a conversation, with its quotes and follow-ups, on one screen."""

from datetime import date

import sqlalchemy as sa

from app.conversations.models import Conversation, FollowUp, Quote
from app.extensions import db
from app.records import library_today
from tests.conftest import log_in


def _only_conversation() -> Conversation:
    db.session.expire_all()
    return db.session.scalars(sa.select(Conversation)).one()


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_logging_a_conversation_stores_it_with_a_quote_and_a_follow_up(
        staff_client, staff, conversation_form, make_organization, make_space, make_branch):
    branch, space = make_branch(name="Eastgate"), make_space(name="Suds Laundromat")
    food_bank = make_organization(name="Eastgate Food Bank")
    db.session.commit()
    response = staff_client.post("/conversations/new", data=conversation_form(**{
        "happened_on": "2026-03-14", "happened_at": "14:30", "branch_id": str(branch.id),
        "space_id": str(space.id), "organization_ids": [str(food_bank.id)],
        "kind": "event_table", "purpose": "relationship", "languages": ["ar", "en"],
        "notes": "Parents asked about homework help.", "is_sensitive": "y",
        "quotes-0-text": "The library is warm and nobody rushes you.",
        "quotes-0-attribution": "role", "quotes-0-attributed_to": "a father of three",
        "quotes-0-is_public": "y",
        "follow_ups-0-description": "Bring Arabic picture books",
        "follow_ups-0-due_on": "2026-03-21",
    }))
    conversation = _only_conversation()
    assert response.status_code == 302
    assert response.location == f"/conversations/{conversation.id}"
    assert (conversation.happened_on, conversation.happened_at.hour) == (date(2026, 3, 14), 14)
    assert (conversation.branch, conversation.space) == (branch, space)
    assert conversation.organizations == [food_bank]
    assert (conversation.kind, conversation.purpose) == ("event_table", "relationship")
    assert conversation.languages == ["ar", "en"] and conversation.is_sensitive
    assert conversation.headcount == 5 and conversation.who_description == "about 5 parents waiting"
    assert conversation.logged_by == staff and conversation.updated_by is None
    [quote] = conversation.quotes
    assert (quote.text, quote.attribution, quote.attributed_to, quote.is_public) == (
        "The library is warm and nobody rushes you.", "role", "a father of three", True)
    [follow_up] = conversation.follow_ups
    assert (follow_up.description, follow_up.owner, follow_up.due_on) == (
        "Bring Arabic picture books", staff, date(2026, 3, 21))
    page = staff_client.get(response.location).get_data(as_text=True)
    assert "Saved the conversation." in page and "a father of three" in page


def test_empty_quote_and_follow_up_rows_are_left_out(staff_client, conversation_form):
    staff_client.post("/conversations/new", data=conversation_form())
    assert _count(Conversation) == 1
    assert (_count(Quote), _count(FollowUp)) == (0, 0)


def test_the_form_starts_with_today_and_my_home_branch(client, make_user, make_branch):
    home, other = make_branch(name="Northside"), make_branch(name="Aardvark")
    user = make_user(branch=home)
    db.session.commit()
    log_in(client, user)
    page = client.get("/conversations/new").get_data(as_text=True)
    assert f'value="{library_today().isoformat()}"' in page
    assert f'<option selected value="{home.id}">Northside</option>' in page
    assert f'<option value="{other.id}">Aardvark</option>' in page
    assert f'<option selected value="{user.id}">' in page  # new follow-ups are mine


def test_the_form_prefills_what_the_community_map_links_with(
        staff_client, make_organization, make_space, make_focus_community):
    organization, space = make_organization(name="Tenants Association"), make_space()
    community = make_focus_community(name="Newcomer families")
    db.session.commit()
    page = staff_client.get(
        f"/conversations/new?organization_id={organization.id}&space_id={space.id}"
        f"&focus_community_id={community.id}").get_data(as_text=True)
    organizations = page.split('name="organization_ids"')[1].split("</select>")[0]
    assert f'<option selected value="{organization.id}">Tenants Association</option>' in \
        organizations
    assert f'<option selected value="{space.id}">' in page
    assert f'<option selected value="{community.id}">Newcomer families</option>' in page


def test_an_unknown_organization_in_the_link_is_ignored(staff_client):
    assert staff_client.get("/conversations/new?organization_id=999").status_code == 200


def test_a_conversation_has_at_most_one_place(staff_client, conversation_form, make_space):
    space = make_space()
    db.session.commit()
    response = staff_client.post("/conversations/new", data=conversation_form(
        space_id=str(space.id), place_text="outside the clinic"))
    assert response.status_code == 200
    assert "Choose one place" in response.get_data(as_text=True)
    assert _count(Conversation) == 0


def test_a_conversation_needs_someone_it_was_with(staff_client, conversation_form):
    response = staff_client.post("/conversations/new", data=conversation_form(
        who_description="", headcount=""))
    assert response.status_code == 200
    assert "Say who you talked with" in response.get_data(as_text=True)
    assert _count(Conversation) == 0


def test_a_headcount_alone_is_enough_to_say_who(staff_client, conversation_form):
    staff_client.post("/conversations/new", data=conversation_form(who_description="",
                                                                   headcount="12"))
    assert _only_conversation().headcount == 12


def test_a_headcount_must_be_between_0_and_10000(staff_client, conversation_form):
    response = staff_client.post("/conversations/new", data=conversation_form(headcount="10001"))
    assert "Write a number from 0 to 10,000." in response.get_data(as_text=True)
    assert _count(Conversation) == 0


def test_a_first_name_quote_without_consent_is_refused_next_to_the_field(
        staff_client, conversation_form):
    response = staff_client.post("/conversations/new", data=conversation_form(**{
        "quotes-1-text": "We need somewhere quiet.", "quotes-1-attribution": "first_name",
        "quotes-1-attributed_to": "Amina"}))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and _count(Conversation) == 0
    checkbox = page.split('id="quotes-1-has_name_consent"')[1].split("</div>")[0]
    assert "A first name needs their agreement" in checkbox
    assert 'href="#quotes-1-has_name_consent">Quote 2: They agreed to be named' in page


def test_a_first_name_quote_with_consent_is_stored(staff_client, conversation_form):
    staff_client.post("/conversations/new", data=conversation_form(**{
        "quotes-0-text": "We need somewhere quiet.", "quotes-0-attribution": "first_name",
        "quotes-0-attributed_to": "Amina", "quotes-0-has_name_consent": "y"}))
    quote = _only_conversation().quotes[0]
    assert (quote.attributed_to, quote.has_name_consent, quote.attribution_label) == (
        "Amina", True, "Amina")


def test_add_another_quote_shows_one_more_row_and_keeps_what_was_typed(
        staff_client, conversation_form):
    response = staff_client.post("/conversations/new", data=conversation_form(**{
        "notes": "Kept notes", "quotes-0-text": "First words", "add_quote": "Add another quote"}))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and _count(Conversation) == 0
    assert 'name="quotes-2-text"' in page and 'name="quotes-3-text"' not in page
    assert "Kept notes" in page and "First words" in page
    assert "Please check" not in page


def test_add_another_follow_up_gives_the_new_row_me_as_owner(
        staff_client, staff, conversation_form):
    page = staff_client.post("/conversations/new", data=conversation_form(
        add_follow_up="Add another follow-up")).get_data(as_text=True)
    new_row = page.split('name="follow_ups-2-owner_id"')[1].split("</select>")[0]
    assert f'<option selected value="{staff.id}">' in new_row


def test_editing_records_who_changed_it_and_keeps_who_logged_it(
        staff_client, staff, make_user, make_conversation, conversation_form):
    author = make_user(name="Lee Logger")
    conversation = make_conversation(logged_by=author, who_description="two seniors")
    db.session.commit()
    page = staff_client.get(f"/conversations/{conversation.id}/edit").get_data(as_text=True)
    assert "two seniors" in page
    response = staff_client.post(f"/conversations/{conversation.id}/edit",
                                 data=conversation_form(notes="Changed notes"))
    assert response.location == f"/conversations/{conversation.id}"
    conversation = _only_conversation()
    assert (conversation.notes, conversation.logged_by, conversation.updated_by) == (
        "Changed notes", author, staff)
    page = staff_client.get(response.location).get_data(as_text=True)
    assert "Logged by Lee Logger on" in page and "Last changed by Sam Staff on" in page


def test_existing_quotes_and_follow_ups_can_be_changed_or_removed_on_edit(
        staff_client, staff, make_conversation, conversation_form):
    conversation = make_conversation(
        logged_by=staff, quotes=[{"text": "Keep me"}, {"text": "Remove me"}],
        follow_ups=[{"description": "Call back"}, {"description": "Drop this"}])
    db.session.commit()
    kept_quote, removed_quote = (quote.id for quote in conversation.quotes)
    kept_follow_up, removed_follow_up = (follow_up.id for follow_up in conversation.follow_ups)
    staff_client.post(f"/conversations/{conversation.id}/edit", data=conversation_form(**{
        "quotes-0-id": str(kept_quote), "quotes-0-text": "Keep me, changed",
        "quotes-1-id": str(removed_quote), "quotes-1-text": "Remove me",
        "quotes-1-remove": "y",
        "follow_ups-0-id": str(kept_follow_up), "follow_ups-0-description": "Call back Friday",
        "follow_ups-1-id": str(removed_follow_up), "follow_ups-1-description": "Drop this",
        "follow_ups-1-remove": "y"}))
    conversation = _only_conversation()
    assert [(quote.id, quote.text) for quote in conversation.quotes] == [
        (kept_quote, "Keep me, changed")]
    assert [(row.id, row.description) for row in conversation.follow_ups] == [
        (kept_follow_up, "Call back Friday")]
    assert (_count(Quote), _count(FollowUp)) == (1, 1)


def test_done_follow_ups_stay_done_when_the_conversation_is_edited(
        staff_client, staff, make_conversation, conversation_form):
    conversation = make_conversation(logged_by=staff, follow_ups=[{"description": "Call back"}])
    conversation.follow_ups[0].mark_done(staff)
    db.session.commit()
    follow_up_id = conversation.follow_ups[0].id
    page = staff_client.get(f"/conversations/{conversation.id}/edit").get_data(as_text=True)
    assert "Follow-up 1 <span class=\"tag tag-ok\">Done</span>" in page
    staff_client.post(f"/conversations/{conversation.id}/edit", data=conversation_form(**{
        "follow_ups-0-id": str(follow_up_id), "follow_ups-0-description": "Call back soon"}))
    follow_up = _only_conversation().follow_ups[0]
    assert follow_up.description == "Call back soon" and follow_up.is_done


def test_a_quote_id_from_another_conversation_is_not_taken_over(
        staff_client, staff, make_conversation, conversation_form):
    other = make_conversation(quotes=[{"text": "Not yours"}])
    mine = make_conversation(logged_by=staff)
    db.session.commit()
    staff_client.post(f"/conversations/{mine.id}/edit", data=conversation_form(**{
        "quotes-0-id": str(other.quotes[0].id), "quotes-0-text": "Mine"}))
    db.session.expire_all()
    assert [quote.text for quote in other.quotes] == ["Not yours"]
    assert [quote.text for quote in mine.quotes] == ["Mine"]


def test_editing_an_unknown_conversation_is_404(staff_client):
    assert staff_client.get("/conversations/999/edit").status_code == 404


def test_an_empty_follow_up_row_is_left_out_whatever_its_owner_says(
        staff_client, conversation_form):
    response = staff_client.post("/conversations/new", data=conversation_form(**{
        "follow_ups-1-owner_id": None, "quotes-1-attribution": "nonsense"}))
    assert response.status_code == 302
    assert (_count(Quote), _count(FollowUp)) == (0, 0)


def test_a_due_date_without_a_promise_is_refused(staff_client, conversation_form):
    response = staff_client.post("/conversations/new", data=conversation_form(**{
        "follow_ups-0-due_on": "2026-04-01"}))
    assert "Say what was promised, or clear the date." in response.get_data(as_text=True)
    assert _count(Conversation) == 0
