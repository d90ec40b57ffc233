"""The review queue, a response's page, review status, the results page and the results PDF."""

import re
from io import BytesIO

import pytest
from pypdf import PdfReader

from app.extensions import db
from app.surveys.models import KioskLink, QuestionOption, SurveyResponse
from tests.surveys.answering import question_of, respond
from tests.surveys.conftest import texts


@pytest.fixture
def app_overrides():
    return {"PAGE_SIZE": 3}


@pytest.fixture
def survey(make_survey, make_branch, staff):
    survey = make_survey()
    eastgate = make_branch(name="Eastgate")
    kiosk = KioskLink(survey=survey, branch=eastgate, label="Tablet by the holds shelf")
    db.session.add(kiosk)
    db.session.flush()
    for _ in range(5):
        respond(survey, channel="web", single_choice="Every week", rating=4,
                long_text="Open later on Thursdays")
    response = respond(survey, channel="kiosk", branch=eastgate, language="ar",
                       single_choice="Never", multi_choice=["Longer hours", "Homework help"],
                       ranking=["Quiet space", "Books", "Computers"],
                       long_text="مساعدة في الواجبات المدرسية")
    response.kiosk_link_id = kiosk.id
    paper = respond(survey, channel="paper", branch=eastgate, single_choice="Sometimes",
                    short_text="Near the school")
    paper.transcribed_by = staff
    db.session.commit()
    return survey


def _pdf_text(response) -> str:
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    reader = PdfReader(BytesIO(response.data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_results_pages_are_for_staff_only(member_client, survey):
    for url in (f"/forms/{survey.id}/responses", f"/forms/{survey.id}/results",
                f"/forms/{survey.id}/results.pdf", f"/forms/{survey.id}/export.csv"):
        assert member_client.get(url).status_code == 403


def test_review_queue_lists_newest_first_with_a_snippet_and_pages(staff_client, survey):
    page = staff_client.get(f"/forms/{survey.id}/responses").get_data(as_text=True)
    assert "7 responses" in page
    newest = db.session.scalars(db.select(SurveyResponse.id).order_by(
        SurveyResponse.submitted_at.desc(), SurveyResponse.id.desc())).all()
    listed = [int(number) for number in re.findall(r"<strong>Response (\d+)</strong>", page)]
    assert listed == newest[:3]
    assert ">مساعدة في الواجبات المدرسية<" in page
    assert "Page 1 of 3" in page
    second = staff_client.get(f"/forms/{survey.id}/responses?page=2").get_data(as_text=True)
    assert "Page 2 of 3" in second


def test_review_queue_filters_by_channel_and_language(staff_client, survey):
    page = staff_client.get(f"/forms/{survey.id}/responses?channel=kiosk&language=ar")
    text = page.get_data(as_text=True)
    assert "1 response match the filters" in text
    assert "Kiosk · Eastgate · Arabic" in text


def test_response_page_shows_every_answer_and_where_it_came_from(staff_client, survey):
    kiosk_response = db.session.scalar(db.select(SurveyResponse).filter_by(channel="kiosk"))
    page = staff_client.get(f"/forms/{survey.id}/responses/{kiosk_response.id}")
    text = page.get_data(as_text=True)
    assert "Tablet by the holds shelf" in text and "Arabic" in text
    assert "How often do you visit?" in text and "Never" in text
    assert text.index("Quiet space") < text.index("Books</li>") < text.index("Computers</li>")
    assert "No answer" in text
    paper = db.session.scalar(db.select(SurveyResponse).filter_by(channel="paper"))
    paper_page = staff_client.get(f"/forms/{survey.id}/responses/{paper.id}")
    assert "Typed in from paper by" in paper_page.get_data(as_text=True)
    assert "Sam Staff" in paper_page.get_data(as_text=True)


def test_response_of_another_form_is_not_found(staff_client, survey, make_survey):
    other = make_survey()
    db.session.commit()
    response_id = db.session.scalar(db.select(SurveyResponse.id))
    assert staff_client.get(f"/forms/{other.id}/responses/{response_id}").status_code == 404


def test_review_status_changes_and_returns_to_a_local_page(staff_client, survey):
    response = db.session.scalar(db.select(SurveyResponse).filter_by(channel="paper"))
    base = f"/forms/{survey.id}/responses/{response.id}/review"
    back = f"/forms/{survey.id}/responses?channel=paper"
    answer = staff_client.post(f"{base}/reviewed?next={back}")
    assert answer.status_code == 302 and answer.location.endswith(back)
    assert db.session.get(SurveyResponse, response.id).review_status == "reviewed"
    elsewhere = staff_client.post(f"{base}/archived?next=https://evil.example/")
    assert elsewhere.location.endswith(f"/forms/{survey.id}/responses/{response.id}")
    assert db.session.get(SurveyResponse, response.id).review_status == "archived"
    assert staff_client.post(f"{base}/deleted").status_code == 400
    assert staff_client.get(f"{base}/new").status_code == 405


def test_results_page_shows_numbers_and_charts(staff_client, survey):
    page = staff_client.get(f"/forms/{survey.id}/results").get_data(as_text=True)
    assert "7 responses" in page
    assert "<svg" in page and "<script" not in page
    assert "1. How often do you visit?" in page
    assert ">5<" in page and "71%" in page  # 5 of 7 said every week
    assert "Open later on Thursdays" in page


def test_results_page_for_the_public_hides_small_counts_and_written_answers(staff_client,
                                                                          survey):
    page = staff_client.get(f"/forms/{survey.id}/results?audience=public").get_data(
        as_text=True)
    assert "fewer than 5" in page
    assert "Open later on Thursdays" not in page
    assert "Written answers are listed for the internal audience only" in page


def test_results_page_breaks_choices_down_by_branch(staff_client, survey):
    page = staff_client.get(f"/forms/{survey.id}/results?by=branch").get_data(as_text=True)
    assert "By branch" in page and "Eastgate" in page and "No branch" in page


def test_results_page_keeps_filters_in_its_print_and_export_links(staff_client, survey):
    page = staff_client.get(f"/forms/{survey.id}/results?channel=web&audience=partners&by=channel")
    text = page.get_data(as_text=True)
    assert "5 responses" in text
    assert f"/forms/{survey.id}/results.pdf?channel=web&amp;audience=partners&amp;by=channel" \
        in text
    assert f"/forms/{survey.id}/export.csv?channel=web" in text


def test_results_pdf_holds_the_prompts_and_numbers(staff_client, survey):
    text = _pdf_text(staff_client.get(f"/forms/{survey.id}/results.pdf"))
    assert "Results: Your library, your say" in text
    assert "How often do you visit?" in text and "What would help?" in text
    assert "7 responses" in text and "71%" in text
    assert "Open later on Thursdays" in text
    assert "Internal" in text


def test_results_pdf_for_the_public_hides_small_cells(staff_client, survey):
    text = _pdf_text(staff_client.get(f"/forms/{survey.id}/results.pdf?audience=public&by=branch"))
    assert "For the public" in text
    assert "fewer than 5" in text
    assert "Open later on Thursdays" not in text
    assert "How welcome do you feel?" in text


def test_results_pdf_in_large_print_and_refuses_unknown_audiences(staff_client, survey):
    assert _pdf_text(staff_client.get(f"/forms/{survey.id}/results.pdf?large=1"))
    assert staff_client.get(f"/forms/{survey.id}/results.pdf?audience=press").status_code == 400


def test_response_page_marks_retired_choices_and_questions(staff_client, make_survey):
    survey = make_survey()
    several = question_of(survey, "multi_choice")
    several.options.append(QuestionOption(position=3, texts=texts("Old choice"),
                                          is_retired=True))
    question_of(survey, "short_text").is_retired = True
    db.session.flush()
    response = respond(survey, channel="web", multi_choice=["Old choice"],
                       short_text="By the river")
    db.session.commit()
    page = staff_client.get(f"/forms/{survey.id}/responses/{response.id}").get_data(
        as_text=True)
    assert "Old choice (retired choice)" in page
    assert "Retired question" in page and "By the river" in page
