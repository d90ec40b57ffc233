"""Evaluations of a plan: starting one, writing it together, choosing its stories and signing
it off through a decision of a meeting that was held. Services flush, never commit.

Staff start an evaluation; staff and the plan's group members write its text parts. Once signed
off, an evaluation is the record of what was agreed and takes no more changes. Every change is
kept in the plan's history.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.evaluation.models import Evaluation, EvaluationError
from app.evaluation.stories import plan_stories
from app.extensions import db
from app.meetings.models import Decision
from app.plans.models import Plan
from app.templating import format_date

SIGNED_OFF_MESSAGE = ("This evaluation was signed off, so it stays as it was agreed. Start a "
                      "new evaluation to look at another period.")
CLOSED_MESSAGE = "This plan is closed. It stays as it was when it closed."

#: How each field is named in the plan's history.
FIELD_PHRASES = {
    "title": "the title", "period_start": "the period", "period_end": "the period",
    "evaluators": "who evaluated", "methods": "the methods", "lessons": "the lessons",
    "keep": "what to keep", "change": "what to change", "stop": "what to stop",
    "start": "what to start", "recommendations": "the recommendations",
    "policy_changes": "the policy changes", "what_changed": "what changed",
}


class EvaluationRefused(Exception):
    """The evaluation cannot take that change now: the message says why in plain words."""


@dataclass(frozen=True)
class EvaluationLine:
    """One evaluation as the plan's evaluation page lists it."""

    id: int
    title: str
    period: str
    sign_off: str
    is_signed_off: bool


def overview(plan: Plan, user: User) -> dict:
    """Return what the plan's evaluation page shows of this part."""
    evaluations = db.session.scalars(
        sa.select(Evaluation).where(Evaluation.plan_id == plan.id)
        .options(selectinload(Evaluation.signed_off_by))
        .order_by(Evaluation.period_start.desc(), Evaluation.id.desc()))
    lines = [EvaluationLine(id=evaluation.id, title=evaluation.title,
                            period=period_text(evaluation.period_start, evaluation.period_end),
                            sign_off=sign_off_text(evaluation),
                            is_signed_off=evaluation.is_signed_off)
             for evaluation in evaluations]
    return {"lines": lines, "may_start": user.is_staff and not plan.is_closed}


def period_text(start: date, end: date) -> str:
    """Return "1 January 2026 to 30 June 2026"."""
    return f"{format_date(start)} to {format_date(end)}"


def sign_off_text(evaluation: Evaluation) -> str:
    """Return "Signed off at <meeting> on <date>", or that it is not signed off yet."""
    decision = evaluation.signed_off_by
    if decision is None:
        return "Not signed off yet"
    meeting = decision.meeting
    return f"Signed off at “{meeting.title}” on {format_date(meeting.held_on)}"


def start_evaluation(plan: Plan, values: dict[str, Any], *, by: User) -> Evaluation:
    """Store a new evaluation of the plan over a period."""
    if plan.is_closed:
        raise EvaluationRefused(CLOSED_MESSAGE)
    evaluation = Evaluation(plan=plan, created_by=by)
    _apply(evaluation, values)
    db.session.add(evaluation)
    plan.record_change(by, "evaluation", f"Started the evaluation “{evaluation.title}”")
    db.session.flush()
    return evaluation


def save_evaluation(evaluation: Evaluation, values: dict[str, Any], *, by: User) -> str | None:
    """Save the evaluation's text; return the history summary, or None when nothing changed."""
    _check_open(evaluation)
    changed = _apply(evaluation, values)
    if not changed:
        return None
    summary = (f"Changed the evaluation “{evaluation.title}”: "
               + _join(FIELD_PHRASES[name] for name in changed))
    evaluation.plan.record_change(by, "evaluation", summary)
    db.session.flush()
    return summary


def choose_stories(evaluation: Evaluation, story_ids: list[int], *, by: User) -> bool:
    """Feature the plan's stories named by `story_ids`; return whether the choice changed."""
    _check_open(evaluation)
    chosen = [story for story in plan_stories(evaluation.plan) if story.id in set(story_ids)]
    if {story.id for story in chosen} == {story.id for story in evaluation.stories}:
        return False
    evaluation.stories = chosen
    titles = ", ".join(f"“{story.title}”" for story in chosen) or "none"
    evaluation.plan.record_change(
        by, "evaluation", f"Chose the stories of the evaluation “{evaluation.title}”: {titles}")
    db.session.flush()
    return True


def sign_off_evaluation(evaluation: Evaluation, decision_id: int | None, *, by: User) -> None:
    """Record the sign-off by a decision of a held meeting, or raise EvaluationRefused."""
    _check_open(evaluation)
    decision = db.session.get(Decision, decision_id) if decision_id else None
    if decision is None:
        raise EvaluationRefused("Choose the decision, from a meeting that was held, that "
                                "signed off this evaluation.")
    try:
        evaluation.sign_off(decision)
    except EvaluationError as refused:
        raise EvaluationRefused(str(refused)) from refused
    evaluation.plan.record_change(
        by, "evaluation", f"Signed off the evaluation “{evaluation.title}”: "
                          f"{sign_off_text(evaluation).removeprefix('Signed off ')}")
    db.session.flush()


def _check_open(evaluation: Evaluation) -> None:
    if evaluation.is_signed_off:
        raise EvaluationRefused(SIGNED_OFF_MESSAGE)
    if evaluation.plan.is_closed:
        raise EvaluationRefused(CLOSED_MESSAGE)


def _apply(evaluation: Evaluation, values: dict[str, Any]) -> list[str]:
    changed = [name for name, value in values.items() if getattr(evaluation, name) != value]
    for name in changed:
        setattr(evaluation, name, values[name])
    return changed


def _join(phrases) -> str:
    """Return "a, b and c" from the distinct phrases, in order."""
    unique = list(dict.fromkeys(phrases))
    return unique[0] if len(unique) == 1 else ", ".join(unique[:-1]) + " and " + unique[-1]
