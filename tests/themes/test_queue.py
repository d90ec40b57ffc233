"""The "to code" queue: what waits, in which order, filters, and taking a text off it."""

from datetime import date

import pytest

from app.extensions import db
from app.themes.coding import conversation_source
from tests.surveys.conftest import make_survey  # noqa: F401 (a fixture make_answer uses)
from tests.themes.test_coding import make_answer, make_excerpt  # noqa: F401 (fixtures)


@pytest.fixture
def app_overrides() -> dict:
    return {"PAGE_SIZE": 3}


def _rows(page: str) -> list[str]:
    """Return the coding-screen links of the queue's rows, in order."""
    return [part.split('"', 1)[0] for part in page.split('href="/themes/code/')[1:]
            if "data-queue-link" in part.split(">", 1)[0]]


def test_the_queue_lists_every_kind_of_uncoded_text_newest_first(
        staff_client, make_conversation, make_meeting, make_answer, make_theme,  # noqa: F811
        make_excerpt):  # noqa: F811
    coded = make_conversation(notes="Coded already.", happened_on=date(2026, 3, 20))
    make_excerpt(conversation_source(coded), make_theme())
    make_conversation(notes="   ", happened_on=date(2026, 3, 19))  # nothing to code
    talk = make_conversation(notes="Homework club is full.", happened_on=date(2026, 3, 10),
                             quotes=[{"text": "We come after the shift."}])
    held = make_meeting(notes="We chose Saturdays.", held_on=date(2026, 3, 12))
    make_meeting(notes="Plan for next week.", held_on=date(2026, 3, 13), status="planned")
    answer = make_answer("A quiet room for study.")
    make_answer("Eastgate", kind="short_text")
    db.session.commit()
    page = staff_client.get("/themes/to-code?page=1").get_data(as_text=True)
    assert "4 texts waiting." in page
    assert _rows(page) == [f"answer/{answer.id}", f"meeting/{held.id}",
                           f"conversation/{talk.id}"]
    assert f'href="/themes/code/answer/{answer.id}">Start coding' in page
    second = staff_client.get("/themes/to-code?page=2").get_data(as_text=True)
    assert _rows(second) == [f"quote/{talk.quotes[0].id}"]


def test_the_queue_filters_by_focus_community_and_kind(staff_client, make_conversation,
                                                      make_focus_community):
    eastgate, northside = make_focus_community(), make_focus_community()
    east = make_conversation(notes="East notes.", focus_community=eastgate,
                             quotes=[{"text": "East quote."}])
    make_conversation(notes="North notes.", focus_community=northside)
    db.session.commit()
    page = staff_client.get(f"/themes/to-code?focus_community_id={eastgate.id}"
                            "&source_kind=quote").get_data(as_text=True)
    assert _rows(page) == [f"quote/{east.quotes[0].id}?focus_community_id={eastgate.id}"
                           "&amp;source_kind=quote"]
    page = staff_client.get(f"/themes/to-code?focus_community_id={eastgate.id}"
                            ).get_data(as_text=True)
    assert len(_rows(page)) == 2
    page = staff_client.get("/themes/to-code?source_kind=meeting").get_data(as_text=True)
    assert "Nothing waiting for these filters" in page


def test_nothing_to_code_here_takes_a_text_off_the_queue(staff_client, make_conversation):
    first = make_conversation(notes="Just a hello.", happened_on=date(2026, 3, 2))
    second = make_conversation(notes="Asked about homework.", happened_on=date(2026, 3, 1))
    db.session.commit()
    response = staff_client.post(f"/themes/to-code/conversation/{first.id}/skip")
    assert response.location == "/themes/to-code"
    page = staff_client.get(response.location).get_data(as_text=True)
    assert "off the queue: nothing to code" in page
    assert _rows(page) == [f"conversation/{second.id}"]
    staff_client.post(f"/themes/to-code/conversation/{first.id}/skip")  # twice is harmless
    assert staff_client.post("/themes/to-code/conversation/999/skip").status_code == 404


def test_sensitive_conversations_are_marked_and_their_notes_kept_out_of_the_list(
        staff_client, make_conversation):
    make_conversation(notes="Spoke about a court hearing.", is_sensitive=True)
    db.session.commit()
    page = staff_client.get("/themes/to-code").get_data(as_text=True)
    assert "Sensitive: text hidden in lists" in page and "court hearing" not in page


def test_an_empty_queue_says_so(staff_client):
    page = staff_client.get("/themes/to-code").get_data(as_text=True)
    assert "Everything heard so far is coded." in page and "Start coding" not in page
