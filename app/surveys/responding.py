"""Storing what respondents send: one anonymous response per submission, and, apart from it,
a consent record when someone agrees to be contacted.

Answers reach `record_response()` normalised, keyed by question id:
short and long text `str`; single choice, yes/no, age band and area an option id (`int`);
multiple choice a sorted `list[int]` of option ids; rating an `int` 1 to 5; number a `float`;
date a `date`; ranking a `dict[int, int]` of option id to rank (1 = most important).
"""

import calendar
import functools
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from sqlalchemy.dialects import postgresql, sqlite

from app.accounts.models import Branch, User
from app.database import Precompiled
from app.extensions import db
from app.privacy.models import ConsentMethod, ConsentPurpose, ConsentRecord, ContactChannel
from app.records import library_day_start, library_today, utcnow
from app.surveys.models import (
    Answer,
    Channel,
    KioskLink,
    QuestionKind,
    ReviewStatus,
    Survey,
    SurveyPurpose,
    SurveyResponse,
    SurveyStatus,
)

#: Kinds answered with exactly one option.
ONE_OPTION_KINDS = {QuestionKind.SINGLE_CHOICE, QuestionKind.YES_NO, QuestionKind.AGE_BAND,
                    QuestionKind.AREA}
TEXT_KINDS = {QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT}
#: Digits of a phone number, once spaces, dots, dashes and brackets are taken out.
PHONE_DIGITS = re.compile(r"^\+?\d{7,15}$")


class SurveyClosed(Exception):
    """The form is not accepting responses on this channel right now."""


class DuplicateSubmission(Exception):
    """The same page was sent twice with the same answers: the first response stands."""

    def __init__(self, response_id: int):
        super().__init__(response_id)
        self.response_id = response_id

    @property
    def response(self) -> SurveyResponse:
        return db.session.get(SurveyResponse, self.response_id)


class ConflictingSubmission(Exception):
    """A response with this submission id exists with different answers."""


class InvalidContact(Exception):
    """The phone number or email address cannot be used to reach anyone."""


def answers_digest(answers: dict[int, Any]) -> str:
    """Return a SHA-256 hex digest of normalised answers, the same for the same answers."""
    plain = {str(question_id): _plain(value) for question_id, value in answers.items()}
    encoded = json.dumps(plain, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()


def accepts_responses(survey: Survey, channel: str) -> bool:
    """Return whether `survey` takes responses on `channel` now.

    Paper sheets filled in while the form was open are often typed in after it closed.
    """
    if channel == Channel.PAPER:
        return survey.status != SurveyStatus.DRAFT
    return survey.is_open


@dataclass(frozen=True)
class QuestionRule:
    """What storing an answer needs to know of a question: its kind and its options."""

    kind: str
    option_ids: frozenset[int]


def question_rules(survey: Survey) -> dict[int, QuestionRule]:
    """Return, per active question id of `survey`, the rule its answers are stored by."""
    return {question.id: QuestionRule(question.kind,
                                      frozenset(option.id for option in question.options))
            for question in survey.active_questions}


def record_response(survey: Survey, answers: dict[int, Any], *, channel: str, language: str,
                    submission_id: str, branch: Branch | None = None,
                    kiosk_link: KioskLink | None = None,
                    transcribed_by: User | None = None) -> SurveyResponse:
    """Store one response with its answers, once per submission id. The caller commits."""
    if not accepts_responses(survey, channel):
        existing = _stored_digest(submission_id)
        if existing is not None:
            raise _resubmission(*existing, answers_digest(answers))
        raise SurveyClosed(survey.id)
    response_id = insert_response(
        survey.id, question_rules(survey), answers, channel=channel, language=language,
        submission_id=submission_id, branch_id=branch.id if branch else None,
        kiosk_link_id=kiosk_link.id if kiosk_link else None,
        transcribed_by_id=transcribed_by.id if transcribed_by else None)
    return db.session.get(SurveyResponse, response_id)


def insert_response(survey_id: int, rules: dict[int, QuestionRule], answers: dict[int, Any], *,
                    channel: str, language: str, submission_id: str,
                    branch_id: int | None = None, kiosk_link_id: int | None = None,
                    transcribed_by_id: int | None = None, while_open: bool = False) -> int:
    """Insert one response and its answer rows on the session's transaction; return its id.
    The caller commits.

    The same id sent twice raises DuplicateSubmission, or ConflictingSubmission when the
    answers differ; a form that is not open (with `while_open`) raises SurveyClosed.
    """
    connection = db.session.connection()
    response_id = insert_once(
        connection, connection.dialect, survey_id, rules, answers, channel=channel,
        language=language, submission_id=submission_id, branch_id=branch_id,
        kiosk_link_id=kiosk_link_id, transcribed_by_id=transcribed_by_id, while_open=while_open)
    if response_id is None:
        existing = _stored_digest(submission_id)
        if existing is not None:
            raise _resubmission(*existing, answers_digest(answers))
        raise SurveyClosed(survey_id)
    return response_id


def insert_once(connection, dialect, survey_id: int, rules: dict[int, QuestionRule],
                answers: dict[int, Any], *, channel: str, language: str, submission_id: str,
                branch_id: int | None = None, kiosk_link_id: int | None = None,
                transcribed_by_id: int | None = None, while_open: bool = False) -> int | None:
    """Insert one response and its answer rows on `connection` (a SQLAlchemy Connection, or a
    pooled driver connection of a `dialect` engine); return its id, or None when nothing was
    stored: the submission id is stored already, or with `while_open` the form is not open.

    The response goes in with one statement that stores it once per submission id (ON
    CONFLICT DO NOTHING), and with `while_open` only if the form is open at that moment; the
    answers follow in one executemany. On PostgreSQL the answers go in with the response, in
    the same statement: one round trip to the database server, and no transaction needed
    around it. No ORM objects: every public and kiosk submission takes this path (issue 8,
    P1). Raises ValueError for a question or option not on the form.
    """
    rows = answer_values(rules, answers)
    values = {"survey_id": survey_id, "submission_id": submission_id,
              "answers_digest": answers_digest(answers), "channel": channel,
              "language": language, "branch_id": branch_id, "kiosk_link_id": kiosk_link_id,
              "transcribed_by_id": transcribed_by_id, "submitted_at": utcnow(),
              "review_status": ReviewStatus.NEW.value}
    with_answers = bool(rows) and dialect.name == "postgresql"
    if with_answers:
        values.update({f"given_{key}": [row[key] for row in rows] for key in ANSWER_KEYS[1:]})
        statement = _insert_with_answers(while_open=while_open)
    else:
        statement = _insert_once(dialect.name, while_open=while_open)
    cursor = statement.execute(connection, values, dialect)
    try:
        inserted = cursor.fetchone()
    finally:
        cursor.close()
    if inserted is None:
        return None
    response_id = inserted[0]
    if rows and not with_answers:
        INSERT_ANSWERS.executemany(
            connection, [dict(row, response_id=response_id) for row in rows], dialect)
    return response_id


#: The columns insert_response() gives a response, in order.
RESPONSE_COLUMNS = ("survey_id", "submission_id", "answers_digest", "channel", "language",
                    "branch_id", "kiosk_link_id", "transcribed_by_id", "submitted_at",
                    "review_status")


#: The columns of an answer row: the response, then answer_values()' columns.
ANSWER_KEYS = ("response_id", "question_id", "option_id", "rank", "text_value", "number_value",
               "date_value")
INSERT_ANSWERS = Precompiled(sa.insert(Answer.__table__), ANSWER_KEYS)


@functools.cache
def _insert_once(dialect: str, *, while_open: bool) -> Precompiled:
    """INSERT ... SELECT :values [WHERE the form is open] ON CONFLICT (submission_id) DO NOTHING
    RETURNING id, built once per database kind (the values are bound when it runs)."""
    table = SurveyResponse.__table__
    source = sa.select(*(sa.bindparam(name, type_=table.c[name].type).label(name)
                         for name in RESPONSE_COLUMNS))
    # SQLite needs a WHERE in an INSERT ... SELECT ... ON CONFLICT, or it reads ON as a join.
    source = source.where(sa.exists().where(Survey.id == sa.bindparam("survey_id"),
                                            Survey.status == SurveyStatus.OPEN.value)
                          if while_open else sa.true())
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return Precompiled(insert(table).from_select(list(RESPONSE_COLUMNS), source)
                       .on_conflict_do_nothing(index_elements=[table.c.submission_id])
                       .returning(table.c.id))


@functools.cache
def _insert_with_answers(*, while_open: bool) -> Precompiled:
    """PostgreSQL: _insert_once's statement with the response's answers in the same one,
    WITH response AS (INSERT ... RETURNING id) INSERT INTO answers SELECT response.id, ...
    FROM response, unnest(one array of values per column), returning the response's id (no
    row when nothing was stored). psycopg's executemany cost a public send more processor
    time than everything else it stores (issue 8, P7), and each statement a round trip."""
    response = _insert_once("postgresql", while_open=while_open).statement.cte("response")
    answers = Answer.__table__
    keys = ANSWER_KEYS[1:]
    given = (sa.func.unnest(*(sa.bindparam(f"given_{key}",
                                           type_=postgresql.ARRAY(answers.c[key].type))
                              for key in keys))
             .table_valued(*keys).render_derived(name="given"))
    return Precompiled(
        sa.insert(answers)
        .from_select(list(ANSWER_KEYS), sa.select(response.c.id, *(given.c[key] for key in keys)))
        .returning(answers.c.response_id))


def normalise_contact(channel: str, value: str) -> str:
    """Return a phone number or email address ready to store, or raise InvalidContact."""
    value = " ".join(value.split())
    if channel == ContactChannel.EMAIL:
        try:
            return validate_email(value, check_deliverability=False).normalized
        except EmailNotValidError as error:
            raise InvalidContact(channel) from error
    if channel not in {ContactChannel.PHONE, ContactChannel.TEXT}:
        raise InvalidContact(channel)
    if not PHONE_DIGITS.match(re.sub(r"[\s().\-]", "", value)):
        raise InvalidContact(channel)
    return value


def record_contact_consent(survey: Survey, *, channel: str, value: str, wording: str,
                           language: str, name: str = "", branch: Branch | None = None,
                           method: str = ConsentMethod.ONLINE) -> ConsentRecord:
    """Store a person's agreement to be contacted, apart from their answers. The caller commits.

    The record names the form, never the response. It keeps the day it was given, not the
    moment: an exact time would match the response's and undo the separation.
    """
    record = ConsentRecord(
        purpose=consent_purpose(survey), wording=wording, language=language, method=method,
        name=" ".join(name.split())[:120], channel=channel,
        contact_value=normalise_contact(channel, value), survey_id=survey.id,
        branch_id=branch.id if branch else None, given_at=library_day_start(library_today()),
        expires_on=add_months(library_today(), survey.consent_months))
    db.session.add(record)
    db.session.flush()
    return record


def consent_purpose(survey: Survey) -> str:
    """Return what a contact left on `survey` may be used for."""
    if survey.purpose == SurveyPurpose.OUTCOME_IMMEDIATE:
        return ConsentPurpose.OUTCOME_FOLLOW_UP
    return ConsentPurpose.FORM_FOLLOW_UP


def add_months(day: date, months: int) -> date:
    """Return the same day `months` later, or the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def sheets_typed_today(survey: Survey, person: User) -> int:
    """Return how many paper sheets of `survey` `person` has typed in today."""
    return db.session.scalar(
        sa.select(sa.func.count(SurveyResponse.id)).where(
            SurveyResponse.survey_id == survey.id, SurveyResponse.transcribed_by_id == person.id,
            SurveyResponse.channel == Channel.PAPER,
            SurveyResponse.submitted_at >= library_day_start(library_today())))


#: The id and answers digest of the response stored under a submission id.
STORED_DIGEST = Precompiled(sa.select(SurveyResponse.id, SurveyResponse.answers_digest).where(
    SurveyResponse.submission_id == sa.bindparam("submission_id")))


def sent_before(connection, dialect, submission_id: str, answers: dict[int, Any]) -> bool:
    """Return whether the response stored under `submission_id` has these same answers (the
    same page sent twice), on a pooled driver connection of a `dialect` engine."""
    stored = _stored_digest(submission_id, connection, dialect)
    return stored is not None and stored[1] == answers_digest(answers)


def _stored_digest(submission_id: str, connection=None, dialect=None) -> tuple[int, str] | None:
    """Return the id and answers digest of the response stored with `submission_id`, on
    `connection` or the session's."""
    connection = connection if connection is not None else db.session.connection()
    cursor = STORED_DIGEST.execute(connection, {"submission_id": submission_id}, dialect)
    try:
        stored = cursor.fetchone()
    finally:
        cursor.close()
    return None if stored is None else (stored[0], stored[1])


def _resubmission(response_id: int, stored_digest: str, digest: str) -> Exception:
    if stored_digest == digest:
        return DuplicateSubmission(response_id)
    return ConflictingSubmission(response_id)


def answer_values(rules: dict[int, QuestionRule], answers: dict[int, Any]) -> list[dict]:
    """Return the answer rows (column values, without response_id) of normalised `answers`.

    Raises ValueError for a question or option that is not on the form.
    """
    rows = []
    for question_id, value in answers.items():
        rule = rules.get(question_id)
        if rule is None:
            raise ValueError(f"Question {question_id} is not an active question of this form.")
        rows.extend(dict(ANSWER_COLUMNS, question_id=question_id, **columns)
                    for columns in _values_for(question_id, rule, value))
    return rows


#: Every answer row names all its columns, so one executemany sends them together.
ANSWER_COLUMNS = {"option_id": None, "rank": None, "text_value": None, "number_value": None,
                  "date_value": None}


def _values_for(question_id: int, rule: QuestionRule, value: Any) -> list[dict]:
    kind = rule.kind
    if kind in TEXT_KINDS:
        return [{"text_value": value}]
    if kind in (QuestionKind.RATING, QuestionKind.NUMBER):
        return [{"number_value": float(value)}]
    if kind == QuestionKind.DATE:
        return [{"date_value": value}]
    chosen = {value: None} if kind in ONE_OPTION_KINDS else (
        dict(value) if kind == QuestionKind.RANKING else dict.fromkeys(value))
    if not set(chosen) <= rule.option_ids:
        raise ValueError(f"Not an option of question {question_id}: {sorted(chosen)}")
    return [{"option_id": option_id, "rank": rank}
            for option_id, rank in sorted(chosen.items(), key=lambda item: (item[1] or 0, item[0]))]


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return sorted([int(key), int(rank)] for key, rank in value.items())
    if isinstance(value, list | tuple | set):
        return sorted(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
