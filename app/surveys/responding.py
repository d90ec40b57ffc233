"""Storing what respondents send: one anonymous response per submission, and, apart from it,
a consent record when someone agrees to be contacted.

Answers reach `record_response()` normalised, keyed by question id:
short and long text `str`; single choice, yes/no, age band and area an option id (`int`);
multiple choice a sorted `list[int]` of option ids; rating an `int` 1 to 5; number a `float`;
date a `date`; ranking a `dict[int, int]` of option id to rank (1 = most important).
"""

import calendar
import hashlib
import json
import re
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy.exc import IntegrityError

from app.accounts.models import Branch, User
from app.extensions import db
from app.privacy.models import ConsentMethod, ConsentPurpose, ConsentRecord, ContactChannel
from app.records import library_today
from app.surveys.models import (
    Answer,
    Channel,
    KioskLink,
    Question,
    QuestionKind,
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

    def __init__(self, response: SurveyResponse):
        super().__init__(response.submission_id)
        self.response = response


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


def record_response(survey: Survey, answers: dict[int, Any], *, channel: str, language: str,
                    submission_id: str, branch: Branch | None = None,
                    kiosk_link: KioskLink | None = None,
                    transcribed_by: User | None = None) -> SurveyResponse:
    """Store one response with its answers, once per submission id. The caller commits."""
    digest = answers_digest(answers)
    existing = _response_with(submission_id)
    if existing is not None:
        raise _resubmission(existing, digest)
    if not accepts_responses(survey, channel):
        raise SurveyClosed(survey.id)
    response = SurveyResponse(
        survey=survey, submission_id=submission_id, answers_digest=digest, channel=channel,
        language=language, branch=branch, kiosk_link_id=kiosk_link.id if kiosk_link else None,
        transcribed_by=transcribed_by, answers=_answer_rows(survey, answers))
    try:
        with db.session.begin_nested():
            db.session.add(response)
            db.session.flush()
    except IntegrityError:
        # Two sends of one page raced past the check above; the unique id let one through.
        existing = _response_with(submission_id)
        if existing is None:
            raise
        raise _resubmission(existing, digest) from None
    return response


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
        branch_id=branch.id if branch else None, given_at=_start_of_today(),
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
            SurveyResponse.submitted_at >= _start_of_today()))


def _response_with(submission_id: str) -> SurveyResponse | None:
    return db.session.scalar(
        sa.select(SurveyResponse).where(SurveyResponse.submission_id == submission_id))


def _resubmission(existing: SurveyResponse, digest: str) -> Exception:
    if existing.answers_digest == digest:
        return DuplicateSubmission(existing)
    return ConflictingSubmission(existing.submission_id)


def _answer_rows(survey: Survey, answers: dict[int, Any]) -> list[Answer]:
    questions = {question.id: question for question in survey.active_questions}
    rows = []
    for question_id, value in answers.items():
        question = questions.get(question_id)
        if question is None:
            raise ValueError(f"Question {question_id} is not on form {survey.id}.")
        rows.extend(_rows_for(question, value))
    return rows


def _rows_for(question: Question, value: Any) -> list[Answer]:
    kind = question.kind
    if kind in TEXT_KINDS:
        return [Answer(question=question, text_value=value)]
    if kind in (QuestionKind.RATING, QuestionKind.NUMBER):
        return [Answer(question=question, number_value=float(value))]
    if kind == QuestionKind.DATE:
        return [Answer(question=question, date_value=value)]
    options = {option.id for option in question.options}
    chosen = {value: None} if kind in ONE_OPTION_KINDS else (
        dict(value) if kind == QuestionKind.RANKING else dict.fromkeys(value))
    if not set(chosen) <= options:
        raise ValueError(f"Not an option of question {question.id}: {sorted(chosen)}")
    return [Answer(question=question, option_id=option_id, rank=rank)
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


def _start_of_today() -> datetime:
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    return datetime.combine(library_today(), time(0), tzinfo=zone)
