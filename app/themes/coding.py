"""Coding: turning a passage of something heard into an excerpt linked to themes.

Every codable thing (a conversation's notes, a quote, a long-text form answer, a meeting's
notes) becomes a `Source` here, which knows its text and where and when it was heard. Excerpts
copy that context when they are made, so "What we heard" counts with GROUP BY alone.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from flask import current_app

from app.accounts.models import User
from app.conversations.models import Conversation, Quote
from app.extensions import db
from app.meetings.models import Meeting
from app.records import as_utc
from app.surveys.models import Answer
from app.themes.models import Excerpt, HeardThrough, SourceKind, Theme


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
    return build(record) if record is not None else None


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
