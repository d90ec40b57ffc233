"""CSV and XLSX exports of a form's responses: one row per response, one column per question.

The layout (docs/exports.md says the same for the people who open the files):

- One row per response, oldest first. First the response's own columns: Response (its
  number), Submitted at (ISO 8601 in the library's time zone, e.g. 2026-03-04T14:05:00-05:00),
  Channel (kiosk, web or paper), Branch (empty when none), Language (a code such as en, es, ar)
  and Review status (new, reviewed or archived).
- Then one column per question, headed by its prompt in the form's default language: the active
  questions in order, then retired questions with "(retired)" after the prompt.
- Single choice, age band and area: the chosen option's label. Multiple choice: the chosen
  labels in the form's order, joined with "; ". Ranking: the labels in the person's order, most
  important first, joined with " > ". Yes or no: Yes or No. Rating: a number from 1 to 5. Number:
  the number. Date: ISO 8601 (2026-03-04). Short and long text: as typed. Unanswered: empty.
- A text cell that starts with =, +, -, @, a tab or a carriage return gets a leading ' so that a
  spreadsheet shows it as text instead of running it as a formula. Numbers stay numbers.
- Contact details never appear: they live in consent records, which this module never reads.

Rows are read in batches of responses (keyset on the time sent and the id) with their answers,
so an export of any size holds one batch in memory. The CSV starts with a UTF-8 byte order mark
so that Excel opens accents and Arabic correctly.
"""

import csv
import io
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from app.accounts.models import Branch
from app.database import Precompiled
from app.extensions import db
from app.records import as_utc, library_today
from app.surveys.models import QuestionKind, Survey
from app.surveys.results import ResponseFilters, answers_table, ordered_questions, responses_table

RESPONSE_HEADERS = ["Response", "Submitted at", "Channel", "Branch", "Language", "Review status"]
#: Responses per query; their ids go into one IN list, well under SQLite's 32,766 variables.
BATCH_SIZE = 2000
MULTIPLE_SEPARATOR = "; "
RANKING_SEPARATOR = " > "
#: What a spreadsheet may read as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
YES_NO = ("Yes", "No")

Cell = str | int | float | None


def neutralise(value: Cell) -> Cell:
    """Return text that a spreadsheet would run as a formula with a ' in front; else `value`."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_rows(survey: Survey, filters: ResponseFilters, *,
                batch_size: int = BATCH_SIZE) -> Iterator[list[list[Cell]]]:
    """Yield the header row, then the responses oldest first, a batch of rows at a time."""
    layout = _Layout(survey)
    yield [[neutralise(header) for header in layout.headers()]]
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    for responses in _response_batches(survey, filters, batch_size):
        answers = _answers_of([response[0] for response in responses])
        yield [[number, as_utc(submitted_at).astimezone(zone).isoformat(timespec="seconds"),
                channel, neutralise(branch or ""), language, review_status,
                *layout.cells(answers.get(number, []))]
               for number, submitted_at, channel, branch, language, review_status in responses]


def csv_chunks(survey: Survey, filters: ResponseFilters) -> Iterator[str]:
    """Yield the CSV export in pieces: a byte order mark, the header, then batches of rows."""
    yield "\ufeff"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for rows in export_rows(survey, filters):
        writer.writerows(rows)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def xlsx_bytes(survey: Survey, filters: ResponseFilters) -> bytes:
    """Return the XLSX export: one sheet, a bold header row that stays in view."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Responses")
    sheet.freeze_panes = "A2"
    batches = export_rows(survey, filters)
    header = next(batches)[0]
    for number in range(1, len(header) + 1):
        sheet.column_dimensions[get_column_letter(number)].width = 12 if number < 7 else 30
    sheet.column_dimensions["B"].width = 26
    sheet.append([_bold(sheet, title) for title in header])
    for rows in batches:
        for row in rows:
            sheet.append([_xlsx_value(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_filename(survey: Survey, extension: str) -> str:
    """Return a plain ASCII file name such as 'your-library-your-say-2026-03-04.csv'."""
    text = unicodedata.normalize("NFKD", survey.title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].rstrip("-")
    return f"{slug or f'form-{survey.id}'}-{library_today().isoformat()}.{extension}"


#: One answer as the export reads it: response id, question id, option id, rank, text, number,
#: date.
AnswerCells = tuple[int, int, int | None, int | None, str | None, float | None, date | None]


class _Layout:
    """The question columns of a form and how each answer becomes a cell."""

    def __init__(self, survey: Survey) -> None:
        self.questions = ordered_questions(survey)
        self.column = {question.id: index for index, question in enumerate(self.questions)}
        #: Per option: its column, its place among the options (None in a ranking, which is
        #: ordered by the person's ranks), its label, and its label as a cell of its own.
        self.options = {
            option.id: (self.column[question.id],
                        None if question.kind == QuestionKind.RANKING else place, label,
                        neutralise(label))
            for question in self.questions for place, option in enumerate(question.options)
            for label in (_option_label(question.kind, place, option.text()),)}
        self.rankings = {self.column[question.id] for question in self.questions
                         if question.kind == QuestionKind.RANKING}

    def headers(self) -> list[str]:
        return RESPONSE_HEADERS + [
            question.text("prompt") + (" (retired)" if question.is_retired else "")
            for question in self.questions]

    def cells(self, answers: list[AnswerCells]) -> list[Cell]:
        """Return one cell per question for the answers of one response."""
        cells: list[Cell] = [None] * len(self.questions)
        chosen: dict[int, list[tuple[int, str]]] = {}
        options, column = self.options, self.column
        for _, question_id, option_id, rank, text, number, day in answers:
            option = options.get(option_id)
            if option is None:
                if question_id in column:
                    cells[column[question_id]] = _typed_cell(text, number, day)
                continue
            place, position, label, cell = option
            entry = (rank or 0 if position is None else position, label)
            if place in chosen:
                chosen[place].append(entry)
            else:
                cells[place] = cell  # one choice; several are joined below
                chosen[place] = [entry]
        for place, labels in chosen.items():
            if len(labels) == 1:
                continue
            labels.sort()
            separator = RANKING_SEPARATOR if place in self.rankings else MULTIPLE_SEPARATOR
            cells[place] = neutralise(separator.join([label for _, label in labels]))
        return cells


def _option_label(kind: str, place: int, label: str) -> str:
    """Return how a chosen option reads in the export: yes or no questions say Yes or No."""
    return YES_NO[min(place, 1)] if kind == QuestionKind.YES_NO else label


def _typed_cell(text: str | None, number: float | None, day: date | None) -> Cell:
    if number is not None:
        return int(number) if float(number).is_integer() else number
    if day is not None:
        return day.isoformat() if isinstance(day, date) else str(day)
    return neutralise(text)


def _response_batches(survey: Survey, filters: ResponseFilters,
                      size: int) -> Iterator[list[tuple]]:
    """Yield the filtered responses oldest first, `size` at a time, each batch one query: per
    response its id, when it was sent (a datetime), channel, branch name, language and review
    status.

    Each batch starts after the last one's (submitted_at, id): the form's index on
    (survey_id, submitted_at) serves every batch without sorting the whole form. The
    statements go to the driver's own cursor, as the answers' do (_answers_of): a result row
    per response costs more than the row's cells.
    """
    response = responses_table.c
    order = (response.submitted_at, response.id)
    query = (sa.select(response.id, response.submitted_at, response.channel,
                       Branch.name.label("branch"), response.language, response.review_status)
             .select_from(responses_table.outerjoin(Branch, Branch.id == response.branch_id))
             .where(response.survey_id == survey.id, *filters.conditions())
             .order_by(*order).limit(size))
    first = Precompiled(query)
    after = Precompiled(query.where(sa.tuple_(*order) > sa.tuple_(
        sa.bindparam("after_at", type_=response.submitted_at.type),
        sa.bindparam("after_id", type_=response.id.type))))
    connection = db.session.connection()
    batch = _fetched(first, connection, {})
    while batch:
        yield batch
        number, submitted_at = batch[-1][:2]
        batch = _fetched(after, connection, {"after_at": submitted_at, "after_id": number})


def _fetched(statement: Precompiled, connection, values: dict) -> list[tuple]:
    """Run a responses query on the driver; the time sent comes back as a datetime (SQLite's
    driver gives the stored text)."""
    cursor = statement.execute(connection, values)
    try:
        rows = cursor.fetchall()
    finally:
        cursor.close()
    return [(number, submitted_at if isinstance(submitted_at, datetime)
             else datetime.fromisoformat(submitted_at), *rest)
            for number, submitted_at, *rest in rows]


def _answers_of(response_ids: list[int]) -> dict[int, list[AnswerCells]]:
    """Return the answers of these responses, grouped by response.

    The statement goes to the driver's own cursor: a million answers would otherwise each
    become a result row with type conversions, the slowest part of a large export. Its only
    values are the integer ids, written into the statement; a date arrives as the driver gives
    it (an ISO string on SQLite), which _typed_cell takes as it is.
    """
    answer = answers_table.c
    connection = db.session.connection()
    statement = (sa.select(answer.response_id, answer.question_id, answer.option_id, answer.rank,
                           answer.text_value, answer.number_value, answer.date_value)
                 .where(answer.response_id.in_([int(number) for number in response_ids])))
    sql = str(statement.compile(dialect=connection.dialect,
                                compile_kwargs={"literal_binds": True}))
    cursor = connection.connection.driver_connection.cursor()
    try:
        cursor.execute(sql)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    grouped: dict[int, list[AnswerCells]] = defaultdict(list)
    for row in rows:
        grouped[row[0]].append(row)
    return grouped


def _bold(sheet, value: Cell) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=_xlsx_value(value))
    cell.font = Font(bold=True)
    return cell


def _xlsx_value(value: Cell) -> Cell:
    """Drop control characters that XLSX cannot hold (tab and line breaks stay)."""
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value)) if isinstance(value, str) else value
