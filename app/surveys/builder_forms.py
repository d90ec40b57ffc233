"""Forms of the staff screens that build forms: one per screen; create and edit share a class."""

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    FloatField,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import HiddenInput, NumberInput

from app.forms import MultiCheckboxField
from app.surveys.building import FIXED_KINDS, SurveySettings
from app.surveys.models import (
    OPTION_KINDS,
    Question,
    QuestionKind,
    Survey,
    SurveyPurpose,
    SurveyStatus,
)
from app.surveys.question_building import OptionDraft, QuestionDraft
from app.surveys.translating import TextSlot

#: Kinds whose choices staff type in.
TYPED_OPTION_KINDS = OPTION_KINDS - FIXED_KINDS
MAX_CHOICES = 40
NUMBER_LIMITS = NumberRange(min=-1e9, max=1e9, message="Give a number between -1,000,000,000 "
                                                       "and 1,000,000,000.")


def strip(value: Any) -> Any:
    """Trim spaces around typed text; leave other values alone."""
    return value.strip() if isinstance(value, str) else value


def _long_text(label: str, **kwargs) -> TextAreaField:
    return TextAreaField(label, [Length(max=5000)], filters=[strip], **kwargs)


class SurveyFilterForm(FlaskForm):
    """The filter above the list of forms; sent by GET, so no CSRF token."""

    class Meta:
        csrf = False

    status = SelectField("Status", choices=[("", "Any status")] + SurveyStatus.pairs(),
                         default="")


class SurveyForm(FlaskForm):
    """A form's settings and its texts in the default language."""

    title = StringField("Title", [DataRequired(message="Give the form a title."),
                                  Length(max=200)], filters=[strip])
    purpose = RadioField("Purpose", choices=SurveyPurpose.pairs(),
                         default=SurveyPurpose.GENERAL.value)
    focus_community_id = SelectField("Focus community", coerce=int, default=0,
                                     description="Optional: who this form is mainly for.")
    default_language = SelectField(
        "Default language", default="en",
        description="The language you write the form in. To switch it later, first translate "
                    "every text into the new language.")
    other_languages = MultiCheckboxField(
        "Other languages", description="Each one gets a translation screen. The default "
                                       "language is always included.")
    intro = _long_text("Introduction", description="A few words at the top of the form.")
    consent_text = _long_text(
        "Privacy notice", description="Shown before the questions: what you ask, why, who sees "
                                      "the answers and how long you keep them.")
    thank_you = _long_text("Thank-you message", description="Shown after someone sends the form.")
    asks_for_contact = BooleanField("Offer “You may contact me” at the end")
    contact_purpose = _long_text(
        "Why you would contact them",
        description="People read this before they leave a phone number or email, for example "
                    "“To invite you to a meeting about what we heard.”")
    consent_months = IntegerField(
        "How long their agreement lasts, in months", default=6,
        validators=[NumberRange(min=1, max=24, message="Give a number of months from 1 to 24.")],
        widget=NumberInput(min=1, max=24))

    def validate_contact_purpose(self, field: StringField) -> None:
        if self.asks_for_contact.data and not field.data:
            raise ValidationError("Say why you would contact people, or stop offering it.")

    @staticmethod
    def values_for(survey: Survey) -> dict[str, Any]:
        """Return the screen's values for a stored form."""
        if not survey.id:
            return {}
        texts = (survey.texts or {}).get(survey.default_language, {})
        return {"purpose": survey.purpose, "focus_community_id": survey.focus_community_id or 0,
                "default_language": survey.default_language,
                "other_languages": [code for code in survey.languages
                                    if code != survey.default_language],
                "asks_for_contact": survey.asks_for_contact,
                "consent_months": survey.consent_months,
                **{name: texts.get(name, "") for name in
                   ("title", "intro", "consent_text", "thank_you", "contact_purpose")}}

    def settings(self) -> SurveySettings:
        """Return the typed settings as the save service takes them."""
        return SurveySettings(
            purpose=self.purpose.data, focus_community_id=self.focus_community_id.data or None,
            default_language=self.default_language.data,
            other_languages=self.other_languages.data or [],
            texts={name: self[name].data or "" for name in
                   ("title", "intro", "consent_text", "thank_you", "contact_purpose")},
            asks_for_contact=self.asks_for_contact.data, consent_months=self.consent_months.data)


class OptionRowForm(Form):
    """One choice already on the question."""

    id = IntegerField(widget=HiddenInput(), validators=[Optional()])
    text = StringField("Choice", [Length(max=300)], filters=[strip])
    remove = BooleanField("Remove this choice")


class QuestionForm(FlaskForm):
    """A question: its words, whether it must be answered, its choices or limits, its show-if."""

    prompt = StringField("Question", [DataRequired(message="Write the question."),
                                      Length(max=500)], filters=[strip])
    help = _long_text("Help text", description="Optional: a hint shown under the question.")
    is_required = BooleanField("People must answer this question")
    options = FieldList(FormField(OptionRowForm), max_entries=MAX_CHOICES)
    new_options = _long_text("Add choices, one per line")
    low_label = StringField("Label for 1 (lowest)", [Length(max=100)], filters=[strip],
                            description="For example “Not at all”.")
    high_label = StringField("Label for 5 (highest)", [Length(max=100)], filters=[strip],
                             description="For example “Very much”.")
    min_value = FloatField("Smallest number allowed", [Optional(), NUMBER_LIMITS],
                           widget=NumberInput(step="any"))
    max_value = FloatField("Largest number allowed", [Optional(), NUMBER_LIMITS],
                           widget=NumberInput(step="any"))
    show_if_question_id = SelectField("Show this question", coerce=int, default=0,
                                      validate_choice=False)
    show_if_option_ids = MultiCheckboxField("Only when the answer is one of", coerce=int,
                                            validate_choice=False)

    kind: str = QuestionKind.SHORT_TEXT
    #: Earlier questions with choices: {question id: {choice ids}}.
    targets: dict[int, set[int]] = {}

    @staticmethod
    def values_for(question: Question) -> dict[str, Any]:
        """Return the screen's values for a stored question."""
        if not question.id:
            return {}
        return {"prompt": question.text("prompt"), "help": question.text("help"),
                "is_required": question.is_required,
                "options": [{"id": option.id, "text": option.text()}
                            for option in question.active_options],
                "low_label": question.text("low_label"), "high_label": question.text("high_label"),
                "min_value": question.min_value, "max_value": question.max_value,
                "show_if_question_id": question.show_if_question_id or 0,
                "show_if_option_ids": list(question.show_if_option_ids or [])}

    def prepare(self, kind: str, earlier: list[Question]) -> None:
        """Set the question's kind and the earlier questions its show-if may name."""
        self.kind = kind
        self.targets = {q.id: {o.id for o in q.active_options} for q in earlier}
        self.show_if_question_id.choices = [(0, "Always")] + [
            (q.id, f"After question {q.position + 1}, “{q.text('prompt')}”")
            for q in earlier]
        self.show_if_option_ids.choices = [
            (o.id, f"Question {q.position + 1}: {o.text()}") for q in earlier
            for o in q.active_options]
        for place, row in enumerate(self.options, start=1):
            row.form.text.label.text = f"Choice {place}"

    @property
    def has_typed_options(self) -> bool:
        return self.kind in TYPED_OPTION_KINDS

    def typed_labels(self) -> list[str]:
        """Return the labels the question will have: kept rows, then the new lines."""
        kept = [row.form.text.data for row in self.options
                if not row.form.remove.data and row.form.text.data]
        return kept + self.new_labels()

    def new_labels(self) -> list[str]:
        """Return the new choices typed in the box, one per line."""
        return [line.strip() for line in (self.new_options.data or "").splitlines()
                if line.strip()]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        checks = [self._check_choices, self._check_range, self._check_show_if]
        return all([check() for check in checks]) and valid

    def _check_choices(self) -> bool:
        if not self.has_typed_options:
            return True
        labels = self.typed_labels()
        if len(labels) < 2:
            self.new_options.errors.append("Give at least two choices.")
        elif len({label.casefold() for label in labels}) < len(labels):
            self.new_options.errors.append("Each choice needs different words.")
        elif len(labels) > MAX_CHOICES:
            self.new_options.errors.append(f"A question can have at most {MAX_CHOICES} choices.")
        return not self.new_options.errors

    def _check_range(self) -> bool:
        low, high = self.min_value.data, self.max_value.data
        if self.kind == QuestionKind.NUMBER and None not in (low, high) and low > high:
            self.max_value.errors.append(
                "The largest number cannot be smaller than the smallest.")
            return False
        return True

    def _check_show_if(self) -> bool:
        target, chosen = self.show_if_question_id.data, set(self.show_if_option_ids.data or [])
        if not target:
            if chosen:
                self.show_if_question_id.errors.append(
                    "Pick the question whose answer shows this one, or untick the answers.")
            return not chosen
        if target not in self.targets:
            self.show_if_question_id.errors.append(
                "Pick a question with choices that comes before this one.")
        elif not chosen or not chosen <= self.targets[target]:
            self.show_if_option_ids.errors.append(
                "Tick one or more answers to the question you picked.")
        return not (self.show_if_question_id.errors or self.show_if_option_ids.errors)

    def draft(self) -> QuestionDraft:
        """Return the question as the save service takes it."""
        rows = [OptionDraft(label=row.form.text.data or "", id=row.form.id.data,
                            remove=row.form.remove.data) for row in self.options]
        return QuestionDraft(
            kind=self.kind, prompt=self.prompt.data, help=self.help.data or "",
            is_required=self.is_required.data,
            options=rows + [OptionDraft(label=label) for label in self.new_labels()],
            low_label=self.low_label.data or "", high_label=self.high_label.data or "",
            min_value=self.min_value.data, max_value=self.max_value.data,
            show_if_question_id=self.show_if_question_id.data or None,
            show_if_option_ids=list(self.show_if_option_ids.data or []))


def translation_form(slots: list[TextSlot], language: str) -> FlaskForm:
    """Return a form with one field per text of the form, filled with `language`'s texts."""
    fields = {slot.name: (TextAreaField if slot.is_long else StringField)(
        slot.label, [Length(max=5000)], filters=[strip]) for slot in slots}
    form_class = type("TranslationForm", (FlaskForm,), fields)
    return form_class(data={slot.name: slot.value(language) for slot in slots})


class AreaForm(FlaskForm):
    """An area on the library's list."""

    name = StringField("Name of the area", [DataRequired(message="Give the area a name."),
                                            Length(max=120)], filters=[strip],
                       description="A neighbourhood, town or part of town people recognise.")
