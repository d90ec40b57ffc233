"""The CSV import screens, driven through the client: upload, columns, preview, import, the
list of past imports and removing one. Staff only."""

import re
from io import BytesIO

import pytest
import sqlalchemy as sa

from app.evaluation import importing
from app.evaluation.models import OutcomeImport
from app.extensions import db
from app.surveys.models import SurveyResponse
from tests.conftest import log_in
from tests.evaluation import test_import as shared
from tests.evaluation.test_import import BAD_CSV, GOOD_CSV, count

#: The service tests' fixtures: a private upload folder per test, and an outcome form.
app_overrides, outcome_survey = shared.app_overrides, shared.outcome_survey


def upload(client, survey, content: bytes | str, filename: str = "old.csv"):
    if isinstance(content, str):
        content = content.encode()
    return client.post(f"/forms/{survey.id}/import", content_type="multipart/form-data",
                       data={"file": (BytesIO(content), filename),
                             "source_tool": "Old outcome platform"})


def token_of(response) -> str:
    return re.search(r"/import/([A-Za-z0-9_-]{32})/columns", response.location).group(1)


def columns_data(page: bytes) -> dict[str, str]:
    """Return the columns form as the browser would send it, with the guessed choices."""
    html = page.decode()
    data = {}
    for name, body in re.findall(r'<select[^>]*name="(column_\d+)"[^>]*>(.*?)</select>', html,
                                 re.S):
        chosen = re.search(r'<option selected value="([^"]*)"', body) or re.search(
            r'<option value="([^"]*)" selected', body)
        data[name] = chosen.group(1) if chosen else ""
    return data


def through_preview(client, survey, content) -> tuple[str, object]:
    token = token_of(upload(client, survey, content))
    columns = client.get(f"/forms/{survey.id}/import/{token}/columns")
    sent = client.post(f"/forms/{survey.id}/import/{token}/columns",
                       data=columns_data(columns.data))
    assert sent.status_code == 302, sent.data
    return token, client.get(f"/forms/{survey.id}/import/{token}/preview")


def test_the_whole_way_from_a_bad_file_to_imported_results(staff_client, outcome_survey):
    db.session.commit()
    start = staff_client.get(f"/forms/{outcome_survey.id}/import")
    assert b"Import past results from a CSV file" in start.data

    token, preview = through_preview(staff_client, outcome_survey, BAD_CSV)
    page = preview.data.decode()
    assert "1 problem to fix first" in page
    assert re.search(r"<td>4</td><td>How often do you visit\?</td><td>“Most days” is not one",
                     page)
    assert "Fix line\n    4 in the file" in page
    assert "3 rows are fine" in page
    assert "day first" in page
    assert "Import 4 responses" not in page
    refused = staff_client.post(f"/forms/{outcome_survey.id}/import/{token}/run")
    assert refused.status_code == 302
    assert count(SurveyResponse) == 0

    token, preview = through_preview(staff_client, outcome_survey, GOOD_CSV)
    assert "Import 4 responses" in preview.data.decode()
    assert "cada semana" not in preview.data.decode()  # shown as stored: "Every week"
    done = staff_client.post(f"/forms/{outcome_survey.id}/import/{token}/run",
                             follow_redirects=True)
    assert "Imported 4 responses from old.csv." in done.data.decode()
    assert "Old outcome platform" in done.data.decode()
    assert count(SurveyResponse) == 4
    assert set(db.session.scalars(sa.select(SurveyResponse.channel))) == {"imported"}
    assert not list(importing.upload_folder().glob(f"{token}.*"))

    results = staff_client.get(f"/forms/{outcome_survey.id}/results?channel=imported")
    assert results.status_code == 200
    assert "Imported from another tool" in results.data.decode()
    assert re.search(r"\b4 responses?\b", results.data.decode())


def test_a_failure_during_the_import_stores_nothing(app, staff_client, outcome_survey,
                                                    monkeypatch):
    db.session.commit()
    token, _ = through_preview(staff_client, outcome_survey, GOOD_CSV)
    real, calls = importing.response_row, []

    def failing(*args):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(*args)

    monkeypatch.setattr(importing, "response_row", failing)
    monkeypatch.setattr(importing, "FLUSH_EVERY", 1)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = staff_client.post(f"/forms/{outcome_survey.id}/import/{token}/run")
    assert response.status_code == 500
    assert (count(SurveyResponse), count(OutcomeImport)) == (0, 0)


def test_a_file_over_5_mb_is_refused_in_words(staff_client, outcome_survey):
    db.session.commit()
    response = upload(staff_client, outcome_survey, b"Comment\n" + b"x" * (6 * 1024 * 1024))
    assert response.status_code == 413
    assert "The file is larger than 5 MB" in response.data.decode()
    assert not list(importing.upload_folder().iterdir())


def test_a_file_between_1_and_5_mb_is_taken(staff_client, outcome_survey):
    db.session.commit()
    response = upload(staff_client, outcome_survey,
                      b"Comment\n" + b"A comment that goes on for a good while\n" * 50_000)
    assert response.status_code == 302


def test_an_empty_file_is_refused_next_to_the_field(staff_client, outcome_survey):
    db.session.commit()
    response = upload(staff_client, outcome_survey, b"")
    assert response.status_code == 200
    assert "The file is empty" in response.data.decode()


def test_two_columns_for_one_question_are_refused_in_words(staff_client, outcome_survey):
    db.session.commit()
    token = token_of(upload(staff_client, outcome_survey, "Visits,Again\nNever,Never\n"))
    visits = str(outcome_survey.questions[0].id)
    response = staff_client.post(f"/forms/{outcome_survey.id}/import/{token}/columns",
                                 data={"column_0": visits, "column_1": visits})
    assert response.status_code == 200
    assert "The column “Visits” already goes to this question" in response.data.decode()


def test_the_second_import_of_a_file_warns_and_may_go_on(staff_client, outcome_survey):
    db.session.commit()
    token, _ = through_preview(staff_client, outcome_survey, GOOD_CSV)
    staff_client.post(f"/forms/{outcome_survey.id}/import/{token}/run")
    token, preview = through_preview(staff_client, outcome_survey, GOOD_CSV)
    assert "This same file was imported into this form before" in preview.data.decode()
    refused = staff_client.post(f"/forms/{outcome_survey.id}/import/{token}/run",
                                follow_redirects=True)
    assert "Tick “Import it again”" in refused.data.decode()
    assert count(SurveyResponse) == 4
    staff_client.post(f"/forms/{outcome_survey.id}/import/{token}/run",
                      data={"import_again": "y"})
    assert count(SurveyResponse) == 8


def test_past_imports_are_listed_and_one_can_be_removed(staff_client, outcome_survey):
    db.session.commit()
    token, _ = through_preview(staff_client, outcome_survey, GOOD_CSV)
    staff_client.post(f"/forms/{outcome_survey.id}/import/{token}/run")
    record = db.session.scalar(sa.select(OutcomeImport))
    listing = staff_client.get(f"/forms/{outcome_survey.id}/imports").data.decode()
    assert "old.csv" in listing and "Sam Staff" in listing
    url = f"/forms/{outcome_survey.id}/imports/{record.id}/remove"
    confirm = staff_client.get(url).data.decode()
    assert "This removes the 4 responses imported from" in confirm
    assert count(SurveyResponse) == 4
    done = staff_client.post(url, follow_redirects=True)
    assert "Removed the import of old.csv and its 4 responses." in done.data.decode()
    assert (count(SurveyResponse), count(OutcomeImport)) == (0, 0)


def test_an_unknown_token_is_404(staff_client, outcome_survey):
    db.session.commit()
    for step in ("columns", "preview"):
        url = f"/forms/{outcome_survey.id}/import/{'A' * 32}/{step}"
        assert staff_client.get(url).status_code == 404
    assert staff_client.post(f"/forms/{outcome_survey.id}/import/{'A' * 32}/run"
                             ).status_code == 404


def test_another_staff_members_upload_is_refused(client, outcome_survey, staff, make_user):
    other = make_user()
    db.session.commit()
    log_in(client, staff)
    token = token_of(upload(client, outcome_survey, GOOD_CSV))
    log_in(client, other)
    assert client.get(f"/forms/{outcome_survey.id}/import/{token}/columns").status_code == 404
    assert client.post(f"/forms/{outcome_survey.id}/import/{token}/run").status_code == 404
    assert count(SurveyResponse) == 0


@pytest.mark.parametrize("path", ["import", "imports", "import/x/columns", "import/x/preview",
                                  "imports/1/remove"])
def test_members_get_403_and_visitors_the_login_page(client, member_client, outcome_survey,
                                                     path):
    db.session.commit()
    assert member_client.get(f"/forms/{outcome_survey.id}/{path}").status_code == 403
    assert member_client.post(f"/forms/{outcome_survey.id}/{path}").status_code in (403, 405)
    member_client.post("/logout")
    with client.session_transaction() as session:
        session.clear()
    response = client.get(f"/forms/{outcome_survey.id}/{path}")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_with_csrf_on_an_upload_needs_the_page_token(app, staff_client, outcome_survey):
    db.session.commit()
    app.config["WTF_CSRF_ENABLED"] = True
    refused = upload(staff_client, outcome_survey, GOOD_CSV)
    assert refused.status_code == 400
    assert "This form had expired" in refused.data.decode()
    assert not list(importing.upload_folder().iterdir())
    page = staff_client.get(f"/forms/{outcome_survey.id}/import").data.decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    accepted = staff_client.post(
        f"/forms/{outcome_survey.id}/import", content_type="multipart/form-data",
        data={"file": (BytesIO(GOOD_CSV.encode()), "old.csv"), "csrf_token": token})
    assert accepted.status_code == 302
