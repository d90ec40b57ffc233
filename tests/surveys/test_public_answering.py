"""Answering a form on its public link: validation of every kind, required and show-if rules on
the server, answers kept after an error, one response per submission, and the honeypot."""

import re
from datetime import date

import pytest

from app.extensions import db
from app.surveys.models import Answer, QuestionOption
from tests.surveys.conftest import options, question
from tests.surveys.filling import (
    active_question,
    answers_to,
    good_answers,
    name_of,
    option_of,
    responses,
    submission_id,
)

pytestmark = pytest.mark.usefixtures("public_app")


def send(client, survey, data: dict, lang: str | None = None):
    """Post answers to the public link, as the blank page would."""
    page = client.get(f"/f/{survey.token}" + (f"?lang={lang}" if lang else ""))
    data = {"submission_id": submission_id(page.data), "language": lang or "", **data}
    return client.post(f"/f/{survey.token}", data=data)


def test_a_complete_answer_is_stored_as_one_anonymous_web_response(client, make_survey):
    survey = make_survey()
    response = send(client, survey, good_answers(survey))
    assert response.status_code == 303
    assert response.location == f"/f/{survey.token}/thanks?lang=en"
    [stored] = responses()
    assert (stored.channel, stored.language, stored.branch_id) == ("web", "en", None)
    assert len(stored.answers_digest) == 64
    kinds = {answer.question.kind for answer in stored.answers}
    assert kinds == {q.kind for q in survey.active_questions}


def test_each_kind_is_stored_in_its_own_shape(client, make_survey):
    survey = make_survey()
    send(client, survey, good_answers(survey))
    several = answers_to(active_question(survey, "multi_choice"))
    assert [a.option_id for a in several] == [option_of(survey, "multi_choice", 0),
                                              option_of(survey, "multi_choice", 2)]
    ranked = answers_to(active_question(survey, "ranking"))
    assert [(a.option_id, a.rank) for a in ranked] == [
        (option_of(survey, "ranking", 0), 1), (option_of(survey, "ranking", 1), 2)]
    assert answers_to(active_question(survey, "rating"))[0].number_value == 4
    assert answers_to(active_question(survey, "number"))[0].number_value == 2
    assert answers_to(active_question(survey, "date"))[0].date_value == date(2025, 3, 1)
    assert answers_to(active_question(survey, "short_text"))[0].text_value == "Eastgate"
    assert answers_to(active_question(survey, "yes_no"))[0].option_id == option_of(
        survey, "yes_no", 0)


BAD_VALUES = [
    ("short_text", "x" * 501, "Please keep this to 500 characters or fewer."),
    ("long_text", "x" * 5001, "Please keep this to 5000 characters or fewer."),
    ("single_choice", "999999", "Please choose from the answers shown."),
    ("single_choice", "often", "Please choose from the answers shown."),
    ("multi_choice", "999999", "Please choose from the answers shown."),
    ("rating", "6", "Please choose from the answers shown."),
    ("rating", "0", "Please choose from the answers shown."),
    ("yes_no", "999999", "Please choose from the answers shown."),
    ("age_band", "999999", "Please choose from the answers shown."),
    ("area", "999999", "Please choose from the answers shown."),
    ("number", "lots", "Please write a number, like 3 or 2.5."),
    ("number", "21", "Please write a number from 0 to 20."),
    ("number", "-1", "Please write a number from 0 to 20."),
    ("number", "1_000", "Please write a number, like 3 or 2.5."),
    ("number", "nan", "Please write a number, like 3 or 2.5."),
    ("date", "2026-02-30", "Please give a real date, as year-month-day, like 2026-03-31."),
    ("date", "yesterday", "Please give a real date, as year-month-day, like 2026-03-31."),
    ("date", "0202-05-01", "Please give a date between the years 1900 and"),
    ("date", "3026-05-01", "Please give a date between the years 1900 and"),
]


@pytest.mark.parametrize(("kind", "value", "message"), BAD_VALUES)
def test_a_bad_value_of_each_kind_is_refused_with_a_plain_message(client, make_survey, kind,
                                                                  value, message):
    survey = make_survey()
    response = send(client, survey, {**good_answers(survey), name_of(survey, kind): value})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert responses() == []


def test_an_option_of_another_question_is_not_an_answer(client, make_survey):
    survey = make_survey()
    data = {**good_answers(survey), name_of(survey, "yes_no"): option_of(survey, "area", 0)}
    assert "Please choose from the answers shown." in send(client, survey, data).text
    assert responses() == []


def test_the_date_field_offers_only_dates_within_reason(client, make_survey):
    html = client.get(f"/f/{make_survey().token}").text
    assert re.search(r'<input id="q_\d+" max="\d{4}-12-31" min="1900-01-01"[^>]*type="date"', html)


def test_a_retired_option_is_neither_shown_nor_accepted(client, make_survey):
    survey = make_survey()
    visits = active_question(survey, "single_choice")
    old = QuestionOption(position=9, texts={"en": {"label": "Old choice"}}, is_retired=True)
    visits.options.append(old)
    db.session.flush()
    assert "Old choice" not in client.get(f"/f/{survey.token}").text
    response = send(client, survey, {**good_answers(survey), name_of(survey, "single_choice"):
                                     old.id})
    assert "Please choose from the answers shown." in response.text


@pytest.mark.parametrize(("typed", "stored"), [("2,5", 2.5), ("٣", 3.0), (" 7 ", 7.0),
                                               ("0", 0.0), ("20", 20.0)])
def test_numbers_read_as_people_write_them(client, make_survey, typed, stored):
    survey = make_survey()
    assert send(client, survey, {**good_answers(survey),
                                 name_of(survey, "number"): typed}).status_code == 303
    assert answers_to(active_question(survey, "number"))[0].number_value == stored


@pytest.mark.parametrize(("ranks", "message"), [
    (("1", "1", ""), "Please give each number only once."),
    (("4", "", ""), "Please use only the numbers 1 to 3."),
    (("first", "", ""), "Please use only the numbers 1 to 3."),
    (("²", "", ""), "Please use only the numbers 1 to 3."),
])
def test_ranking_numbers_must_be_in_range_and_used_once(client, make_survey, ranks, message):
    survey = make_survey()
    ranking = active_question(survey, "ranking")
    data = {key: value for key, value in good_answers(survey).items()
            if not key.startswith(f"q_{ranking.id}-")}
    data.update({f"q_{ranking.id}-{option.id}": rank
                 for option, rank in zip(ranking.options, ranks, strict=True)})
    assert message in send(client, survey, data).text
    assert responses() == []


def test_a_ranking_may_be_partial_or_left_empty(client, make_survey):
    survey = make_survey()
    ranking = active_question(survey, "ranking")
    data = {key: value for key, value in good_answers(survey).items()
            if not key.startswith(f"q_{ranking.id}-")}
    send(client, survey, {**data, f"q_{ranking.id}-{ranking.options[2].id}": "1"})
    send(client, survey, data)
    assert [(a.option_id, a.rank) for a in answers_to(ranking)] == [(ranking.options[2].id, 1)]
    assert len(responses()) == 2


def test_a_required_ranking_needs_at_least_one_number(client, make_survey):
    ranking = question("ranking", ("Rank these", None, None), 0, is_required=True,
                       options=options(("Books", None, None), ("Computers", None, None)))
    survey = make_survey(questions=[ranking])
    response = send(client, survey, {})
    assert "Please give at least one of these a number." in response.text


def test_a_required_question_left_empty_is_refused_and_nothing_is_stored(client, make_survey):
    survey = make_survey()
    data = good_answers(survey)
    del data[name_of(survey, "single_choice")]
    response = send(client, survey, data)
    assert response.status_code == 200
    assert "Please choose an answer." in response.text
    assert responses() == []


def test_a_required_text_question_needs_more_than_spaces(client, make_survey):
    survey = make_survey(questions=[question("short_text", ("Your street", None, None), 0,
                                             is_required=True)])
    response = send(client, survey, {name_of(survey, "short_text"): "   "})
    assert "Please answer this question." in response.text
    assert "(required)" in response.text


def test_optional_questions_may_all_be_left_empty(client, make_survey):
    survey = make_survey()
    only_required = {name_of(survey, "single_choice"): option_of(survey, "single_choice", 1)}
    assert send(client, survey, only_required).status_code == 303
    [stored] = responses()
    assert [answer.question.kind for answer in stored.answers] == ["single_choice"]


def test_the_error_page_keeps_every_answer_and_the_submission_id(client, make_survey):
    survey = make_survey()
    page = client.get(f"/f/{survey.token}")
    data = {**good_answers(survey), "submission_id": submission_id(page.data),
            name_of(survey, "number"): "lots"}
    response = client.post(f"/f/{survey.token}", data=data)
    html = response.text
    assert 'value="Eastgate"' in html
    assert "More evening hours, please.</textarea>" in html
    assert 'value="lots"' in html
    assert 'value="2025-03-01"' in html
    several = name_of(survey, "multi_choice")
    assert f'checked id="{several}-0"' in html and f'checked id="{several}-2"' in html
    assert f'checked id="{several}-1"' not in html
    assert '<option value="1" selected>' in html and '<option value="2" selected>' in html
    assert submission_id(response.data) == data["submission_id"]


def test_the_error_summary_links_to_each_answer_to_fix(client, make_survey):
    survey = make_survey()
    data = {**good_answers(survey), name_of(survey, "number"): "lots"}
    del data[name_of(survey, "single_choice")]
    html = send(client, survey, data).text
    assert "Please check these 2 answers" in html
    assert f'href="#{name_of(survey, "single_choice")}-0"' in html
    assert f'href="#{name_of(survey, "number")}"' in html
    assert html.index("How often do you visit?</a>") < html.index(
        "How many children live with you?</a>")


@pytest.fixture
def conditional_survey(make_survey):
    """'Which branch?' shows only to people who visit every week or sometimes."""
    visits = question("single_choice", ("How often do you visit?", None, None), 0)
    visits.options = options(("Every week", None, None), ("Sometimes", None, None),
                             ("Never", None, None))
    which = question("short_text", ("Which branch?", None, None), 1, is_required=True)
    survey = make_survey(questions=[visits, which])
    which.show_if_question_id = visits.id
    which.show_if_option_ids = [visits.options[0].id, visits.options[1].id]
    db.session.flush()
    return survey, visits, which


def test_a_question_whose_condition_is_not_met_is_not_required(client, conditional_survey):
    survey, visits, which = conditional_survey
    response = send(client, survey, {f"q_{visits.id}": visits.options[2].id})
    assert response.status_code == 303
    assert len(responses()) == 1


def test_the_answer_to_a_hidden_question_is_dropped(client, conditional_survey):
    survey, visits, which = conditional_survey
    send(client, survey, {f"q_{visits.id}": visits.options[2].id, f"q_{which.id}": "Central"})
    send(client, survey, {f"q_{which.id}": "Central"})
    assert len(responses()) == 2
    assert answers_to(which) == []


def test_a_question_whose_condition_is_met_is_required_and_kept(client, conditional_survey):
    survey, visits, which = conditional_survey
    refused = send(client, survey, {f"q_{visits.id}": visits.options[1].id})
    assert "Please answer this question." in refused.text
    send(client, survey, {f"q_{visits.id}": visits.options[1].id, f"q_{which.id}": "Central"})
    assert [answer.text_value for answer in answers_to(which)] == ["Central"]


def test_a_question_that_hangs_on_a_hidden_one_stays_hidden(client, conditional_survey):
    survey, visits, which = conditional_survey
    which.kind = "yes_no"
    which.options = options(("Yes", None, None), ("No", None, None))
    which.is_required = False
    last = question("short_text", ("Why?", None, None), 2, is_required=True)
    survey.questions.append(last)
    db.session.flush()
    last.show_if_question_id, last.show_if_option_ids = which.id, [which.options[0].id]
    db.session.flush()
    data = {f"q_{visits.id}": visits.options[2].id, f"q_{which.id}": which.options[0].id}
    assert send(client, survey, data).status_code == 303
    assert answers_to(which) == [] and answers_to(last) == []


def test_a_conditional_question_says_when_to_answer_it_for_pages_without_javascript(
        client, conditional_survey):
    survey, visits, which = conditional_survey
    html = client.get(f"/f/{survey.token}").text
    assert ("Answer this only if your answer to “How often do you visit?” was: "
            "Every week / Sometimes") in html
    assert f'data-show-if="q_{visits.id}"' in html


def test_the_same_page_sent_twice_stores_one_response_and_thanks_both_times(client,
                                                                            make_survey):
    survey = make_survey()
    page = client.get(f"/f/{survey.token}?lang=es")
    data = {**good_answers(survey), "submission_id": submission_id(page.data),
            "language": "es"}
    first = client.post(f"/f/{survey.token}", data=data)
    second = client.post(f"/f/{survey.token}", data=data)
    assert first.status_code == second.status_code == 303
    assert first.location == second.location == f"/f/{survey.token}/thanks?lang=es"
    assert len(responses()) == 1


def test_the_same_submission_id_with_other_answers_is_a_conflict(client, make_survey):
    survey = make_survey()
    page = client.get(f"/f/{survey.token}")
    data = {**good_answers(survey), "submission_id": submission_id(page.data)}
    client.post(f"/f/{survey.token}", data=data)
    changed = client.post(f"/f/{survey.token}",
                          data={**data, name_of(survey, "short_text"): "Northside"})
    assert changed.status_code == 409
    assert "This page was already sent" in changed.text
    [stored] = responses()
    assert answers_to(active_question(survey, "short_text"))[0].text_value == "Eastgate"
    assert stored.submission_id == data["submission_id"]


def test_each_blank_page_gets_a_new_submission_id(client, make_survey):
    survey = make_survey()
    first, second = (submission_id(client.get(f"/f/{survey.token}").data) for _ in range(2))
    assert first != second and len(first) >= 16


def test_a_missing_or_odd_submission_id_is_replaced_and_the_answers_still_count(client,
                                                                               make_survey):
    survey = make_survey()
    data = good_answers(survey)
    assert client.post(f"/f/{survey.token}", data=data).status_code == 303
    assert client.post(f"/f/{survey.token}",
                       data={**data, "submission_id": "<script>"}).status_code == 303
    assert len({response.submission_id for response in responses()}) == 2


def test_a_filled_honeypot_is_thanked_and_nothing_is_stored(client, make_survey):
    survey = make_survey()
    response = send(client, survey, {**good_answers(survey), "website": "http://spam.example"})
    assert response.status_code == 303
    assert response.location == f"/f/{survey.token}/thanks?lang=en"
    assert responses() == []


def test_the_honeypot_is_labelled_and_kept_out_of_reach(client, make_survey):
    html = client.get(f"/f/{make_survey().token}").text
    assert '<label for="website">Leave this empty</label>' in html
    assert 'autocomplete="off" id="website" name="website" tabindex="-1"' in html


def test_the_thank_you_page_shows_the_forms_words(client, make_survey):
    survey = make_survey()
    page = client.get(f"/f/{survey.token}/thanks?lang=es")
    assert page.status_code == 200
    assert "Gracias por decírnoslo." in page.text


def test_a_closed_form_says_so_politely_and_takes_no_answers(client, make_survey):
    survey = make_survey(status="closed")
    page = client.get(f"/f/{survey.token}")
    assert page.status_code == 200
    assert "This form has closed" in page.text and "Your library, your say" in page.text
    sent = client.post(f"/f/{survey.token}", data=good_answers(survey))
    assert "This form has closed" in sent.text
    assert responses() == []


@pytest.mark.parametrize("status", ["draft"])
def test_a_draft_form_is_not_found(client, make_survey, status):
    survey = make_survey(status=status)
    assert client.get(f"/f/{survey.token}").status_code == 404
    assert client.post(f"/f/{survey.token}", data=good_answers(survey)).status_code == 404
    assert client.get(f"/f/{survey.token}/thanks").status_code == 404


def test_an_unknown_link_is_not_found(client):
    assert client.get("/f/not-a-real-token").status_code == 404


def test_answering_sets_no_cookie(client, make_survey):
    survey = make_survey()
    page = client.get(f"/f/{survey.token}")
    sent = client.post(f"/f/{survey.token}", data={**good_answers(survey),
                                                   "submission_id": submission_id(page.data)})
    assert sent.status_code == 303
    assert not page.headers.getlist("Set-Cookie") and not sent.headers.getlist("Set-Cookie")


def test_answers_reach_the_database_as_rows_per_option(client, make_survey):
    survey = make_survey()
    send(client, survey, good_answers(survey))
    assert db.session.query(Answer).count() == 13  # 11 questions, 2 extra rows for multi+rank
