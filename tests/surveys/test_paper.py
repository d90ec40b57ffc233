"""The paper form and the poster: their data in the form's language, and the PDFs."""

import re
from io import BytesIO

import pytest
from flask_babel import force_locale, gettext
from pypdf import PdfReader

from app.documents import pdf as pdf_engine
from app.extensions import db
from app.surveys.models import Question
from app.surveys.printing import direction_of, minutes_to_fill, paper_form, poster
from tests.surveys.conftest import options, question, texts

ARABIC_LETTERS = re.compile("[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]")


def pdf_text(pdf: bytes) -> str:
    """Return the PDF's text with whitespace collapsed."""
    reader = PdfReader(BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def page_count(pdf: bytes) -> int:
    return len(PdfReader(BytesIO(pdf)).pages)


@pytest.fixture
def printed_html(monkeypatch):
    """Collect the HTML of every print template rendered, as WeasyPrint receives it."""
    pages: list[str] = []
    render = pdf_engine.render_template

    def keep(*args, **kwargs) -> str:
        pages.append(render(*args, **kwargs))
        return pages[-1]

    monkeypatch.setattr(pdf_engine, "render_template", keep)
    return pages


@pytest.fixture
def survey(make_survey):
    """The form of every kind, where "Anything else?" shows only after "Yes" to question 4."""
    survey = make_survey(asks_for_contact=True)
    survey.texts = {**survey.texts, "en": {
        **survey.texts["en"], "contact_purpose": "to invite you to a talk about opening hours",
        "consent_text": "We use your answers only to plan library services."}}
    card, anything_else = survey.questions[3], survey.questions[5]
    anything_else.show_if_question = card
    anything_else.show_if_option_ids = [card.options[0].id]
    db.session.commit()
    return survey


def paper_url(survey, query: str = "") -> str:
    return f"/forms/{survey.id}/paper.pdf{query}"


def poster_url(survey, query: str = "") -> str:
    return f"/forms/{survey.id}/poster.pdf{query}"


# The data


def test_paper_form_numbers_the_questions_in_the_chosen_language(app, survey):
    with app.test_request_context():
        paper = paper_form(survey, "es")
    assert paper.title == "Su biblioteca, su opinión"
    assert [q.number for q in paper.questions] == list(range(1, 12))
    assert paper.questions[0].prompt == "¿Con qué frecuencia viene?"
    assert paper.questions[0].options == ["Cada semana", "A veces", "Nunca"]
    assert paper.questions[0].is_required


def test_paper_form_writes_show_if_conditions_in_words(app, survey):
    with app.test_request_context():
        paper = paper_form(survey, "en")
    assert paper.questions[5].condition == (
        "Answer this only if you answered “Yes” to question 4.")
    assert paper.questions[4].condition == ""


def test_a_condition_on_several_answers_lists_them_with_or(app, make_survey):
    visits = question("single_choice", ("How often?", None, None), 0,
                      options=options(("Weekly", None, None), ("Monthly", None, None),
                                      ("Never", None, None)))
    why = question("long_text", ("Why not more?", None, None), 1)
    survey = make_survey(questions=[visits, why], languages=["en"])
    why.show_if_question = visits
    why.show_if_option_ids = [visits.options[1].id, visits.options[2].id]
    with app.test_request_context():
        paper = paper_form(survey, "en")
    assert paper.questions[1].condition == (
        "Answer this only if you answered “Monthly” or “Never” to question 1.")


def test_retired_questions_and_options_stay_off_paper(app, survey):
    survey.questions[1].is_retired = True
    survey.questions[0].options[2].is_retired = True
    with app.test_request_context():
        paper = paper_form(survey, "en")
    assert len(paper.questions) == 10
    assert "What would help?" not in [q.prompt for q in paper.questions]
    assert paper.questions[0].options == ["Every week", "Sometimes"]
    assert paper.questions[1].prompt == "How welcome do you feel?"
    assert paper.questions[1].number == 2
    assert paper.questions[4].condition == (
        "Answer this only if you answered “Yes” to question 3.")


def test_each_kind_gets_its_own_instructions(app, survey):
    with app.test_request_context():
        by_kind = {q.kind: q for q in paper_form(survey, "en").questions}
    assert by_kind["single_choice"].instruction == "Tick one."
    assert by_kind["multi_choice"].instruction == "Tick all that apply."
    assert by_kind["ranking"].instruction.startswith("Write 1 in the box of the most important")
    assert by_kind["number"].instruction == "Write a number from 0 to 20."
    assert by_kind["number"].digit_boxes == 2
    assert (by_kind["rating"].low_label, by_kind["rating"].high_label) == (
        "Not at all", "Very welcome")
    assert by_kind["short_text"].writing_lines == 2
    assert by_kind["long_text"].writing_lines == 6
    assert [part.label for part in by_kind["date"].date_parts] == ["Month", "Day", "Year"]


def test_dates_are_boxed_in_the_order_each_language_writes_them(app, survey):
    with app.test_request_context(), force_locale("es"):
        date = next(q for q in paper_form(survey, "es").questions if q.kind == "date")
        day, month, year = gettext("Day"), gettext("Month"), gettext("Year")
    assert [(part.label, part.digits) for part in date.date_parts] == [
        (day, 2), (month, 2), (year, 4)]


@pytest.mark.parametrize(("low", "high", "words", "boxes"), [
    (None, None, "Write a number.", 0),
    (1, None, "Write a number, 1 or more.", 0),
    (None, 100, "Write a number, up to 100.", 0),
    (-5, 5, "Write a number from -5 to 5.", 0),
    (0, 2.5, "Write a number from 0 to 2.5.", 0),
    (0, 150, "Write a number from 0 to 150.", 3),
])
def test_number_questions_say_their_range(app, make_survey, low, high, words, boxes):
    survey = make_survey(questions=[question("number", ("Age", None, None), 0,
                                             min_value=low, max_value=high)])
    with app.test_request_context():
        number = paper_form(survey, "en").questions[0]
    assert (number.instruction, number.digit_boxes) == (words, boxes)


def test_paper_form_carries_the_link_short_code_and_qr_code(app, survey):
    with app.test_request_context(base_url="https://library.example"):
        paper = paper_form(survey, "ar")
    assert paper.link == f"https://library.example/f/{survey.token}?lang=ar"
    assert paper.short_link == f"library.example/s/{survey.short_code}/ar"
    assert paper.short_code == survey.short_code
    assert paper.qr_svg.startswith("<svg ")


def test_short_options_sit_side_by_side_and_long_ones_take_a_line_each(app, survey):
    survey.questions[0].options[0].texts["en"]["label"] = "Every week, usually on Saturday"
    with app.test_request_context():
        questions = paper_form(survey, "en").questions
    assert questions[0].option_layout == "stacked"
    assert questions[1].option_layout == "inline"


@pytest.mark.parametrize(("count", "minutes"), [(0, 1), (1, 1), (3, 1), (4, 2), (11, 4)])
def test_minutes_to_fill_counts_twenty_seconds_a_question(make_survey, count, minutes):
    survey = make_survey(questions=[question("short_text", (f"Q{n}", None, None), n)
                                    for n in range(count)])
    assert minutes_to_fill(survey) == minutes


def test_poster_names_every_language_in_itself(app, survey):
    with app.test_request_context():
        sheet = poster(survey, "es")
    assert sheet.title == "Su biblioteca, su opinión"
    assert sheet.languages == [("en", "English"), ("es", "Español"), ("ar", "العربية")]
    assert sheet.minutes == 4
    assert sheet.link.endswith(f"/f/{survey.token}?lang=es")


@pytest.mark.parametrize(("text", "direction"), [
    ("75 or older", "ltr"), ("كم مرة", "rtl"), ("2024", "auto"), ("", "auto")])
def test_direction_of_follows_the_first_letter(text, direction):
    assert direction_of(text) == direction


# The paper form PDF


def test_paper_pdf_holds_the_questions_and_options_in_english(staff_client, survey):
    response = staff_client.get(paper_url(survey, "?lang=en"))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    assert "form-your-library-your-say-en.pdf" in response.headers["Content-Disposition"]
    text = pdf_text(response.data)
    for words in ("Your library, your say", "1. How often do you visit? (required)",
                  "Every week", "Books in my language", "Tick all that apply.",
                  "11. Where do you live?", "Eastgate", "Not at all", "Very welcome",
                  "Answer this only if you answered “Yes” to question 4.",
                  "Prefer your phone? Scan this code.", survey.short_code,
                  "Hand this sheet to library staff.",
                  "We use your answers only to plan library services."):
        assert words in text


def test_paper_pdf_holds_the_questions_and_options_in_spanish(staff_client, survey):
    response = staff_client.get(paper_url(survey, "?lang=es"))
    assert response.status_code == 200
    text = pdf_text(response.data)
    for words in ("Su biblioteca, su opinión", "¿Con qué frecuencia viene?", "Cada semana",
                  "Libros en mi idioma", "Ordene estos", "Espacio tranquilo",
                  survey.short_code):
        assert words in text
    assert "How often do you visit?" not in text


def test_paper_form_interface_words_come_from_the_catalogue(app, staff_client, survey):
    with app.test_request_context(), force_locale("es"):
        words = [gettext("Tick all that apply."), gettext("Hand this sheet to library staff.")]
    assert "Tick all that apply." not in words  # `make translations` compiled the catalogue
    text = pdf_text(staff_client.get(paper_url(survey, "?lang=es")).data)
    assert all(word in text for word in words)


def test_paper_form_defaults_to_the_forms_default_language(staff_client, survey):
    assert "How often do you visit?" in pdf_text(staff_client.get(paper_url(survey)).data)


def test_arabic_paper_form_is_right_to_left(staff_client, survey, printed_html):
    response = staff_client.get(paper_url(survey, "?lang=ar"))
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF-")
    html = printed_html[-1]
    assert '<html lang="ar" dir="rtl"' in html
    assert "كم مرة تزور المكتبة؟" in html
    assert "مساعدة في الواجبات" in html
    assert "@bottom-right { content: element(paper-footer)" in html
    text = pdf_text(response.data)
    assert survey.short_code in text
    assert ARABIC_LETTERS.search(text)
    # Extracted in visual order, a question number reads "1." or ".1".
    assert all(re.search(rf"(?<!\d){n}\.|\.{n}(?!\d)", text) for n in range(1, 12))


def test_english_paper_form_is_left_to_right(staff_client, survey, printed_html):
    staff_client.get(paper_url(survey, "?lang=en"))
    assert '<html lang="en" dir="ltr"' in printed_html[-1]


def test_text_left_in_another_language_keeps_its_direction(staff_client, survey, printed_html):
    # The age bands have no Arabic labels yet, so the English ones print, left to right.
    staff_client.get(paper_url(survey, "?lang=ar"))
    assert '<span dir="ltr">75 or older</span>' in printed_html[-1]


def test_paper_form_prints_the_qr_code_as_svg(staff_client, survey, printed_html):
    staff_client.get(paper_url(survey, "?lang=es"))
    html = printed_html[-1]
    assert '<div class="phone-qr"><svg role="img"' in html
    assert f"localhost/s/{survey.short_code}/es</span>" in html


def test_large_print_takes_more_pages(staff_client, survey):
    normal = staff_client.get(paper_url(survey, "?lang=en"))
    large = staff_client.get(paper_url(survey, "?lang=en&large=1"))
    assert large.status_code == 200
    assert page_count(large.data) > page_count(normal.data)


def test_paper_form_asks_for_contact_only_when_the_form_does(staff_client, survey, make_survey):
    text = pdf_text(staff_client.get(paper_url(survey, "?lang=en")).data)
    assert "You may contact me (optional)" in text
    assert "to invite you to a talk about opening hours" in text
    assert "for 6 months, then delete them" in text

    quiet = make_survey(asks_for_contact=False)
    db.session.commit()
    assert "You may contact me" not in pdf_text(staff_client.get(paper_url(quiet)).data)


def test_questions_never_split_across_pages(staff_client, survey, printed_html):
    staff_client.get(paper_url(survey))
    assert ".question { break-inside: avoid;" in printed_html[-1]


def test_paper_form_in_a_language_the_form_lacks_is_refused_with_words(staff_client, survey):
    response = staff_client.get(paper_url(survey, "?lang=fr"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "This form is not offered in the language “fr”." in page
    assert "English (lang=en), Spanish (lang=es), Arabic (lang=ar)" in page


def test_paper_form_of_a_missing_form_is_not_found(staff_client):
    assert staff_client.get("/forms/999/paper.pdf").status_code == 404


def test_a_draft_form_can_be_printed_before_it_opens(staff_client, make_survey):
    draft = make_survey(status="draft")
    db.session.commit()
    assert staff_client.get(paper_url(draft)).status_code == 200


@pytest.mark.parametrize("app_overrides", [{"PAPER_SIZE": "A4"}])
def test_paper_form_follows_the_configured_paper_size(staff_client, survey):
    box = PdfReader(BytesIO(staff_client.get(paper_url(survey)).data)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_a_long_form_runs_onto_more_pages(staff_client, make_survey):
    many = [question("long_text", (f"Question {n}", None, None), n) for n in range(12)]
    survey = make_survey(questions=many, languages=["en"])
    db.session.commit()
    pdf = staff_client.get(paper_url(survey)).data
    assert page_count(pdf) >= 3
    assert "12. Question 11" in pdf_text(pdf)


# The poster


def test_poster_is_one_page_with_the_title_and_short_link(staff_client, survey):
    response = staff_client.get(poster_url(survey, "?lang=en"))
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF-")
    assert page_count(response.data) == 1
    text = pdf_text(response.data)
    assert "Your library, your say" in text
    assert f"localhost/s/{survey.short_code}" in "".join(text.split())
    assert "Takes about 4 minutes." in text
    assert "Riverbend Public Library" in text


def test_poster_in_spanish_carries_the_spanish_title(staff_client, survey, printed_html):
    response = staff_client.get(poster_url(survey, "?lang=es"))
    assert "Su biblioteca, su opinión" in pdf_text(response.data)
    html = printed_html[-1]
    assert '<div class="poster-qr"><svg role="img"' in html
    assert '<span lang="ar" dir="rtl">العربية</span>' in html


def test_arabic_poster_is_one_right_to_left_page(staff_client, survey, printed_html):
    response = staff_client.get(poster_url(survey, "?lang=ar"))
    assert page_count(response.data) == 1
    assert '<html lang="ar" dir="rtl"' in printed_html[-1]


def test_poster_with_a_long_title_and_intro_stays_on_one_page(staff_client, make_survey):
    survey = make_survey(languages=["en"], texts={"en": {
        "title": "Tell us what the library should do next for families " * 4,
        "intro": "We are listening to everyone in Eastgate this spring. " * 20}})
    db.session.commit()
    assert page_count(staff_client.get(poster_url(survey)).data) == 1


def test_poster_in_a_language_the_form_lacks_is_refused(staff_client, survey):
    assert staff_client.get(poster_url(survey, "?lang=zz")).status_code == 400


def test_poster_of_a_missing_form_is_not_found(staff_client):
    assert staff_client.get("/forms/999/poster.pdf").status_code == 404


def test_a_question_without_a_translation_prints_in_the_default_language(app, make_survey):
    lonely = Question(kind="short_text", position=0, texts=texts("Only English", field="prompt"))
    survey = make_survey(questions=[lonely])
    with app.test_request_context():
        assert paper_form(survey, "ar").questions[0].prompt == "Only English"
