"""The public form pages keep what they build from a form's questions (app/surveys/
form_cache.py): every visitor still gets a submission id of their own, and every change to the
form, its questions or their options shows on the very next page."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.surveys import form_cache
from app.surveys.form_cache import SUBMISSION_ID_PLACEHOLDER, Kept, PublicForm
from app.surveys.models import KioskLink, QuestionOption, Survey
from tests.surveys.conftest import question
from tests.surveys.filling import active_question, good_answers, responses, submission_id

pytestmark = pytest.mark.usefixtures("public_app")


def _page(client, survey, lang: str = "en") -> str:
    page = client.get(f"/f/{survey.token}?lang={lang}")
    assert page.status_code == 200
    return page.text


def test_each_visitor_gets_a_submission_id_of_their_own(client, make_survey):
    survey = make_survey()
    pages = [client.get(f"/f/{survey.token}").data for _ in range(3)]
    ids = {submission_id(page) for page in pages}
    assert len(ids) == 3
    assert all(SUBMISSION_ID_PLACEHOLDER.encode() not in page for page in pages)


def test_two_visitors_who_send_the_same_answers_are_two_responses(client, make_survey):
    survey = make_survey()
    for _ in range(2):
        sid = submission_id(client.get(f"/f/{survey.token}").data)
        sent = client.post(f"/f/{survey.token}", data={"submission_id": sid, "language": "en",
                                                       **good_answers(survey)})
        assert sent.status_code == 303
    assert len(responses()) == 2


def test_a_changed_question_shows_on_the_next_page(client, make_survey):
    survey = make_survey()
    visits = active_question(survey, "single_choice")
    assert "How often do you visit?" in _page(client, survey)
    visits.texts = {"en": {"prompt": "How often do you come in?"}}
    db.session.commit()
    page = _page(client, survey)
    assert "How often do you come in?" in page and "How often do you visit?" not in page


def test_a_changed_or_added_option_shows_on_the_next_page(client, make_survey):
    survey = make_survey()
    visits = active_question(survey, "single_choice")
    _page(client, survey)
    visits.options[0].texts = {"en": {"label": "Every single week"}}
    db.session.commit()
    assert "Every single week" in _page(client, survey)
    db.session.add(QuestionOption(question_id=visits.id, position=9,
                                  texts={"en": {"label": "Only in winter"}}))
    db.session.commit()
    assert "Only in winter" in _page(client, survey)


def test_an_added_or_retired_question_shows_on_the_next_page_in_every_language(client,
                                                                               make_survey):
    survey = make_survey()
    assert "¿Con qué frecuencia viene?" in _page(client, survey, "es")
    new = question("short_text", ("Which branch?", "¿Qué sucursal?", "أي فرع؟"), 20)
    new.survey_id = survey.id
    db.session.add(new)
    active_question(survey, "single_choice").is_retired = True
    db.session.commit()
    page = _page(client, survey, "es")
    assert "¿Qué sucursal?" in page and "¿Con qué frecuencia viene?" not in page


def test_an_answer_to_a_new_option_is_stored_and_one_to_a_retired_option_is_refused(
        client, make_survey):
    survey = make_survey()
    visits = active_question(survey, "single_choice")
    _page(client, survey)
    old = visits.options[0]
    old.is_retired = True
    visits.options.append(QuestionOption(position=9, texts={"en": {"label": "Only in winter"}}))
    db.session.commit()
    data = {**good_answers(survey), f"q_{visits.id}": old.id}
    sid = submission_id(client.get(f"/f/{survey.token}").data)
    refused = client.post(f"/f/{survey.token}",
                          data={"submission_id": sid, "language": "en", **data})
    assert refused.status_code == 200 and "Please choose from the answers shown." in refused.text
    data[f"q_{visits.id}"] = visits.options[-1].id
    sent = client.post(f"/f/{survey.token}", data={"submission_id": sid, "language": "en",
                                                   **data})
    assert sent.status_code == 303
    [stored] = responses()
    assert visits.options[-1].id in {answer.option_id for answer in stored.answers}


def test_a_form_closed_after_its_page_was_kept_takes_no_more_answers(client, make_survey):
    survey = make_survey()
    sid = submission_id(client.get(f"/f/{survey.token}").data)
    survey.close()
    db.session.commit()
    assert "closed" in _page(client, survey).lower()
    sent = client.post(f"/f/{survey.token}", data={"submission_id": sid, "language": "en",
                                                   **good_answers(survey)})
    assert sent.status_code == 200 and "closed" in sent.text.lower()
    assert responses() == []


def _saved_on_another_host(survey: Survey, **values) -> None:
    """Change the form's row as another host would: without this process's session knowing."""
    db.session.execute(sa.update(Survey).where(Survey.id == survey.id).values(**values),
                       execution_options={"synchronize_session": False})
    db.session.commit()


class Clock:
    """Stands in for time.monotonic in the form cache, moved on by hand."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(form_cache.time, "monotonic", clock)
    return clock


def test_a_form_closed_on_another_host_shows_closed_within_the_kept_row_s_lifetime(
        client, make_survey, clock):
    survey = make_survey()
    db.session.commit()  # saved before anyone opens it
    assert "closed" not in _page(client, survey).lower()
    _saved_on_another_host(survey, status="closed")
    clock.now += form_cache.FORM_ROW_SECONDS / 2
    assert "closed" not in _page(client, survey).lower()  # the row this process read is kept
    clock.now += form_cache.FORM_ROW_SECONDS
    assert "closed" in _page(client, survey).lower()


def test_answers_sent_to_a_form_closed_on_another_host_are_not_stored_even_while_its_row_is_kept(
        client, make_survey, clock):
    survey = make_survey()
    db.session.commit()
    sid = submission_id(client.get(f"/f/{survey.token}").data)
    _saved_on_another_host(survey, status="closed")
    sent = client.post(f"/f/{survey.token}", data={"submission_id": sid, "language": "en",
                                                   **good_answers(survey)})
    assert sent.status_code == 200 and "closed" in sent.text.lower()
    assert responses() == []


def test_a_form_published_on_another_host_opens_at_once_and_unknown_links_are_not_kept(
        client, make_survey, clock):
    survey = make_survey(status="draft")
    assert client.get(f"/f/{survey.token}").status_code == 404
    _saved_on_another_host(survey, status="open")
    assert client.get(f"/f/{survey.token}").status_code == 200
    assert client.get("/f/no-such-form").status_code == 404
    assert "no-such-form" not in form_cache._form_rows()


def test_a_form_taken_back_to_draft_here_is_gone_on_the_next_request(client, make_survey,
                                                                      clock):
    survey = make_survey()
    assert client.get(f"/f/{survey.token}/thanks").status_code == 200
    survey.status = "draft"
    db.session.commit()
    assert client.get(f"/f/{survey.token}/thanks").status_code == 404
    assert client.get(f"/f/{survey.token}").status_code == 404


def test_a_changed_thank_you_shows_on_the_next_thank_you_page(client, make_survey):
    survey = make_survey()
    assert "Thank you for telling us." in client.get(f"/f/{survey.token}/thanks").text
    survey.texts = {**survey.texts, "en": {**survey.texts["en"], "thank_you": "Merci, neighbour."}}
    db.session.commit()
    assert "Merci, neighbour." in client.get(f"/f/{survey.token}/thanks").text


def test_a_kiosk_page_is_kept_apart_from_the_web_page_and_a_revoked_link_is_gone(
        client, make_survey, make_branch):
    survey = make_survey()
    link = KioskLink(survey=survey, branch=make_branch(name="Eastgate"))
    db.session.add(link)
    db.session.commit()
    assert "data-kiosk-reset-url" not in _page(client, survey)
    kiosk_page = client.get(f"/kiosk/{link.token}").text
    assert f'data-kiosk-reset-url="/kiosk/{link.token}"' in kiosk_page
    link.revoke()
    db.session.commit()
    assert client.get(f"/kiosk/{link.token}").status_code == 404


def test_date_questions_offer_dates_from_the_library_s_today(client, make_survey, monkeypatch):
    survey = make_survey()
    _page(client, survey)
    tomorrow = date.today() + timedelta(days=400)
    monkeypatch.setattr("app.surveys.form_cache.library_today", lambda: tomorrow)
    monkeypatch.setattr("app.surveys.answer_fields.library_today", lambda: tomorrow)
    assert f'max="{tomorrow.year + 10}-12-31"' in _page(client, survey)


def test_the_store_drops_the_least_recently_used_first():
    kept = Kept(size=2)
    made = []

    def make(value):
        return lambda: made.append(value) or value

    assert kept.get("a", make(1)) == 1 and kept.get("b", make(2)) == 2
    assert kept.get("a", make(99)) == 1  # kept, and now the most recently used
    kept.get("c", make(3))
    assert kept.get("b", make(4)) == 4 and made == [1, 2, 3, 4]


def test_public_form_reads_only_the_form_s_row(make_survey):
    survey = make_survey()
    form = PublicForm.of(survey)
    assert form.offers("ar") and not form.offers("fr") and form.is_open
