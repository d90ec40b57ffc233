"""Staff screens on the answer form: the preview stores nothing; paper entry stores sheets."""

import re

import pytest

from app.extensions import db
from tests.surveys.filling import good_answers, name_of, responses, submission_id

pytestmark = pytest.mark.usefixtures("public_app")


def test_the_preview_shows_the_public_page_with_a_banner_even_for_a_draft(staff_client,
                                                                         make_survey):
    survey = make_survey(status="draft")
    page = staff_client.get(f"/forms/{survey.id}/preview?lang=ar")
    assert page.status_code == 200
    assert "Preview: answers are not saved." in page.text
    assert '<html lang="ar" dir="rtl">' in page.text and "مكتبتك، رأيك" in page.text


def test_the_preview_checks_answers_but_stores_nothing(staff_client, make_survey):
    survey = make_survey()
    refused = staff_client.post(f"/forms/{survey.id}/preview", data={"language": "es"})
    assert "Por favor, elija una respuesta." in refused.text
    accepted = staff_client.post(f"/forms/{survey.id}/preview", data=good_answers(survey))
    assert "These answers would have been saved." in accepted.text
    assert 'value="Eastgate"' in accepted.text
    assert responses() == []


def test_paper_entry_opens_ready_for_typing(staff_client, make_survey, make_branch, staff):
    staff.branch = make_branch(name="Millbrook")
    db.session.commit()
    survey = make_survey()
    html = staff_client.get(f"/forms/{survey.id}/paper-entry").text
    assert "Type in paper sheets" in html
    assert "Sheets you typed in today: <strong>0</strong>" in html
    assert re.search(r'<option selected value="\d+">Millbrook</option>', html)
    first = name_of(survey, "single_choice")
    assert re.search(rf'<input autofocus id="{first}-0"', html)
    assert html.count("autofocus") == 1
    assert "Save and next sheet" in html


def test_without_a_known_branch_the_cursor_starts_in_the_branch_field(staff_client,
                                                                      make_survey):
    survey = make_survey()
    html = staff_client.get(f"/forms/{survey.id}/paper-entry").text
    assert re.search(r'<select[^>]* autofocus[^>]*id="branch_id"', html)
    assert html.count("autofocus") == 1
    staff_client.post(f"/forms/{survey.id}/paper-entry", data={"branch_id": 0})
    html = staff_client.get(f"/forms/{survey.id}/paper-entry").text
    assert re.search(rf'<input autofocus id="{name_of(survey, "single_choice")}-0"', html)


def test_a_typed_sheet_records_paper_the_branch_and_who_typed_it(staff_client, make_survey,
                                                                 make_branch, staff):
    survey = make_survey()
    eastgate = make_branch(name="Eastgate")
    db.session.commit()
    page = staff_client.get(f"/forms/{survey.id}/paper-entry?lang=es")
    data = {**good_answers(survey), "submission_id": submission_id(page.data),
            "branch_id": eastgate.id, "language": "es"}
    saved = staff_client.post(f"/forms/{survey.id}/paper-entry?lang=es", data=data)
    assert saved.status_code == 302
    assert saved.location == f"/forms/{survey.id}/paper-entry?lang=es"
    [sheet] = responses()
    assert (sheet.channel, sheet.branch_id, sheet.transcribed_by_id, sheet.language) == (
        "paper", eastgate.id, staff.id, "es")
    next_page = staff_client.get(saved.location).text
    assert "Sheet 1 saved." in next_page
    assert "Sheets you typed in today: <strong>1</strong>" in next_page
    assert f'<option selected value="{eastgate.id}">Eastgate</option>' in next_page
    assert 'value="Eastgate"' not in next_page  # a blank form for the next sheet


def test_sheets_are_counted_per_person_and_a_double_save_stores_one(staff_client, make_survey):
    survey = make_survey()
    for number in (1, 2):
        page = staff_client.get(f"/forms/{survey.id}/paper-entry")
        data = {**good_answers(survey), "submission_id": submission_id(page.data),
                "branch_id": 0}
        staff_client.post(f"/forms/{survey.id}/paper-entry", data=data)
        assert f"Sheet {number} saved." in staff_client.get(
            f"/forms/{survey.id}/paper-entry").text
    again = staff_client.post(f"/forms/{survey.id}/paper-entry", data=data)
    assert "That sheet was already saved." in staff_client.get(again.location).text
    assert len(responses()) == 2 and responses()[0].branch_id is None


def test_a_sheet_may_leave_required_questions_empty_but_bad_values_are_refused(staff_client,
                                                                               make_survey):
    survey = make_survey()
    blank = staff_client.post(f"/forms/{survey.id}/paper-entry",
                              data={"branch_id": 0, name_of(survey, "short_text"): "Eastgate"})
    assert blank.status_code == 302
    bad = staff_client.post(f"/forms/{survey.id}/paper-entry",
                            data={"branch_id": 0, name_of(survey, "number"): "lots"})
    assert bad.status_code == 200
    assert "Please write a number, like 3 or 2.5." in bad.text
    assert len(responses()) == 1


def test_paper_entry_errors_stay_in_english_for_an_arabic_sheet(staff_client, make_survey):
    survey = make_survey()
    bad = staff_client.post(f"/forms/{survey.id}/paper-entry?lang=ar",
                            data={"branch_id": 0, name_of(survey, "number"): "كثير"})
    assert "Please write a number, like 3 or 2.5." in bad.text
    assert '<div class="sheet" lang="ar" dir="rtl">' in bad.text
    assert "كم مرة تزور المكتبة؟" in bad.text


def test_sheets_of_a_closed_form_can_still_be_typed_in_but_not_of_a_draft(staff_client,
                                                                         make_survey):
    closed, draft = make_survey(status="closed"), make_survey(status="draft")
    assert staff_client.post(f"/forms/{closed.id}/paper-entry",
                             data={"branch_id": 0}).status_code == 302
    refused = staff_client.post(f"/forms/{draft.id}/paper-entry", data={"branch_id": 0})
    assert "This form is a draft." in refused.text
    assert [response.survey_id for response in responses()] == [closed.id]


def test_members_cannot_reach_the_staff_screens(member_client, make_survey):
    survey = make_survey()
    assert member_client.get(f"/forms/{survey.id}/paper-entry").status_code == 403
    assert member_client.get(f"/forms/{survey.id}/preview").status_code == 403
