"""Translating a form: every text it shows, per language, and how much of it is translated.

A text slot is one text of the form in its default language (the title, a question's prompt, a
choice's label). Only slots with words in the default language count: there is nothing to
translate in an empty intro.
"""

import copy
from dataclasses import dataclass
from itertools import groupby

from app.extensions import db
from app.surveys.models import Question, QuestionKind, QuestionOption, Survey

#: (field, what the translator reads, whether it is a long text) for the form itself.
SURVEY_SLOTS = (
    ("title", "Title", False),
    ("intro", "Introduction", True),
    ("consent_text", "Privacy notice", True),
    ("thank_you", "Thank-you message", True),
    ("contact_purpose", "Why we would contact them", True),
)
QUESTION_SLOTS = (("prompt", "Question", False), ("help", "Help text", True))
RATING_SLOTS = (("low_label", "Label for 1 (lowest)", False),
                ("high_label", "Label for 5 (highest)", False))

Translatable = Survey | Question | QuestionOption


@dataclass(frozen=True)
class TextSlot:
    """One text of the form: where it is stored and what it says in the default language."""

    name: str
    record: Translatable
    field: str
    label: str
    reference: str
    is_long: bool
    group: str

    def value(self, language: str) -> str:
        """Return this text in `language`, or '' when it is not translated."""
        return (self.record.texts or {}).get(language, {}).get(self.field) or ""


@dataclass(frozen=True)
class Progress:
    """How many of a form's texts are translated into one language."""

    done: int
    total: int

    @property
    def is_complete(self) -> bool:
        return self.done == self.total


def write_texts(record: Translatable, language: str, values: dict[str, str]) -> None:
    """Store `values` in the record's texts for `language`; an empty value removes the text."""
    texts = copy.deepcopy(record.texts or {})
    entry = texts.get(language, {})
    for field, value in values.items():
        if value:
            entry[field] = value
        else:
            entry.pop(field, None)
    if entry:
        texts[language] = entry
    else:
        texts.pop(language, None)
    record.texts = texts  # a new dict, so the JSON column is written


def text_slots(survey: Survey) -> list[TextSlot]:
    """Return every text of the form that has words in the default language, in page order."""
    slots = [_slot(survey, field, label, is_long, name=f"survey_{field}", group="The form")
             for field, label, is_long in SURVEY_SLOTS
             if field != "contact_purpose" or survey.asks_for_contact]
    for number, question in enumerate(sorted(survey.active_questions,
                                             key=lambda q: q.position), start=1):
        group = f"Question {number}"
        fields = QUESTION_SLOTS + (RATING_SLOTS if question.kind == QuestionKind.RATING else ())
        slots += [_slot(question, field, label, is_long, name=f"question_{question.id}_{field}",
                        group=group) for field, label, is_long in fields]
        slots += [_slot(option, "label", f"Choice {place}", False,
                        name=f"option_{option.id}_label", group=group)
                  for place, option in enumerate(question.active_options, start=1)]
    return [slot for slot in slots if slot.reference]


def grouped(slots: list[TextSlot]) -> list[tuple[str, list[TextSlot]]]:
    """Return the slots grouped under their headings, keeping their order."""
    return [(group, list(members)) for group, members in groupby(slots, key=lambda s: s.group)]


def translation_progress(survey: Survey, language: str) -> Progress:
    """Return how many of the form's texts are translated into `language`."""
    slots = text_slots(survey)
    return Progress(done=sum(1 for slot in slots if slot.value(language)), total=len(slots))


def save_translations(survey: Survey, language: str, *, values: dict[str, str]) -> Progress:
    """Store the translations typed for `language`, keyed by slot name. The caller commits."""
    slots = [slot for slot in text_slots(survey) if slot.name in values]
    for _, members in groupby(slots, key=lambda slot: id(slot.record)):
        members = list(members)
        write_texts(members[0].record, language,
                    {slot.field: values[slot.name] for slot in members})
    db.session.flush()
    return translation_progress(survey, language)


def _slot(record: Translatable, field: str, label: str, is_long: bool, *, name: str,
          group: str) -> TextSlot:
    language = _default_language(record)
    reference = (record.texts or {}).get(language, {}).get(field) or ""
    return TextSlot(name=name, record=record, field=field, label=label, reference=reference,
                    is_long=is_long, group=group)


def _default_language(record: Translatable) -> str:
    if isinstance(record, Survey):
        return record.default_language
    if isinstance(record, Question):
        return record.survey.default_language
    return record.question.survey.default_language
