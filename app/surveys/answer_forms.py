"""The answer form people fill in, built from a form's questions at run time.

Each question becomes a field named q_<question id>, labelled in the chosen language. Messages
are lazy, so they come out in the respondent's language (see app/surveys/locale.py); the few
WTForms messages left to it follow through Flask-WTF's translations.
"""

import functools
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from babel import support
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.core import UnboundField
from wtforms.i18n import messages_path
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from app.forms import MultiCheckboxField
from app.privacy.models import ContactChannel
from app.surveys.answer_fields import (
    NumberInRange,
    RankingField,
    date_bounds,
    date_in_range,
    parse_number,
)
from app.surveys.building import child_choices
from app.surveys.locale import current_interface_language
from app.surveys.models import Question, QuestionKind, Survey
from app.surveys.responding import ONE_OPTION_KINDS, InvalidContact, normalise_contact

SHORT_TEXT_MAX, LONG_TEXT_MAX = 500, 5000
SUBMISSION_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")

ANSWER_NEEDED = _l("Please answer this question.")
CHOICE_NEEDED = _l("Please choose an answer.")
NOT_SHOWN = _l("Please choose from the answers shown.")
TOO_LONG = _l("Please keep this to %(max)d characters or fewer.")
NOT_A_DATE = _l("Please give a real date, as year-month-day, like 2026-03-31.")
RANK_NEEDED = _l("Please give at least one of these a number.")
#: The contact section's fields, in page order (see _contact_fields); the guardian's box is on
#: forms that ask for an age band.
CONTACT_FIELDS = ("contact_ok", "contact_guardian", "contact_channel", "contact_value",
                  "contact_name")
GUARDIAN_NEEDED = _l("We cannot keep a child's contact details. If you are their parent or "
                     "guardian, tick the box to say so and leave your own.")
CONTACT_CHANNELS = [(ContactChannel.PHONE.value, _l("Phone call")),
                    (ContactChannel.TEXT.value, _l("Text message")),
                    (ContactChannel.EMAIL.value, _l("Email"))]


@dataclass(frozen=True)
class QuestionView:
    """One question as the page shows it, in the chosen language."""

    question_id: int
    name: str
    kind: str
    language: str
    prompt: str
    help: str
    is_required: bool
    low_label: str = ""
    high_label: str = ""
    #: The earlier question this one depends on, and the answers to it that show this one.
    show_if_name: str | None = None
    show_if_prompt: str = ""
    show_if_answers: tuple[str, ...] = ()
    show_if_option_ids: tuple[int, ...] = ()


@functools.cache
def wtforms_translations(locale: str) -> support.Translations:
    """Return WTForms' catalogue of its own messages in `locale` (English when it has none)."""
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class AnswerForm(FlaskForm):
    """Hidden bookkeeping, a honeypot, then one field per question and the contact section."""

    #: Set by build_answer_form(): the questions on the page, in order.
    questions: tuple[QuestionView, ...] = ()
    #: Words of the contact section, in the page's language (purpose, consent, months).
    contact_texts: dict[str, Any] = {}
    #: Age band questions (field name) and their choices for children under the age at which
    #: people may leave their own contact details (CONTACT_MINIMUM_AGE).
    child_bands: dict[str, frozenset[int]] = {}
    #: Required questions must be answered; typed-in paper sheets take what is on the sheet.
    enforce_required = True

    class Meta:
        def get_translations(self, form):
            # WTForms' own messages, loaded once per language instead of once per request.
            return wtforms_translations(current_interface_language())

    submission_id = HiddenField()
    language = HiddenField()
    #: The honeypot: people never see it; a bot that fills it in is thanked and ignored.
    website = StringField(_l("Leave this empty"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not SUBMISSION_ID.match(self.submission_id.data or ""):
            self.submission_id.data = secrets.token_urlsafe(24)

    @property
    def asks_for_contact(self) -> bool:
        return "contact_ok" in self

    def caught_a_bot(self) -> bool:
        """Return whether the honeypot was filled in."""
        return bool((self.website.data or "").strip())

    def validate(self, extra_validators=None) -> bool:
        """Validate the questions shown; a question whose condition is not met is let be."""
        super().validate(extra_validators)
        shown = {view.name for view in self.shown_questions()}
        for view in self.questions:
            if view.name not in shown:
                self[view.name].errors = []
        return not self.errors

    def shown_questions(self) -> list[QuestionView]:
        """Return the questions whose show-if condition the answers sent meet."""
        shown: set[str] = set()
        for view in self.questions:
            if view.show_if_name is None or (
                    view.show_if_name in shown
                    and self._chosen(view.show_if_name) & set(view.show_if_option_ids)):
                shown.add(view.name)
        return [view for view in self.questions if view.name in shown]

    def answers(self) -> dict[int, Any]:
        """Return the answers to the questions shown, normalised, without blank ones."""
        answers = {}
        for view in self.shown_questions():
            value = _normalised(view.kind, self[view.name])
            if value not in (None, "", [], {}):
                answers[view.question_id] = value
        return answers

    def wants_contact(self) -> bool:
        """Return whether the person ticked "you may contact me"."""
        return self.asks_for_contact and bool(self.contact_ok.data)

    def consent_wording(self) -> str:
        """Return the words of the contact section as the person read them, with the
        guardian's box when they ticked it."""
        texts = self.contact_texts
        lines = [str(_l("You may contact me")), texts.get("purpose", ""),
                 texts.get("consent", ""), str(self.contact_promise()),
                 str(self.contact_ok.label.text)]
        if self.from_guardian():
            lines.append(str(self.contact_guardian.label.text))
        return "\n".join(line for line in lines if line)

    def from_guardian(self) -> bool:
        """Return whether a parent or guardian ticked their box."""
        return "contact_guardian" in self and bool(self.contact_guardian.data)

    def answered_as_child(self) -> bool:
        """Return whether an age band shown was answered with a child's band."""
        shown = {view.name for view in self.shown_questions()}
        return any(self._chosen(name) & options for name, options in self.child_bands.items()
                   if name in shown)

    def guardian_note(self):
        """Return what the page says above the guardian's box."""
        return _l("Under %(age)s? Only a parent or guardian may leave contact details: their "
                  "own.", age=self.contact_texts["minimum_age"])

    def contact_promise(self):
        """Return the promise made about a contact left on this form."""
        return lazy_ngettext(
            "We keep your contact details apart from your answers, use them only for this, and "
            "delete them after %(num)s month.",
            "We keep your contact details apart from your answers, use them only for this, and "
            "delete them after %(num)s months.", self.contact_texts.get("months", 0))

    def problems(self) -> list[tuple[str, str, list]]:
        """Return (anchor id, label, messages) for each field with errors, in page order."""
        names = [view.name for view in self.questions]
        names += [name for name in CONTACT_FIELDS if name in self]
        names = [name for name in self._fields if name not in names] + names
        return [(self.anchor(name), self[name].label.text, self[name].errors)
                for name in names if self[name].errors]

    def anchor(self, name: str) -> str:
        """Return the id of the first input of a field, for links from the error summary."""
        field = self[name]
        if isinstance(field, RankingField) and field.options:
            return f"{field.id}-{field.options[0][0]}"
        if isinstance(field, RadioField | MultiCheckboxField) and field.choices:
            return f"{field.id}-0"
        return field.id

    def validate_contact_ok(self, field) -> None:
        if not field.data and (self.contact_value.data or "").strip():
            raise ValidationError(_l("Please tick the box if we may contact you, or clear your "
                                     "phone number or email address."))
        if field.data and self.answered_as_child() and not self.from_guardian():
            raise ValidationError(GUARDIAN_NEEDED)

    def validate_contact_channel(self, field) -> None:
        if self.contact_ok.data and field.data not in dict(CONTACT_CHANNELS):
            raise ValidationError(_l("Please choose how we should contact you."))

    def validate_contact_value(self, field) -> None:
        channel = self.contact_channel.data
        if not self.contact_ok.data or channel not in dict(CONTACT_CHANNELS):
            return
        if not field.data:
            raise ValidationError(_l("Please write your phone number or email address."))
        try:
            normalise_contact(channel, field.data)
        except InvalidContact:
            raise ValidationError(
                _l("Please check the email address. It looks like name@example.com.")
                if channel == ContactChannel.EMAIL else
                _l("Please check the phone number: it needs 7 to 15 digits.")) from None

    def _chosen(self, name: str) -> set[int]:
        data = self[name].data
        if isinstance(data, dict):
            return {int(option_id) for option_id, rank in data.items() if rank}
        if isinstance(data, list):
            return set(data)
        return set() if data is None else {data}


class RespondentForm(AnswerForm):
    """The form as members of the public fill it in, on the web or at a kiosk."""

    class Meta:
        # No CSRF token, so no session cookie: nothing stays on a shared kiosk between people,
        # and a page left open for hours never fails as "expired". Submitting an anonymous
        # form grants nothing a forged request could abuse.
        csrf = False


class PaperSheetForm(AnswerForm):
    """A paper sheet typed in by staff: the branch it came from, then its answers."""

    enforce_required = False
    #: Until a branch is known (the person's own, or the last sheet's), the cursor starts there.
    asks_branch_first = True

    branch_id = SelectField("Branch the sheet came from", coerce=int)


def build_answer_form(survey: Survey, language: str, *,
                      base: type[AnswerForm] = RespondentForm) -> type[AnswerForm]:
    """Return a form class with one field per active question, named q_<question id>."""
    views, fields = [], {}
    for question in survey.active_questions:
        view = _view(question, language, required=base.enforce_required and question.is_required)
        views.append(view)
        fields[view.name] = FIELD_BUILDERS[question.kind](question, view)
    views = _with_conditions(views, survey)
    if survey.asks_for_contact:
        fields.update(_contact_fields())
    fields["child_bands"] = {f"q_{question_id}": ids
                             for question_id, ids in child_choices(survey).items()}
    if fields["child_bands"]:
        fields["contact_guardian"] = BooleanField(
            _l("I am their parent or guardian, and these are my own contact details"))
    fields["questions"] = tuple(views)
    fields["contact_texts"] = {"purpose": survey.text("contact_purpose", language),
                               "consent": survey.text("consent_text", language),
                               "months": survey.consent_months,
                               "minimum_age": current_app.config["CONTACT_MINIMUM_AGE"]}
    return type("SurveyAnswerForm", (base,), fields)


def _view(question: Question, language: str, *, required: bool) -> QuestionView:
    return QuestionView(
        question_id=question.id, name=f"q_{question.id}", kind=question.kind, language=language,
        prompt=question.text("prompt", language) or f"Question {question.position + 1}",
        help=question.text("help", language), is_required=required,
        low_label=question.text("low_label", language),
        high_label=question.text("high_label", language))


def _with_conditions(views: list[QuestionView], survey: Survey) -> list[QuestionView]:
    """Attach each show-if condition whose question comes earlier on the page."""
    questions = {question.id: question for question in survey.active_questions}
    earlier: dict[int, QuestionView] = {}
    result = []
    for view in views:
        question = questions[view.question_id]
        source = earlier.get(question.show_if_question_id or 0)
        if source is not None and question.show_if_option_ids:
            labels = {option.id: option.text(view.language)
                      for option in questions[source.question_id].options}
            option_ids = tuple(oid for oid in question.show_if_option_ids if oid in labels)
            view = replace(view, show_if_name=source.name, show_if_prompt=source.prompt,
                           show_if_answers=tuple(labels[oid] for oid in option_ids),
                           show_if_option_ids=option_ids)
        earlier[view.question_id] = view
        result.append(view)
    return result


def _presence(view: QuestionView, message, check=InputRequired) -> list:
    return [check(message=message)] if view.is_required else [Optional()]


def _typed_presence(view: QuestionView) -> list:
    # Typed answers count once their spaces are stripped: "   " is no answer.
    return _presence(view, ANSWER_NEEDED, check=DataRequired)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _option_pairs(question: Question, view: QuestionView) -> list[tuple[int, str]]:
    return [(option.id, option.text(view.language)) for option in question.active_options]


def _one_option(question: Question, view: QuestionView) -> UnboundField:
    return RadioField(view.prompt, _presence(view, CHOICE_NEEDED), coerce=int,
                      choices=_option_pairs(question, view), description=view.help,
                      invalid_choice_message=NOT_SHOWN, invalid_value_message=NOT_SHOWN)


FIELD_BUILDERS: dict[str, Callable[[Question, QuestionView], UnboundField]] = {
    QuestionKind.SHORT_TEXT: lambda q, view: StringField(
        view.prompt, _typed_presence(view) + [Length(max=SHORT_TEXT_MAX, message=TOO_LONG)],
        filters=[_strip], description=view.help),
    QuestionKind.LONG_TEXT: lambda q, view: TextAreaField(
        view.prompt, _typed_presence(view) + [Length(max=LONG_TEXT_MAX, message=TOO_LONG)],
        filters=[_strip], description=view.help),
    **{kind: _one_option for kind in ONE_OPTION_KINDS},
    QuestionKind.MULTI_CHOICE: lambda q, view: MultiCheckboxField(
        view.prompt, _presence(view, CHOICE_NEEDED), coerce=int,
        choices=_option_pairs(q, view), description=view.help,
        invalid_choice_message=NOT_SHOWN, invalid_value_message=NOT_SHOWN),
    QuestionKind.RATING: lambda q, view: RadioField(
        view.prompt, _presence(view, CHOICE_NEEDED), coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)], description=view.help,
        invalid_choice_message=NOT_SHOWN, invalid_value_message=NOT_SHOWN),
    QuestionKind.NUMBER: lambda q, view: StringField(
        view.prompt, _typed_presence(view) + [NumberInRange(q.min_value, q.max_value)],
        filters=[_strip], description=view.help, render_kw={"inputmode": "decimal"}),
    QuestionKind.DATE: lambda q, view: DateField(
        view.prompt, _presence(view, ANSWER_NEEDED) + [date_in_range],
        description=view.help, invalid_value_message=NOT_A_DATE, render_kw=date_bounds()),
    QuestionKind.RANKING: lambda q, view: RankingField(
        view.prompt, _presence(view, RANK_NEEDED), options=_option_pairs(q, view),
        description=view.help),
}


def _contact_fields() -> dict[str, UnboundField]:
    return {
        "contact_ok": BooleanField(_l("Yes, you may contact me")),
        "contact_channel": RadioField(_l("How should we contact you?"),
                                      choices=CONTACT_CHANNELS, validate_choice=False),
        "contact_value": StringField(_l("Your phone number or email address"),
                                     [Length(max=200, message=TOO_LONG)], filters=[_strip]),
        "contact_name": StringField(_l("Your first name (you may leave this empty)"),
                                    [Length(max=120, message=TOO_LONG)], filters=[_strip]),
    }


def _normalised(kind: str, field) -> Any:
    if kind == QuestionKind.NUMBER:
        return parse_number(field.data) if field.data else None
    if kind == QuestionKind.RANKING:
        return field.ranks()
    if kind == QuestionKind.MULTI_CHOICE:
        return sorted(set(field.data or []))
    return field.data
