"""One screen per language to translate every text of a form, with how complete it is."""

from app.extensions import db
from app.surveys.translating import text_slots, translation_progress
from tests.surveys.conftest import question


def slot_values(survey, language: str, **overrides) -> dict:
    """Return the posted values of the translation screen, filled with what is stored."""
    values = {slot.name: slot.value(language) for slot in text_slots(survey)}
    values.update(overrides)
    return values


def test_the_screen_lists_every_text_with_the_default_language_beside_it(staff_client,
                                                                        make_survey):
    survey = make_survey()
    survey.questions[3].options[1].is_retired = True
    db.session.commit()
    page = staff_client.get(f"/forms/{survey.id}/translations/es").get_data(as_text=True)
    assert "English: Your library, your say" in page
    assert 'value="Su biblioteca, su opinión"' in page
    assert "English: How welcome do you feel?" in page
    assert "English: Very welcome" in page  # a rating label
    assert "English: Books in my language" in page  # a choice
    assert f'name="option_{survey.questions[3].options[1].id}_label"' not in page  # retired
    assert 'dir="rtl"' not in page


def test_saving_spanish_texts_stores_them_on_each_object(staff_client, make_survey):
    survey = make_survey()
    db.session.commit()
    rating, choice = survey.questions[2], survey.questions[1].options[0]
    values = slot_values(survey, "es", **{
        f"question_{rating.id}_low_label": "Nada", f"question_{rating.id}_high_label": "Mucho",
        f"option_{choice.id}_label": "Horario más largo", "survey_intro": ""})
    response = staff_client.post(f"/forms/{survey.id}/translations/es", data=values)
    assert response.status_code == 302
    db.session.expire_all()
    assert rating.texts["es"] == {"prompt": "¿Qué tan bienvenido se siente?",
                                  "low_label": "Nada", "high_label": "Mucho"}
    assert choice.texts["es"]["label"] == "Horario más largo"
    assert "intro" not in survey.texts["es"]
    assert survey.texts["en"]["intro"] == "Tell us what you need."


def test_arabic_fields_are_right_to_left_and_saved(staff_client, make_survey):
    survey = make_survey()
    db.session.commit()
    page = staff_client.get(f"/forms/{survey.id}/translations/ar").get_data(as_text=True)
    assert 'dir="rtl"' in page and 'lang="ar"' in page
    rating = survey.questions[2]
    values = slot_values(survey, "ar", **{f"question_{rating.id}_high_label": "مرحب جدا"})
    staff_client.post(f"/forms/{survey.id}/translations/ar", data=values)
    db.session.expire_all()
    assert rating.texts["ar"]["high_label"] == "مرحب جدا"


def test_the_form_page_shows_how_complete_each_translation_is(staff_client, make_survey):
    survey = make_survey(questions=[
        question("short_text", ("Your idea", "Su idea", None), 0),
        question("rating", ("How welcome?", None, None), 1,
                 texts={"en": {"prompt": "How welcome?", "low_label": "Not",
                               "high_label": "Very"}}),
    ])
    db.session.commit()
    # title, intro, thank-you; two prompts; two rating labels
    assert translation_progress(survey, "es").total == 7
    page = staff_client.get(f"/forms/{survey.id}").get_data(as_text=True)
    assert "4 of 7 texts translated" in page  # Spanish: the form's three texts and one prompt
    assert "3 of 7 texts translated" in page  # Arabic: the form's three texts


def test_only_the_forms_other_languages_have_a_translation_screen(staff_client, make_survey):
    survey = make_survey()
    db.session.commit()
    assert staff_client.get(f"/forms/{survey.id}/translations/en").status_code == 404
    assert staff_client.get(f"/forms/{survey.id}/translations/fr").status_code == 404
