"""Coding: turning a passage of something heard into an excerpt linked to themes.

Every codable thing (a conversation's notes, a quote, a long-text form answer, a meeting's
notes) becomes a `Source` here, which knows its text and where and when it was heard. Excerpts
copy that context when they are made, so "What we heard" counts with GROUP BY alone.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from app.accounts.models import User
from app.conversations.models import Conversation, Quote
from app.extensions import db
from app.meetings.models import Meeting
from app.records import as_utc
from app.surveys.models import Answer, QuestionKind
from app.themes.models import Excerpt, HeardThrough, SourceKind, Theme

#: Form answers staff may code: the written ones.
TEXT_QUESTION_KINDS = {QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT}


class CodingError(ValueError):
    """The passage cannot be coded as asked: the message says why in plain words."""


@dataclass(frozen=True)
class Source:
    """Something heard that staff can code, with its context."""

    kind: SourceKind
    record: Conversation | Quote | Answer | Meeting
    text: str
    #: One occasion of hearing; see Excerpt.source_key.
    source_key: str
    #: A reference to this very text, e.g. "quote:7"; used for suggestions and the queue.
    ref: str
    place_key: str
    place_label: str
    heard_on: date
    heard_through: HeardThrough
    focus_community_id: int | None
    branch_id: int | None
    is_sensitive: bool

    @property
    def column(self) -> str:
        """The Excerpt column naming this source."""
        return f"{self.kind.value}_id"


def _conversation_place(conversation: Conversation) -> tuple[str, str]:
    if conversation.space_id:
        return f"space:{conversation.space_id}", conversation.place_label
    if conversation.place_organization_id:
        return f"organization:{conversation.place_organization_id}", conversation.place_label
    if conversation.place_text.strip():
        return f"place:{conversation.place_text.strip().lower()[:200]}", conversation.place_text
    if conversation.branch_id:
        return f"branch:{conversation.branch_id}", conversation.branch.name
    return "", ""


def conversation_source(conversation: Conversation) -> Source:
    place_key, place_label = _conversation_place(conversation)
    return Source(
        kind=SourceKind.CONVERSATION, record=conversation, text=conversation.notes or "",
        source_key=f"conversation:{conversation.id}", ref=f"conversation:{conversation.id}",
        place_key=place_key, place_label=place_label, heard_on=conversation.happened_on,
        heard_through=HeardThrough.OUTREACH, focus_community_id=conversation.focus_community_id,
        branch_id=conversation.branch_id, is_sensitive=conversation.is_sensitive)


def quote_source(quote: Quote) -> Source:
    conversation = quote.conversation
    place_key, place_label = _conversation_place(conversation)
    return Source(
        kind=SourceKind.QUOTE, record=quote, text=quote.text or "",
        source_key=f"conversation:{conversation.id}", ref=f"quote:{quote.id}",
        place_key=place_key, place_label=place_label, heard_on=conversation.happened_on,
        heard_through=HeardThrough.OUTREACH, focus_community_id=conversation.focus_community_id,
        branch_id=conversation.branch_id, is_sensitive=conversation.is_sensitive)


def answer_source(answer: Answer) -> Source:
    response = answer.response
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    heard_on = as_utc(response.submitted_at).astimezone(zone).date()
    if response.branch_id:
        place_key, place_label = f"branch:{response.branch_id}", response.branch.name
    else:
        place_key, place_label = "", ""
    return Source(
        kind=SourceKind.ANSWER, record=answer, text=answer.text_value or "",
        source_key=f"response:{response.id}", ref=f"answer:{answer.id}",
        place_key=place_key, place_label=place_label, heard_on=heard_on,
        heard_through=HeardThrough(response.channel),
        focus_community_id=response.survey.focus_community_id, branch_id=response.branch_id,
        is_sensitive=False)


def meeting_source(meeting: Meeting) -> Source:
    if meeting.space_id:
        place_key, place_label = f"space:{meeting.space_id}", meeting.space.name
    elif meeting.place_text.strip():
        place_key = f"place:{meeting.place_text.strip().lower()[:200]}"
        place_label = meeting.place_text
    elif meeting.branch_id:
        place_key, place_label = f"branch:{meeting.branch_id}", meeting.branch.name
    else:
        place_key, place_label = "", ""
    return Source(
        kind=SourceKind.MEETING, record=meeting, text=meeting.notes or "",
        source_key=f"meeting:{meeting.id}", ref=f"meeting:{meeting.id}",
        place_key=place_key, place_label=place_label, heard_on=meeting.held_on,
        heard_through=HeardThrough.MEETING, focus_community_id=meeting.focus_community_id,
        branch_id=meeting.branch_id, is_sensitive=False)


SOURCE_MODELS = {
    "conversation": (Conversation, conversation_source),
    "quote": (Quote, quote_source),
    "answer": (Answer, answer_source),
    "meeting": (Meeting, meeting_source),
}


def source_for_ref(ref: str) -> Source | None:
    """Return the source named by a reference such as "quote:7", or None if there is none."""
    kind, _, raw_id = (ref or "").partition(":")
    if kind not in SOURCE_MODELS or not raw_id.isdigit():
        return None
    model, build = SOURCE_MODELS[kind]
    record = db.session.get(model, int(raw_id))
    if record is None:
        return None
    if kind == "answer" and record.question.kind not in TEXT_QUESTION_KINDS:
        return None  # a choice, number or date has no words to code
    return build(record)


def code_passage(source: Source, themes: Sequence[Theme], *, by: User,
                 start: int | None = None, end: int | None = None) -> Excerpt:
    """Code `source[start:end]` (the whole item when both are None) to `themes`.

    Raises CodingError when no theme is chosen, the offsets fall outside the text, or the
    passage is blank. The caller commits.
    """
    if not themes:
        raise CodingError("Choose at least one theme for this passage.")
    if (start is None) != (end is None):
        raise CodingError("A passage needs both a start and an end.")
    if start is None:
        text = source.text
    else:
        if not (0 <= start < end <= len(source.text)):
            raise CodingError("That passage is not in the text any more. Select it again.")
        text = source.text[start:end]
    if not text.strip():
        raise CodingError("The passage is empty. Select some words to code.")
    excerpt = Excerpt(
        source_kind=source.kind, text=text, start_offset=start, end_offset=end,
        source_key=source.source_key, place_key=source.place_key,
        place_label=source.place_label[:200], heard_on=source.heard_on,
        heard_through=source.heard_through, focus_community_id=source.focus_community_id,
        branch_id=source.branch_id, is_sensitive=source.is_sensitive, coded_by=by,
        themes=list(themes))
    setattr(excerpt, source.column, source.record.id)
    db.session.add(excerpt)
    db.session.flush()
    return excerpt


@dataclass(frozen=True)
class Segment:
    """A stretch of a source's text and the excerpts that cover it (none: not coded)."""

    text: str
    excerpts: tuple[Excerpt, ...] = ()

    @property
    def theme_names(self) -> list[str]:
        return sorted({theme.name for excerpt in self.excerpts for theme in excerpt.themes})


def excerpts_of(source: Source) -> list[Excerpt]:
    """Return the excerpts taken from this very text, in reading order, whole-item ones first."""
    column = getattr(Excerpt, source.column)
    return list(db.session.scalars(
        sa.select(Excerpt).where(column == source.record.id)
        .order_by(Excerpt.start_offset.is_not(None), Excerpt.start_offset, Excerpt.id)))


def _words_pattern(passage: str) -> re.Pattern | None:
    """Match the passage's words with any spacing between them, ignoring case."""
    words = passage.split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(word) for word in words), re.IGNORECASE)


def locate_passage(text: str, passage: str, *, after: int = 0,
                   near: int | None = None) -> tuple[int, int]:
    """Return where `passage` stands in `text`, as (start, end).

    Spacing and case may differ from the text, as in pasted words. With `near` (where the
    person selected it) the closest occurrence wins; otherwise the first one from `after`,
    else the first one. Raises CodingError when the words are not in the text.
    """
    pattern = _words_pattern(passage)
    found = list(pattern.finditer(text)) if pattern else []
    if not found:
        raise CodingError("Those words are not in the text. Copy them from the text above, "
                          "or tick “Code the whole text”.")
    if near is not None:
        match = min(found, key=lambda candidate: abs(candidate.start() - near))
    else:
        match = next((candidate for candidate in found if candidate.start() >= after), found[0])
    return match.start(), match.end()


def excerpt_span(text: str, excerpt: Excerpt) -> tuple[int, int] | None:
    """Return where the excerpt stands in the text today, or None (whole item, or gone).

    Notes may be edited after coding; an excerpt whose offsets no longer hold its words is
    looked for near where it was.
    """
    if excerpt.is_whole_item:
        return None
    start, end = excerpt.start_offset, excerpt.end_offset
    if text[start:end] == excerpt.text:
        return start, end
    try:
        return locate_passage(text, excerpt.text, near=start)
    except CodingError:
        return None


def highlight(text: str, excerpts: Sequence[Excerpt]) -> list[Segment]:
    """Split `text` into segments, each with the excerpts covering it, for <mark> on screen."""
    spans = [(span, excerpt) for excerpt in excerpts
             if (span := excerpt_span(text, excerpt)) is not None]
    cuts = sorted({0, len(text)} | {point for span, _ in spans for point in span})
    segments = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = tuple(excerpt for (first, last), excerpt in spans
                         if first <= start and end <= last)
        segments.append(Segment(text=text[start:end], excerpts=covering))
    return segments


def code_words(source: Source, themes: Sequence[Theme], *, by: User, passage: str | None,
               near: int | None = None) -> Excerpt:
    """Code the words `passage` of the source (None: the whole text) to `themes`.

    The words are found in the text (see locate_passage), after the passages already coded.
    Coding a passage that is already an excerpt adds the themes to that excerpt rather than
    storing it twice. Raises CodingError. The caller commits.
    """
    existing = excerpts_of(source)
    if passage is None:
        start = end = None
    else:
        after = max((excerpt.end_offset or 0 for excerpt in existing), default=0)
        start, end = locate_passage(source.text, passage, after=after, near=near)
    same = next((excerpt for excerpt in existing
                 if (excerpt.start_offset, excerpt.end_offset) == (start, end)), None)
    if same is None:
        return code_passage(source, themes, by=by, start=start, end=end)
    if not themes:
        raise CodingError("Choose at least one theme for this passage.")
    same.themes.extend(theme for theme in themes if theme not in same.themes)
    db.session.flush()
    return same


def excerpts_in(page_ref: str) -> tuple[list[Excerpt], list[Source]]:
    """Return the excerpts heard on a source page and the texts on it that can be coded.

    `page_ref` names a page: "conversation:12" (its notes and quotes), "response:40" (its
    written answers), "meeting:3", or one text such as "quote:7".
    """
    kind, _, raw_id = (page_ref or "").partition(":")
    if not raw_id.isdigit():
        return [], []
    if kind == "response":
        answers = db.session.scalars(sa.select(Answer.id).where(
            Answer.response_id == int(raw_id), Answer.text_value.is_not(None)))
        sources = [source for answer_id in answers
                   if (source := source_for_ref(f"answer:{answer_id}")) and source.text.strip()]
        condition = Excerpt.source_key == page_ref
    else:
        source = source_for_ref(page_ref)
        if source is None:
            return [], []
        sources = [source] if source.text.strip() else []
        condition = (Excerpt.source_key == page_ref if kind == "conversation"
                     else getattr(Excerpt, source.column) == source.record.id)
    excerpts = db.session.scalars(
        sa.select(Excerpt).where(condition).order_by(Excerpt.source_kind, Excerpt.id))
    return list(excerpts), sources
