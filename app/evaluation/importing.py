"""Importing past outcome data from a CSV file exported by another survey tool.

Staff upload a file, say which column answers which question, look at a preview that lists every
problem by line and column, and import the whole file or nothing. Between the steps the file is
kept in a private folder under the instance folder, named by a random token that belongs to the
person who uploaded it, and removed after the import or a day later.

Imported rows become ordinary responses with the channel "imported", so the form's results and
the measurements built on it include them.
"""

import csv
import hashlib
import io
import json
import os
import re
import secrets
import time as clock
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from app.accounts.models import User
from app.evaluation.models import OutcomeImport
from app.extensions import db
from app.records import library_today, utcnow
from app.surveys.answer_fields import date_limits, parse_number
from app.surveys.answer_forms import LONG_TEXT_MAX, SHORT_TEXT_MAX
from app.surveys.models import (
    Answer,
    Channel,
    Question,
    QuestionKind,
    ReviewStatus,
    Survey,
    SurveyResponse,
)
from app.surveys.responding import (
    ONE_OPTION_KINDS,
    answer_values,
    answers_digest,
    question_rules,
)

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
PREVIEW_ROWS = 20
KEEP_SECONDS = 24 * 60 * 60
#: What a column maps to when it holds the date of each response.
DATE_TARGET = "date"
#: A key of OutcomeImport.mapping that is no column: the SHA-256 of the file, to spot repeats.
FILE_HASH_KEY = "__file_sha256__"
#: Responses are written in batches of this many, so a large file keeps memory in bounds.
FLUSH_EVERY = 500
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
#: 2025-03-14, 2025-03-14 10:31, 2025-03-14T10:31:05; and 14/03/2025 (day first), with a time.
ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?$")
DAY_FIRST = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}( \d{1,2}:\d{2})?$")
#: Column names that say "when this response was given".
DATE_COLUMN_NAMES = {"date", "submitted", "submitted at", "submission date", "timestamp",
                     "response date", "completed", "fecha", "start date", "end date"}
TEXT_LIMITS = {QuestionKind.SHORT_TEXT: SHORT_TEXT_MAX, QuestionKind.LONG_TEXT: LONG_TEXT_MAX}


class ImportRefused(Exception):
    """The file or the mapping cannot be imported; the message says why in plain words."""


class UploadNotFound(Exception):
    """No upload of this person and form goes by that token (or it is more than a day old)."""


class CellProblem(Exception):
    """One cell cannot be read as an answer to its question."""


@dataclass
class Upload:
    """A file kept between the steps, with what we learned about it and the chosen mapping."""

    token: str
    survey_id: int
    user_id: int
    filename: str
    source_tool: str
    encoding: str
    sha256: str
    #: Column name to DATE_TARGET or a question id (as text); empty until staff choose.
    mapping: dict[str, str] = field(default_factory=dict)

    @property
    def was_cp1252(self) -> bool:
        return self.encoding == "cp1252"


@dataclass
class Table:
    columns: list[str]
    #: (line number in the file, cells) for each data row; the header is line 1.
    rows: list[tuple[int, list[str]]]

    def examples(self, index: int, count: int = 3) -> list[str]:
        """Return the first few non-blank values of column `index`."""
        values = (cells[index].strip() for _, cells in self.rows if index < len(cells))
        return [value for value in values if value][:count]


@dataclass
class Problem:
    line: int
    column: str
    message: str


@dataclass
class ReadRow:
    line: int
    answers: dict[int, Any]
    shown: dict[int, str]
    submitted_at: datetime | None


@dataclass
class Check:
    """The whole file read against the mapping: rows ready to store, rows left out, problems."""

    questions: list[Question]
    ready: list[ReadRow]
    skipped: int
    problems: list[Problem]
    has_date: bool

    @property
    def preview(self) -> list[ReadRow]:
        return self.ready[:PREVIEW_ROWS]

    @property
    def lines_to_fix(self) -> list[int]:
        return sorted({problem.line for problem in self.problems})

    @property
    def lines_to_fix_text(self) -> str:
        """Return the lines to fix as short ranges: "4, 7–9, 12"."""
        ranges: list[list[int]] = []
        for line in self.lines_to_fix:
            if ranges and ranges[-1][1] == line - 1:
                ranges[-1][1] = line
            else:
                ranges.append([line, line])
        return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in ranges)

    @property
    def fine_count(self) -> int:
        bad = set(self.lines_to_fix)
        return sum(1 for row in self.ready if row.line not in bad)


# The kept file ---------------------------------------------------------------------------------

def upload_folder() -> Path:
    """Return the private folder for uploads, creating it readable by this process only."""
    folder = Path(current_app.config.get("OUTCOME_IMPORT_FOLDER")
                  or Path(current_app.instance_path) / "outcome_imports")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def keep_upload(survey: Survey, person: User, *, filename: str, content: bytes,
                source_tool: str = "") -> Upload:
    """Check an uploaded file and keep it for the next steps; raise ImportRefused if unusable."""
    if len(content) > MAX_BYTES:
        raise ImportRefused("The file is larger than 5 MB. Split it into smaller files and "
                            "import each one.")
    text, encoding = decode(content)
    parse_table(text)
    remove_old_uploads()
    upload = Upload(token=secrets.token_urlsafe(24), survey_id=survey.id, user_id=person.id,
                    filename=Path(filename or "upload.csv").name[:255],
                    source_tool=source_tool.strip()[:120], encoding=encoding,
                    sha256=hashlib.sha256(content).hexdigest())
    _write_private(_path(upload.token, ".csv"), text.encode("utf-8"))
    save_upload(upload)
    return upload


def load_upload(token: str, survey: Survey, person: User) -> Upload:
    """Return the kept upload named by `token`, if `person` made it for `survey`."""
    meta_path = _path(token, ".json") if TOKEN.match(token or "") else None
    if meta_path is None or not meta_path.exists():
        raise UploadNotFound(token)
    if clock.time() - meta_path.stat().st_mtime > KEEP_SECONDS:
        discard_upload(token)
        raise UploadNotFound(token)
    upload = Upload(**json.loads(meta_path.read_text()))
    if upload.user_id != person.id or upload.survey_id != survey.id:
        raise UploadNotFound(token)
    return upload


def save_upload(upload: Upload) -> None:
    """Write what we know of an upload next to its file."""
    _write_private(_path(upload.token, ".json"), json.dumps(upload.__dict__).encode())


def read_table(upload: Upload) -> Table:
    """Return the columns and rows of a kept upload."""
    return parse_table(_path(upload.token, ".csv").read_text("utf-8"))


def discard_upload(token: str) -> None:
    """Remove a kept upload's files."""
    for suffix in (".csv", ".json", ".tmp"):
        _path(token, suffix).unlink(missing_ok=True)


def remove_old_uploads() -> int:
    """Remove kept files more than a day old; return how many went."""
    cutoff, removed = clock.time() - KEEP_SECONDS, 0
    for path in upload_folder().iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _path(token: str, suffix: str) -> Path:
    return upload_folder() / f"{token}{suffix}"


def _write_private(path: Path, content: bytes) -> None:
    scratch = path.with_suffix(".tmp")
    scratch.unlink(missing_ok=True)
    descriptor = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)
    os.replace(scratch, path)


# Reading the file --------------------------------------------------------------------------------

def decode(content: bytes) -> tuple[str, str]:
    """Return the file's text and its encoding: UTF-8 (with or without BOM), else Windows-1252."""
    if not content.strip():
        raise ImportRefused("The file is empty. Export it again from the old tool and upload it.")
    try:
        return content.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace"), "cp1252"


def parse_table(text: str) -> Table:
    """Return the header and rows of CSV text, comma or semicolon separated."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows, last_line = [], 0
    try:
        for cells in reader:
            rows.append((last_line + 1, cells))
            last_line = reader.line_num
            if len(rows) > MAX_ROWS + 1:
                raise ImportRefused("The file has more than 50,000 rows. Split it into smaller "
                                    "files and import each one.")
    except csv.Error as error:
        raise ImportRefused(f"Line {last_line + 1} could not be read as CSV ({error}). Check "
                            "that the file is a CSV export.") from None
    if not rows:
        raise ImportRefused("The file is empty. Export it again from the old tool and upload it.")
    columns = _column_names(rows[0][1])
    data = [(number, cells) for number, cells in rows[1:] if cells]
    if not any(cell.strip() for _, cells in data for cell in cells):
        raise ImportRefused("The file has a header row but no responses under it.")
    return Table(columns=columns, rows=data)


def _delimiter(text: str) -> str:
    # The sniffer slows down sharply on long samples; a few dozen lines are enough.
    sample = "\n".join(text[:16 * 1024].splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;").delimiter
    except csv.Error:
        first_line = sample.split("\n", 1)[0]
        return ";" if first_line.count(";") > first_line.count(",") else ","


def _column_names(header: list[str]) -> list[str]:
    names = [cell.strip() for cell in header]
    filled = [name for name in names if name]
    if not filled:
        raise ImportRefused("The first line is empty. The file needs a header row that names "
                            "each column.")
    if all(_looks_like_data(name) for name in filled):
        raise ImportRefused("The first line holds answers, not column names. The file needs a "
                            "header row that names each column.")
    repeated = sorted({name for name in filled if filled.count(name) > 1})
    if repeated:
        raise ImportRefused(f"Two columns are both called “{repeated[0]}”. Rename one in the "
                            "header row and upload the file again.")
    return [name or f"Column {index + 1}" for index, name in enumerate(names)]


def _looks_like_data(text: str) -> bool:
    try:
        parse_number(text)
        return True
    except ValueError:
        return read_moment(text) is not None


def read_moment(text: str) -> datetime | None:
    """Return the date (at midnight) or date and time in `text`, or None if it is neither."""
    text = text.strip()
    try:
        if ISO_MOMENT.match(text):
            return datetime.fromisoformat(text)
        if DAY_FIRST.match(text):
            return datetime.strptime(text, "%d/%m/%Y %H:%M" if ":" in text else "%d/%m/%Y")
    except ValueError:
        pass
    return None


# Mapping ---------------------------------------------------------------------------------------

def mapping_choices(survey: Survey) -> list[tuple[str, str]]:
    """Return what a column may map to: nothing, the date, or one of the form's questions."""
    return [("", "Leave out"), (DATE_TARGET, "Date of the response")] + [
        (str(question.id), question.text("prompt") or f"Question {question.position + 1}")
        for question in _importable(survey)]


def guess_mapping(columns: list[str], survey: Survey) -> dict[str, str]:
    """Return a likely mapping, matching column names with question texts in any language."""
    guesses: dict[str, str] = {}
    taken: set[str] = set()
    for column in columns:
        target = _guess(column, survey, taken)
        if target:
            guesses[column] = target
            taken.add(target)
    return guesses


def _guess(column: str, survey: Survey, taken: set[str]) -> str:
    name = _plain(column)
    if name in DATE_COLUMN_NAMES and DATE_TARGET not in taken:
        return DATE_TARGET
    best, best_score = "", 0.85
    for question in _importable(survey):
        for language in _languages(survey):
            prompt = _plain(question.text("prompt", language))
            score = SequenceMatcher(None, name, prompt).ratio() if prompt else 0
            if score > best_score and str(question.id) not in taken:
                best, best_score = str(question.id), score
    return best


def set_mapping(upload: Upload, mapping: dict[str, str], survey: Survey) -> None:
    """Keep the chosen mapping; refuse two columns for one question or nothing to import."""
    chosen = {column: target for column, target in mapping.items() if target}
    targets = dict(mapping_choices(survey))
    for column, target in chosen.items():
        others = [other for other, same in chosen.items() if same == target and other != column]
        if others:
            raise ImportRefused(f"The columns “{column}” and “{others[0]}” both go to "
                                f"“{targets[target]}”. Choose one and leave the other out.")
    if not set(chosen.values()) - {DATE_TARGET}:
        raise ImportRefused("Choose at least one column that answers a question.")
    upload.mapping = chosen
    save_upload(upload)


def _importable(survey: Survey) -> list[Question]:
    return survey.active_questions


def _languages(survey: Survey) -> list[str]:
    return list(dict.fromkeys([survey.default_language, *(survey.languages or [])]))


def _plain(text: str) -> str:
    """Return `text` lower-cased, without punctuation, with single spaces."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


# Checking every row ------------------------------------------------------------------------------

def check_upload(upload: Upload, survey: Survey) -> Check:
    """Read every row of the kept file as it would be stored, and list every problem."""
    table = read_table(upload)
    questions = {str(question.id): question for question in _importable(survey)}
    wanted = set(questions) | {DATE_TARGET}
    targets = [(index, column, questions.get(upload.mapping[column]))
               for index, column in enumerate(table.columns)
               if upload.mapping.get(column) in wanted]
    readers: dict = {question.id: _cell_reader(question, survey)
                     for question in questions.values()}
    readers[DATE_TARGET] = MomentReader()
    ready, skipped, problems = [], 0, []
    for line, cells in table.rows:
        if len(cells) > len(table.columns):
            problems.append(Problem(line, "", f"This line has {len(cells)} cells but the header "
                                              f"names {len(table.columns)} columns."))
        row = _read_row(line, cells, targets, readers, problems)
        if row is None:
            skipped += 1
        else:
            ready.append(row)
    mapped = [question for _, _, question in targets if question is not None]
    return Check(questions=mapped, ready=ready, skipped=skipped, problems=problems,
                 has_date=any(question is None for _, _, question in targets))


def _read_row(line: int, cells: list[str], targets: list, readers: dict,
              problems: list[Problem]) -> ReadRow | None:
    row = ReadRow(line=line, answers={}, shown={}, submitted_at=None)
    filled = False
    for index, column, question in targets:
        text = cells[index].strip() if index < len(cells) else ""
        if not text:
            continue
        filled = filled or question is not None
        try:
            if question is None:
                row.submitted_at = readers[DATE_TARGET](text)
            else:
                row.answers[question.id], row.shown[question.id] = readers[question.id](text)
        except CellProblem as problem:
            problems.append(Problem(line, column, str(problem)))
    return row if filled else None


class MomentReader:
    """Reads when a response was given: its time if the cell has one, else noon that day, in
    the library's time zone; never after today."""

    def __init__(self):
        self.zone = ZoneInfo(current_app.config["TIMEZONE"])
        self.first, self.today = date_limits()[0], library_today()

    def __call__(self, text: str) -> datetime:
        moment = read_moment(text)
        if moment is None:
            raise CellProblem(f"“{text}” is not a date we can read. Write dates like "
                              "2025-03-14, 14/03/2025 (day first) or 2025-03-14 10:31.")
        if moment.date() > self.today:
            raise CellProblem(f"{moment.date().isoformat()} is after today.")
        if moment.date() < self.first:
            raise CellProblem(f"{moment.date().isoformat()} is too long ago to be meant.")
        if ":" not in text:
            moment = datetime.combine(moment.date(), time(12))
        return moment.replace(tzinfo=self.zone).astimezone(UTC)


def _cell_reader(question: Question, survey: Survey):
    """Return a function that reads one cell as (stored value, what the preview shows)."""
    kind = question.kind
    if kind in TEXT_LIMITS:
        return lambda text: _text(text, TEXT_LIMITS[kind])
    if kind == QuestionKind.RATING:
        return _rating
    if kind == QuestionKind.NUMBER:
        return lambda text: _number(text, question.min_value, question.max_value)
    if kind == QuestionKind.DATE:
        return _date
    options = OptionMatcher(question, survey)
    if kind in ONE_OPTION_KINDS:
        return options.one
    if kind == QuestionKind.MULTI_CHOICE:
        return options.several
    return options.ranked


def _text(text: str, limit: int) -> tuple[str, str]:
    if len(text) > limit:
        raise CellProblem(f"The answer is {len(text):,} characters long; this question takes "
                          f"{limit:,} at most.")
    return text, text


def _rating(text: str) -> tuple[int, str]:
    value = _number(text, 1, 5)[0]
    if not value.is_integer():
        raise CellProblem(f"“{text}” is not a rating: use a whole number from 1 to 5.")
    return int(value), str(int(value))


def _number(text: str, low: float | None, high: float | None) -> tuple[float, str]:
    try:
        value = parse_number(text)
    except ValueError:
        raise CellProblem(f"“{text}” is not a number.") from None
    if (low is not None and value < low) or (high is not None and value > high):
        limits = " and ".join(part for part in (
            f"at least {low:g}" if low is not None else "",
            f"at most {high:g}" if high is not None else "") if part)
        raise CellProblem(f"{value:g} is out of range: this question takes {limits}.")
    return value, f"{value:g}"


def _date(text: str) -> tuple[date, str]:
    moment = read_moment(text)
    first, last = date_limits()
    if moment is None or not first <= moment.date() <= last:
        raise CellProblem(f"“{text}” is not a date we can read. Write dates like 2025-03-14 "
                          "or 14/03/2025 (day first).")
    return moment.date(), moment.date().isoformat()


class OptionMatcher:
    """Finds a question's option by its text in any of the form's languages, ignoring case.

    On a five-point scale (strongly agree to strongly disagree) 1 to 5 also stand for the
    options in the order the form lists them, as the old tools exported them.
    """

    def __init__(self, question: Question, survey: Survey):
        self.options = question.active_options
        self.by_text = {_casefold(option.text(language)): option
                        for option in self.options for language in _languages(survey)
                        if option.text(language)}
        self.is_scale = question.kind == QuestionKind.SINGLE_CHOICE and len(self.options) == 5

    def find(self, text: str):
        option = self.by_text.get(_casefold(text))
        if option is None and self.is_scale and text.strip() in {"1", "2", "3", "4", "5"}:
            option = self.options[int(text) - 1]
        if option is None:
            names = ", ".join(option.text() for option in self.options[:8])
            more = ", …" if len(self.options) > 8 else ""
            raise CellProblem(f"“{text}” is not one of the answers ({names}{more}).")
        return option

    def one(self, text: str) -> tuple[int, str]:
        option = self.find(text)
        return option.id, option.text()

    def several(self, text: str) -> tuple[list[int], str]:
        chosen = {option.id: option for option in map(self.find, _parts(text))}
        return sorted(chosen), "; ".join(option.text() for option in chosen.values())

    def ranked(self, text: str) -> tuple[dict[int, int], str]:
        order = [self.find(part) for part in _parts(text)]
        if len({option.id for option in order}) < len(order):
            raise CellProblem("The same answer is ranked twice.")
        ranks = {option.id: rank for rank, option in enumerate(order, 1)}
        return ranks, "; ".join(f"{rank}. {option.text()}" for rank, option in
                                enumerate(order, 1))


def _parts(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _casefold(text: str) -> str:
    return " ".join(text.casefold().split())


# Importing and removing --------------------------------------------------------------------------

def earlier_imports(upload: Upload, survey: Survey) -> list[OutcomeImport]:
    """Return imports of `survey` that look like this same file imported before."""
    return [record for record in imports_of(survey)
            if record.mapping.get(FILE_HASH_KEY) == upload.sha256]


def imports_of(survey: Survey) -> list[OutcomeImport]:
    """Return the past imports of a form, newest first."""
    return list(db.session.scalars(
        sa.select(OutcomeImport).where(OutcomeImport.survey_id == survey.id)
        .order_by(OutcomeImport.imported_at.desc(), OutcomeImport.id.desc())))


def import_upload(upload: Upload, survey: Survey, person: User, *,
                  allow_repeat: bool = False) -> tuple[OutcomeImport, int]:
    """Store every row of the file as a response, or raise ImportRefused. The caller commits.

    Return the import and how many rows without answers were left out.
    """
    check = check_upload(upload, survey)
    if check.problems:
        raise ImportRefused(f"Nothing was imported: {len(check.problems):,} problems remain "
                            f"on {len(check.lines_to_fix):,} lines. Fix them in the file and "
                            "upload it again.")
    if not check.ready:
        raise ImportRefused("Nothing to import: no row has an answer in the chosen columns.")
    if earlier_imports(upload, survey) and not allow_repeat:
        raise ImportRefused("This file was imported into this form before. Tick “Import it "
                            "again” if you mean to store its responses twice.")
    record = OutcomeImport(
        survey=survey, filename=upload.filename, source_tool=upload.source_tool,
        row_count=len(check.ready), imported_by=person,
        mapping={**{column: int(target) if target.isdigit() else target
                    for column, target in upload.mapping.items()},
                 FILE_HASH_KEY: upload.sha256})
    db.session.add(record)
    db.session.flush()
    imported_at = utcnow()
    for start in range(0, len(check.ready), FLUSH_EVERY):
        _store(record, survey, check.ready[start:start + FLUSH_EVERY], imported_at)
    return record, check.skipped


def _store(record: OutcomeImport, survey: Survey, rows: list[ReadRow],
           imported_at: datetime) -> None:
    # Bulk inserts: one statement per table and batch, where the ORM would send one per row.
    db.session.execute(sa.insert(SurveyResponse.__table__),
                       [response_row(record, survey, row, imported_at) for row in rows])
    ids = {submission_id: response_id for submission_id, response_id in db.session.execute(
        sa.select(SurveyResponse.submission_id, SurveyResponse.id).where(
            SurveyResponse.submission_id.in_([_submission_id(record, row) for row in rows])))}
    rules = question_rules(survey)
    answers = [dict(values, response_id=ids[_submission_id(record, row)])
               for row in rows for values in answer_values(rules, row.answers)]
    if answers:
        db.session.execute(sa.insert(Answer.__table__), answers)


def response_row(record: OutcomeImport, survey: Survey, row: ReadRow,
                 imported_at: datetime) -> dict[str, Any]:
    """Return the response one row of the file becomes, traceable to its line."""
    return {"survey_id": survey.id, "submission_id": _submission_id(record, row),
            "answers_digest": answers_digest(row.answers), "channel": Channel.IMPORTED.value,
            "language": survey.default_language,
            "submitted_at": row.submitted_at or imported_at,
            "review_status": ReviewStatus.REVIEWED.value}


def _submission_id(record: OutcomeImport, row: ReadRow) -> str:
    return f"import:{record.id}:{row.line}"


def remove_import(record: OutcomeImport) -> int:
    """Remove an import and the responses it brought; return how many responses went."""
    of_import = sa.and_(SurveyResponse.survey_id == record.survey_id,
                        SurveyResponse.channel == Channel.IMPORTED,
                        SurveyResponse.submission_id.like(f"import:{record.id}:%"))
    response_ids = sa.select(SurveyResponse.id).where(of_import)
    db.session.execute(sa.delete(Answer).where(Answer.response_id.in_(response_ids)))
    removed = db.session.execute(sa.delete(SurveyResponse).where(of_import)).rowcount
    db.session.delete(record)
    db.session.flush()
    return removed
