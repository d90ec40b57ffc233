"""Coding a passage of something heard: finding the words, the themes, and what the pages show."""

import uuid
from datetime import date

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.surveys.models import Answer, SurveyResponse
from app.themes.coding import CodingError, conversation_source, locate_passage
from app.themes.models import Excerpt, Theme
from tests.conftest import log_in
from tests.surveys.conftest import make_survey  # noqa: F401 (a fixture make_answer uses)

NOTES = ("Parents asked about homework help. The homework club is full on Tuesdays.\r\n"
         "Two mothers said the card forms are only in English.")


@pytest.fixture
def conversation(make_conversation, make_focus_community):
    """Conversation notes with "homework" twice and a Windows line break, as a browser sends."""
    return make_conversation(notes=NOTES, focus_community=make_focus_community(name="Eastgate"),
                             happened_on=date(2026, 3, 14),
                             quotes=[{"text": "Nobody told us the card was free."}])


@pytest.fixture
def make_answer(make_survey):  # noqa: F811
    """Return a function storing one response that answers a question of `kind` with `text`."""

    def make(text: str, kind: str = "long_text", channel: str = "web") -> Answer:
        survey = make_survey()
        question = next(q for q in survey.questions if q.kind == kind)
        response = SurveyResponse(survey=survey, submission_id=uuid.uuid4().hex,
                                  channel=channel, language="en")
        answer = Answer(question=question, text_value=text)
        if question.has_options:
            answer.option = question.options[0]
        response.answers = [answer]
        db.session.add(response)
        db.session.flush()
        return answer

    return make


@pytest.fixture
def make_excerpt(staff):
    """Return a function coding a whole source (or the words given) to themes, by `staff`."""
    from app.themes.coding import code_words

    def make(source, *themes: Theme, words: str | None = None) -> Excerpt:
        return code_words(source, themes, by=staff, passage=words)

    return make


def _excerpts() -> list[Excerpt]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Excerpt).order_by(Excerpt.id)))


def test_typed_words_are_found_in_the_text_and_coded(staff_client, staff, conversation,
                                                     make_theme):
    theme = make_theme(name="Homework help")
    db.session.commit()
    url = f"/themes/code/conversation/{conversation.id}"
    response = staff_client.post(url, data={"passage": "homework  help", "theme_ids": [theme.id],
                                            "save": "Save"})
    assert response.status_code == 302 and response.location == url
    [excerpt] = _excerpts()
    start = NOTES.index("homework help")
    assert (excerpt.text, excerpt.start_offset, excerpt.end_offset) == (
        "homework help", start, start + 13)
    assert excerpt.themes == [theme] and excerpt.coded_by == staff
    assert (excerpt.source_key, excerpt.heard_on) == (f"conversation:{conversation.id}",
                                                      date(2026, 3, 14))
    page = staff_client.get(url).get_data(as_text=True)
    assert "Coded to “Homework help”." in page
    assert '<mark title="Homework help">homework help</mark>' in page


def test_the_same_words_again_are_taken_after_the_passage_already_coded(
        staff_client, conversation, make_theme):
    theme = make_theme()
    db.session.commit()
    url = f"/themes/code/conversation/{conversation.id}"
    for _ in range(2):
        staff_client.post(url, data={"passage": "Homework", "theme_ids": [theme.id]})
    first, second = _excerpts()
    once = NOTES.index("homework")
    assert (first.start_offset, second.start_offset) == (once, NOTES.index("homework", once + 1))


def test_a_selection_codes_the_occurrence_nearest_to_where_it_was_made():
    # The browser counts "\r\n" as one character; the nearest match still wins.
    start, end = locate_passage(NOTES, "the card forms", near=NOTES.index("the card") - 1)
    assert NOTES[start:end] == "the card forms"
    assert locate_passage("a b a b", "a", near=5) == (4, 5)


def test_words_not_in_the_text_get_a_message_next_to_the_field(staff_client, conversation,
                                                              make_theme):
    theme = make_theme()
    db.session.commit()
    response = staff_client.post(f"/themes/code/conversation/{conversation.id}",
                                 data={"passage": "bus tickets", "theme_ids": [theme.id]})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="passage-error"' in page and "Those words are not in the text" in page
    assert _excerpts() == []


def test_nothing_is_coded_without_a_passage_or_a_theme(staff_client, conversation, make_theme):
    make_theme()
    db.session.commit()
    page = staff_client.post(f"/themes/code/conversation/{conversation.id}",
                             data={"passage": ""}).get_data(as_text=True)
    assert "Select or type the words to code" in page
    assert "Tick at least one theme, or name a new one." in page
    assert _excerpts() == []


def test_the_whole_text_can_be_coded_to_several_themes(staff_client, conversation, make_theme):
    need, barrier = make_theme(name="Need", kind="need"), make_theme(name="Bar", kind="barrier")
    db.session.commit()
    staff_client.post(f"/themes/code/conversation/{conversation.id}",
                      data={"whole": "y", "passage": "ignored", "theme_ids": [need.id, barrier.id]})
    [excerpt] = _excerpts()
    assert excerpt.is_whole_item and excerpt.text == NOTES
    assert {theme.name for theme in excerpt.themes} == {"Need", "Bar"}


def test_a_new_theme_is_made_on_the_spot_or_an_existing_name_is_reused(
        staff_client, staff, conversation, make_theme):
    existing = make_theme(name="Fear of fines")
    db.session.commit()
    url = f"/themes/code/conversation/{conversation.id}"
    staff_client.post(url, data={"passage": "card forms", "new_theme_name": "English-only forms",
                                 "new_theme_kind": "barrier"})
    staff_client.post(url, data={"passage": "Two mothers", "new_theme_name": "fear of FINES"})
    first, second = _excerpts()
    [made] = first.themes
    assert (made.name, made.kind, made.status) == ("English-only forms", "barrier", "emerging")
    assert made.focus_community_id == conversation.focus_community_id and made.created_by == staff
    assert second.themes == [existing]


def test_coding_a_passage_again_adds_themes_to_the_same_excerpt(conversation, make_theme,
                                                                make_excerpt):
    first, second = make_theme(), make_theme()
    source = conversation_source(conversation)
    make_excerpt(source, first, words="card forms")
    make_excerpt(source, first, second, words="card forms")
    [excerpt] = _excerpts()
    assert {theme.id for theme in excerpt.themes} == {first.id, second.id}


def test_quotes_and_written_answers_are_coded_but_choice_answers_are_not(
        staff_client, conversation, make_answer, make_theme):
    theme = make_theme()
    written, short, chosen = (make_answer("We need a quiet room."),
                              make_answer("Eastgate", kind="short_text"),
                              make_answer("", kind="single_choice"))
    db.session.commit()
    quote = conversation.quotes[0]
    assert staff_client.get(f"/themes/code/quote/{quote.id}").status_code == 200
    assert staff_client.get(f"/themes/code/answer/{short.id}").status_code == 200
    assert staff_client.get(f"/themes/code/answer/{chosen.id}").status_code == 404
    assert staff_client.get(f"/themes/code/session/{quote.id}").status_code == 404
    assert staff_client.get("/themes/code/quote/999").status_code == 404
    staff_client.post(f"/themes/code/answer/{written.id}",
                      data={"passage": "quiet room", "theme_ids": [theme.id]})
    [excerpt] = _excerpts()
    assert (excerpt.answer_id, excerpt.text, excerpt.heard_through) == (
        written.id, "quiet room", "web")
    assert excerpt.source_key == f"response:{written.response_id}"


def test_meeting_notes_can_be_coded(staff_client, make_meeting, make_theme):
    meeting = make_meeting(notes="We agreed the Saturday mornings should start in May.")
    theme = make_theme()
    db.session.commit()
    staff_client.post(f"/themes/code/meeting/{meeting.id}",
                      data={"passage": "Saturday mornings", "theme_ids": [theme.id]})
    [excerpt] = _excerpts()
    assert (excerpt.meeting_id, excerpt.source_key) == (meeting.id, f"meeting:{meeting.id}")


def test_save_and_next_opens_the_next_text_waiting_in_the_queue(
        staff_client, make_conversation, make_theme):
    older = make_conversation(notes="Older notes about buses.", happened_on=date(2026, 1, 5))
    newer = make_conversation(notes="Newer notes about homework.", happened_on=date(2026, 2, 5))
    theme = make_theme()
    db.session.commit()
    response = staff_client.post(
        f"/themes/code/conversation/{newer.id}",
        data={"passage": "homework", "theme_ids": [theme.id], "save_next": "Save and next"})
    assert response.location == f"/themes/code/conversation/{older.id}"
    response = staff_client.post(
        f"/themes/code/conversation/{older.id}?source_kind=conversation",
        data={"passage": "buses", "theme_ids": [theme.id], "save_next": "Save and next"})
    assert response.location == "/themes/to-code?source_kind=conversation"
    assert "Nothing else is waiting" in staff_client.get(response.location).get_data(as_text=True)


def test_taking_the_last_theme_off_an_excerpt_removes_it(staff_client, conversation,
                                                        make_theme, make_excerpt):
    kept, dropped = make_theme(name="Kept"), make_theme(name="Dropped")
    source = conversation_source(conversation)
    both = make_excerpt(source, kept, dropped, words="homework help")
    db.session.commit()
    url = f"/themes/{dropped.id}/excerpts/{both.id}/remove"
    back = f"/themes/code/conversation/{conversation.id}"
    assert staff_client.post(f"{url}?next={back}").location == back
    [excerpt] = _excerpts()
    assert excerpt.themes == [kept]
    staff_client.post(f"/themes/{kept.id}/excerpts/{both.id}/remove")
    assert _excerpts() == []


def test_the_conversation_page_shows_its_coded_passages_to_staff(
        staff_client, conversation, make_theme, make_excerpt):
    theme = make_theme(name="Free cards unknown")
    make_excerpt(conversation_source(conversation), theme, words="card forms")
    db.session.commit()
    page = staff_client.get(f"/conversations/{conversation.id}").get_data(as_text=True)
    assert "Coded passages" in page and "<mark>card forms</mark>" in page
    assert f'href="/themes/{theme.id}"' in page
    assert f'href="/themes/code/conversation/{conversation.id}">Code the notes' in page
    assert f'href="/themes/code/quote/{conversation.quotes[0].id}">Code this quote' in page


def test_the_response_page_offers_to_code_each_written_answer(
        staff_client, make_answer, make_theme, make_excerpt):
    from app.themes.coding import answer_source

    answer = make_answer("Open on Sundays please.")
    make_excerpt(answer_source(answer), make_theme(name="Sunday hours"), words="Sundays")
    db.session.commit()
    response = answer.response
    page = staff_client.get(f"/forms/{response.survey_id}/responses/{response.id}"
                            ).get_data(as_text=True)
    assert "<mark>Sundays</mark>" in page and "Sunday hours" in page
    assert f'href="/themes/code/answer/{answer.id}">Code the answer to “Anything else?”' in page


def test_members_see_no_coding_and_cannot_open_it(app, client, member, conversation):
    from flask import render_template_string

    db.session.commit()
    log_in(client, member)
    assert client.get(f"/themes/code/conversation/{conversation.id}").status_code == 403
    with app.test_request_context():
        from flask_login import login_user

        login_user(member)
        html = render_template_string(
            '{% with source_ref="conversation:' + str(conversation.id) + '" %}'
            '{% include "themes/_source_excerpts.html" %}{% endwith %}')
    assert "Coded passages" not in html and "Code the notes" not in html


def test_code_passage_refuses_offsets_outside_the_text(conversation, make_theme, staff):
    from app.themes.coding import code_passage

    with pytest.raises(CodingError):
        code_passage(conversation_source(conversation), [make_theme()], by=staff,
                     start=5, end=len(NOTES) + 1)
