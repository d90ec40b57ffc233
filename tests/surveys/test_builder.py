"""The staff screens that build forms: settings, questions of every kind, order, status, copies."""

import uuid

import sqlalchemy as sa

from app.extensions import db
from app.surveys.models import (
    Answer,
    QuestionOption,
    Survey,
    SurveyArea,
    SurveyResponse,
)
from tests.surveys.conftest import question


def new_form(client, **fields) -> Survey:
    """Create a form through the settings screen and return it."""
    data = {"title": "Tell us about the library", "purpose": "general_input",
            "focus_community_id": "0", "default_language": "en", "other_languages": ["es", "ar"],
            "consent_months": "6"}
    data.update(fields)
    response = client.post("/forms/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalars(sa.select(Survey).order_by(Survey.id.desc())).first()


def add_question(client, survey: Survey, kind: str, **fields):
    """Post the new-question screen for `kind` and return the response."""
    data = {"prompt": f"A {kind} question", "show_if_question_id": "0"}
    data.update(fields)
    return client.post(f"/forms/{survey.id}/questions/new?kind={kind}", data=data)


def respond(survey: Survey, *answers: Answer) -> SurveyResponse:
    """Store a response with the given answers, as the public pages would."""
    response = SurveyResponse(survey=survey, submission_id=uuid.uuid4().hex, channel="web",
                              language="en", answers=list(answers))
    db.session.add(response)
    db.session.flush()
    return response


def prompts(survey: Survey) -> list[str]:
    db.session.expire_all()
    return [q.text("prompt") for q in sorted(survey.active_questions, key=lambda q: q.position)]


# Settings

def test_a_new_form_starts_as_a_draft_with_a_link_token_and_a_short_code(staff_client, staff,
                                                                         make_focus_community):
    community = make_focus_community(name="Newcomer families")
    survey = new_form(staff_client, focus_community_id=str(community.id), intro="Hello",
                      consent_text="We keep answers for a year.", thank_you="Thanks!",
                      asks_for_contact="y", contact_purpose="To invite you.",
                      consent_months="12")
    assert survey.status == "draft"
    assert len(survey.token) >= 20 and len(survey.short_code) == 6
    assert survey.created_by_id == staff.id
    assert survey.focus_community_id == community.id
    assert survey.languages == ["en", "es", "ar"]
    assert survey.texts["en"] == {"title": "Tell us about the library", "intro": "Hello",
                                  "consent_text": "We keep answers for a year.",
                                  "thank_you": "Thanks!", "contact_purpose": "To invite you."}
    assert (survey.asks_for_contact, survey.consent_months) == (True, 12)


def test_a_form_without_a_title_shows_the_error_next_to_the_field_and_keeps_the_input(
        staff_client):
    page = staff_client.post("/forms/new", data={
        "title": "", "intro": "Kept intro", "purpose": "general_input", "default_language": "en",
        "focus_community_id": "0", "consent_months": "30", "asks_for_contact": "y"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'id="title-error"' in text and "Give the form a title." in text
    assert "Kept intro" in text
    assert "Give a number of months from 1 to 24." in text
    assert "Say why you would contact people" in text
    assert db.session.scalar(sa.select(sa.func.count(Survey.id))) == 0


def test_editing_settings_keeps_the_other_languages_texts(staff_client, make_survey):
    survey = make_survey()
    response = staff_client.post(f"/forms/{survey.id}/edit", data={
        "title": "New title", "purpose": "program_feedback", "focus_community_id": "0",
        "default_language": "en", "other_languages": ["es", "ar"], "consent_months": "6"})
    assert response.status_code == 302
    db.session.expire_all()
    assert survey.texts["en"]["title"] == "New title"
    assert survey.texts["es"]["title"] == "Su biblioteca, su opinión"
    assert survey.purpose == "program_feedback"


def test_the_default_language_changes_only_once_every_text_is_translated(staff_client,
                                                                         make_survey):
    survey = make_survey()
    data = {"title": "Your library, your say", "intro": "Tell us what you need.",
            "thank_you": "Thank you for telling us.", "purpose": "general_input",
            "focus_community_id": "0", "default_language": "es", "other_languages": ["ar"],
            "consent_months": "6"}
    page = staff_client.post(f"/forms/{survey.id}/edit", data=data)
    assert "texts are translated into Spanish" in page.get_data(as_text=True)
    db.session.expire_all()
    assert survey.default_language == "en"

    survey.questions = [question("short_text", ("Your name for us?", "¿Su apodo?", None), 0)]
    db.session.commit()
    assert staff_client.post(f"/forms/{survey.id}/edit", data=data).status_code == 302
    db.session.expire_all()
    assert survey.default_language == "es"
    assert survey.languages == ["es", "ar", "en"]


# The list

def test_the_list_shows_status_responses_and_last_response_and_filters_by_status(
        staff_client, make_survey):
    busy = make_survey(texts={"en": {"title": "Busy form"}})
    make_survey(texts={"en": {"title": "Quiet draft"}}, status="draft", questions=[])
    respond(busy)
    respond(busy)
    db.session.commit()
    text = staff_client.get("/forms/").get_data(as_text=True)
    assert "Busy form" in text and "Quiet draft" in text
    assert "2 responses" in text and "0 responses" in text
    assert "last on" in text and "Not a valid choice" not in text
    drafts = staff_client.get("/forms/?status=draft").get_data(as_text=True)
    assert "Quiet draft" in drafts and "Busy form" not in drafts


def test_the_list_counts_responses_in_one_query_whatever_the_number_of_forms(
        app, staff_client, make_survey):
    for n in range(3):
        respond(make_survey(texts={"en": {"title": f"Form {n}"}}))
    db.session.commit()
    statements = []
    sa.event.listen(db.engine, "before_cursor_execute",
                    lambda *args: statements.append(args[2]))
    staff_client.get("/forms/")
    few = len(statements)
    for n in range(3, 8):
        respond(make_survey(texts={"en": {"title": f"Form {n}"}}))
    db.session.commit()
    statements.clear()
    staff_client.get("/forms/")
    assert len(statements) == few


# Questions

def test_staff_add_one_question_of_each_kind(staff_client):
    db.session.add_all([SurveyArea(name="Eastgate", position=0),
                        SurveyArea(name="Old Mill", position=1, is_active=False),
                        SurveyArea(name="Northside", position=2)])
    db.session.commit()
    survey = new_form(staff_client)
    extra = {"single_choice": {"new_options": "Often\nSometimes\nNever"},
             "multi_choice": {"new_options": "Books\nComputers"},
             "ranking": {"new_options": "Quiet\nSpace\nStaff"},
             "rating": {"low_label": "Not at all", "high_label": "Very"},
             "number": {"min_value": "0", "max_value": "12"}}
    kinds = ["short_text", "long_text", "single_choice", "multi_choice", "rating", "yes_no",
             "number", "date", "ranking", "age_band", "area"]
    for kind in kinds:
        response = add_question(staff_client, survey, kind, **extra.get(kind, {}))
        assert response.status_code == 302, (kind, response.get_data(as_text=True))
    db.session.expire_all()
    questions = sorted(survey.questions, key=lambda q: q.position)
    assert [q.kind for q in questions] == kinds
    assert [q.position for q in questions] == list(range(len(kinds)))
    labels = {q.kind: [o.text() for o in q.options] for q in questions}
    assert labels["single_choice"] == ["Often", "Sometimes", "Never"]
    assert labels["yes_no"] == ["Yes", "No"]
    assert labels["age_band"][0] == "Under 13" and labels["age_band"][-1] == "Prefer not to say"
    assert len(labels["age_band"]) == 10
    assert labels["area"] == ["Eastgate", "Northside"]
    assert labels["short_text"] == [] and labels["rating"] == []
    yes_no = questions[kinds.index("yes_no")]
    assert yes_no.options[0].texts["es"]["label"] == "Sí"
    assert yes_no.options[0].texts["ar"]["label"] == "نعم"
    rating = questions[kinds.index("rating")]
    assert (rating.text("low_label"), rating.text("high_label")) == ("Not at all", "Very")
    number = questions[kinds.index("number")]
    assert (number.min_value, number.max_value) == (0, 12)
    page = staff_client.get(f"/forms/{survey.id}").get_data(as_text=True)
    assert "A ranking question" in page and "Northside" in page


def test_question_errors_show_next_to_their_fields_and_keep_what_was_typed(staff_client,
                                                                           make_survey):
    survey = make_survey(questions=[])
    page = add_question(staff_client, survey, "single_choice", prompt="Kept prompt",
                        new_options="Only one").get_data(as_text=True)
    assert 'id="new_options-error"' in page and "Give at least two choices." in page
    assert "Kept prompt" in page and "Only one" in page
    page = add_question(staff_client, survey, "number", min_value="10",
                        max_value="2").get_data(as_text=True)
    assert 'id="max_value-error"' in page
    assert "cannot be smaller than the smallest" in page
    page = add_question(staff_client, survey, "multi_choice", prompt="",
                        new_options="A\na").get_data(as_text=True)
    assert "Write the question." in page and "Each choice needs different words." in page
    db.session.expire_all()
    assert survey.questions == []


def test_an_area_question_needs_areas_switched_on(staff_client, make_survey):
    survey = make_survey(questions=[])
    db.session.add(SurveyArea(name="Gone", is_active=False))
    db.session.commit()
    page = add_question(staff_client, survey, "area").get_data(as_text=True)
    assert "has none switched on" in page
    db.session.expire_all()
    assert survey.questions == []


def test_editing_a_question_stores_its_words_choices_and_required_flag(staff_client,
                                                                      make_survey):
    survey = make_survey()
    visits = survey.questions[0]
    db.session.commit()
    first, second, third = visits.options
    response = staff_client.post(f"/forms/{survey.id}/questions/{visits.id}/edit", data={
        "prompt": "How often do you come?", "help": "Think of the last year.",
        "show_if_question_id": "0",
        "options-0-id": str(first.id), "options-0-text": "Every week",
        "options-1-id": str(second.id), "options-1-text": "Now and then",
        "options-2-id": str(third.id), "options-2-text": "Never", "options-2-remove": "y",
        "new_options": "Every day"})
    assert response.status_code == 302
    db.session.expire_all()
    assert visits.text("prompt") == "How often do you come?"
    assert visits.texts["es"]["prompt"] == "¿Con qué frecuencia viene?"
    assert visits.text("help") == "Think of the last year."
    assert visits.is_required is False
    assert [(o.text(), o.position) for o in visits.options] == [
        ("Every week", 0), ("Now and then", 1), ("Every day", 2)]
    assert second.texts["es"]["label"] == "A veces"  # renamed in place: nobody picked it
    assert db.session.get(QuestionOption, third.id) is None


def test_show_if_is_stored_when_it_points_to_an_earlier_question(staff_client, make_survey):
    survey = make_survey(questions=[])
    add_question(staff_client, survey, "yes_no", prompt="Do you have children?")
    db.session.expire_all()
    parent = survey.questions[0]
    yes = parent.options[0]
    response = add_question(staff_client, survey, "number", prompt="How many?",
                            show_if_question_id=str(parent.id),
                            show_if_option_ids=[str(yes.id)])
    assert response.status_code == 302
    db.session.expire_all()
    child = sorted(survey.questions, key=lambda q: q.position)[1]
    assert (child.show_if_question_id, child.show_if_option_ids) == (parent.id, [yes.id])
    page = staff_client.get(f"/forms/{survey.id}").get_data(as_text=True)
    assert "Shown when “Do you have children?” is answered Yes" in page


def test_show_if_pointing_to_a_later_question_or_a_foreign_choice_is_refused(staff_client,
                                                                           make_survey):
    survey = make_survey()
    db.session.commit()
    first, later = survey.questions[0], survey.questions[3]  # single choice, yes/no
    url = f"/forms/{survey.id}/questions/{first.id}/edit"
    base = {"prompt": "How often?", "new_options": "A\nB"}
    page = staff_client.post(url, data=dict(base, show_if_question_id=str(later.id),
                                            show_if_option_ids=[str(later.options[0].id)]))
    assert "Pick a question with choices that comes before this one." in page.get_data(
        as_text=True)
    wrong = survey.questions[1].options[0]  # a choice of another question
    page = staff_client.post(f"/forms/{survey.id}/questions/{later.id}/edit", data={
        "prompt": "Card?", "show_if_question_id": str(first.id),
        "show_if_option_ids": [str(wrong.id)]})
    assert "Tick one or more answers to the question you picked." in page.get_data(as_text=True)
    db.session.expire_all()
    assert first.show_if_question_id is None and later.show_if_question_id is None


# Order

def test_moving_questions_up_and_down_keeps_positions_dense(staff_client, make_survey):
    survey = make_survey()
    db.session.commit()
    rating, yes_no = survey.questions[2], survey.questions[3]
    staff_client.post(f"/forms/{survey.id}/questions/{rating.id}/move?direction=down")
    assert prompts(survey)[2:4] == ["Do you have a library card?", "How welcome do you feel?"]
    staff_client.post(f"/forms/{survey.id}/questions/{yes_no.id}/move?direction=down")
    staff_client.post(f"/forms/{survey.id}/questions/{yes_no.id}/move?direction=up")
    assert prompts(survey)[2:4] == ["Do you have a library card?", "How welcome do you feel?"]
    first = survey.questions[0]
    staff_client.post(f"/forms/{survey.id}/questions/{first.id}/move?direction=up")
    db.session.expire_all()
    assert sorted(q.position for q in survey.questions) == list(range(11))
    assert first.position == 0


def test_a_question_cannot_move_above_the_question_it_depends_on(staff_client, make_survey):
    survey = make_survey()
    parent, child = survey.questions[3], survey.questions[4]
    child.show_if_question_id, child.show_if_option_ids = parent.id, [parent.options[0].id]
    db.session.commit()
    page = staff_client.post(f"/forms/{survey.id}/questions/{child.id}/move?direction=up",
                             follow_redirects=True).get_data(as_text=True)
    assert "has to stay below it" in page
    staff_client.post(f"/forms/{survey.id}/questions/{parent.id}/move?direction=down")
    db.session.expire_all()
    assert (parent.position, child.position) == (3, 4)


# Status

def test_a_form_without_questions_cannot_open_and_says_why(staff_client, make_survey):
    survey = make_survey(status="draft", questions=[])
    db.session.commit()
    page = staff_client.post(f"/forms/{survey.id}/open", follow_redirects=True)
    assert "needs at least one question" in page.get_data(as_text=True)
    db.session.expire_all()
    assert survey.status == "draft"


def test_a_form_with_a_question_opens_closes_and_reopens(staff_client, make_survey):
    survey = make_survey(status="draft", questions=[
        question("short_text", ("Your idea", None, None), 0)])
    db.session.commit()
    page = staff_client.get(f"/forms/{survey.id}").get_data(as_text=True)
    assert "Open for responses</button>" in page
    staff_client.post(f"/forms/{survey.id}/open")
    db.session.expire_all()
    assert survey.status == "open" and survey.opened_at is not None
    assert ">Close</button>" in staff_client.get(f"/forms/{survey.id}").get_data(as_text=True)
    staff_client.post(f"/forms/{survey.id}/close")
    db.session.expire_all()
    assert survey.status == "closed"
    assert "Reopen</button>" in staff_client.get(f"/forms/{survey.id}").get_data(as_text=True)
    staff_client.post(f"/forms/{survey.id}/open")
    db.session.expire_all()
    assert survey.status == "open" and survey.closed_at is None


# Copies

def test_duplicating_copies_questions_choices_show_if_and_texts_as_a_new_draft(
        staff_client, make_survey, make_branch):
    survey = make_survey()
    parent, child = survey.questions[0], survey.questions[4]
    child.show_if_question_id = parent.id
    child.show_if_option_ids = [parent.options[1].id, parent.options[2].id]
    parent.options[0].is_retired = True
    respond(survey, Answer(question_id=parent.id, option_id=parent.options[0].id))
    db.session.commit()
    response = staff_client.post(f"/forms/{survey.id}/duplicate")
    twin = db.session.scalars(sa.select(Survey).where(Survey.id != survey.id)).one()
    assert response.location.endswith(f"/forms/{twin.id}")
    assert twin.status == "draft" and twin.token != survey.token
    assert twin.short_code != survey.short_code
    assert twin.title == "Copy of Your library, your say"
    assert twin.texts["es"] == survey.texts["es"]
    assert twin.languages == ["en", "es", "ar"] and twin.kiosk_links == []
    assert db.session.scalar(sa.select(sa.func.count(SurveyResponse.id))
                             .where(SurveyResponse.survey_id == twin.id)) == 0
    copies = sorted(twin.questions, key=lambda q: q.position)
    assert [q.kind for q in copies] == [q.kind for q in survey.questions]
    assert {q.id for q in copies}.isdisjoint({q.id for q in survey.questions})
    new_parent, new_child = copies[0], copies[4]
    assert [o.text() for o in new_parent.options] == ["Sometimes", "Never"]
    assert new_parent.options[0].texts["ar"]["label"] == "أحيانا"
    assert new_child.show_if_question_id == new_parent.id
    assert new_child.show_if_option_ids == [o.id for o in new_parent.options]


# The library's areas

def test_staff_add_rename_reorder_and_switch_off_areas(staff_client):
    for name in ("Eastgate", "Northside", "Riverside"):
        assert staff_client.post("/forms/areas", data={"name": name}).status_code == 302
    page = staff_client.post("/forms/areas", data={"name": "eastgate"}).get_data(as_text=True)
    assert "already has an area with this name" in page
    areas = {a.name: a for a in db.session.scalars(sa.select(SurveyArea))}
    staff_client.post(f"/forms/areas/{areas['Riverside'].id}/edit", data={"name": "River Bend"})
    staff_client.post(f"/forms/areas/{areas['Riverside'].id}/move?direction=up")
    staff_client.post(f"/forms/areas/{areas['Eastgate'].id}/switch")
    db.session.expire_all()
    listed = db.session.scalars(sa.select(SurveyArea).order_by(SurveyArea.position)).all()
    assert [(a.name, a.is_active) for a in listed] == [
        ("Eastgate", False), ("River Bend", True), ("Northside", True)]


def test_an_area_question_follows_the_list_when_saved_again(staff_client, make_survey):
    db.session.add_all([SurveyArea(name="Eastgate", position=0),
                        SurveyArea(name="Northside", position=1)])
    survey = make_survey(questions=[])
    db.session.commit()
    add_question(staff_client, survey, "area", prompt="Where do you live?")
    db.session.expire_all()
    area_question = survey.questions[0]
    picked = area_question.options[0]
    respond(survey, Answer(question_id=area_question.id, option_id=picked.id))
    eastgate, northside = db.session.scalars(sa.select(SurveyArea)
                                             .order_by(SurveyArea.position)).all()
    eastgate.is_active = False
    northside.name = "North Side"
    db.session.add(SurveyArea(name="Southend", position=2))
    db.session.commit()
    staff_client.post(f"/forms/{survey.id}/questions/{area_question.id}/edit",
                      data={"prompt": "Where do you live?", "show_if_question_id": "0"})
    db.session.expire_all()
    assert [o.text() for o in area_question.active_options] == ["North Side", "Southend"]
    assert picked.is_retired and picked.text() == "Eastgate"


# Access

def test_members_cannot_open_the_builder(member_client, make_survey):
    survey = make_survey()
    db.session.commit()
    assert member_client.get("/forms/").status_code == 403
    assert member_client.get(f"/forms/{survey.id}").status_code == 403
    assert member_client.post(f"/forms/{survey.id}/duplicate").status_code == 403
