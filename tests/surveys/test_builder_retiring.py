"""Editing a form people have answered keeps their answers meaningful."""

import uuid

import sqlalchemy as sa

from app.extensions import db
from app.surveys.models import Answer, Question, QuestionOption, SurveyResponse


def respond(survey, *answers: Answer) -> SurveyResponse:
    """Store a response with the given answers, as the public pages would."""
    response = SurveyResponse(survey=survey, submission_id=uuid.uuid4().hex, channel="kiosk",
                              language="en", answers=list(answers))
    db.session.add(response)
    db.session.flush()
    return response


def edit_choices(client, survey, question, rows: list[dict], new_options: str = ""):
    """Post the question editor with one row per existing choice."""
    data = {"prompt": question.text("prompt"), "show_if_question_id": "0",
            "new_options": new_options}
    for place, row in enumerate(rows):
        data.update({f"options-{place}-{key}": value for key, value in row.items()})
    return client.post(f"/forms/{survey.id}/questions/{question.id}/edit", data=data)


def test_removing_an_answered_question_retires_it_and_its_answers_still_point_at_it(
        staff_client, make_survey):
    survey = make_survey()
    visits = survey.questions[0]
    answer = Answer(question_id=visits.id, option_id=visits.options[0].id)
    respond(survey, answer)
    db.session.commit()
    page = staff_client.post(f"/forms/{survey.id}/questions/{visits.id}/remove",
                             follow_redirects=True).get_data(as_text=True)
    assert "so it is retired" in page and "Retired questions" in page
    db.session.expire_all()
    assert visits.is_retired
    assert db.session.get(Answer, answer.id).question_id == visits.id
    active = sorted(survey.active_questions, key=lambda q: q.position)
    assert [q.position for q in active] == list(range(10))
    assert visits.position == 10
    assert visits not in active


def test_removing_an_unanswered_question_deletes_it_and_frees_questions_that_depended_on_it(
        staff_client, make_survey):
    survey = make_survey()
    parent, child = survey.questions[3], survey.questions[4]
    child.show_if_question_id, child.show_if_option_ids = parent.id, [parent.options[0].id]
    db.session.commit()
    parent_id = parent.id
    page = staff_client.post(f"/forms/{survey.id}/questions/{parent_id}/remove",
                             follow_redirects=True).get_data(as_text=True)
    assert "Removed the question." in page and "now always show" in page
    db.session.expire_all()
    assert db.session.get(Question, parent_id) is None
    assert (child.show_if_question_id, child.show_if_option_ids) == (None, [])
    assert sorted(q.position for q in survey.questions) == list(range(10))


def test_removing_an_answered_choice_retires_it_and_an_unanswered_one_is_deleted(
        staff_client, make_survey):
    survey = make_survey()
    visits = survey.questions[0]
    weekly, sometimes, never = visits.options
    answer = Answer(question_id=visits.id, option_id=weekly.id)
    respond(survey, answer)
    db.session.commit()
    never_id = never.id
    response = edit_choices(staff_client, survey, visits, [
        {"id": weekly.id, "text": "Every week", "remove": "y"},
        {"id": sometimes.id, "text": "Sometimes"},
        {"id": never.id, "text": "Never", "remove": "y"}], new_options="Every day")
    assert response.status_code == 302
    db.session.expire_all()
    assert weekly.is_retired and weekly in visits.options
    assert db.session.get(QuestionOption, never_id) is None
    assert [o.text() for o in visits.active_options] == ["Sometimes", "Every day"]
    assert db.session.get(Answer, answer.id).option.text() == "Every week"


def test_renaming_an_answered_choice_adds_a_new_one_and_keeps_the_old_for_past_answers(
        staff_client, make_survey):
    survey = make_survey()
    visits, later = survey.questions[0], survey.questions[5]
    weekly, sometimes, never = visits.options
    later.show_if_question_id, later.show_if_option_ids = visits.id, [weekly.id, never.id]
    answer = Answer(question_id=visits.id, option_id=weekly.id)
    respond(survey, answer)
    db.session.commit()
    edit_choices(staff_client, survey, visits, [
        {"id": weekly.id, "text": "Once a week or more"},
        {"id": sometimes.id, "text": "Sometimes"},
        {"id": never.id, "text": "Not yet"}])
    db.session.expire_all()
    assert weekly.is_retired and weekly.text() == "Every week"
    assert weekly.texts["es"]["label"] == "Cada semana"
    assert db.session.get(Answer, answer.id).option_id == weekly.id
    renamed = visits.active_options[0]
    assert (renamed.text(), renamed.position) == ("Once a week or more", 0)
    assert renamed.id != weekly.id and "es" not in renamed.texts
    assert (never.is_retired, never.text()) == (False, "Not yet")  # nobody picked it
    assert later.show_if_option_ids == [renamed.id, never.id]
    page = staff_client.get(f"/forms/{survey.id}").get_data(as_text=True)
    assert "Every week <span class=\"tag\">Retired</span>" in page


def test_the_kind_of_an_answered_question_cannot_change(staff_client, make_survey):
    survey = make_survey()
    visits = survey.questions[0]
    respond(survey, Answer(question_id=visits.id, option_id=visits.options[1].id))
    db.session.commit()
    url = f"/forms/{survey.id}/questions/{visits.id}/edit?kind=short_text"
    page = staff_client.get(url).get_data(as_text=True)
    assert "People have answered this question, so it stays a “Single choice” question" in page
    page = staff_client.post(url, data={"prompt": "Changed?", "show_if_question_id": "0"})
    assert "so it stays a" in page.get_data(as_text=True)
    db.session.expire_all()
    assert visits.kind == "single_choice" and visits.text("prompt") == "How often do you visit?"
    assert len(visits.active_options) == 3
    editor = staff_client.get(f"/forms/{survey.id}/questions/{visits.id}/edit")
    assert "its kind cannot change" in editor.get_data(as_text=True)


def test_the_kind_of_an_unanswered_question_can_change(staff_client, make_survey):
    survey = make_survey()
    visits, later = survey.questions[0], survey.questions[5]
    later.show_if_question_id, later.show_if_option_ids = visits.id, [visits.options[0].id]
    db.session.commit()
    option_ids = [o.id for o in visits.options]
    response = staff_client.post(
        f"/forms/{survey.id}/questions/{visits.id}/edit?kind=rating",
        data={"prompt": "How often?", "low_label": "Rarely", "high_label": "Always",
              "show_if_question_id": "0"})
    assert response.status_code == 302
    db.session.expire_all()
    assert visits.kind == "rating" and visits.options == []
    assert visits.text("high_label") == "Always"
    assert all(db.session.get(QuestionOption, i) is None for i in option_ids)
    assert later.show_if_question_id is None


def test_a_retired_question_cannot_be_edited_moved_or_removed_again(staff_client, make_survey):
    survey = make_survey()
    visits = survey.questions[0]
    visits.is_retired = True
    db.session.commit()
    base = f"/forms/{survey.id}/questions/{visits.id}"
    assert staff_client.get(f"{base}/edit").status_code == 404
    assert staff_client.post(f"{base}/move?direction=down").status_code == 404
    assert staff_client.post(f"{base}/remove").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(Question.id))) == 11
