"""Plain data for the printed documents of a form: the paper form and the poster.

Everything here is in the form's language: its own texts from the form, and the interface words
("Tick one", "Answer this only if...") from the Flask-Babel catalogues.
"""

import math
import re
import unicodedata
from dataclasses import dataclass, field

from babel import Locale, UnknownLocaleError
from babel.lists import format_list
from flask import current_app
from flask_babel import force_locale, gettext
from markupsafe import Markup

from app.documents.qr import qr_svg
from app.surveys.building import child_choices
from app.surveys.models import Question, QuestionKind, Survey
from app.surveys.sharing import own_language_name, public_link, short_link

#: Seconds a person takes for one question, to say how long a form takes.
SECONDS_PER_QUESTION = 20
#: Options this short, and this few, sit side by side on paper; others take a line each.
SHORT_OPTION = 22
INLINE_OPTIONS = 5
WRITING_LINES = {QuestionKind.SHORT_TEXT: 2, QuestionKind.LONG_TEXT: 6}


@dataclass(frozen=True)
class DatePart:
    """One group of boxes of a written date: day, month or year."""

    label: str
    digits: int


@dataclass(frozen=True)
class PaperQuestion:
    """One question as it is printed: numbered, with its options and instructions in words."""

    number: int
    kind: str
    prompt: str
    help: str
    is_required: bool
    instruction: str = ""
    #: Answer this only if... (a show-if condition in words), or "".
    condition: str = ""
    options: list[str] = field(default_factory=list)
    #: "inline" (side by side) or "stacked" (one a line).
    option_layout: str = "stacked"
    low_label: str = ""
    high_label: str = ""
    writing_lines: int = 0
    #: Digit boxes for a number; 0 gives one wide box.
    digit_boxes: int = 0
    date_parts: list[DatePart] = field(default_factory=list)


@dataclass(frozen=True)
class PaperForm:
    """A form on paper in one language, with the way back to it online."""

    language: str
    title: str
    intro: str
    privacy_notice: str
    thank_you: str
    questions: list[PaperQuestion]
    link: str
    short_link: str
    short_code: str
    qr_svg: Markup
    asks_for_contact: bool
    contact_purpose: str
    consent_months: int
    #: The age under which only a parent or guardian may leave contact details, when the form
    #: asks for an age band (DOMAIN privacy rule 11); None otherwise.
    guardian_age: int | None = None


@dataclass(frozen=True)
class Poster:
    """One page that sends people from a wall or a table to the form on their phone."""

    language: str
    title: str
    intro: str
    link: str
    short_link: str
    qr_svg: Markup
    minutes: int
    #: Every language of the form, each written in itself: (code, name).
    languages: list[tuple[str, str]]


def paper_form(survey: Survey, language: str) -> PaperForm:
    """Return the paper version of `survey` in `language`."""
    link = public_link(survey, language)
    with force_locale(language):
        numbers = {question.id: n for n, question in enumerate(survey.active_questions, 1)}
        questions = [_paper_question(question, numbers, language)
                     for question in survey.active_questions]
        return PaperForm(
            language=language, title=survey.text("title", language),
            intro=survey.text("intro", language),
            privacy_notice=survey.text("consent_text", language) or gettext(
                "Your answers are anonymous. Please do not write your name, address or phone "
                "number in them."),
            thank_you=survey.text("thank_you", language) or gettext("Thank you."),
            questions=questions, link=link, short_link=short_link(survey, language),
            short_code=survey.short_code, qr_svg=qr_svg(link, title=survey.text("title", language)),
            asks_for_contact=survey.asks_for_contact,
            contact_purpose=survey.text("contact_purpose", language) or gettext(
                "to talk with you about what you wrote in this form"),
            consent_months=survey.consent_months,
            guardian_age=current_app.config["CONTACT_MINIMUM_AGE"] if child_choices(survey)
            else None)


def poster(survey: Survey, language: str) -> Poster:
    """Return the poster of `survey` in `language`, with its QR code and short link."""
    link = public_link(survey, language)
    return Poster(
        language=language, title=survey.text("title", language),
        intro=survey.text("intro", language), link=link,
        short_link=short_link(survey, language),
        qr_svg=qr_svg(link, scale=8, title=survey.text("title", language)),
        minutes=minutes_to_fill(survey),
        languages=[(code, own_language_name(code))
                   for code in survey.languages or [survey.default_language]])


def direction_of(text: str) -> str:
    """Return "rtl" or "ltr" from the first strong letter of `text`, "auto" when it has none."""
    # A text not yet translated falls back to the default language; marking its direction
    # keeps "75 or older" from printing as "or older 75" on an Arabic form.
    for character in text:
        kind = unicodedata.bidirectional(character)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "auto"


def minutes_to_fill(survey: Survey) -> int:
    """Return about how many minutes the form takes, at least one."""
    return max(1, math.ceil(len(survey.active_questions) * SECONDS_PER_QUESTION / 60))


def _paper_question(question: Question, numbers: dict[int, int], language: str) -> PaperQuestion:
    kind = QuestionKind(question.kind)
    options = [option.text(language) for option in question.active_options]
    return PaperQuestion(
        number=numbers[question.id], kind=kind.value, prompt=question.text("prompt", language),
        help=question.text("help", language), is_required=question.is_required,
        instruction=_instruction(question), condition=_condition(question, numbers, language),
        options=options, option_layout=_option_layout(options),
        low_label=question.text("low_label", language),
        high_label=question.text("high_label", language),
        writing_lines=WRITING_LINES.get(kind, 0), digit_boxes=_digit_boxes(question),
        date_parts=_date_parts(language) if kind == QuestionKind.DATE else [])


def _instruction(question: Question) -> str:
    kind = QuestionKind(question.kind)
    if kind == QuestionKind.MULTI_CHOICE:
        return gettext("Tick all that apply.")
    if kind == QuestionKind.RANKING:
        return gettext("Write 1 in the box of the most important, 2 for the next, and so on.")
    if kind == QuestionKind.RATING:
        return gettext("Tick one box from 1 to 5.")
    if kind == QuestionKind.NUMBER:
        return _number_range(question.min_value, question.max_value)
    if kind == QuestionKind.DATE:
        return gettext("Write the date in numbers.")
    if question.has_options:
        return gettext("Tick one.")
    return ""


def _number_range(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return gettext("Write a number from %(low)s to %(high)s.", low=_plain(low),
                       high=_plain(high))
    if low is not None:
        return gettext("Write a number, %(low)s or more.", low=_plain(low))
    if high is not None:
        return gettext("Write a number, up to %(high)s.", high=_plain(high))
    return gettext("Write a number.")


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _digit_boxes(question: Question) -> int:
    """Return one box per digit for whole numbers from 0 up to a known maximum, else 0."""
    low, high = question.min_value, question.max_value
    if high is None or low is None or low < 0 or not float(high).is_integer():
        return 0
    if not float(low).is_integer() or high >= 1_000_000:
        return 0
    return len(str(int(high)))


def _condition(question: Question, numbers: dict[int, int], language: str) -> str:
    earlier = question.show_if_question
    if earlier is None or earlier.id not in numbers:
        return ""
    labels = [gettext("“%(answer)s”", answer=option.text(language))
              for option in earlier.active_options if option.id in question.show_if_option_ids]
    if not labels:
        return ""
    return gettext("Answer this only if you answered %(answers)s to question %(number)s.",
                   answers=format_list(labels, style="or", locale=_locale(language)),
                   number=numbers[earlier.id])


def _option_layout(options: list[str]) -> str:
    if len(options) <= INLINE_OPTIONS and all(len(label) <= SHORT_OPTION for label in options):
        return "inline"
    return "stacked"


def _date_parts(language: str) -> list[DatePart]:
    """Return day, month and year boxes in the order people of `language` write a date."""
    parts = {"d": DatePart(gettext("Day"), 2), "M": DatePart(gettext("Month"), 2),
             "y": DatePart(gettext("Year"), 4)}
    pattern = _locale(language).date_formats["short"].pattern
    order = list(dict.fromkeys(re.sub(r"[^dMy]", "", pattern)))
    if sorted(order) != sorted(parts):
        order = ["d", "M", "y"]
    return [parts[letter] for letter in order]


def _locale(language: str) -> Locale:
    """Return the Babel locale of `language`; one Babel does not know writes like English."""
    try:
        return Locale.parse(language, sep="-")
    except (ValueError, UnknownLocaleError):
        return Locale("en")
