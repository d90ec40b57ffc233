"""The "What we heard" handout: what each audience's PDF says, its languages and its options."""

from io import BytesIO

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from app.extensions import db
from app.surveys.models import Survey
from tests.conftest import log_in
from tests.surveys.conftest import interface_catalogues, make_survey  # noqa: F401 (fixtures)
from tests.themes.test_heard import (  # noqa: F401 (corpus is a fixture)
    CODER_NAME,
    CONTACT_NAME,
    FINES,
    HOMEWORK,
    HOURS,
    NAMED_QUOTE,
    PRIVATE_QUOTE,
    PUBLIC_QUOTE,
    ROLE_QUOTE,
    SENSITIVE_NOTES,
    corpus,
)

#: Words that must never reach a document that leaves the library.
NEVER_OUTSIDE = (NAMED_QUOTE, "Amina", PRIVATE_QUOTE, SENSITIVE_NOTES, CONTACT_NAME, CODER_NAME,
                 "Sam Staff", "Eastgate Settlement Services", "Lavender Laundromat")


def pdf_text(pdf: bytes) -> str:
    """Return the PDF's text with whitespace collapsed."""
    reader = PdfReader(BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def page_count(pdf: bytes) -> int:
    return len(PdfReader(BytesIO(pdf)).pages)


@pytest.fixture
def handout(staff_client, corpus, interface_catalogues):  # noqa: F811
    """Return a function that fetches the handout with a query and returns the response."""

    def fetch(query: str = ""):
        return staff_client.get(f"/themes/heard.pdf?{query}")

    return fetch


def test_the_public_handout_shows_themes_and_public_quotes_only(handout):
    response = handout()
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    assert response.headers["Content-Type"] == "application/pdf"
    text = pdf_text(response.data)
    for expected in ("What we heard", "Who we heard from", "What we heard most", HOMEWORK,
                     PUBLIC_QUOTE, "Anonymous", "a retired radio repairman", ROLE_QUOTE,
                     "What gets in the way", HOURS[:9], FINES,
                     "What happens next", "Add your voice", "fewer than 5", "For the public"):
        assert expected in text, expected
    for hidden in NEVER_OUTSIDE:
        assert hidden not in text, hidden
    assert "Places: 4" not in text and "Places: fewer than 5" in text
    assert page_count(response.data) <= 2


def test_the_partners_handout_keeps_names_and_private_quotes_out(handout):
    text = pdf_text(handout("audience=partners").data)
    assert "For partners" in text and PUBLIC_QUOTE in text
    for hidden in NEVER_OUTSIDE:
        assert hidden not in text, hidden


def test_the_internal_handout_shows_every_quote_and_count(handout):
    text = pdf_text(handout("audience=internal").data)
    assert NAMED_QUOTE in text and "Amina" in text and PRIVATE_QUOTE in text
    assert "(not for public use)" in text and "Places: 4" in text
    assert "fewer than 5" not in text


def test_the_handout_follows_the_filters(handout, corpus):  # noqa: F811
    text = pdf_text(handout(f"branch_id={corpus.northside}").data)
    assert "Northside" in text and ROLE_QUOTE in text and HOMEWORK not in text


def test_the_next_steps_and_the_form_to_add_to_it(handout):
    survey = db.session.scalars(sa.select(Survey)).one()
    text = pdf_text(handout(f"survey_id={survey.id}&next_steps=We+meet+on+14+May+at+Eastgate."
                            ).data)
    assert "We meet on 14 May at Eastgate." in text
    assert f"/s/{survey.short_code}" in text and "Form code:" in text
    default = pdf_text(handout().data)
    assert "We will share these findings at a community meeting." in default
    assert "Tell library staff at any branch" in default


def test_headings_in_spanish(handout):
    response = handout("lang=es")
    text = pdf_text(response.data)
    for heading in ("Lo que escuchamos", "A quiénes escuchamos", "Lo que más escuchamos",
                    "Los obstáculos", "Los próximos pasos", "Añada su voz", "menos de 5",
                    "Anónimo"):
        assert heading in text, heading
    assert "What we heard most" in text  # the English beneath each heading
    assert "es.pdf" in response.headers["Content-Disposition"]


def test_headings_in_arabic_read_right_to_left(handout):
    response = handout("lang=ar")
    assert response.status_code == 200
    assert "أضف صوتك" in pdf_text(response.data)


def test_a_language_without_translated_headings_keeps_them_in_english(handout, corpus):  # noqa: F811
    text = pdf_text(handout(f"lang=prs&focus_community_id={corpus.east}").data)
    assert "What we heard most" in text
    assert "there is no Dari translation of them yet" in text


def test_large_print(handout):
    response = handout("large=1")
    assert response.status_code == 200 and HOMEWORK in pdf_text(response.data)


def test_an_empty_slice_prints_a_plain_message(handout):
    text = pdf_text(handout("start=2027-01-01").data)
    assert "We have not gathered enough yet" in text and "Add your voice" in text


@pytest.mark.parametrize(("query", "message"), [
    ("audience=everyone", "Print it for: Choose one of the options in the list."),
    ("lang=xx", "Language of the headings: Choose one of the options in the list."),
    ("next_steps=" + "x" * 601, "What happens next: Keep it to 600 characters or fewer."),
    ("survey_id=999", "Form for the QR code: Choose one of the options in the list."),
    ("start=soon", "Heard from: Enter a date as year-month-day"),
    ("focus_community_id=abc", "Focus community: Choose one of the options in the list."),
])
def test_bad_options_answer_400_in_words(handout, query, message):
    response = handout(query)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_a_closed_form_cannot_be_printed_as_the_qr_code(handout):
    survey = db.session.scalars(sa.select(Survey)).one()
    survey.status = "closed"
    db.session.commit()
    assert handout(f"survey_id={survey.id}").status_code == 400


def test_members_print_the_public_and_partners_versions_only(client, corpus, make_user):  # noqa: F811
    member = make_user("member", name="Mo Member")
    db.session.commit()
    log_in(client, member)
    for audience in ("public", "partners"):
        response = client.get(f"/themes/heard.pdf?audience={audience}")
        assert response.status_code == 200
        text = pdf_text(response.data)
        for hidden in NEVER_OUTSIDE:
            assert hidden not in text, hidden
    assert client.get("/themes/heard.pdf?audience=internal").status_code == 403
