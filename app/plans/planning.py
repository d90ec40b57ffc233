"""Use cases for plans: starting one, saving its community and internal parts, moving its
status, its success indicators, and the history shown on it. Services flush, never commit.

Every save keeps a PlanChange that says in words which parts changed, so the group can see who
changed what and when; a save that changes nothing leaves no history.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.extensions import db
from app.meetings.models import Decision, Meeting, MeetingStatus
from app.plans.membership import visible_to
from app.plans.models import (
    PLAN_MOVES,
    ActionGroup,
    Indicator,
    IndicatorLevel,
    Plan,
    PlanStateError,
    PlanStatus,
)
from app.surveys.models import Question, Survey
from app.themes.models import Priority, Theme


class PlanChangeRefused(Exception):
    """The plan cannot take that change now: the message says why in plain words."""


#: How each field of the community part is named in the plan's history.
COMMUNITY_PHRASES = {
    "title": "the title", "focus_community_id": "the focus community",
    "action_group_id": "the action group", "branch_id": "the branch", "goal": "the goal",
    "why": "the reasons", "summary": "the summary", "starts_on": "the dates",
    "ends_on": "the dates", "themes": "the themes", "priorities": "the priorities",
}
INTERNAL_PHRASES = {
    "staff_hours": "the staff hours", "budget": "the budget", "resources": "the resources",
    "risks": "the risks",
}
INDICATOR_PHRASES = {
    "statement": "the statement", "kind": "the kind", "level": "the level",
    "how_measured": "how it is measured", "collected_by": "who collects it",
    "frequency": "how often", "baseline": "the baseline", "target": "the target",
    "agreed_at": "where it was agreed", "questions": "the form questions",
}
#: The button people press for each move.
MOVE_LABELS = {
    PlanStatus.DRAFT: "Return to draft",
    PlanStatus.ENDORSED: "Record the community's endorsement",
    PlanStatus.ACTIVE: "Make the plan active",
    PlanStatus.UNDER_REVIEW: "Start a review",
    PlanStatus.CLOSED: "Close the plan",
}
CLOSED_MESSAGE = "This plan is closed. It stays as it was when it closed."
MEMBER_INDICATOR_MESSAGE = (
    "Once a plan has left draft, its indicators change through staff, after the group has "
    "decided at a meeting. Ask your staff liaison.")


@dataclass(frozen=True)
class PlanFilters:
    """The filters above the list of plans; 0 and "" mean "any"."""

    status: str = ""
    focus_community_id: int = 0
    action_group_id: int = 0


@dataclass(frozen=True)
class Move:
    """A status the plan could move to next, and why it cannot yet (None when it can)."""

    target: PlanStatus
    label: str
    reason: str | None
    needs_decision: bool


@dataclass(frozen=True)
class HistoryEntry:
    """One row of a plan's history as the viewer may see it."""

    who: str
    part: str
    summary: str
    changed_at: datetime


def plans_for(user: User, filters: PlanFilters | None = None) -> list[Plan]:
    """Return the plans `user` may see that match `filters`, by title."""
    filters = filters or PlanFilters()
    query = (sa.select(Plan).where(visible_to(user, Plan.action_group_id))
             .options(selectinload(Plan.focus_community), selectinload(Plan.action_group))
             .order_by(Plan.title, Plan.id))
    if filters.status:
        query = query.where(Plan.status == filters.status)
    if filters.focus_community_id:
        query = query.where(Plan.focus_community_id == filters.focus_community_id)
    if filters.action_group_id:
        query = query.where(Plan.action_group_id == filters.action_group_id)
    return list(db.session.scalars(query))


def start_plan(values: dict[str, Any], *, by: User) -> Plan:
    """Store a new draft plan with its title, focus community, group and branch."""
    plan = Plan(created_by=by, status=PlanStatus.DRAFT)
    _apply(plan, _resolved(values))
    db.session.add(plan)
    plan.record_change(by, "community", "Started the plan")
    db.session.flush()
    return plan


def save_plan_part(plan: Plan, values: dict[str, Any], *, by: User, part: str) -> str | None:
    """Save the community or internal part; return the history summary, or None if unchanged."""
    if plan.is_closed:
        raise PlanChangeRefused(CLOSED_MESSAGE)
    phrases = INTERNAL_PHRASES if part == "internal" else COMMUNITY_PHRASES
    changed = _apply(plan, _resolved(values))
    if not changed:
        return None
    summary = "Changed " + _join(phrases[name] for name in changed)
    plan.record_change(by, part, summary)
    db.session.flush()
    return summary


def move_plan(plan: Plan, target: PlanStatus, *, by: User,
              decision_id: int | None = None) -> None:
    """Move the plan to `target`, or raise PlanStateError saying why not."""
    decision = db.session.get(Decision, decision_id) if decision_id else None
    plan.move_to(target, by=by, decision=decision)
    db.session.flush()


def next_moves(plan: Plan, *, has_decisions: bool) -> list[Move]:
    """Return the moves open to the plan now, each with why it is not possible yet."""
    moves = []
    # Forward moves first; going back to draft is the exception, so it comes last.
    order = list(PlanStatus).index
    for target in sorted(PLAN_MOVES[PlanStatus(plan.status)],
                         key=lambda status: (status is PlanStatus.DRAFT, order(status))):
        needs_decision = target is PlanStatus.ENDORSED
        if needs_decision:
            reason = None if has_decisions else plan.refusal(target)
        else:
            reason = plan.refusal(target)
        label = "Back to active" if (
            target is PlanStatus.ACTIVE and plan.status == PlanStatus.UNDER_REVIEW
        ) else MOVE_LABELS[target]
        moves.append(Move(target, label, reason, needs_decision))
    return moves


def decision_choices(plan: Plan, *, group_only: bool = False) -> dict[str, list[tuple[int, str]]]:
    """Return decisions of held meetings, the plan's group's first, newest first, by heading.

    With `group_only`, only the group's own meetings are offered (what a member may see).
    """
    query = (sa.select(Decision).join(Decision.meeting)
             .where(Meeting.status == MeetingStatus.HELD)
             .options(selectinload(Decision.meeting))
             .order_by(Meeting.held_on.desc(), Decision.id.desc()))
    in_group = Meeting.action_group_id == plan.action_group_id
    own = list(db.session.scalars(query.where(in_group))) if plan.action_group_id else []
    groups: dict[str, list[tuple[int, str]]] = {}
    if own:
        groups[f"Meetings of {plan.action_group.name}"] = [_decision_pair(d) for d in own]
    if not group_only:
        others = query.where(sa.or_(Meeting.action_group_id.is_(None), ~in_group))
        rows = [_decision_pair(d) for d in db.session.scalars(others)]
        if rows:
            groups["Other meetings" if own else "Meetings"] = rows
    return groups


def _decision_pair(decision: Decision) -> tuple[int, str]:
    meeting = decision.meeting
    text = decision.text if len(decision.text) <= 90 else decision.text[:89] + "…"
    return decision.id, f"{meeting.title}, {meeting.held_on.day} {meeting.held_on:%b %Y}: {text}"


def theme_choices(plan: Plan) -> list[tuple[int, str]]:
    """Return themes of the plan's focus community (or of none), and those already chosen."""
    query = sa.select(Theme).order_by(Theme.name)
    if plan.focus_community_id:
        query = query.where(sa.or_(Theme.focus_community_id == plan.focus_community_id,
                                   Theme.focus_community_id.is_(None)))
    themes = _with_chosen(db.session.scalars(query), plan.themes)
    return [(theme.id, f"{theme.name} ({theme.kind_label.lower()})") for theme in themes]


def priority_choices(plan: Plan) -> list[tuple[int, str]]:
    """Return priorities of the plan's focus community (or of none), and those already chosen."""
    query = sa.select(Priority).order_by(Priority.title)
    if plan.focus_community_id:
        query = query.where(sa.or_(Priority.focus_community_id == plan.focus_community_id,
                                   Priority.focus_community_id.is_(None)))
    priorities = _with_chosen(db.session.scalars(query), plan.priorities)
    return [(priority.id, f"{priority.title} ({priority.status_label.lower()})")
            for priority in priorities]


def question_choices(plan: Plan, *, every_form: bool = False,
                     chosen: Iterable[Question] = ()) -> list[tuple[int, str]]:
    """Return "form title: question" pairs of the focus community's forms, or of every form."""
    query = (sa.select(Question).join(Question.survey)
             .where(Question.is_retired.is_(False))
             .options(selectinload(Question.survey))
             .order_by(Survey.id, Question.position, Question.id))
    if plan.focus_community_id and not every_form:
        query = query.where(sa.or_(Survey.focus_community_id == plan.focus_community_id,
                                   Survey.focus_community_id.is_(None)))
    questions = _with_chosen(db.session.scalars(query), chosen)
    return [(question.id, f"{question.survey.title}: {question.text('prompt')}")
            for question in questions]


def _with_chosen(rows: Iterable, chosen: Iterable) -> list:
    found = list(rows)
    return found + [row for row in chosen if row not in found]


def save_indicator(plan: Plan, indicator: Indicator | None, values: dict[str, Any], *,
                   by: User) -> Indicator:
    """Add an indicator to the plan, or change one; refuse what the plan's state forbids."""
    _check_indicators_open(plan, by)
    values = _resolved(values)
    if indicator is None:
        indicator = Indicator(position=len(plan.indicators))
        _apply(indicator, values)
        plan.indicators.append(indicator)
        plan.record_change(by, "indicator", f"Added the indicator “{indicator.statement}”")
    else:
        changed = _changes(indicator, values)
        reason = indicator.refusal(set(changed))
        if reason:
            raise PlanStateError(reason)
        _apply(indicator, values)
        if changed:
            plan.record_change(by, "indicator", f"Changed the indicator “{indicator.statement}”: "
                                                + _join(INDICATOR_PHRASES[n] for n in changed))
    db.session.flush()
    return indicator


def remove_indicator(indicator: Indicator, *, by: User) -> None:
    """Remove an indicator that is not yet part of the record."""
    plan = indicator.plan
    _check_indicators_open(plan, by)
    if not indicator.may_be_removed:
        raise PlanStateError("This indicator was agreed at a meeting and the plan has left "
                             "draft, so it stays on the record.")
    plan.record_change(by, "indicator", f"Removed the indicator “{indicator.statement}”")
    plan.indicators.remove(indicator)
    db.session.flush()


def indicator_refusal(plan: Plan, user: User) -> str | None:
    """Return why `user` may not add, change or remove the plan's indicators now, or None."""
    if plan.is_closed:
        return CLOSED_MESSAGE
    if not user.is_staff and not plan.is_draft:
        return MEMBER_INDICATOR_MESSAGE
    return None


def _check_indicators_open(plan: Plan, by: User) -> None:
    reason = indicator_refusal(plan, by)
    if reason:
        raise PlanChangeRefused(reason)


def indicator_groups(plan: Plan) -> list[tuple[str, list[Indicator]]]:
    """Return the indicators as ("Outcomes", [...]) then ("Outputs", [...]), empty groups out."""
    order = list(IndicatorLevel)
    ranked = sorted(plan.indicators,
                    key=lambda i: (order.index(IndicatorLevel(i.level)), i.position, i.id))
    groups = [("Outcomes", [i for i in ranked if i.is_outcome]),
              ("Outputs", [i for i in ranked if not i.is_outcome])]
    return [(heading, indicators) for heading, indicators in groups if indicators]


def history_for(plan: Plan, viewer: User) -> list[HistoryEntry]:
    """Return the plan's history, newest first, naming people only as the viewer may see them.

    Staff see every name. A member sees staff by name, themselves, and other members by the
    name they agreed to be listed under, or else as "A group member".
    """
    listed = {}
    if not viewer.is_staff and plan.action_group is not None:
        listed = {m.user_id: m.display_name for m in plan.action_group.listed_members()}
    entries = []
    for change in plan.changes:
        author = change.changed_by
        if author is None:
            who = "Someone no longer on Groundwork"
        elif viewer.is_staff or author.is_staff or author.id == viewer.id:
            who = author.name
        else:
            who = listed.get(author.id, "A group member")
        entries.append(HistoryEntry(who, change.part, change.summary, change.changed_at))
    return entries


def group_choices(*, blank: str) -> list[tuple[int, str]]:
    """Return (id, name) pairs of every action group."""
    rows = db.session.execute(sa.select(ActionGroup.id, ActionGroup.name)
                              .order_by(ActionGroup.name))
    return [(0, blank)] + [(row.id, row.name) for row in rows]


#: Fields of the forms that name records by id, and the relationship each one fills.
RELATED = {"theme_ids": ("themes", Theme), "priority_ids": ("priorities", Priority),
           "question_ids": ("questions", Question), "agreed_at_id": ("agreed_at", Decision)}


def _resolved(values: dict[str, Any]) -> dict[str, Any]:
    """Return `values` with ids of related records replaced by the records themselves."""
    resolved = {}
    for name, value in values.items():
        if name not in RELATED:
            resolved[name] = value
            continue
        relation, model = RELATED[name]
        if isinstance(value, list):
            rows = db.session.scalars(sa.select(model).where(model.id.in_(value))) if value else []
            resolved[relation] = list(rows)
        else:
            resolved[relation] = db.session.get(model, value) if value else None
    return resolved


def _changes(record: Plan | Indicator, values: dict[str, Any]) -> list[str]:
    """Return the names in `values` whose value differs from the record's, in order."""
    changed = []
    for name, value in values.items():
        current = getattr(record, name)
        if isinstance(current, list):
            differs = {row.id for row in current} != {row.id for row in value}
        else:
            differs = current != value
        if differs:
            changed.append(name)
    return changed


def _apply(record: Plan | Indicator, values: dict[str, Any]) -> list[str]:
    changed = _changes(record, values)
    for name in changed:
        setattr(record, name, values[name])
    return changed


def _join(phrases: Iterable[str]) -> str:
    """Return "a, b and c" from the distinct phrases, in order."""
    unique = list(dict.fromkeys(phrases))
    return unique[0] if len(unique) == 1 else ", ".join(unique[:-1]) + " and " + unique[-1]
