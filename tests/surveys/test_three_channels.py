"""One form, three channels: a phone, a kiosk and a typed-in paper sheet come back together."""

import csv
import io

import openpyxl
import pytest

from app.extensions import db
from app.surveys.models import KioskLink
from tests.surveys.filling import good_answers, submission_id

pytestmark = pytest.mark.usefixtures("public_app")


def test_answers_from_phone_kiosk_and_paper_appear_together_in_results_and_exports(
        staff_client, make_survey, make_branch):
    survey = make_survey()
    eastgate, millbrook = make_branch(name="Eastgate"), make_branch(name="Millbrook")
    kiosk = KioskLink(survey=survey, branch=millbrook)
    db.session.add(kiosk)
    db.session.commit()
    answers = good_answers(survey)

    phone = staff_client.get(f"/f/{survey.token}?lang=es")
    assert staff_client.post(f"/f/{survey.token}", data={
        **answers, "language": "es", "submission_id": submission_id(phone.data)}).status_code < 400
    kiosk_page = staff_client.get(f"/kiosk/{kiosk.token}")
    assert staff_client.post(f"/kiosk/{kiosk.token}", data={
        **answers, "language": "en",
        "submission_id": submission_id(kiosk_page.data)}).status_code < 400
    sheet = staff_client.get(f"/forms/{survey.id}/paper-entry?lang=ar")
    assert staff_client.post(f"/forms/{survey.id}/paper-entry?lang=ar", data={
        **answers, "language": "ar", "branch_id": eastgate.id,
        "submission_id": submission_id(sheet.data)}).status_code == 302

    results = staff_client.get(f"/forms/{survey.id}/results").get_data(as_text=True)
    assert "3 responses" in results

    exported = staff_client.get(f"/forms/{survey.id}/export.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(exported.lstrip("\ufeff"))))
    assert sorted((row["Channel"], row["Branch"], row["Language"]) for row in rows) == [
        ("kiosk", "Millbrook", "en"), ("paper", "Eastgate", "ar"), ("web", "", "es")]

    workbook = openpyxl.load_workbook(
        io.BytesIO(staff_client.get(f"/forms/{survey.id}/export.xlsx").data), read_only=True)
    sheet_rows = list(workbook.active.iter_rows(values_only=True))
    channel_at = sheet_rows[0].index("Channel")
    assert sorted(row[channel_at] for row in sheet_rows[1:]) == ["kiosk", "paper", "web"]
