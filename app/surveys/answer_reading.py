"""Reading a sent public form page quickly, when everything on it is in order.

A busy public form is mostly sent by people whose answers are fine. `AnswerReader` reads such a
page straight from the sent fields, without building the WTForms form, and returns the answers
exactly as `AnswerForm.answers()` would. It never judges a page wrong: whenever anything is
missing, unreadable, out of range, filled into the honeypot or the contact section, it returns
None, and the WTForms form takes the page as before, with its messages next to each field.

It is built once per form version and language, beside the answer form class
(app/surveys/form_cache.py). tests/surveys/test_answer_reading.py sends the same pages, valid
and broken, to both and checks that they agree (issue 8, P1).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from werkzeug.datastructures import MultiDict

from app.surveys.answer_fields import date_limits, parse_number
from app.surveys.answer_forms import (
    CONTACT_FIELDS,
    LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
    SUBMISSION_ID,
    AnswerForm,
    QuestionView,
)
from app.surveys.models import Question, QuestionKind, Survey
from app.surveys.responding import ONE_OPTION_KINDS


class Unsure(Exception):
    """The page needs the full form: a message to show, or a case the reader leaves to it."""


#: Reads one question's sent value: returns the normalised answer, or None for no answer.
Read = Callable[[MultiDict], Any]


@dataclass(frozen=True)
class ReadQuestion:
    view: QuestionView
    read: Read


class AnswerReader:
    """Reads the sent pages of one form version that need no message."""

    def __init__(self, survey: Survey, form_class: type[AnswerForm]):
        questions = {question.id: question for question in survey.active_questions}
        self.questions = tuple(
            ReadQuestion(view, _reader(view, questions[view.question_id]))
            for view in form_class.questions)
        self.asks_for_contact = survey.asks_for_contact

    def read(self, sent: MultiDict) -> dict[int, Any] | None:
        """Return the answers of a sent page, or None when the full form must look at it."""
        if not SUBMISSION_ID.match(sent.get("submission_id", "")):
            return None
        if (sent.get("website") or "").strip():
            return None
        if self.asks_for_contact and any(sent.get(name) for name in CONTACT_FIELDS):
            return None
        answers: dict[int, Any] = {}
        chosen: dict[str, set[int]] = {}
        try:
            for question in self.questions:
                view = question.view
                if view.show_if_name is not None and not (
                        chosen.get(view.show_if_name, set()) & set(view.show_if_option_ids)):
                    continue  # not shown: the full form lets it be, whatever was sent
                value = question.read(sent)
                chosen[view.name] = _chosen(value)
                if value is not None:
                    answers[view.question_id] = value
        except Unsure:
            return None
        return answers


def _chosen(value: Any) -> set[int]:
    if isinstance(value, dict | list):
        return set(value)  # the options ranked, or chosen
    return {value} if isinstance(value, int) else set()


def _reader(view: QuestionView, question: Question) -> Read:  # noqa: C901 - one small reader per kind
    name, required, kind = view.name, view.is_required, view.kind
    option_ids = frozenset(option.id for option in question.active_options)

    def first(sent: MultiDict) -> str | None:
        values = sent.getlist(name)
        return values[0] if values else None

    def blank() -> None:
        """A question left blank: no answer, or a message when it must be answered."""
        if required:
            raise Unsure
        return None

    if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        most = SHORT_TEXT_MAX if kind == QuestionKind.SHORT_TEXT else LONG_TEXT_MAX

        def read_text(sent):
            text = (first(sent) or "").strip()
            if not text:
                return blank()
            if len(text) > most:
                raise Unsure
            return text
        return read_text

    if kind in ONE_OPTION_KINDS or kind == QuestionKind.RATING:
        allowed = option_ids if kind != QuestionKind.RATING else frozenset(range(1, 6))

        def read_one(sent):
            raw = first(sent)
            if raw is None or not raw.strip():
                if raw:
                    raise Unsure  # spaces only: the full form says what it makes of them
                return blank()
            value = _whole_number(raw)
            if value not in allowed:
                raise Unsure
            return value
        return read_one

    if kind == QuestionKind.MULTI_CHOICE:
        def read_many(sent):
            raw = sent.getlist(name)
            if not raw:
                return blank()
            values = [_whole_number(item) for item in raw]
            if not set(values) <= option_ids:
                raise Unsure
            return sorted(set(values))
        return read_many

    if kind == QuestionKind.NUMBER:
        low, high = question.min_value, question.max_value

        def read_number(sent):
            text = (first(sent) or "").strip()
            if not text:
                return blank()
            try:
                value = parse_number(text)
            except ValueError:
                raise Unsure from None
            if (low is not None and value < low) or (high is not None and value > high):
                raise Unsure
            return value
        return read_number

    if kind == QuestionKind.DATE:
        def read_date(sent):
            raw = sent.getlist(name)
            if not raw or not raw[0].strip():
                if raw and (raw[0] or len(raw) > 1):
                    raise Unsure
                return blank()
            if len(raw) > 1:
                raise Unsure
            try:
                value = _day(raw[0])
            except ValueError:
                raise Unsure from None
            first_day, last_day = date_limits()
            if not first_day <= value <= last_day:
                raise Unsure
            return value
        return read_date

    if kind == QuestionKind.RANKING:
        options = [option.id for option in question.active_options]
        count = len(options)

        def read_ranking(sent):
            ranks = {}
            for option_id in options:
                text = (sent.get(f"{name}-{option_id}") or "").strip()
                if not text:
                    continue
                if not (text.isdecimal() and 1 <= int(text) <= count):
                    raise Unsure
                ranks[option_id] = int(text)
            if len(set(ranks.values())) != len(ranks):
                raise Unsure
            if not ranks:
                return blank()
            return ranks
        return read_ranking

    raise ValueError(f"No reader for questions of kind {kind!r}.")


def _whole_number(text: str) -> int:
    """Read an option id or a rating as the full form does (Python's int), or be unsure."""
    try:
        return int(text)
    except ValueError:
        raise Unsure from None



#: A day as a browser's date field sends it; anything else is read as the full form reads it.
ISO_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def _day(text: str) -> date:
    """Read a day as WTForms' DateField reads it ("%Y-%m-%d"), the usual shape quickly."""
    usual = ISO_DAY.fullmatch(text)
    if usual is not None:
        return date(*map(int, usual.groups()))
    return datetime.strptime(text, "%Y-%m-%d").date()  # noqa: DTZ007 - a day
