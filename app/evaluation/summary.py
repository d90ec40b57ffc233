"""Plain data for an evaluation: its page, the evaluation summary and "You said, we did".

The audience decides what is in it. Outside the library a share answered by fewer than 5 people
shows "fewer than 5 answers" and no percentage, internal-only stories are left out and tellers
are named only as `Story.public_teller` allows; who collected a story is said only internally.
The handout is for the public: no staff names, no contact details, no counts under 5.
"""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from markupsafe import Markup
from sqlalchemy.orm import selectinload

from app.documents.audience import SMALL_CELL, Audience, suppress_small
from app.documents.charts import bar_chart_svg
from app.evaluation import measuring, outcomes
from app.evaluation.evaluating import period_text, sign_off_text
from app.evaluation.measuring import IndicatorResult, PeriodValue
from app.evaluation.models import Evaluation, MeasureMethod, Story
from app.extensions import db
from app.plans.activities import OutputTotals, output_totals
from app.plans.document import QuoteEntry, plan_document
from app.plans.models import Activity, ActivityStatus

HIDDEN_SHARE = f"fewer than {SMALL_CELL} answers"


@dataclass(frozen=True)
class PeriodLine:
    """One period of an indicator; `value` is None when hidden or given in words."""

    label: str
    text: str
    value: float | None
    is_hidden: bool


@dataclass(frozen=True)
class IndicatorLine:
    statement: str
    method: str
    progress: str
    periods: list[PeriodLine]
    chart: Markup | None
    #: How many periods had nothing measured in them.
    unmeasured: int


@dataclass(frozen=True)
class ShareText:
    """"9 of 12 agreed (75%)", or why there is no figure; `percent` is None when not shown."""

    text: str
    percent: float | None


@dataclass(frozen=True)
class OutcomeEntry:
    outcome: str
    statement: str
    immediate: ShareText
    follow_up: ShareText


@dataclass(frozen=True)
class StoryEntry:
    title: str
    domain: str
    what_changed: str
    why_it_matters: str
    teller: str
    consent: str
    is_public: bool
    #: "Chosen by <panel> on <date>: <reason>", one line per selection.
    reasons: list[str]
    #: Internal only: who collected the story.
    collected_by: str


@dataclass(frozen=True)
class ActivityEntry:
    title: str
    kind: str
    status: str
    description: str
    outputs: OutputTotals
    #: Sessions, people, new cards, items borrowed and referrals as the audience may see them.
    shown: list[str]


@dataclass(frozen=True)
class EvaluationSummary:
    """What the evaluation page and the evaluation summary show to an audience."""

    title: str
    plan_title: str
    focus_community: str
    period: str
    evaluation: Evaluation
    sign_off: str
    indicators: list[IndicatorLine]
    outcomes: list[OutcomeEntry]
    outcome_chart: Markup | None
    activities: list[ActivityEntry]
    totals: list[str]
    stories: list[StoryEntry]


@dataclass(frozen=True)
class HeardEntry:
    name: str
    quotes: list[QuoteEntry]


@dataclass(frozen=True)
class ResultEntry:
    """An indicator for the public: the community's words and what the figures say."""

    statement: str
    latest: str
    progress: str


@dataclass(frozen=True)
class HandoutOutput:
    """A counted output for the public; `shown` is "fewer than 5" for small counts."""

    name: str
    shown: str


@dataclass(frozen=True)
class Handout:
    """What "You said, we did" shows: heard, did, changed, next. Public audience only."""

    title: str
    focus_community: str
    period_start: date
    period_end: date
    signed_off_on: date | None
    heard: list[HeardEntry]
    activities: list[ActivityEntry]
    outputs: list[HandoutOutput]
    what_changed: str
    results: list[ResultEntry]
    stories: list[StoryEntry]
    keep: str
    change: str
    start: str
    recommendations: str


def evaluation_summary(evaluation: Evaluation, audience: Audience) -> EvaluationSummary:
    """Return what the evaluation page and summary show to `audience`."""
    plan = evaluation.plan
    start, end = evaluation.period_start, evaluation.period_end
    entries = [_outcome_entry(line, audience)
               for line in outcomes.outcome_summary(plan, start, end)
               if line.immediate is not None or line.follow_up is not None]
    activities = activity_entries(evaluation, audience)
    return EvaluationSummary(
        title=evaluation.title, plan_title=plan.title,
        focus_community=plan.focus_community.name if plan.focus_community else "",
        period=period_text(start, end), evaluation=evaluation,
        sign_off=sign_off_text(evaluation),
        indicators=[_indicator_line(result, audience)
                    for result in measuring.indicator_results(plan, start, end)],
        outcomes=entries, outcome_chart=_outcome_chart(entries), activities=activities,
        totals=shown_outputs(_sum(activity.outputs for activity in activities), audience),
        stories=story_entries(evaluation, audience))


def you_said_we_did(evaluation: Evaluation) -> Handout:
    """Return the public handout's content; call it under the headings' locale."""
    plan = evaluation.plan
    activities = activity_entries(evaluation, Audience.PUBLIC, with_dropped=False)
    totals = _sum(activity.outputs for activity in activities)
    results = measuring.indicator_results(plan, evaluation.period_start, evaluation.period_end)
    decision = evaluation.signed_off_by
    return Handout(
        title=evaluation.title,
        focus_community=plan.focus_community.name if plan.focus_community else "",
        period_start=evaluation.period_start, period_end=evaluation.period_end,
        signed_off_on=decision.meeting.held_on if decision else None,
        heard=[HeardEntry(theme.name, theme.quotes)
               for theme in plan_document(plan, Audience.PUBLIC).themes],
        activities=activities,
        outputs=[HandoutOutput(name, suppress_small(value, Audience.PUBLIC))
                 for name, value in _counted(totals) if value],
        what_changed=evaluation.what_changed,
        results=[entry for entry in map(_result_entry, results) if entry is not None],
        stories=story_entries(evaluation, Audience.PUBLIC),
        keep=evaluation.keep, change=evaluation.change, start=evaluation.start,
        recommendations=evaluation.recommendations)


def activity_entries(evaluation: Evaluation, audience: Audience, *,
                     with_dropped: bool = True) -> list[ActivityEntry]:
    """Return the plan's activities, each with the outputs of its sessions in the period."""
    entries = []
    for activity in evaluation.plan.activities:
        if with_dropped or activity.status != ActivityStatus.DROPPED:
            outputs = output_totals(_sessions_in(activity, evaluation))
            entries.append(ActivityEntry(
                title=activity.title, kind=activity.kind_label, status=activity.status_label,
                description=activity.description, outputs=outputs,
                shown=shown_outputs(outputs, audience)))
    return entries


def shown_outputs(totals: OutputTotals, audience: Audience) -> list[str]:
    """Return the counts in `_counted` order; people counted 1 to 4 hidden outside the library."""
    return [str(value) if name == "sessions" or value == 0 else suppress_small(value, audience)
            for name, value in _counted(totals)]


def story_entries(evaluation: Evaluation, audience: Audience) -> list[StoryEntry]:
    """Return the evaluation's stories the audience may read, with the panels' reasons."""
    stories = [story for story in evaluation.stories if audience.is_internal or story.is_public]
    if stories:  # the panels' reasons of every story in one query, not one query per story
        db.session.scalars(sa.select(Story).where(Story.id.in_([story.id for story in stories]))
                           .options(selectinload(Story.selections))).all()
    return [_story_entry(story, audience) for story in stories]


def share_text(agree: int, answered: int, audience: Audience) -> ShareText:
    """Return "n of m agreed (p%)", hiding answers from fewer than 5 outside the library."""
    if answered == 0:
        return ShareText("No answers yet", None)
    if answered < SMALL_CELL and not audience.is_internal:
        return ShareText(HIDDEN_SHARE, None)
    percent = round(100 * agree / answered)
    return ShareText(f"{agree} of {answered} agreed ({percent}%)", percent)


def _outcome_entry(line: outcomes.OutcomeLine, audience: Audience) -> OutcomeEntry:
    return OutcomeEntry(outcome=line.outcome, statement=line.statement,
                        immediate=_share(line.immediate, audience),
                        follow_up=_share(line.follow_up, audience))


def _share(share: outcomes.AgreeShare | None, audience: Audience) -> ShareText:
    if share is None:
        return ShareText("Not asked", None)
    return share_text(share.agree, share.answered, audience)


def _outcome_chart(entries: list[OutcomeEntry]) -> Markup | None:
    """Return bars of the share who agreed, end of session then follow-up, per outcome."""
    labels, values = [], []
    for entry in entries:
        for moment, share in (("end", entry.immediate), ("later", entry.follow_up)):
            if share.text in ("Not asked", "No answers yet"):
                continue
            labels.append(f"{entry.outcome} ({moment})")
            values.append(share.percent)
    if not labels:
        return None
    return bar_chart_svg("Share who agreed", labels, values)


def _indicator_line(result: IndicatorResult, audience: Audience) -> IndicatorLine:
    # Periods in which nothing was measured say nothing; the page notes how many there were.
    periods = [_period_line(result, period, audience) for period in result.periods
               if period.base or period.value is not None]
    chart = None
    if len([period for period in periods if period.value is not None]) >= 2:
        chart = bar_chart_svg(result.indicator.statement, [p.label for p in periods],
                              [p.value for p in periods],
                              percent=result.method == MeasureMethod.FORM_SHARE)
    return IndicatorLine(statement=result.indicator.statement, method=result.method_label,
                         progress=result.progress, periods=periods, chart=chart,
                         unmeasured=len(result.periods) - len(periods))


def _period_line(result: IndicatorResult, period: PeriodValue,
                 audience: Audience) -> PeriodLine:
    if _is_small(result, period) and not audience.is_internal:
        return PeriodLine(period.label, _hidden_text(result), None, True)
    return PeriodLine(period.label, period.text, period.value, False)


def _is_small(result: IndicatorResult, period: PeriodValue) -> bool:
    """A share of fewer than 5 answers, or a count of fewer than 5 from sessions."""
    if result.method == MeasureMethod.FORM_SHARE:
        return 0 < period.base < SMALL_CELL
    if result.method == MeasureMethod.SESSION_SUM:
        return period.value is not None and 0 < period.value < SMALL_CELL
    return False


def _hidden_text(result: IndicatorResult) -> str:
    return HIDDEN_SHARE if result.method == MeasureMethod.FORM_SHARE else f"fewer than {SMALL_CELL}"


def _result_entry(result: IndicatorResult) -> ResultEntry | None:
    """Return what the public may read of an indicator: nothing from fewer than 5 answers."""
    measured = [period for period in result.periods if period.base]
    shown = [period for period in measured if not _is_small(result, period)]
    if not shown:
        return None
    progress = result.progress if len(shown) == len(measured) else ""
    last = shown[-1]
    return ResultEntry(statement=result.indicator.statement,
                       latest=f"{last.label}: {last.text}", progress=progress)


def _story_entry(story: Story, audience: Audience) -> StoryEntry:
    reasons = [f"Chosen by {selection.panel} on {selection.chosen_on.day} "
               f"{selection.chosen_on:%B %Y}: {selection.reason}"
               for selection in story.selections]
    collected_by = ""
    if audience.is_internal and story.collected_by is not None:
        collected_by = story.collected_by.name
    return StoryEntry(title=story.title, domain=story.domain, what_changed=story.what_changed,
                      why_it_matters=story.why_it_matters, teller=story.public_teller,
                      consent=story.consent_label, is_public=story.is_public,
                      reasons=reasons, collected_by=collected_by)


def _sessions_in(activity: Activity, evaluation: Evaluation):
    return [session for session in activity.sessions
            if evaluation.period_start <= session.held_on <= evaluation.period_end]


def _sum(totals) -> OutputTotals:
    totals = list(totals)
    return OutputTotals(**{name: sum(getattr(total, name) for total in totals)
                           for name in ("sessions", "headcount", "new_cards", "items_borrowed",
                                        "referrals")})


def _counted(totals: OutputTotals) -> list[tuple[str, int]]:
    """Return (name, value) of each output, with names the handout translates."""
    return [(name, getattr(totals, name))
            for name in ("sessions", "headcount", "new_cards", "items_borrowed", "referrals")]
