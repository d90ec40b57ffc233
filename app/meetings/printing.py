"""Plain data for a meeting's printed documents: the agenda, the minutes and the sign-in sheet.

The agenda and the sign-in sheet go to the people in the room, so they come out in the
meeting's first language when the catalogues translate them (English otherwise). The minutes
follow their audience: public minutes show decisions and action items only, and name no one.
"""

from dataclasses import dataclass, field
from datetime import date, time

from babel.dates import format_date, format_time
from babel.lists import format_list
from flask_babel import force_locale, gettext, lazy_gettext
from markupsafe import Markup

from app.accounts.models import Role
from app.documents.audience import Audience, suppress_small
from app.documents.qr import qr_svg
from app.languages import language_name
from app.meetings.models import ActionItem, Decision, Meeting, Support
from app.surveys.locale import FALLBACK, interface_language
from app.surveys.sharing import own_language_name, public_link, short_link

#: Months a paper sign-in sheet is kept before it is shredded; the sheet says so.
SIGN_IN_KEPT_MONTHS = 3
#: Lines for names, and tally boxes, that fit one page in normal and in large print.
NAME_ROWS = {False: 12, True: 14}
TALLY_BOXES = {False: 80, True: 35}
#: A sentence every translated catalogue of the meeting documents has; see printed_language().
TRANSLATION_PROBE = "Signing in is optional."
VERSIONS = ("names", "headcount")

SUPPORT_WORDS = {
    Support.INTERPRETATION: lazy_gettext("interpretation"),
    Support.CHILDCARE: lazy_gettext("childcare"),
    Support.FOOD: lazy_gettext("food"),
    Support.TRANSIT: lazy_gettext("transit fare or a ride"),
}


@dataclass(frozen=True)
class Heading:
    """When, where and in which languages a meeting takes place, in the printed language."""

    title: str
    kind: str
    date: str
    time: str
    place: str
    languages: list[str]
    supports: str
    supports_note: str
    group: str


@dataclass(frozen=True)
class AgendaEntry:
    title: str
    led_by: str
    minutes: int | None


@dataclass(frozen=True)
class FeedbackLink:
    """The way from paper to the meeting's feedback form."""

    link: str
    short_link: str
    qr_svg: Markup
    is_open: bool


@dataclass(frozen=True)
class Agenda:
    heading: Heading
    facilitator: str
    items: list[AgendaEntry]
    feedback: FeedbackLink | None
    next_meeting: str

    @property
    def total_minutes(self) -> int:
        return sum(item.minutes or 0 for item in self.items)


@dataclass(frozen=True)
class DecisionEntry:
    text: str
    method: str
    decided_by: str
    #: (what, how many), counts under 5 hidden when the minutes leave the library.
    figures: list[tuple[str, str]]
    result_note: str
    recorded_by: str = ""


@dataclass(frozen=True)
class ActionEntry:
    description: str
    owner: str
    due_on: date | None
    is_done: bool


@dataclass(frozen=True)
class Minutes:
    heading: Heading
    audience: Audience
    status: str
    headcount: int | None
    facilitator: str
    decisions: list[DecisionEntry]
    action_items: list[ActionEntry]
    agenda: list[AgendaEntry] = field(default_factory=list)
    notes: str = ""
    next_meeting: str = ""

    @property
    def is_public(self) -> bool:
        return self.audience is Audience.PUBLIC


@dataclass(frozen=True)
class SignInSheet:
    heading: Heading
    #: "names" (optional names and contact wish) or "headcount" (tally boxes only).
    version: str
    name_rows: int
    tally_boxes: int
    kept_months: int

    @property
    def asks_for_names(self) -> bool:
        return self.version == "names"


def printed_language(meeting: Meeting) -> str:
    """Return the meeting's first language when a catalogue translates these documents."""
    first = (meeting.languages or [FALLBACK])[0]
    language = interface_language(first)
    if language == FALLBACK:
        return FALLBACK
    with force_locale(language):
        translated = gettext(TRANSLATION_PROBE) != TRANSLATION_PROBE
    return language if translated else FALLBACK


def heading(meeting: Meeting, language: str) -> Heading:
    """Return the facts at the top of every meeting document; call inside force_locale."""
    supports = [str(SUPPORT_WORDS[Support(value)]) for value in meeting.supports or []
                if value in SUPPORT_WORDS]
    supports_text = ""
    if supports:
        supports_text = gettext("%(supports)s provided.",
                                supports=format_list(supports, locale=language))
        supports_text = supports_text[:1].upper() + supports_text[1:]
    return Heading(
        title=meeting.title, kind=meeting.kind_label, date=format_date(
            meeting.held_on, "full", locale=language),
        time=_time_range(meeting.starts_at, meeting.ends_at, language),
        place=meeting.place_label, languages=[
            own_language_name(code) if language != FALLBACK else language_name(code)
            for code in meeting.languages or []],
        supports=supports_text, supports_note=meeting.supports_note,
        group=meeting.action_group.name if meeting.action_group else "")


def _time_range(starts: time | None, ends: time | None, language: str) -> str:
    if starts and ends:
        return gettext("%(start)s to %(end)s", start=format_time(starts, "short", locale=language),
                       end=format_time(ends, "short", locale=language))
    if starts:
        return gettext("From %(start)s", start=format_time(starts, "short", locale=language))
    return ""


def agenda_entries(meeting: Meeting) -> list[AgendaEntry]:
    return [AgendaEntry(title=item.title, led_by=item.led_by, minutes=item.minutes)
            for item in meeting.agenda_items]


def feedback_link(meeting: Meeting, language: str) -> FeedbackLink | None:
    """Return the link, short link and QR code of the meeting's feedback form, if it has one."""
    survey = meeting.feedback_survey
    if survey is None:
        return None
    first = (meeting.languages or [None])[0]
    form_language = first if survey.offers(first) else None
    link = public_link(survey, form_language)
    return FeedbackLink(link=link, short_link=short_link(survey, form_language),
                        qr_svg=qr_svg(link, scale=4, title=survey.text("title", form_language)),
                        is_open=survey.is_open)


def agenda(meeting: Meeting, language: str = FALLBACK) -> Agenda:
    """Return the agenda of `meeting` in `language`."""
    with force_locale(language):
        return Agenda(heading=heading(meeting, language), facilitator=meeting.facilitator,
                      items=agenda_entries(meeting), feedback=feedback_link(meeting, language),
                      next_meeting=meeting.next_meeting)


def minutes(meeting: Meeting, *, audience: Audience) -> Minutes:
    """Return the minutes of `meeting` for `audience`; public minutes leave out notes and names."""
    is_public = audience is Audience.PUBLIC
    with force_locale(FALLBACK):
        top = heading(meeting, FALLBACK)
    return Minutes(
        heading=top, audience=audience, status=meeting.status_label,
        headcount=meeting.headcount, facilitator="" if is_public else meeting.facilitator,
        decisions=[_decision_entry(decision, audience) for decision in meeting.decisions],
        action_items=[_action_entry(item, audience) for item in meeting.action_items],
        agenda=[] if is_public else agenda_entries(meeting),
        notes="" if is_public else meeting.notes,
        next_meeting=meeting.next_meeting)


def _decision_entry(decision: Decision, audience: Audience) -> DecisionEntry:
    figures = [(label, suppress_small(value, audience)) for label, value in (
        ("For", decision.votes_for), ("Against", decision.votes_against),
        ("Abstentions", decision.abstentions)) if value is not None]
    return DecisionEntry(
        text=decision.text, method=decision.method_label, decided_by=decision.decided_by,
        figures=figures, result_note=decision.result_note,
        recorded_by=decision.recorded_by.name if audience.is_internal else "")


def _action_entry(item: ActionItem, audience: Audience) -> ActionEntry:
    return ActionEntry(description=item.description, owner=public_owner(item)
                       if audience is Audience.PUBLIC else item.owner_label,
                       due_on=item.due_on, is_done=item.is_done)


def public_owner(item: ActionItem) -> str:
    """Return who owns the item without naming them: library staff or a community member."""
    if item.owner is not None and item.owner.role in (Role.STAFF, Role.ADMIN):
        return "Library staff"
    return "A community member"


def sign_in_sheet(meeting: Meeting, *, version: str, language: str = FALLBACK,
                  large_print: bool = False) -> SignInSheet:
    """Return the sign-in sheet of `meeting`: with optional names, or a headcount tally only."""
    if version not in VERSIONS:
        raise ValueError(version)
    with force_locale(language):
        return SignInSheet(heading=heading(meeting, language), version=version,
                           name_rows=NAME_ROWS[large_print], tally_boxes=TALLY_BOXES[large_print],
                           kept_months=SIGN_IN_KEPT_MONTHS)
