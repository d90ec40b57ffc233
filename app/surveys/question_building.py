"""Building a form's questions: words, choices, limits, order and show-if.

A form people have answered keeps its answers meaningful: an answered question or choice is
retired (off the form, still in the results), never deleted, and never renamed in place.
Services flush and never commit; the view that calls them owns the transaction.
"""

from dataclasses import dataclass, field

import sqlalchemy as sa

from app.extensions import db
from app.surveys.building import FIXED_KINDS, FIXED_LABELS, active_area_names
from app.surveys.models import (
    OPTION_KINDS,
    Answer,
    Question,
    QuestionKind,
    QuestionOption,
    Survey,
)
from app.surveys.translating import write_texts


class KindLocked(Exception):
    """People have answered the question, so its kind cannot change."""


class ShowIfNotEarlier(Exception):
    """A show-if condition must name an earlier question with choices, and its choices."""


class MoveBreaksShowIf(Exception):
    """The move would put a question above the question it depends on."""


class NoAreasListed(Exception):
    """An area question needs the library's list of areas, and it has none switched on."""


@dataclass
class OptionDraft:
    """A choice as typed: an existing one has an id; `remove` takes it off the question."""

    label: str
    id: int | None = None
    remove: bool = False


@dataclass
class QuestionDraft:
    """A question as the editor gives it; texts are in the form's default language."""

    kind: str
    prompt: str
    help: str = ""
    is_required: bool = False
    options: list[OptionDraft] = field(default_factory=list)
    low_label: str = ""
    high_label: str = ""
    min_value: float | None = None
    max_value: float | None = None
    show_if_question_id: int | None = None
    show_if_option_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Removal:
    """What removing a question did: retired or deleted, and who lost their show-if."""

    is_retired: bool
    freed: list[Question]


def answered_question_ids(survey: Survey) -> set[int]:
    """Return the ids of the form's questions that someone has answered."""
    return set(db.session.scalars(
        sa.select(Answer.question_id).distinct().join(Question)
        .where(Question.survey_id == survey.id)))


def is_answered(question: Question) -> bool:
    """Return whether anyone has answered the question."""
    return question.id is not None and bool(db.session.scalar(
        sa.select(sa.exists().where(Answer.question_id == question.id))))


def earlier_questions(survey: Survey, question: Question) -> list[Question]:
    """Return the active questions with choices that come before `question` (all, if new)."""
    return [other for other in _active_in_order(survey)
            if other.has_options and other is not question
            and (question.id is None or other.position < question.position)]


def check_kind_change(question: Question, kind: str) -> None:
    """Refuse to change the kind of a question people have answered."""
    if question.id is not None and kind != question.kind and is_answered(question):
        raise KindLocked(f"People have answered this question, so it stays a "
                         f"“{question.kind_label}” question. To ask it another way, add a new "
                         f"question and remove this one.")


def save_question(survey: Survey, question: Question, *, draft: QuestionDraft) -> Question:
    """Store a question; answered choices are retired rather than changed. The caller commits."""
    check_kind_change(question, draft.kind)
    kind_changes = question.id is not None and draft.kind != question.kind
    _check_show_if(survey, question, draft)
    if draft.kind == QuestionKind.AREA and not active_area_names():
        raise NoAreasListed("The library's list of areas has none switched on. Add the areas "
                            "first, then this question.")
    if question.id is None:
        question.position = len(survey.questions)
        survey.questions.append(question)
    question.kind = draft.kind
    is_rating = draft.kind == QuestionKind.RATING
    write_texts(question, survey.default_language, {
        "prompt": draft.prompt, "help": draft.help,
        "low_label": draft.low_label if is_rating else "",
        "high_label": draft.high_label if is_rating else ""})
    question.is_required = draft.is_required
    is_number = draft.kind == QuestionKind.NUMBER
    question.min_value = draft.min_value if is_number else None
    question.max_value = draft.max_value if is_number else None
    question.show_if_question_id = draft.show_if_question_id or None
    question.show_if_option_ids = list(draft.show_if_option_ids) if draft.show_if_question_id \
        else []
    replaced, dropped = _apply_options(survey, question, draft, kind_changes=kind_changes)
    _renumber(survey)
    db.session.flush()
    _follow_option_changes(survey, question, replaced=replaced, dropped=dropped)
    db.session.flush()
    return question


def remove_question(question: Question) -> Removal:
    """Retire an answered question, delete an unanswered one; later questions lose show-if."""
    survey = question.survey
    freed = [other for other in survey.questions if other.show_if_question_id == question.id]
    for other in freed:
        other.show_if_question_id, other.show_if_option_ids = None, []
    retired = is_answered(question)
    if retired:
        question.is_retired = True
    else:
        survey.questions.remove(question)
    _renumber(survey)
    db.session.flush()
    return Removal(is_retired=retired, freed=freed)


def move_question(question: Question, *, up: bool) -> None:
    """Swap the question with its neighbour above or below, keeping show-if pointing back."""
    active = _active_in_order(question.survey)
    place = active.index(question)
    other_place = place - 1 if up else place + 1
    if question.is_retired or not 0 <= other_place < len(active):
        return
    upper, lower = sorted((question, active[other_place]), key=lambda q: q.position)
    if lower.show_if_question_id == upper.id:
        raise MoveBreaksShowIf(f"“{lower.text('prompt')}” shows only after an answer to "
                               f"“{upper.text('prompt')}”, so it has to stay below it.")
    upper.position, lower.position = lower.position, upper.position
    db.session.flush()


def describe_conditions(survey: Survey) -> dict[int, str]:
    """Return, per question with show-if, the condition in words."""
    by_id = {question.id: question for question in survey.questions}
    described = {}
    for question in survey.questions:
        target = by_id.get(question.show_if_question_id)
        if target is None:
            continue
        labels = [option.text() for option in target.options
                  if option.id in question.show_if_option_ids]
        described[question.id] = f"Shown when “{target.text('prompt')}” is answered " \
                                 f"{' or '.join(labels) or 'with no choice'}"
    return described


def _active_in_order(survey: Survey) -> list[Question]:
    return sorted(survey.active_questions, key=lambda q: q.position)


def _renumber(survey: Survey) -> None:
    # Active questions first, retired ones after, so positions stay 0..n-1 with no gaps.
    ordered = sorted(survey.questions, key=lambda q: (bool(q.is_retired), q.position))
    for position, question in enumerate(ordered):
        question.position = position


def _check_show_if(survey: Survey, question: Question, draft: QuestionDraft) -> None:
    if not draft.show_if_question_id:
        return
    targets = {other.id: other for other in earlier_questions(survey, question)}
    target = targets.get(draft.show_if_question_id)
    if target is None:
        raise ShowIfNotEarlier("Pick a question with choices that comes before this one.")
    allowed = {option.id for option in target.active_options}
    if not draft.show_if_option_ids or not set(draft.show_if_option_ids) <= allowed:
        raise ShowIfNotEarlier("Tick the answers to that question that show this one.")


def _apply_options(survey: Survey, question: Question, draft: QuestionDraft, *,
                   kind_changes: bool) -> tuple[dict[int, QuestionOption], set[int]]:
    """Bring the question's choices in line with the draft; return what replaced or dropped."""
    replaced, dropped = {}, set()
    fresh = question.id is None or kind_changes
    if draft.kind not in OPTION_KINDS or (fresh and draft.kind in FIXED_KINDS):
        dropped = {option.id for option in question.options if option.id}
        question.options.clear()  # the question is unanswered here, so no answer is lost
        question.options.extend(_fixed_options(survey, draft.kind))
    elif draft.kind == QuestionKind.AREA:
        dropped = _mirror_areas(survey, question)
    elif draft.kind not in FIXED_KINDS:
        replaced, dropped = _apply_typed_options(survey, question, draft.options)
    for position, option in enumerate(sorted(question.options, key=lambda o: bool(o.is_retired))):
        option.position = position  # active choices first, in order; retired ones after
    return replaced, dropped


def _mirror_areas(survey: Survey, question: Question) -> set[int]:
    # An area question lists the areas switched on when it is saved, in the list's order.
    names = active_area_names()
    answered = _answered_option_ids(question)
    current = {option.text(): option for option in question.active_options}
    dropped = {option.id for label, option in current.items() if label not in names}
    for label, option in current.items():
        if label not in names:
            _retire_or_delete(question, option, answered)
    question.options.extend(_option(survey, name) for name in names if name not in current)
    order = {name: place for place, name in enumerate(names)}
    question.options.sort(key=lambda option: order.get(option.text(), len(order)))
    return dropped


def _apply_typed_options(survey: Survey, question: Question,
                         drafts: list[OptionDraft]) -> tuple[dict[int, QuestionOption], set[int]]:
    answered = _answered_option_ids(question)
    current = {option.id: option for option in question.active_options if option.id}
    replaced, dropped = {}, set()
    for draft in drafts:
        option = current.get(draft.id) if draft.id else None
        if option is None:
            if draft.label and not draft.id:
                question.options.append(_option(survey, draft.label))
            continue
        if draft.remove or not draft.label:
            dropped.add(option.id)
            _retire_or_delete(question, option, answered)
        elif draft.label != option.text():
            if option.id in answered:
                option.is_retired = True
                replaced[option.id] = _option(survey, draft.label)
                replaced[option.id].replaces_id = option.id
                question.options.insert(question.options.index(option) + 1,
                                        replaced[option.id])
            else:
                write_texts(option, survey.default_language, {"label": draft.label})
    return replaced, dropped


def _retire_or_delete(question: Question, option: QuestionOption, answered: set[int]) -> None:
    if option.id in answered:
        option.is_retired = True
    else:
        question.options.remove(option)


def _follow_option_changes(survey: Survey, question: Question, *,
                           replaced: dict[int, QuestionOption], dropped: set[int]) -> None:
    # Later questions shown on a renamed choice follow its replacement; a removed choice
    # no longer shows them, and a condition left with no choices is cleared.
    if not replaced and not dropped:
        return
    for other in survey.questions:
        if other.show_if_question_id != question.id:
            continue
        ids = [replaced[i].id if i in replaced else i for i in other.show_if_option_ids
               if i not in dropped]
        other.show_if_option_ids = ids
        if not ids:
            other.show_if_question_id = None


def _answered_option_ids(question: Question) -> set[int]:
    if question.id is None:
        return set()
    return set(db.session.scalars(sa.select(Answer.option_id).distinct().where(
        Answer.question_id == question.id, Answer.option_id.is_not(None))))


def _option(survey: Survey, label: str) -> QuestionOption:
    return QuestionOption(texts={survey.default_language: {"label": label}})


def _fixed_options(survey: Survey, kind: str) -> list[QuestionOption]:
    if kind == QuestionKind.AREA:
        return [_option(survey, name) for name in active_area_names()]
    if kind not in FIXED_LABELS:
        return []
    labels = FIXED_LABELS[kind]
    languages = [survey.default_language,
                 *(code for code in survey.languages or [] if code in labels)]
    return [QuestionOption(position=place, texts={
        language: {"label": labels.get(language, labels["en"])[place]}
        for language in dict.fromkeys(languages)}) for place in range(len(labels["en"]))]


