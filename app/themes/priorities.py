"""Priorities and dot votes: drafting priorities from themes, putting them to a meeting, counting
the dots, and making the chosen ones community-endorsed through the meeting's decision.

Services flush, never commit. They raise named exceptions whose messages are plain words the
screens show next to the field concerned.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.community.models import FocusCommunity
from app.extensions import db
from app.meetings.models import Decision, DecisionMethod, Meeting, MeetingStatus
from app.records import library_today
from app.themes.models import DotVote, Priority, PriorityStatus, Theme, ThemeStatus

#: How far back the priorities page lists meetings that held a dot vote.
RECENT_MEETING_DAYS = 120
#: Dots each person gets on a printed sheet unless the link asks for another number.
DEFAULT_DOTS = 3
MAX_DOTS = 20


class VoteLocked(Exception):
    """The decision from this meeting's vote is on record, so the vote can no longer change."""


class NoCandidates(Exception):
    """The meeting has no candidate priorities to vote on or decide from."""


class VotesNotCounted(Exception):
    """Some candidates have no dots entered yet."""


class BadChoice(Exception):
    """The priorities chosen are not candidates of this meeting."""


@dataclass(frozen=True)
class PriorityDraft:
    """What staff typed for a priority."""

    title: str
    theme_id: int | None
    focus_community_id: int | None
    rationale: str
    rank: int | None


@dataclass
class CommunityPriorities:
    """The priorities of one focus community (or of none), endorsed ones first."""

    name: str
    focus_community_id: int | None
    endorsed: list[Priority] = field(default_factory=list)
    drafts: list[Priority] = field(default_factory=list)


@dataclass(frozen=True)
class VoteMeeting:
    """A meeting as the list of dot votes shows it."""

    meeting: Meeting
    candidates: int
    is_decided: bool


@dataclass(frozen=True)
class PriorityVote:
    """The dots a priority got at one meeting, and its place there."""

    meeting: Meeting
    dots: int | None
    place: int | None
    candidates: int


@dataclass(frozen=True)
class TallyRow:
    """One candidate's dots and place in the ranking."""

    priority_id: int
    title: str
    theme: str
    dots: int | None
    place: int | None
    share: int | None
    is_endorsed: bool


@dataclass(frozen=True)
class VoteTally:
    """The candidates of a meeting's dot vote, most dots first once counted."""

    rows: list[TallyRow]
    total: int

    @property
    def is_counted(self) -> bool:
        return bool(self.rows) and all(row.dots is not None for row in self.rows)


@dataclass(frozen=True)
class SheetCandidate:
    """A candidate as the printed dot-vote sheet shows it: no names, plain words."""

    number: int
    title: str
    description: str
    theme: str


@dataclass(frozen=True)
class DotVoteSheet:
    """Everything the dot-vote sheet prints."""

    meeting_title: str
    held_on: date
    place: str
    dots: int
    candidates: list[SheetCandidate]


def grouped_priorities() -> list[CommunityPriorities]:
    """Return every priority by focus community; endorsed first (by rank), then drafts."""
    query = (sa.select(Priority)
             .options(selectinload(Priority.focus_community), selectinload(Priority.theme),
                      selectinload(Priority.decision).selectinload(Decision.meeting))
             .order_by(Priority.rank.is_(None), Priority.rank, Priority.title))
    groups: dict[int | None, CommunityPriorities] = {}
    for priority in db.session.scalars(query):
        community = priority.focus_community
        key = community.id if community else None
        group = groups.setdefault(key, CommunityPriorities(
            name=community.name if community else "No focus community", focus_community_id=key))
        (group.endorsed if priority.is_endorsed else group.drafts).append(priority)
    return sorted(groups.values(), key=lambda group: (group.focus_community_id is None,
                                                      group.name.lower()))


def vote_meetings() -> list[VoteMeeting]:
    """Return meetings that may hold a dot vote: upcoming ones and those held lately."""
    since = library_today() - timedelta(days=RECENT_MEETING_DAYS)
    counts = (sa.select(DotVote.meeting_id, sa.func.count().label("candidates"))
              .group_by(DotVote.meeting_id).subquery())
    query = (sa.select(Meeting, sa.func.coalesce(counts.c.candidates, 0))
             .outerjoin(counts, counts.c.meeting_id == Meeting.id)
             .where(Meeting.status != MeetingStatus.CANCELLED, Meeting.held_on >= since)
             .options(selectinload(Meeting.focus_community), selectinload(Meeting.decisions))
             .order_by(Meeting.held_on.desc(), Meeting.id.desc()))
    return [VoteMeeting(meeting=meeting, candidates=count,
                        is_decided=vote_decision(meeting) is not None)
            for meeting, count in db.session.execute(query)]


def draft_priority(by: User, *, theme: Theme | None = None) -> Priority:
    """Return an unsaved priority, drawn from `theme` when one is given."""
    return Priority(created_by=by, theme=theme,
                    focus_community=theme.focus_community if theme else None)


def save_priority(priority: Priority, draft: PriorityDraft) -> Priority:
    """Store what staff typed; a priority without a focus community takes its theme's."""
    priority.title = draft.title
    priority.rationale = draft.rationale
    priority.rank = draft.rank
    # Relationships, not ids: a new priority may carry a theme chosen before it was saved.
    priority.theme = db.session.get(Theme, draft.theme_id) if draft.theme_id else None
    priority.focus_community = (
        db.session.get(FocusCommunity, draft.focus_community_id) if draft.focus_community_id
        else priority.theme.focus_community if priority.theme else None)
    db.session.add(priority)
    db.session.flush()
    return priority


def theme_and_community_choices() -> dict[str, list[tuple[int, str]]]:
    """Return the select choices of the priority form: themes and focus communities."""
    themes = db.session.scalars(sa.select(Theme).order_by(Theme.name))
    communities = db.session.scalars(sa.select(FocusCommunity).order_by(FocusCommunity.name))
    return {"theme_id": [(0, "No theme")] + [(theme.id, theme.name) for theme in themes],
            "focus_community_id": [(0, "None")] + [(community.id, community.name)
                                                  for community in communities]}


def decision_choices(priority: Priority) -> list[tuple[int, str]]:
    """Return decisions of held meetings, the priority's focus community first, newest first."""
    query = (sa.select(Decision).join(Decision.meeting)
             .where(Meeting.status == MeetingStatus.HELD)
             .options(selectinload(Decision.meeting))
             .order_by(Meeting.held_on.desc(), Decision.id.desc()))
    decisions = sorted(db.session.scalars(query), key=lambda decision: (
        decision.meeting.focus_community_id != priority.focus_community_id))
    return [(decision.id, f"{decision.meeting.held_on:%d %b %Y}, {decision.meeting.title}: "
                          f"{_shorten(decision.text, 90)}") for decision in decisions]


def endorse_priority(priority: Priority, decision: Decision | None) -> None:
    """Endorse `priority` through `decision`; its theme becomes prioritised.

    Raises PriorityStateError (from the model) unless the decision was taken at a held meeting.
    """
    priority.endorse(decision)
    if priority.theme is not None:
        priority.theme.status = ThemeStatus.PRIORITISED
    db.session.flush()


def return_to_draft(priority: Priority) -> None:
    """Make `priority` a staff draft again; its theme stays prioritised only for other reasons."""
    priority.return_to_draft()
    db.session.flush()
    theme = priority.theme
    if theme is not None and theme.status == ThemeStatus.PRIORITISED:
        still_endorsed = db.session.scalar(sa.select(sa.func.count(Priority.id)).where(
            Priority.theme_id == theme.id,
            Priority.status == PriorityStatus.COMMUNITY_ENDORSED))
        if not still_endorsed:
            theme.status = ThemeStatus.CONFIRMED
    db.session.flush()


def candidates(meeting: Meeting) -> list[DotVote]:
    """Return the meeting's candidate priorities in sheet order."""
    query = (sa.select(DotVote).where(DotVote.meeting_id == meeting.id)
             .options(selectinload(DotVote.priority).selectinload(Priority.theme))
             .order_by(DotVote.position, DotVote.priority_id))
    return list(db.session.scalars(query))


def eligible_priorities(meeting: Meeting) -> list[Priority]:
    """Return priorities that may stand at `meeting`: its focus community's, or any if none."""
    query = sa.select(Priority).order_by(Priority.rank.is_(None), Priority.rank, Priority.title)
    if meeting.focus_community_id is not None:
        chosen = sa.select(DotVote.priority_id).where(DotVote.meeting_id == meeting.id)
        query = query.where(sa.or_(Priority.focus_community_id == meeting.focus_community_id,
                                   Priority.id.in_(chosen)))
    return list(db.session.scalars(query))


def vote_decision(meeting: Meeting) -> Decision | None:
    """Return the decision already recorded from this meeting's dot vote, if any."""
    return next((decision for decision in meeting.decisions
                 if decision.method == DecisionMethod.DOT_VOTE), None)


def set_candidates(meeting: Meeting, priority_ids: list[int]) -> None:
    """Make `priority_ids`, in that order, the meeting's candidates; dots already entered stay."""
    _refuse_if_decided(meeting)
    allowed = {priority.id for priority in eligible_priorities(meeting)}
    if not set(priority_ids) <= allowed:
        raise BadChoice("Choose from the priorities listed here.")
    existing = {vote.priority_id: vote for vote in candidates(meeting)}
    for priority_id, vote in existing.items():
        if priority_id not in priority_ids:
            db.session.delete(vote)
    for position, priority_id in enumerate(priority_ids, start=1):
        vote = existing.get(priority_id) or DotVote(meeting_id=meeting.id,
                                                    priority_id=priority_id)
        vote.position = position
        db.session.add(vote)
    db.session.flush()


def record_votes(meeting: Meeting, dots: dict[int, int]) -> None:
    """Store the dots each candidate got, keyed by priority id."""
    _refuse_if_decided(meeting)
    for vote in candidates(meeting):
        if vote.priority_id in dots:
            vote.dots = dots[vote.priority_id]
    db.session.flush()


def vote_tally(meeting: Meeting) -> VoteTally:
    """Return the candidates with their dots, ranked; tied candidates share a place."""
    votes = candidates(meeting)
    total = sum(vote.dots or 0 for vote in votes)
    ordered = sorted(votes, key=lambda vote: (vote.dots is None, -(vote.dots or 0),
                                              vote.position))
    rows = []
    for vote in ordered:
        better = sum(1 for other in votes if (other.dots or 0) > (vote.dots or 0))
        rows.append(TallyRow(
            priority_id=vote.priority_id, title=vote.priority.title,
            theme=vote.priority.theme.name if vote.priority.theme else "",
            dots=vote.dots, place=better + 1 if vote.dots is not None else None,
            share=round(100 * vote.dots / total) if total and vote.dots is not None else None,
            is_endorsed=vote.priority.is_endorsed))
    return VoteTally(rows=rows, total=total)


def decide_from_votes(meeting: Meeting, chosen_ids: list[int], *, decided_by: str,
                      voters: int | None, by: User) -> Decision:
    """Record the meeting's decision from its dot vote and endorse the chosen priorities.

    Raises MeetingStateError unless the meeting was held, VoteLocked if the vote was already
    decided, VotesNotCounted or NoCandidates if there is nothing to decide from, and BadChoice
    if a chosen priority was not a candidate.
    """
    _refuse_if_decided(meeting)
    tally = vote_tally(meeting)
    if not tally.rows:
        raise NoCandidates("This meeting has no candidates to decide from.")
    if not tally.is_counted:
        raise VotesNotCounted("Enter the dots for every candidate first.")
    rows = {row.priority_id: row for row in tally.rows}
    if not chosen_ids or not set(chosen_ids) <= set(rows):
        raise BadChoice("Tick at least one of the candidates the meeting chose.")
    chosen = [row for row in tally.rows if row.priority_id in chosen_ids]
    decision = meeting.record_decision(
        text=_decision_text(chosen, [row for row in tally.rows if row not in chosen]),
        method=DecisionMethod.DOT_VOTE, decided_by=decided_by, recorded_by=by,
        result_note=_figures(tally, voters))
    db.session.flush()
    for rank, row in enumerate(chosen, start=1):
        priority = db.session.get(Priority, row.priority_id)
        endorse_priority(priority, decision)
        priority.rank = rank
    db.session.flush()
    return decision


def dot_vote_sheet(meeting: Meeting, *, dots: int = DEFAULT_DOTS) -> DotVoteSheet:
    """Return the printed sheet's content: the candidates in order, described in plain words."""
    entries = []
    for number, vote in enumerate(candidates(meeting), start=1):
        priority = vote.priority
        theme = priority.theme
        description = priority.rationale.strip() or (theme.description.strip() if theme else "")
        entries.append(SheetCandidate(number=number, title=priority.title,
                                      description=description,
                                      theme=theme.name if theme else ""))
    return DotVoteSheet(meeting_title=meeting.title, held_on=meeting.held_on,
                        place=meeting.place_label or (meeting.branch.name if meeting.branch
                                                      else ""),
                        dots=dots, candidates=entries)


def votes_for(priority: Priority) -> list[PriorityVote]:
    """Return the dots `priority` got at each meeting where it stood, newest meeting first."""
    results = []
    for vote in sorted(priority.votes, key=lambda vote: vote.meeting.held_on, reverse=True):
        tally = vote_tally(vote.meeting)
        row = next(row for row in tally.rows if row.priority_id == priority.id)
        results.append(PriorityVote(meeting=vote.meeting, dots=row.dots, place=row.place,
                                    candidates=len(tally.rows)))
    return results


def _refuse_if_decided(meeting: Meeting) -> None:
    decision = vote_decision(meeting)
    if decision is not None:
        raise VoteLocked("The decision from this vote is on record, so the candidates and "
                         "the dots can no longer change.")


def _decision_text(chosen: list[TallyRow], others: list[TallyRow]) -> str:
    lines = ["By dot vote, the meeting chose these priorities:"]
    lines += [f"{number}. {row.title} ({_dots(row.dots)})"
              for number, row in enumerate(chosen, start=1)]
    if others:
        lines.append("Also on the sheet: " + "; ".join(
            f"{row.title} ({_dots(row.dots)})" for row in others) + ".")
    return "\n".join(lines)


def _figures(tally: VoteTally, voters: int | None) -> str:
    counts = " · ".join(f"{_shorten(row.title, 60)}: {row.dots}" for row in tally.rows)
    people = f" from {voters} people" if voters else ""
    return _shorten(f"{_dots(tally.total)}{people}. {counts}", 500)


def _dots(count: int | None) -> str:
    return "1 dot" if count == 1 else f"{count or 0} dots"


def _shorten(text: str, length: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length - 1].rstrip() + "…"
