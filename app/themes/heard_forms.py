"""The forms of "What we heard": the filters above the findings and the handout's print options.

Both are GET forms: the filters make the page's address, and the print options make the PDF's,
so a slice can be bookmarked and shared with colleagues.
"""

from datetime import date

import sqlalchemy as sa
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from app.accounts.models import Branch
from app.community.models import FocusCommunity
from app.community.services import focus_community_choices
from app.documents.audience import Audience
from app.extensions import db
from app.languages import language_name
from app.surveys.locale import FALLBACK, INTERFACE_LANGUAGES, interface_language
from app.surveys.models import Survey, SurveyStatus
from app.themes.heard import HeardFilters
from app.themes.models import HeardThrough, SourceKind

#: The longest "What happens next" text that fits its box on the handout.
NEXT_STEPS_LENGTH = 600
#: Dates outside these years are typing mistakes, not a range of what was heard.
EARLIEST, LATEST = date(1990, 1, 1), date(2100, 12, 31)
TOO_LONG = f"Keep it to {NEXT_STEPS_LENGTH} characters or fewer."
PICK_FROM_LIST = "Choose one of the options in the list."
DATE_FORMAT = "Enter a date as year-month-day, for example 2026-03-14."
#: Who each audience choice is for, as the page says it.
AUDIENCE_CHOICES = {Audience.INTERNAL: "Library staff (everything)",
                    Audience.PARTNERS: "Partners (counts under 5 hidden, no sensitive notes)",
                    Audience.PUBLIC: "The public (no excerpts, only public quotes)"}


def _select(label: str, **kwargs) -> SelectField:
    return SelectField(label, invalid_value_message=PICK_FROM_LIST,
                       invalid_choice_message=PICK_FROM_LIST, **kwargs)


def _date(label: str) -> DateField:
    return DateField(label, [Optional()], invalid_value_message=DATE_FORMAT)


def audience_choices(*, is_staff: bool) -> list[tuple[str, str]]:
    """Return the audiences a person may choose; only staff see the internal version."""
    return [(audience.value, label) for audience, label in AUDIENCE_CHOICES.items()
            if is_staff or not audience.is_internal]


class HeardFilterForm(FlaskForm):
    """Which slice of what was heard to show, and for whom."""

    class Meta:
        csrf = False

    focus_community_id = _select("Focus community", coerce=int, default=0)
    branch_id = _select("Branch", coerce=int, default=0)
    start = _date("Heard from")
    end = _date("Heard until")
    channel = _select("Channel", default="",
                      choices=[("", "Any channel"), *HeardThrough.pairs()])
    source_kind = _select("Heard in", default="",
                          choices=[("", "Any kind of source"), *SourceKind.pairs()])
    audience = _select("Show it as it goes to",
                       description="Partners and the public see counts under 5 hidden.")

    def use_choices(self, *, is_staff: bool) -> None:
        """Offer every focus community and branch, and the audiences this person may choose."""
        self.focus_community_id.choices = focus_community_choices(blank="Every focus community")
        branches = db.session.execute(sa.select(Branch.id, Branch.name).order_by(Branch.name))
        self.branch_id.choices = [(0, "Every branch")] + [(row.id, row.name) for row in branches]
        self.audience.choices = audience_choices(is_staff=is_staff)
        self.audience.default = (Audience.INTERNAL if is_staff else Audience.PARTNERS).value
        if not self.audience.raw_data:
            self.audience.data = self.audience.default

    def validate_start(self, field: DateField) -> None:
        _check_year(field.data)

    def validate_end(self, field: DateField) -> None:
        _check_year(field.data)
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError("The end date is before the start date. Swap them round.")

    def filters(self) -> HeardFilters:
        """Return the slice asked for; call after validate() succeeded."""
        return HeardFilters(
            focus_community_id=self.focus_community_id.data or None,
            branch_id=self.branch_id.data or None, start=self.start.data, end=self.end.data,
            channel=HeardThrough(self.channel.data) if self.channel.data else None,
            source_kind=SourceKind(self.source_kind.data) if self.source_kind.data else None)

    @property
    def chosen_audience(self) -> Audience:
        return Audience(self.audience.data)


class HeardPrintForm(FlaskForm):
    """How to print the handout. Ids differ from the filters' so both forms share a page."""

    class Meta:
        csrf = False

    audience = _select("Print it for", id="print-audience")
    large = BooleanField("Large print", id="print-large",
                         false_values=("false", "", "0", "no"))
    lang = _select("Language of the headings", id="print-lang", default="en")
    next_steps = TextAreaField(
        "What happens next", [Length(max=NEXT_STEPS_LENGTH, message=TOO_LONG)],
        id="print-next-steps",
        description=f"Up to {NEXT_STEPS_LENGTH} characters, in plain words. Left empty, the "
                    "handout invites people to the next community meeting.")
    survey_id = _select("Form for the QR code", coerce=int, default=0, id="print-survey",
                        description="People scan the code to add their voice. Only open forms "
                                    "are listed.")

    def use_choices(self, *, is_staff: bool, focus_community_id: int | None) -> None:
        """Offer the audiences, the languages with headings, and the open forms."""
        self.audience.choices = audience_choices(is_staff=is_staff)
        self.audience.default = Audience.PUBLIC.value
        if not self.audience.raw_data:
            self.audience.data = self.audience.default
        self.lang.choices = handout_languages(focus_community_id)
        surveys = db.session.scalars(sa.select(Survey).where(Survey.status == SurveyStatus.OPEN)
                                     .order_by(Survey.id))
        self.survey_id.choices = [(0, "No form: ask people to talk to library staff")] + [
            (survey.id, f"{survey.title} (code {survey.short_code})") for survey in surveys]

    @property
    def chosen_survey(self) -> Survey | None:
        return db.session.get(Survey, self.survey_id.data) if self.survey_id.data else None


def handout_languages(focus_community_id: int | None) -> list[tuple[str, str]]:
    """Return English, the focus community's languages, then every other translated language.

    A language without translated headings is still offered (the handout notes it) so the
    community's own languages are always in view.
    """
    community = db.session.get(FocusCommunity, focus_community_id) if focus_community_id else None
    spoken = list(community.languages or []) if community else []
    choices: list[tuple[str, str]] = []
    for code in dict.fromkeys(["en", *spoken, *sorted(INTERFACE_LANGUAGES - {"en"})]):
        note = "" if has_headings_in(code) else " (headings stay in English)"
        choices.append((code, language_name(code) + note))
    return choices


def has_headings_in(language: str) -> bool:
    """Return whether the handout's headings are translated into `language`."""
    return interface_language(language) != FALLBACK or language.split("-")[0] == FALLBACK


def _check_year(value: date | None) -> None:
    if value is not None and not EARLIEST <= value <= LATEST:
        raise ValidationError(f"Choose a date between {EARLIEST.year} and {LATEST.year}.")
