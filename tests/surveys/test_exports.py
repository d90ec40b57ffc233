"""CSV and XLSX exports read back: one row per response, the documented columns, safe cells."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from openpyxl import load_workbook

from app.extensions import db
from app.privacy.models import ConsentRecord
from app.surveys.exports import export_rows, neutralise
from app.surveys.models import QuestionOption
from app.surveys.results import ResponseFilters
from tests.surveys.answering import question_of, respond
from tests.surveys.conftest import texts

ATTACK = "=cmd|' /C calc'!A0"
CONTACT = "555-0199"


@pytest.fixture
def survey(make_survey, make_branch):
    survey = make_survey()
    several = question_of(survey, "multi_choice")
    several.options.append(QuestionOption(position=3, texts=texts("Old choice"), is_retired=True))
    question_of(survey, "date").is_retired = True
    eastgate = make_branch(name="Eastgate")
    respond(survey, channel="kiosk", branch=eastgate, language="ar",
            submitted_at=datetime(2026, 3, 4, 19, 5, tzinfo=UTC),
            single_choice="Every week", multi_choice=["Books in my language", "Longer hours"],
            rating=4, yes_no="No", number=3, date=date(2026, 2, 1),
            ranking=["Quiet space", "Books", "Computers"], long_text="مساعدة في الواجبات")
    respond(survey, channel="web", submitted_at=datetime(2026, 3, 5, 12, tzinfo=UTC),
            single_choice="Never", multi_choice=["Old choice"], yes_no="Yes", number=2.5,
            short_text=ATTACK, long_text="+1 more hours\nplease")
    db.session.add(ConsentRecord(
        purpose="form_follow_up", wording="You may call me.", language="en", name="Rosa",
        channel="phone", contact_value=CONTACT, survey_id=survey.id,
        expires_on=date.today() + timedelta(days=180)))
    db.session.commit()
    return survey


def _csv(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_csv_has_one_row_per_response_with_the_documented_columns(staff_client, survey):
    response = staff_client.get(f"/forms/{survey.id}/export.csv")
    assert response.status_code == 200
    assert response.content_type == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="your-library-your-say-')
    header, *rows = _csv(response)
    assert header[:6] == ["Response", "Submitted at", "Channel", "Branch", "Language",
                          "Review status"]
    assert header[6:9] == ["How often do you visit?", "What would help?",
                           "How welcome do you feel?"]
    assert header[-1] == "When did you last visit? (retired)"
    assert len(rows) == 2 and all(len(row) == len(header) for row in rows)
    first = dict(zip(header, rows[0], strict=True))
    assert first["Submitted at"] == "2026-03-04T14:05:00-05:00"
    assert (first["Channel"], first["Branch"], first["Language"], first["Review status"]) == (
        "kiosk", "Eastgate", "ar", "new")
    assert first["What would help?"] == "Longer hours; Books in my language"
    assert first["Rank these"] == "Quiet space > Books > Computers"
    assert (first["How welcome do you feel?"], first["How many children live with you?"]) == (
        "4", "3")
    assert first["Do you have a library card?"] == "No"
    assert first["When did you last visit? (retired)"] == "2026-02-01"
    assert first["Anything else?"] == "مساعدة في الواجبات"
    second = dict(zip(header, rows[1], strict=True))
    assert second["Branch"] == "" and second["What would help?"] == "Old choice"
    assert second["How many children live with you?"] == "2.5"
    assert second["How welcome do you feel?"] == ""


def test_csv_neutralises_cells_a_spreadsheet_would_run(staff_client, survey):
    header, _first, second = _csv(staff_client.get(f"/forms/{survey.id}/export.csv"))
    row = dict(zip(header, second, strict=True))
    assert row["Your neighbourhood"] == "'" + ATTACK
    assert row["Anything else?"] == "'+1 more hours\nplease"


def test_exports_never_carry_contact_details(staff_client, survey):
    csv_text = staff_client.get(f"/forms/{survey.id}/export.csv").get_data(as_text=True)
    xlsx = staff_client.get(f"/forms/{survey.id}/export.xlsx").get_data()
    sheet = load_workbook(io.BytesIO(xlsx)).active
    cells = [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row]
    for value in (CONTACT, "Rosa"):
        assert value not in csv_text and value not in cells


def test_csv_follows_the_filters(staff_client, survey):
    header, *rows = _csv(staff_client.get(f"/forms/{survey.id}/export.csv?channel=web"))
    assert [row[2] for row in rows] == ["web"]


def test_csv_follows_the_dates_and_reads_past_a_batch(app, staff_client, survey):
    """Each batch starts after the last one's time sent: with a date filter and one response
    per batch, every response in the dates comes once, oldest first."""
    header, *rows = _csv(staff_client.get(
        f"/forms/{survey.id}/export.csv?date_from=2026-03-05&date_to=2026-03-31"))
    assert [row[2] for row in rows] == ["web"]
    header, *rows = _csv(staff_client.get(
        f"/forms/{survey.id}/export.csv?date_from=2026-03-01&date_to=2026-03-04"))
    assert [row[2] for row in rows] == ["kiosk"]
    with app.test_request_context():
        rows = [row for batch in export_rows(survey, ResponseFilters(
            date_from=date(2026, 3, 1), date_to=date(2026, 3, 31)), batch_size=1)
            for row in batch]
    assert [row[2] for row in rows] == ["Channel", "kiosk", "web"]


def test_xlsx_reads_back_with_a_bold_frozen_header_and_safe_cells(staff_client, survey):
    response = staff_client.get(f"/forms/{survey.id}/export.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert ".xlsx" in response.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.get_data()))
    sheet = workbook.active
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert len(rows) == 2
    first, second = (dict(zip(header, row, strict=True)) for row in rows)
    assert first["Response"] == int(first["Response"])
    assert first["What would help?"] == "Longer hours; Books in my language"
    assert first["Rank these"] == "Quiet space > Books > Computers"
    assert first["How welcome do you feel?"] == 4
    assert second["How many children live with you?"] == 2.5
    assert second["Your neighbourhood"] == "'" + ATTACK
    assert sheet.cell(row=3, column=header.index("Your neighbourhood") + 1).data_type == "s"


def test_export_reads_responses_in_batches(app, survey):
    batches = list(export_rows(survey, ResponseFilters(), batch_size=1))
    assert [len(batch) for batch in batches] == [1, 1, 1]


@pytest.mark.parametrize("text", ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_neutralise_prefixes_formula_starts(text):
    assert neutralise(text) == "'" + text


def test_neutralise_leaves_numbers_and_plain_text():
    assert neutralise(-3) == -3 and neutralise("Books") == "Books" and neutralise(None) is None


def test_export_batches_keep_responses_sent_at_the_same_moment(app, make_survey):
    survey = make_survey()
    moment = datetime(2026, 3, 1, 15, tzinfo=UTC)
    sent = [respond(survey, channel="web", submitted_at=moment, single_choice="Never").id
            for _ in range(3)]
    rows = [row for batch in export_rows(survey, ResponseFilters(), batch_size=2)
            for row in batch][1:]
    assert [row[0] for row in rows] == sorted(sent)
