"""The public page in the respondent's language: the form's own words, the interface words from
the catalogues (error messages included), right to left for Arabic, and a fallback."""

import pytest

from app.extensions import db
from tests.surveys.conftest import question
from tests.surveys.filling import name_of, submission_id

pytestmark = pytest.mark.usefixtures("public_app")


def test_lang_opens_the_form_in_spanish(client, make_survey):
    survey = make_survey()
    html = client.get(f"/f/{survey.token}?lang=es").text
    assert '<html lang="es" dir="ltr">' in html
    assert "Su biblioteca, su opinión" in html and "¿Con qué frecuencia viene?" in html
    assert "Cada semana" in html
    assert ">Enviar</button>" in html
    assert "(obligatoria)" in html
    assert "No le pedimos su nombre. Sus respuestas son anónimas." in html


def test_arabic_pages_run_right_to_left(client, make_survey):
    survey = make_survey()
    html = client.get(f"/f/{survey.token}?lang=ar").text
    assert '<html lang="ar" dir="rtl">' in html
    assert "مكتبتك، رأيك" in html and "كم مرة تزور المكتبة؟" in html
    assert ">إرسال</button>" in html
    assert "لا نطلب اسمك. إجاباتك مجهولة الهوية." in html


def test_a_missing_translation_falls_back_to_the_default_language(client, make_survey):
    survey = make_survey()
    html = client.get(f"/f/{survey.token}?lang=es").text
    assert "Not at all" in html  # the rating's end labels exist in English only


@pytest.mark.parametrize(("lang", "message"), [
    ("es", "Por favor, elija una respuesta."),
    ("ar", "يُرجى اختيار إجابة."),
    ("fr", "Veuillez choisir une réponse."),
    ("en", "Please choose an answer."),
])
def test_the_required_message_comes_in_the_respondents_language(client, make_survey, lang,
                                                                message):
    survey = make_survey(languages=["en", "es", "ar", "fr"])
    page = client.get(f"/f/{survey.token}?lang={lang}")
    response = client.post(f"/f/{survey.token}?lang={lang}", data={
        "submission_id": submission_id(page.data), "language": lang})
    assert response.status_code == 200
    assert message in response.text
    assert f'<html lang="{lang}"' in response.text


def test_other_messages_are_translated_too(client, make_survey):
    survey = make_survey()
    response = client.post(f"/f/{survey.token}", data={
        "language": "es", name_of(survey, "number"): "muchos"})
    html = response.text
    assert "Por favor, escriba un número, por ejemplo 3 o 2,5." in html
    assert "Revise estas 2 respuestas" in html


def test_arabic_errors_use_the_arabic_plural(client, make_survey):
    survey = make_survey()
    response = client.post(f"/f/{survey.token}", data={
        "language": "ar", name_of(survey, "number"): "كثير"})
    assert "يُرجى مراجعة هاتين الإجابتين" in response.text
    assert 'dir="rtl"' in response.text


def test_an_unknown_language_falls_back_to_the_default(client, make_survey):
    survey = make_survey()
    for lang in ("xx", "fr", "../etc"):
        html = client.get(f"/f/{survey.token}?lang={lang}").text
        assert '<html lang="en" dir="ltr">' in html
        assert "Your library, your say" in html and ">Send</button>" in html


def test_a_form_language_without_a_catalogue_keeps_english_interface_words(client, make_survey):
    survey = make_survey(languages=["en", "ti"], texts={
        "en": {"title": "Your say"}, "ti": {"title": "ርእይቶኻ"}})
    html = client.get(f"/f/{survey.token}?lang=ti").text
    assert '<html lang="ti" dir="ltr">' in html
    assert "ርእይቶኻ" in html and ">Send</button>" in html


def test_the_language_switcher_names_each_language_in_itself(client, make_survey):
    survey = make_survey()
    html = client.get(f"/f/{survey.token}?lang=es").text
    assert f'href="/f/{survey.token}?lang=en" lang="en" hreflang="en"' in html
    assert ">English</a>" in html and ">Español</a>" in html and ">العربية</a>" in html
    assert 'aria-current="true">Español</a>' in html
    assert 'aria-label="Idioma"' in html


def test_a_form_in_one_language_shows_no_switcher(client, make_survey):
    survey = make_survey(languages=["en"], questions=[question("short_text", ("Hi", None,
                                                                             None), 0)])
    assert "language-switcher" not in client.get(f"/f/{survey.token}").text


def test_the_closed_and_thank_you_pages_speak_the_language_too(client, make_survey):
    survey = make_survey()
    thanks = client.get(f"/f/{survey.token}/thanks?lang=es").text
    assert "<h1>Gracias</h1>" in thanks and "Ya puede cerrar esta página." in thanks
    thanks = client.get(f"/f/{survey.token}/thanks?lang=ar").text
    assert "شكرا لك." in thanks and '<html lang="ar" dir="rtl">' in thanks
    survey.status = "closed"
    db.session.commit()
    closed = client.get(f"/f/{survey.token}?lang=es").text
    assert "Este formulario está cerrado" in closed


def test_staff_pages_stay_in_english_after_a_spanish_page(client, make_survey):
    survey = make_survey()
    client.post(f"/f/{survey.token}", data={"language": "es"})
    login = client.post("/login", data={"email": "", "password": ""})
    assert "This field is required." in login.text
    assert "Este campo es obligatorio." not in login.text
