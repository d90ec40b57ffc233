"""The list of conversations: filters, keyset pages, and what each row shows."""

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.conversations.search import ConversationFilters, Cursor, conversation_page
from app.extensions import db


def _ids_on(page: str) -> list[int]:
    return [int(number) for number in re.findall(r'href="/conversations/(\d+)"', page)]


def _next_link(page: str, rel: str) -> str | None:
    found = re.search(rf'rel="{rel}" href="([^"]+)"', page)
    return found.group(1).replace("&amp;", "&") if found else None


@pytest.fixture
def two_of_everything(make_conversation, make_branch, make_focus_community, make_organization,
                      make_space, make_user):
    """Return a conversation that passes every filter, two others, and the filters.

    A third conversation, later than the rest, keeps "date to" from passing everything.
    """
    branch, community = make_branch(), make_focus_community()
    organization, space, logger = make_organization(), make_space(), make_user(name="Lee")
    host = make_organization()
    match = make_conversation(
        happened_on=date(2026, 3, 14), branch=branch, focus_community=community,
        organizations=[organization], space=space, kind="walkabout", purpose="planning",
        logged_by=logger, notes="Talked about the HOMEWORK club")
    hosted = make_conversation(happened_on=date(2026, 3, 14), place_organization=host,
                               quotes=[{"text": "A homework corner, please"}])
    other = make_conversation(happened_on=date(2026, 1, 2), notes="Nothing in common")
    make_conversation(happened_on=date(2026, 5, 2), notes="Later, nothing in common")
    db.session.commit()
    return match, hosted, other, {
        "date_from": "2026-03-01", "date_to": "2026-03-31", "branch_id": branch.id,
        "focus_community_id": community.id, "organization_id": organization.id,
        "space_id": space.id, "kind": "walkabout", "purpose": "planning",
        "logged_by_id": logger.id, "text": "homework"}


@pytest.mark.parametrize("name", ["date_from", "date_to", "branch_id", "focus_community_id",
                                  "organization_id", "space_id", "kind", "purpose",
                                  "logged_by_id", "text"])
def test_every_filter_narrows_the_list(staff_client, two_of_everything, name):
    match, hosted, other, filters = two_of_everything
    everything = staff_client.get("/conversations/").get_data(as_text=True)
    everything = set(_ids_on(everything))
    assert len(everything) == 4
    page = staff_client.get("/conversations/", query_string={name: filters[name]})
    shown = set(_ids_on(page.get_data(as_text=True)))
    assert match.id in shown and shown < everything


def test_the_text_filter_finds_quotes_places_and_who_too(staff_client, make_conversation):
    by_quote = make_conversation(quotes=[{"text": "Story time in Tigrinya"}])
    by_place = make_conversation(place_text="Tigrinya church hall")
    by_who = make_conversation(who_description="Tigrinya-speaking elders")
    make_conversation(notes="Something else")
    db.session.commit()
    page = staff_client.get("/conversations/?text=tigrinya").get_data(as_text=True)
    assert set(_ids_on(page)) == {by_quote.id, by_place.id, by_who.id}
    assert "3 conversations match the filters." in page


def test_the_organization_filter_includes_conversations_at_its_premises(
        staff_client, two_of_everything):
    match, hosted, other, _ = two_of_everything
    host_id = hosted.place_organization_id
    page = staff_client.get(f"/conversations/?organization_id={host_id}").get_data(as_text=True)
    assert _ids_on(page) == [hosted.id]


def test_text_search_treats_percent_and_underscore_as_plain_characters(
        staff_client, make_conversation):
    make_conversation(notes="Nothing special")
    wanted = make_conversation(notes="100% agreed")
    db.session.commit()
    page = staff_client.get("/conversations/?text=%25").get_data(as_text=True)
    assert _ids_on(page) == [wanted.id]


@pytest.fixture
def sixty_conversations(make_conversation, make_user):
    """Sixty conversations over twenty days, three on each day, two thirds of them walkabouts."""
    logger = make_user()
    conversations = [
        make_conversation(happened_on=date(2026, 1, 1) + timedelta(days=number % 20),
                          kind="walkabout" if number % 3 else "one_to_one", logged_by=logger)
        for number in range(60)]
    db.session.commit()
    return conversations


def _walk(client, url: str, rel: str) -> list[list[int]]:
    pages = []
    while url:
        page = client.get(url).get_data(as_text=True)
        pages.append(_ids_on(page))
        url = _next_link(page, rel)
    return pages


def test_older_pages_show_every_conversation_exactly_once_newest_first(
        staff_client, sixty_conversations):
    pages = _walk(staff_client, "/conversations/", "next")
    assert [len(page) for page in pages] == [25, 25, 10]
    shown = [number for page in pages for number in page]
    expected = sorted(sixty_conversations, key=lambda c: (c.happened_on, c.id), reverse=True)
    assert shown == [conversation.id for conversation in expected]


def test_newer_pages_walk_back_to_the_first_page(staff_client, sixty_conversations):
    forward = _walk(staff_client, "/conversations/", "next")
    last = staff_client.get("/conversations/").get_data(as_text=True)
    while _next_link(last, "next"):
        last = staff_client.get(_next_link(last, "next")).get_data(as_text=True)
    backward = _walk(staff_client, _next_link(last, "prev"), "prev")
    assert backward == [forward[1], forward[0]]
    assert _next_link(staff_client.get("/conversations/").get_data(as_text=True), "prev") is None


def test_filters_survive_paging(staff_client, sixty_conversations):
    pages = _walk(staff_client, "/conversations/?kind=walkabout&date_to=2026-01-19", "next")
    shown = [number for page in pages for number in page]
    expected = {c.id for c in sixty_conversations
                if c.kind == "walkabout" and c.happened_on <= date(2026, 1, 19)}
    assert len(shown) == len(set(shown)) == len(expected) == 38
    assert set(shown) == expected and len(pages) == 2
    page = staff_client.get("/conversations/?kind=walkabout&date_to=2026-01-19").get_data(
        as_text=True)
    assert "38 conversations match the filters." in page
    assert "kind=walkabout" in _next_link(page, "next")


def test_a_newer_page_with_less_than_a_page_above_it_shows_the_newest_page(
        app, sixty_conversations):
    newest = sorted(sixty_conversations, key=lambda c: (c.happened_on, c.id), reverse=True)
    page = conversation_page(ConversationFilters(), newer_than=Cursor(newest[3].happened_on,
                                                                      newest[3].id), size=25)
    assert [c.id for c in page.conversations] == [c.id for c in newest[:25]]
    assert page.newer is None and page.older == Cursor(newest[24].happened_on, newest[24].id)


def test_a_malformed_cursor_shows_the_first_page(staff_client, sixty_conversations):
    response = staff_client.get("/conversations/?older=not-a-cursor")
    assert response.status_code == 200 and len(_ids_on(response.get_data(as_text=True))) == 25


def test_the_list_makes_the_same_number_of_queries_for_5_rows_as_for_25(
        app, staff_client, make_conversation, make_organization, staff):
    def queries_for_list() -> int:
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        sa.event.listen(db.engine, "before_cursor_execute", listener)
        staff_client.get("/conversations/")
        sa.event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    def add(number: int) -> None:
        for _ in range(number):
            make_conversation(organizations=[make_organization()], logged_by=staff,
                              quotes=[{"text": "words"}], follow_ups=[{"description": "do"}])
        db.session.commit()

    add(5)
    few = queries_for_list()
    add(20)
    assert queries_for_list() == few


def test_each_row_shows_date_place_kind_who_notes_and_counts(staff_client, make_conversation,
                                                              make_space):
    make_conversation(
        happened_on=date(2026, 3, 14), space=make_space(name="Suds Laundromat"),
        kind="drop_in_visit", purpose="listening", who_description="about 5 parents waiting",
        notes="x" * 150 + " and then the rest of a very long note",
        quotes=[{"text": "one"}, {"text": "two"}],
        follow_ups=[{"description": "open"}, {"description": "kept", "done_at": date(2026, 3, 15)}])
    db.session.commit()
    page = staff_client.get("/conversations/").get_data(as_text=True)
    assert "Suds Laundromat" in page and "Sat 14 Mar 2026" in page
    assert "Drop-in visit" in page and "about 5 parents waiting" in page
    assert "x" * 150 in page and "the rest of a very long note" not in page
    assert "2 quotes · 1 open follow-up" in page


def test_sensitive_notes_are_hidden_in_the_list(staff_client, make_conversation):
    make_conversation(notes="Talked about a custody case", is_sensitive=True)
    db.session.commit()
    page = staff_client.get("/conversations/").get_data(as_text=True)
    assert "Sensitive: notes hidden in lists" in page and "custody" not in page


def test_a_disabled_colleagues_conversations_still_say_who_logged_them(
        staff_client, make_user, make_conversation):
    former = make_user(name="Former Colleague")
    conversation = make_conversation(logged_by=former)
    former.disable()
    db.session.commit()
    assert "logged by Former Colleague" in staff_client.get("/conversations/").get_data(
        as_text=True)
    detail = staff_client.get(f"/conversations/{conversation.id}").get_data(as_text=True)
    assert "Logged by Former Colleague on" in detail


def test_an_empty_log_says_how_to_start(staff_client):
    page = staff_client.get("/conversations/").get_data(as_text=True)
    assert "No conversations logged yet." in page and 'href="/conversations/new"' in page


def test_all_filters_together_find_the_one_that_passes_them_all(staff_client, two_of_everything):
    match, _, _, filters = two_of_everything
    page = staff_client.get("/conversations/", query_string=filters).get_data(as_text=True)
    assert _ids_on(page) == [match.id] and "1 conversation match the filters." in page


def test_page_links_carry_only_the_filters(staff_client, sixty_conversations):
    page = staff_client.get("/conversations/?kind=walkabout&_external=1&_scheme=javascript"
                            ).get_data(as_text=True)
    link = _next_link(page, "next")
    assert link.startswith("/conversations/?") and "kind=walkabout" in link
    assert "_scheme" not in link and "_external" not in link
