"""What the public form pages keep between requests, so that a busy form answers quickly.

Every public request needs one row of its form (`PublicForm`: id, status, languages and the
time it last changed). A process reads that row at most once a second per form
(`FORM_ROW_SECONDS`) and answers from the row it read in between; a change saved in the same
process is seen at once, one saved by another worker or host within that second. Storing answers
never trusts the kept row: the response is written only if the form is open as it is written.
Everything built from the questions is kept per process, keyed by the time the form last
changed: the answer form class with the rules its answers are stored by, and the blank page in
each language, rendered once with a placeholder where each visitor's submission id goes
(issue 8, P1). An edit to the form, its questions or their options moves the form's
`updated_at` (see `touch_changed_forms`), so the next request builds afresh; on several hosts
each process sees the new time in the database. The date is part of every key too, because
date questions offer dates relative to the library's today.
"""

import functools
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session, selectinload
from werkzeug.exceptions import NotFound

from app.extensions import db
from app.records import library_today, utcnow
from app.surveys.answer_forms import AnswerForm, build_answer_form
from app.surveys.answer_reading import AnswerReader
from app.surveys.models import Question, QuestionOption, Survey, SurveyStatus
from app.surveys.responding import QuestionRule, question_rules

#: Forms, languages and pages kept per process; the oldest used goes first.
KEPT_ENTRIES = 256
#: How long a process answers public pages from the form row it last read, in seconds.
FORM_ROW_SECONDS = 1.0
#: Stands in a kept page where each visitor's own submission id goes. Random per process, so
#: no text a form's author types can contain it.
SUBMISSION_ID_PLACEHOLDER = secrets.token_urlsafe(24)

T = TypeVar("T")


@dataclass(frozen=True)
class PublicForm:
    """A form as every public request first reads it: one row, no questions."""

    id: int
    token: str
    status: str
    default_language: str
    languages: tuple[str, ...]
    updated_at: datetime

    COLUMNS = (Survey.id, Survey.token, Survey.status, Survey.default_language,
               Survey.languages, Survey.updated_at)

    @classmethod
    def of(cls, survey: Survey | sa.Row) -> "PublicForm":
        """Return the form as read from a loaded Survey or from a row of COLUMNS."""
        return cls(survey.id, survey.token, survey.status, survey.default_language,
                   tuple(survey.languages or ()), survey.updated_at)

    @property
    def is_open(self) -> bool:
        return self.status == SurveyStatus.OPEN

    def offers(self, language: str | None) -> bool:
        return language in (self.languages or (self.default_language,))

    def version(self) -> tuple[Hashable, ...]:
        """What a kept thing built from this form depends on: the form as it is, and today."""
        return self.id, self.updated_at, library_today()


def public_form_or_404(token: str) -> PublicForm:
    """Return the form behind a public link; drafts and unknown tokens are not found.

    This runs on every public request: the row is read again once it is FORM_ROW_SECONDS
    old, or at once after this process saved a change to any form (`forget_form_rows`).
    Drafts and unknown tokens are never kept, so a form opens the moment it is published."""
    rows = _form_rows()
    kept_row = rows.get(token)
    now = time.monotonic()
    if kept_row is not None and now - kept_row[1] < FORM_ROW_SECONDS:
        return kept_row[0]
    row = db.session.execute(_form_by_token(), {"token": token}).one_or_none()
    if row is None or row.status == SurveyStatus.DRAFT:
        rows.pop(token, None)
        raise NotFound()
    form = PublicForm.of(row)
    if len(rows) >= KEPT_ENTRIES:
        rows.clear()
    rows[token] = (form, now)
    return form


def _form_rows() -> dict[str, tuple[PublicForm, float]]:
    """This app's form rows by token, with the monotonic time each was read."""
    return current_app.extensions.setdefault("groundwork_form_rows", {})


def forget_form_rows() -> None:
    """Make this process read every form row afresh on its next public request."""
    if has_app_context():
        _form_rows().clear()


@functools.cache
def _form_by_token() -> sa.Select:
    return sa.select(*PublicForm.COLUMNS).where(Survey.token == sa.bindparam("token"))


def full_survey(form: PublicForm) -> Survey:
    """Load the form with its questions and their options (three queries)."""
    return db.session.scalar(
        sa.select(Survey).where(Survey.id == form.id).options(
            selectinload(Survey.questions).selectinload(Question.options)))


class Kept:
    """A small thread-safe store of built things, the least recently used dropped first."""

    def __init__(self, size: int = KEPT_ENTRIES):
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()  # built outside the lock; two requests may build the same thing once
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def peek(self, key: Hashable) -> Any | None:
        """Return what is kept under `key`, or None; build nothing."""
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def kept() -> Kept:
    """Return this app's store (each app its own: tests build many apps in one process)."""
    return current_app.extensions.setdefault("groundwork_form_cache", Kept())


@dataclass(frozen=True)
class AnswerFormVersion:
    """The answer form of one form version in one language, and how its answers are stored."""

    form_class: type[AnswerForm]
    rules: dict[int, QuestionRule]
    #: Reads sent pages that need no message without building the form (answer_reading.py).
    reader: AnswerReader


def answer_form_version(form: PublicForm, language: str) -> AnswerFormVersion:
    """Return the kept answer form of `form` in `language`, building it on first use."""

    def build() -> AnswerFormVersion:
        survey = full_survey(form)
        form_class = build_answer_form(survey, language)
        return AnswerFormVersion(form_class, question_rules(survey),
                                 AnswerReader(survey, form_class))

    return kept().get(("answer-form", *form.version(), language), build)


def kept_page(form: PublicForm, key: tuple[Hashable, ...], render: Callable[[], str]) -> str:
    """Return a page of `form` rendered once per form version under `key`."""
    return kept().get(_page_key(form, key), render)


def built_page(form: PublicForm, key: tuple[Hashable, ...]) -> str | None:
    """Return the page `kept_page` keeps under `key`, or None when it is not built yet."""
    return kept().peek(_page_key(form, key))


def _page_key(form: PublicForm, key: tuple[Hashable, ...]) -> tuple[Hashable, ...]:
    return ("page", *form.version(), *key)


def with_new_submission_id(page: str) -> str:
    """Return a kept blank form page with a fresh submission id of its own."""
    return page.replace(SUBMISSION_ID_PLACEHOLDER, secrets.token_urlsafe(24))


#: Set in a session's info when a flush wrote a form; its commit then forgets the kept rows.
FORMS_CHANGED = "groundwork_forms_changed"


@event.listens_for(Session, "before_flush")
def touch_changed_forms(session: Session, _context, _instances) -> None:
    """Move `updated_at` of every form whose questions or options change in this flush, so the
    public pages stop using what they built from the old ones; and note that forms changed,
    so the commit makes this process read their rows again."""
    survey_ids: set[int] = set()
    changed = [record for record in (*session.new, *session.dirty, *session.deleted)
               if isinstance(record, Survey | Question | QuestionOption)
               and (record not in session.dirty or session.is_modified(record))]
    if changed:
        session.info[FORMS_CHANGED] = True
    with session.no_autoflush:
        for record in changed:
            if isinstance(record, Survey):
                continue
            survey_id = _survey_id_of(session, record)
            if survey_id is not None:
                survey_ids.add(survey_id)
        for survey_id in survey_ids:
            survey = session.get(Survey, survey_id)
            if survey is not None and survey not in session.deleted:
                survey.updated_at = utcnow()


@event.listens_for(Session, "after_commit")
def forget_rows_of_changed_forms(session: Session) -> None:
    # A flush later rolled back leaves the mark: the next commit then forgets once too often,
    # which costs one read.
    if session.info.pop(FORMS_CHANGED, False):
        forget_form_rows()


def _survey_id_of(session: Session, record: Question | QuestionOption) -> int | None:
    if isinstance(record, QuestionOption):
        question = record.question
        if question is None and record.question_id is not None:
            question = session.get(Question, record.question_id)
        if question is None:
            return None
        record = question
    if record.survey is not None:
        return record.survey.id
    return record.survey_id
