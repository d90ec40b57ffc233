"""The answering services: rows per answer, the digest, duplicates and races, and contact
consent kept apart from the answers."""

from datetime import date

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.privacy.models import ConsentRecord
from app.records import library_today
from app.surveys.responding import (
    ConflictingSubmission,
    DuplicateSubmission,
    InvalidContact,
    SurveyClosed,
    add_months,
    answers_digest,
    insert_response,
    normalise_contact,
    question_rules,
    record_contact_consent,
    record_response,
)
from app.templating import local_time
from tests.surveys.filling import active_question, good_answers, option_of, responses, submission_id

pytestmark = pytest.mark.usefixtures("public_app")

CONTACT_TEXTS = {
    "en": {"title": "Your say", "contact_purpose": "A librarian may call you about your answers.",
           "consent_text": "Only library staff see this."},
    "es": {"title": "Su opinión", "contact_purpose": "Una bibliotecaria puede llamarle."},
}


def _answers(survey) -> dict:
    return {active_question(survey, "short_text").id: "Eastgate",
            active_question(survey, "multi_choice").id: [option_of(survey, "multi_choice", 2),
                                                        option_of(survey, "multi_choice", 0)]}


def test_the_digest_is_the_same_for_the_same_answers_in_any_order():
    first = answers_digest({3: [7, 5], 4: {9: 2, 8: 1}, 5: date(2026, 1, 2), 6: 2.0})
    again = answers_digest({6: 2, 5: date(2026, 1, 2), 4: {8: 1, 9: 2}, 3: [5, 7]})
    assert first == again and len(first) == 64
    assert answers_digest({3: "Eastgate"}) != answers_digest({3: "Eastgate "})


def test_record_response_stores_one_row_per_chosen_option(make_survey):
    survey = make_survey()
    response = record_response(survey, _answers(survey), channel="web", language="en",
                               submission_id="a" * 24)
    several = [a.option_id for a in response.answers if a.question.kind == "multi_choice"]
    assert several == [option_of(survey, "multi_choice", 0), option_of(survey, "multi_choice", 2)]
    assert response.answers_digest == answers_digest(_answers(survey))


def test_the_same_submission_twice_is_a_duplicate_and_with_other_answers_a_conflict(
        make_survey):
    survey = make_survey()
    first = record_response(survey, _answers(survey), channel="web", language="en",
                            submission_id="b" * 24)
    with pytest.raises(DuplicateSubmission) as duplicate:
        record_response(survey, _answers(survey), channel="web", language="es",
                        submission_id="b" * 24)
    assert duplicate.value.response is first
    with pytest.raises(ConflictingSubmission):
        record_response(survey, {}, channel="web", language="en", submission_id="b" * 24)
    assert len(responses()) == 1


def test_a_public_answer_is_stored_only_while_the_form_is_open_as_it_is_written(make_survey):
    survey = make_survey()
    rules = question_rules(survey)
    first = insert_response(survey.id, rules, _answers(survey), channel="web", language="en",
                            submission_id="c" * 24, while_open=True)
    survey.close()
    db.session.flush()
    with pytest.raises(SurveyClosed):
        insert_response(survey.id, rules, _answers(survey), channel="web", language="en",
                        submission_id="g" * 24, while_open=True)
    with pytest.raises(DuplicateSubmission) as again:  # the first one's resend is still thanked
        insert_response(survey.id, rules, _answers(survey), channel="web", language="en",
                        submission_id="c" * 24, while_open=True)
    assert again.value.response_id == first
    assert [response.submission_id for response in responses()] == ["c" * 24]


def test_closed_and_draft_forms_take_no_responses_but_paper_sheets_still_count_when_closed(
        make_survey):
    closed, draft = make_survey(status="closed"), make_survey(status="draft")
    for survey, channel in ((closed, "web"), (closed, "kiosk"), (draft, "paper")):
        with pytest.raises(SurveyClosed):
            record_response(survey, {}, channel=channel, language="en",
                            submission_id=f"{survey.id}-{channel}".ljust(20, "x"))
    sheet = record_response(closed, {}, channel="paper", language="en", submission_id="d" * 24)
    assert sheet.id is not None


def test_answers_to_questions_or_options_of_another_form_are_refused(make_survey):
    survey, other = make_survey(), make_survey()
    with pytest.raises(ValueError):
        record_response(survey, {active_question(other, "short_text").id: "x"}, channel="web",
                        language="en", submission_id="e" * 24)
    with pytest.raises(ValueError):
        record_response(survey, {active_question(survey, "single_choice").id:
                                 option_of(other, "single_choice")},
                        channel="web", language="en", submission_id="f" * 24)


@pytest.mark.parametrize(("channel", "value", "stored"), [
    ("phone", " (613) 555-0123 ", "(613) 555-0123"),
    ("text", "+1 613 555 0123", "+1 613 555 0123"),
    ("email", "Rosa@Example.org", "Rosa@example.org"),
])
def test_contact_values_are_checked_and_tidied(channel, value, stored):
    assert normalise_contact(channel, value) == stored


@pytest.mark.parametrize(("channel", "value"), [
    ("phone", "call me"), ("phone", "12345"), ("text", "rosa@example.org"),
    ("email", "rosa@"), ("email", "555-0123"), ("pigeon", "the roof"),
])
def test_contact_values_that_reach_nobody_are_refused(channel, value):
    with pytest.raises(InvalidContact):
        normalise_contact(channel, value)


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2026, 1, 31), 1, date(2026, 2, 28)), (date(2026, 11, 15), 6, date(2027, 5, 15)),
    (date(2024, 2, 29), 12, date(2025, 2, 28)), (date(2026, 3, 1), 0, date(2026, 3, 1)),
])
def test_months_are_added_as_on_a_calendar(day, months, expected):
    assert add_months(day, months) == expected


def test_a_consent_record_names_the_form_never_the_response(make_survey):
    survey = make_survey(asks_for_contact=True, consent_months=6, texts=CONTACT_TEXTS)
    record = record_contact_consent(survey, channel="phone", value="613 555 0123",
                                    wording="You may contact me", language="en", name=" Rosa ")
    assert (record.survey_id, record.name, record.purpose) == (survey.id, "Rosa", "form_follow_up")
    assert record.expires_on == add_months(library_today(), 6)
    given = local_time(record.given_at)  # the library's midnight: the day, never the moment
    assert (given.date(), given.hour, given.minute) == (library_today(), 0, 0)
    referenced = {key.column.table.name for key in ConsentRecord.__table__.foreign_keys}
    assert "survey_responses" not in referenced and "answers" not in referenced


def _send_with_contact(client, survey, lang="en", **contact):
    page = client.get(f"/f/{survey.token}?lang={lang}")
    data = {**good_answers(survey), "submission_id": submission_id(page.data), "language": lang,
            **contact}
    return client.post(f"/f/{survey.token}", data=data)


def test_ticking_you_may_contact_me_stores_a_consent_record_apart(client, make_survey):
    survey = make_survey(asks_for_contact=True, consent_months=3, texts=CONTACT_TEXTS)
    response = _send_with_contact(client, survey, lang="es", contact_ok="y",
                                  contact_channel="email", contact_value="rosa@example.org",
                                  contact_name="Rosa")
    assert response.status_code == 303
    [record] = db.session.scalars(sa.select(ConsentRecord)).all()
    assert (record.channel, record.contact_value, record.name, record.language) == (
        "email", "rosa@example.org", "Rosa", "es")
    assert record.method == "online"
    assert "Una bibliotecaria puede llamarle." in record.wording
    assert "Sí, pueden contactarme" in record.wording
    assert record.expires_on == add_months(library_today(), 3)
    [stored] = responses()
    assert "rosa@example.org" not in str([a.text_value for a in stored.answers])


def test_no_consent_is_stored_without_the_tick(client, make_survey):
    survey = make_survey(asks_for_contact=True, texts=CONTACT_TEXTS)
    assert _send_with_contact(client, survey).status_code == 303
    assert len(responses()) == 1
    assert db.session.scalar(sa.select(sa.func.count(ConsentRecord.id))) == 0


def test_a_contact_typed_without_the_tick_is_asked_about_not_dropped(client, make_survey):
    survey = make_survey(asks_for_contact=True, texts=CONTACT_TEXTS)
    response = _send_with_contact(client, survey, contact_channel="phone",
                                  contact_value="613 555 0123")
    assert "Please tick the box if we may contact you" in response.text
    assert responses() == []


@pytest.mark.parametrize(("contact", "message"), [
    ({"contact_channel": "phone", "contact_value": "soon"},
     "Please check the phone number: it needs 7 to 15 digits."),
    ({"contact_channel": "email", "contact_value": "rosa@"},
     "Please check the email address."),
    ({"contact_channel": "email"}, "Please write your phone number or email address."),
    ({"contact_value": "613 555 0123"}, "Please choose how we should contact you."),
])
def test_a_ticked_contact_needs_a_way_to_reach_the_person(client, make_survey, contact, message):
    survey = make_survey(asks_for_contact=True, texts=CONTACT_TEXTS)
    response = _send_with_contact(client, survey, contact_ok="y", **contact)
    assert message in response.text
    assert responses() == []
    assert db.session.scalar(sa.select(sa.func.count(ConsentRecord.id))) == 0


def test_the_contact_section_states_its_purpose_and_only_shows_when_asked_for(client,
                                                                            make_survey):
    asking = make_survey(asks_for_contact=True, consent_months=6, texts=CONTACT_TEXTS)
    html = client.get(f"/f/{asking.token}").text
    assert "You may contact me" in html
    assert "A librarian may call you about your answers." in html
    assert "delete them after 6 months" in html
    assert "You may contact me" not in client.get(f"/f/{make_survey().token}").text


def test_a_resent_page_does_not_store_the_consent_twice(client, make_survey):
    survey = make_survey(asks_for_contact=True, texts=CONTACT_TEXTS)
    page = client.get(f"/f/{survey.token}")
    data = {**good_answers(survey), "submission_id": submission_id(page.data), "contact_ok": "y",
            "contact_channel": "phone", "contact_value": "613 555 0123"}
    client.post(f"/f/{survey.token}", data=data)
    client.post(f"/f/{survey.token}", data=data)
    assert db.session.scalar(sa.select(sa.func.count(ConsentRecord.id))) == 1
