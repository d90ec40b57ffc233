"""Importing past outcome data from a CSV file: reading the file, checking every row, importing
all or nothing, and removing an import again."""

import os
import stat
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from app.evaluation import importing
from app.evaluation.importing import ImportRefused, UploadNotFound
from app.evaluation.models import OutcomeImport
from app.extensions import db
from app.surveys.models import (
    Answer,
    Question,
    QuestionOption,
    Survey,
    SurveyResponse,
)

SCALE = [("Strongly agree", "Muy de acuerdo"), ("Agree", "De acuerdo"),
         ("Neither agree nor disagree", "Ni de acuerdo ni en desacuerdo"),
         ("Disagree", "En desacuerdo"), ("Strongly disagree", "Muy en desacuerdo")]
HEADER = "Date,How often do you visit?,I feel more confident,What did you use?,Children,Comment"
#: Line 4 has an answer that is no option of the first question.
BAD_CSV = (f"{HEADER}\n"
           "2025-03-14,Every week,Strongly agree,Computers;Books,2,Great\n"
           "14/03/2025,cada semana,2,libros,0,\n"
           "2025-03-15 10:31,Most days,4,Computers,1,\n"
           "2025-03-16,Never,5,,3,Too far\n")
GOOD_CSV = BAD_CSV.replace("Most days", "Sometimes")
#: The same in the European way: semicolons between cells, so a multi choice is quoted.
SEMICOLON_CSV = GOOD_CSV.replace("Computers;Books", '"Computers;Books"').replace(",", ";")


@pytest.fixture
def app_overrides(tmp_path):
    return {"OUTCOME_IMPORT_FOLDER": str(tmp_path / "imports")}


def _options(*labels: tuple[str, str]) -> list[QuestionOption]:
    return [QuestionOption(position=i, texts={"en": {"label": en}, "es": {"label": es}})
            for i, (en, es) in enumerate(labels)]


def _question(kind: str, prompt: str, position: int, **fields) -> Question:
    return Question(kind=kind, position=position, texts={"en": {"prompt": prompt}}, **fields)


@pytest.fixture
def outcome_survey(app) -> Survey:
    """An outcome form in English and Spanish with a choice, a scale, a multi choice, a number
    and a text question."""
    survey = Survey(status="closed", purpose="outcome_immediate", default_language="en",
                    languages=["en", "es"], texts={"en": {"title": "After the session"}})
    survey.questions = [
        _question("single_choice", "How often do you visit?", 0, is_required=True,
                  options=_options(("Every week", "Cada semana"), ("Sometimes", "A veces"),
                                   ("Never", "Nunca"))),
        _question("single_choice", "I feel more confident", 1, options=_options(*SCALE)),
        _question("multi_choice", "What did you use?", 2,
                  options=_options(("Books", "Libros"), ("Computers", "Computadoras"))),
        _question("number", "Children", 3, min_value=0, max_value=10),
        _question("short_text", "Comment", 4),
    ]
    db.session.add(survey)
    db.session.flush()
    return survey


def keep(survey: Survey, person, text: str | bytes, filename: str = "old.csv"):
    """Keep `text` as an upload and map its columns by the guess."""
    content = text if isinstance(text, bytes) else text.encode("utf-8")
    upload = importing.keep_upload(survey, person, filename=filename, content=content,
                                   source_tool="Old platform")
    table = importing.read_table(upload)
    importing.set_mapping(upload, importing.guess_mapping(table.columns, survey), survey)
    return upload


def question_ids(survey: Survey) -> list[int]:
    return [question.id for question in survey.questions]


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_guess_matches_columns_with_questions_and_the_date(app, outcome_survey, staff):
    upload = keep(outcome_survey, staff, GOOD_CSV)
    visits, scale, used, children, comment = question_ids(outcome_survey)
    assert upload.mapping == {"Date": "date", "How often do you visit?": str(visits),
                              "I feel more confident": str(scale),
                              "What did you use?": str(used), "Children": str(children),
                              "Comment": str(comment)}


def test_a_bad_row_on_line_4_is_named_and_nothing_is_imported(app, outcome_survey, staff):
    upload = keep(outcome_survey, staff, BAD_CSV)
    check = importing.check_upload(upload, outcome_survey)
    assert [(p.line, p.column) for p in check.problems] == [(4, "How often do you visit?")]
    assert "“Most days” is not one of the answers" in check.problems[0].message
    assert check.fine_count == 3
    with pytest.raises(ImportRefused, match="1 problems remain on 1 lines"):
        importing.import_upload(upload, outcome_survey, staff)
    db.session.rollback()
    assert count(SurveyResponse) == 0
    assert count(OutcomeImport) == 0


def test_every_row_imports_with_the_right_answers(app, outcome_survey, staff):
    visits, scale, used, children, comment = question_ids(outcome_survey)
    options = {o.text(): o.id for q in outcome_survey.questions for o in q.options}
    upload = keep(outcome_survey, staff, GOOD_CSV)
    record, skipped = importing.import_upload(upload, outcome_survey, staff)
    db.session.commit()

    assert (record.row_count, skipped, record.filename) == (4, 0, "old.csv")
    assert record.mapping[importing.FILE_HASH_KEY] == upload.sha256
    responses = db.session.scalars(sa.select(SurveyResponse).order_by(SurveyResponse.id)).all()
    assert [r.submission_id for r in responses] == [
        f"import:{record.id}:{line}" for line in (2, 3, 4, 5)]
    assert {(r.channel, r.review_status, r.language) for r in responses} == {
        ("imported", "reviewed", "en")}

    def answers(response):
        return sorted((a.question_id, a.option_id, a.number_value, a.text_value)
                      for a in response.answers)

    # Line 3: Spanish option text, the scale by number (2 = Agree), multi choice in Spanish.
    assert answers(responses[1]) == sorted([
        (visits, options["Every week"], None, None), (scale, options["Agree"], None, None),
        (used, options["Books"], None, None), (children, None, 0.0, None)])
    # Line 2: two options of a multi choice split on ";", and a text answer.
    assert answers(responses[0]) == sorted([
        (visits, options["Every week"], None, None),
        (scale, options["Strongly agree"], None, None), (used, options["Books"], None, None),
        (used, options["Computers"], None, None), (children, None, 2.0, None),
        (comment, None, None, "Great")])
    # Line 5: 5 on the scale is its fifth option; a blank multi choice is no answer.
    assert (scale, options["Strongly disagree"], None, None) in answers(responses[3])
    assert used not in {a.question_id for a in responses[3].answers}


def test_dates_are_read_at_noon_library_time_or_at_the_given_time(app, outcome_survey, staff):
    importing.import_upload(keep(outcome_survey, staff, GOOD_CSV), outcome_survey, staff)
    moments = db.session.scalars(
        sa.select(SurveyResponse.submitted_at).order_by(SurveyResponse.id)).all()
    # America/Toronto is UTC-4 in mid-March 2025 (daylight time from 9 March).
    assert [m.replace(tzinfo=None) for m in moments] == [
        datetime(2025, 3, 14, 16, 0), datetime(2025, 3, 14, 16, 0),
        datetime(2025, 3, 15, 14, 31), datetime(2025, 3, 16, 16, 0)]


def test_without_a_date_column_responses_are_dated_at_the_import(app, outcome_survey, staff):
    text = "How often do you visit?\nNever\n"
    before = datetime.now(UTC)
    importing.import_upload(keep(outcome_survey, staff, text), outcome_survey, staff)
    moment = db.session.scalar(sa.select(SurveyResponse.submitted_at))
    assert moment.replace(tzinfo=UTC) >= before.replace(microsecond=0)


def test_rows_without_answers_are_skipped_and_counted(app, outcome_survey, staff):
    text = f"{HEADER}\n2025-03-14,,,,,\n,,,,,\n2025-03-15,Never,,,,\n"
    record, skipped = importing.import_upload(keep(outcome_survey, staff, text),
                                              outcome_survey, staff)
    assert (record.row_count, skipped) == (1, 2)
    assert db.session.scalar(sa.select(SurveyResponse.submission_id)) == f"import:{record.id}:4"


def test_a_failure_during_the_insert_leaves_no_rows(app, outcome_survey, staff, monkeypatch):
    upload = keep(outcome_survey, staff, GOOD_CSV)
    db.session.commit()
    real, calls = importing.response_row, []

    def failing(*args):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(*args)

    monkeypatch.setattr(importing, "response_row", failing)
    monkeypatch.setattr(importing, "FLUSH_EVERY", 1)
    with pytest.raises(RuntimeError):
        importing.import_upload(upload, outcome_survey, staff)
    # Two responses had reached the database inside the transaction before the failure.
    assert count(SurveyResponse) == 2
    db.session.rollback()
    assert (count(SurveyResponse), count(Answer), count(OutcomeImport)) == (0, 0, 0)


@pytest.mark.parametrize("content", [
    b"\xef\xbb\xbf" + GOOD_CSV.encode(),
    SEMICOLON_CSV.encode(),
    b"\xef\xbb\xbf" + SEMICOLON_CSV.replace("\n", "\r\n").encode(),
], ids=["bom", "semicolon", "bom-semicolon-crlf"])
def test_bom_and_semicolon_files_read_the_same(app, outcome_survey, staff, content):
    upload = keep(outcome_survey, staff, content)
    assert upload.encoding == "utf-8"
    check = importing.check_upload(upload, outcome_survey)
    assert (check.problems, len(check.ready)) == ([], 4)
    assert "Date" in upload.mapping


def test_a_cp1252_file_is_read_and_said_so(app, outcome_survey, staff):
    content = "Date;Comment\n2025-03-14;Très bien, merci\n".encode("cp1252")
    upload = keep(outcome_survey, staff, content)
    assert upload.was_cp1252
    check = importing.check_upload(upload, outcome_survey)
    assert check.ready[0].answers == {question_ids(outcome_survey)[4]: "Très bien, merci"}


@pytest.mark.parametrize(("content", "message"), [
    (b"", "The file is empty"),
    (b"\n\n", "The file is empty"),
    (b"2025-03-14,3,4\n2025-03-15,2,1\n", "The first line holds answers, not column names"),
    (b"Date,Children\n", "a header row but no responses"),
    (b"Date,Date\n2025-03-14,2025-03-14\n", "Two columns are both called “Date”"),
    (b"x" * (5 * 1024 * 1024 + 1), "larger than 5 MB"),
    (b"Children\n" + b"1\n" * 50_001, "more than 50,000 rows"),
])
def test_unusable_files_are_refused_in_words(app, outcome_survey, staff, content, message):
    with pytest.raises(ImportRefused, match=message):
        importing.keep_upload(outcome_survey, staff, filename="old.csv", content=content)
    assert list(importing.upload_folder().iterdir()) == []


def test_50000_rows_are_still_taken(app, outcome_survey, staff):
    upload = importing.keep_upload(outcome_survey, staff, filename="big.csv",
                                   content=b"Children\n" + b"1\n" * 50_000)
    assert len(importing.read_table(upload).rows) == 50_000


def test_problems_name_numbers_scales_dates_and_long_lines(app, outcome_survey, staff):
    text = (f"{HEADER}\n"
            "31/02/2025,Never,6,Books,11,\n"
            "2025-03-14,Never,Agree,Books;Films,x,\n"
            "2999-01-01,Never,3,,1,,extra\n")
    check = importing.check_upload(keep(outcome_survey, staff, text), outcome_survey)
    found = [(p.line, p.column, p.message) for p in check.problems]
    assert [(line, column) for line, column, _ in found] == [
        (2, "Date"), (2, "I feel more confident"), (2, "Children"),
        (3, "What did you use?"), (3, "Children"), (4, ""), (4, "Date")]
    assert "day first" in found[0][2]
    assert found[2][2] == "11 is out of range: this question takes at least 0 and at most 10."
    assert "“Films” is not one of the answers" in found[3][2]
    assert "after today" in found[6][2]
    assert check.lines_to_fix_text == "2–4"


def test_two_columns_for_one_question_are_refused(app, outcome_survey, staff):
    upload = importing.keep_upload(outcome_survey, staff, filename="old.csv",
                                   content=b"Visits,Visits again\nNever,Never\n")
    visits = str(question_ids(outcome_survey)[0])
    with pytest.raises(ImportRefused, match="both go to “How often do you visit"):
        importing.set_mapping(upload, {"Visits": visits, "Visits again": visits},
                              outcome_survey)


def test_the_same_file_twice_needs_a_yes(app, outcome_survey, staff):
    importing.import_upload(keep(outcome_survey, staff, GOOD_CSV), outcome_survey, staff)
    again = keep(outcome_survey, staff, GOOD_CSV, filename="renamed.csv")
    assert len(importing.earlier_imports(again, outcome_survey)) == 1
    with pytest.raises(ImportRefused, match="imported into this form before"):
        importing.import_upload(again, outcome_survey, staff)
    record, _ = importing.import_upload(again, outcome_survey, staff, allow_repeat=True)
    assert count(SurveyResponse) == 8
    assert record.filename == "renamed.csv"


def test_removing_an_import_removes_its_responses_only(app, outcome_survey, staff):
    first, _ = importing.import_upload(keep(outcome_survey, staff, GOOD_CSV), outcome_survey,
                                       staff)
    other = keep(outcome_survey, staff, "Children\n4\n")
    importing.import_upload(other, outcome_survey, staff)
    db.session.commit()
    assert importing.remove_import(first) == 4
    db.session.commit()
    assert count(SurveyResponse) == 1
    assert db.session.scalar(sa.select(Answer.number_value)) == 4.0
    assert count(OutcomeImport) == 1


def test_kept_files_are_private_and_go_after_a_day(app, outcome_survey, staff):
    upload = keep(outcome_survey, staff, GOOD_CSV)
    kept = importing.upload_folder() / f"{upload.token}.csv"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(importing.upload_folder().stat().st_mode) == 0o700
    day_ago = kept.stat().st_mtime - 24 * 60 * 60 - 1
    for path in importing.upload_folder().iterdir():
        os.utime(path, (day_ago, day_ago))
    with pytest.raises(UploadNotFound):
        importing.load_upload(upload.token, outcome_survey, staff)
    assert not kept.exists()


@pytest.mark.parametrize("token", ["../secret_key", "x" * 32, "", "a/b"])
def test_tokens_never_name_a_path(app, outcome_survey, staff, token):
    with pytest.raises(UploadNotFound):
        importing.load_upload(token, outcome_survey, staff)


def test_an_upload_belongs_to_its_person_and_form(app, outcome_survey, staff, make_user):
    upload = keep(outcome_survey, staff, GOOD_CSV)
    with pytest.raises(UploadNotFound):
        importing.load_upload(upload.token, outcome_survey, make_user())
    other_form = Survey(texts={"en": {"title": "Other"}}, languages=["en"])
    db.session.add(other_form)
    db.session.flush()
    with pytest.raises(UploadNotFound):
        importing.load_upload(upload.token, other_form, staff)
    assert importing.load_upload(upload.token, outcome_survey, staff).filename == "old.csv"


def test_date_answers_read_both_ways(app, staff):
    survey = Survey(texts={"en": {"title": "Dates"}}, languages=["en"],
                    questions=[_question("date", "First visit", 0)])
    db.session.add(survey)
    db.session.flush()
    upload = keep(survey, staff, "First visit\n2024-05-01\n01/05/2024\n")
    check = importing.check_upload(upload, survey)
    assert [row.answers for row in check.ready] == [{survey.questions[0].id: date(2024, 5, 1)}] * 2
