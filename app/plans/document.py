"""Plain data for the plan document: the community summary, the internal part and the logic model.

The audience decides what is in it. Group members are named only when they agreed to be listed,
in every audience; staff liaisons are named for partners and internally, "library staff" for the
public. Outside the library, quotes appear only when the speaker agreed to public use, credited
anonymously or by role, and counts under 5 are hidden. The internal part (staff time, budget,
resources, risks, history) is only ever in the internal document.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from app.accounts.models import User
from app.conversations.models import Attribution, Quote
from app.documents.audience import Audience, suppress_small
from app.extensions import db
from app.languages import language_name
from app.plans.activities import OutputTotals, output_totals, plan_output_totals
from app.plans.models import (
    Activity,
    Indicator,
    IndicatorLevel,
    MemberRole,
    Membership,
    Plan,
    PlanStatus,
)
from app.records import as_utc
from app.templating import format_date
from app.themes.models import Excerpt, excerpt_themes

QUOTES_PER_THEME = 3
HISTORY_LINES = 10
#: How much of a long internal text a logic model box shows; the internal part has it all.
LOGIC_MODEL_TEXT = 90
#: What the library puts in, as said outside the library where staff time is not itemised.
LIBRARY_INPUTS = "Library staff time, space and materials"
OUTCOME_LEVELS = [level for level in IndicatorLevel if level.is_outcome]


@dataclass(frozen=True)
class QuoteEntry:
    text: str
    credit: str


@dataclass(frozen=True)
class ThemeEntry:
    """A theme the plan answers, how widely it was heard and the words the audience may see."""

    name: str
    kind: str
    heard_from: str
    quotes: list[QuoteEntry]


@dataclass(frozen=True)
class GroupEntry:
    """The action group as the audience may see it: consenting members by name, others counted."""

    name: str
    listed: list[tuple[str, str]]
    more_members: int
    staff: list[str]


@dataclass(frozen=True)
class ActivityEntry:
    title: str
    kind: str
    status: str
    description: str
    owner: str
    place: str
    when: str
    languages: str
    partners: list[str]
    outputs: OutputTotals


@dataclass(frozen=True)
class TimelineMonth:
    """A month column of the timeline; offset and width are percentages of the whole span."""

    label: str
    offset: float
    width: float


@dataclass(frozen=True)
class TimelineRow:
    """One activity as a bar; offset and width are None when it has no dates yet."""

    title: str
    when: str
    offset: float | None
    width: float | None
    #: Where its sessions fall, as percentages of the span.
    marks: list[float]


@dataclass(frozen=True)
class Timeline:
    months: list[TimelineMonth]
    rows: list[TimelineRow]


@dataclass(frozen=True)
class IndicatorEntry:
    statement: str
    kind: str
    level: str
    how_measured: str
    collected_by: str
    frequency: str
    baseline: str
    target: str
    agreed: str


@dataclass(frozen=True)
class HistoryEntry:
    changed_at: datetime
    who: str
    summary: str


@dataclass(frozen=True)
class InternalPart:
    staff_hours: str
    budget: str
    resources: str
    risks: str
    history: list[HistoryEntry]
    change_count: int
    first_change: datetime | None


@dataclass(frozen=True)
class LogicModel:
    """Inputs → activities → outputs → outcomes, each column a list of short lines."""

    inputs: list[str]
    activities: list[str]
    outputs: list[str]
    outcomes: list[tuple[str, list[str]]]


@dataclass(frozen=True)
class PlanDocument:
    title: str
    focus_community: str
    status: str
    endorsement: str
    goal: str
    why: str
    summary: str
    period: str
    themes: list[ThemeEntry]
    group: GroupEntry | None
    activities: list[ActivityEntry]
    timeline: Timeline
    outcome_indicators: list[IndicatorEntry]
    output_indicators: list[IndicatorEntry]
    totals: OutputTotals
    logic_model: LogicModel
    internal: InternalPart | None = None


def plan_document(plan: Plan, audience: Audience) -> PlanDocument:
    """Return what the plan document shows to `audience`."""
    indicators = sorted(plan.indicators, key=indicator_order)
    outcomes = [indicator for indicator in indicators if indicator.is_outcome]
    outputs = [indicator for indicator in indicators if not indicator.is_outcome]
    activities = [_activity_entry(activity, audience) for activity in plan.activities]
    return PlanDocument(
        title=plan.title,
        focus_community=plan.focus_community.name if plan.focus_community else "",
        status=plan.status_label, endorsement=endorsement_text(plan), goal=plan.goal,
        why=plan.why, summary=plan.summary, period=_period(plan.starts_on, plan.ends_on),
        themes=theme_entries(plan, audience),
        group=_group(plan, audience) if plan.action_group else None,
        activities=activities, timeline=plan_timeline(plan),
        outcome_indicators=[indicator_entry(indicator) for indicator in outcomes],
        output_indicators=[indicator_entry(indicator) for indicator in outputs],
        totals=plan_output_totals(plan),
        logic_model=_logic_model(plan, audience, outputs, outcomes),
        internal=_internal(plan) if audience.is_internal else None,
    )


def endorsement_text(plan: Plan) -> str:
    """Return "Endorsed on <date> at <meeting>", or why the plan is not endorsed yet."""
    decision = plan.endorsed_by
    if decision is None:
        if plan.status == PlanStatus.DRAFT:
            return "A draft: the community has not endorsed it yet."
        return "Not endorsed."
    return (f"Endorsed on {format_date(decision.meeting.held_on)} at "
            f"“{decision.meeting.title}”, by {decision.decided_by}.")


def theme_entries(plan: Plan, audience: Audience) -> list[ThemeEntry]:
    ids = [theme.id for theme in plan.themes]
    if not ids:
        return []
    counts = dict(db.session.execute(
        sa.select(excerpt_themes.c.theme_id, sa.func.count(sa.distinct(Excerpt.source_key)))
        .join(Excerpt, Excerpt.id == excerpt_themes.c.excerpt_id)
        .where(excerpt_themes.c.theme_id.in_(ids)).group_by(excerpt_themes.c.theme_id)).all())
    quotes = _quotes(ids, audience)
    return [ThemeEntry(name=theme.name, kind=theme.kind_label,
                       heard_from=_heard_from(counts.get(theme.id, 0), audience),
                       quotes=quotes.get(theme.id, []))
            for theme in plan.themes]


def _heard_from(count: int, audience: Audience) -> str:
    if count == 0:
        return "Not yet coded from what we heard"
    shown = suppress_small(count, audience)
    return f"Heard in {shown} {'source' if shown == '1' else 'sources'}"


def _quotes(theme_ids: list[int], audience: Audience) -> dict[int, list[QuoteEntry]]:
    query = (sa.select(excerpt_themes.c.theme_id, Quote)
             .join(Excerpt, Excerpt.id == excerpt_themes.c.excerpt_id)
             .join(Quote, Quote.id == Excerpt.quote_id)
             .where(excerpt_themes.c.theme_id.in_(theme_ids))
             .order_by(Quote.id))
    if not audience.is_internal:
        query = query.where(Quote.is_public.is_(True), Excerpt.is_sensitive.is_(False))
    chosen: dict[int, list[QuoteEntry]] = {}
    for theme_id, quote in db.session.execute(query):
        entries = chosen.setdefault(theme_id, [])
        entry = QuoteEntry(text=quote.text, credit=_credit(quote, audience))
        if entry not in entries and len(entries) < QUOTES_PER_THEME:
            entries.append(entry)
    return chosen


def _credit(quote: Quote, audience: Audience) -> str:
    # Outside the library a quote is credited anonymously or by role, never by a first name.
    if quote.attribution == Attribution.FIRST_NAME and not audience.is_internal:
        return "Anonymous"
    return quote.attribution_label


def _group(plan: Plan, audience: Audience) -> GroupEntry:
    group = plan.action_group
    members = [membership for membership in group.current_memberships
               if membership.role != MemberRole.STAFF_LIAISON]
    liaisons = [membership for membership in group.current_memberships
                if membership.role == MemberRole.STAFF_LIAISON]
    listed = [(membership.display_name, membership.role_label)
              for membership in members if membership.consent_to_be_listed]
    if audience is Audience.PUBLIC:
        staff = ["library staff"] if liaisons else []
    else:
        staff = [membership.display_name for membership in liaisons]
    return GroupEntry(name=group.name, listed=listed, more_members=len(members) - len(listed),
                      staff=staff)


def _activity_entry(activity: Activity, audience: Audience) -> ActivityEntry:
    return ActivityEntry(
        title=activity.title, kind=activity.kind_label, status=activity.status_label,
        description=activity.description, owner=_document_owner(activity, audience),
        place=activity.place,
        when=", ".join(part for part in (activity.schedule,
                                         _period(activity.starts_on, activity.ends_on)) if part),
        languages=", ".join(language_name(code) for code in activity.languages or []),
        partners=[organization.name for organization in activity.organizations],
        outputs=output_totals(activity.sessions))


def _document_owner(activity: Activity, audience: Audience) -> str:
    """Name an owner only as the audience may see them: members by consent, staff by role."""
    if activity.owner is None:
        # A typed name was never asked for consent to be printed: it stays in the library.
        return activity.owner_name if audience.is_internal else ""
    membership = _membership_of(activity)
    if membership is not None and membership.role != MemberRole.STAFF_LIAISON:
        return membership.display_name if membership.consent_to_be_listed else "A group member"
    if activity.owner.is_staff:
        return "Library staff" if audience is Audience.PUBLIC else activity.owner.name
    return "A group member"


def _membership_of(activity: Activity) -> Membership | None:
    group = activity.plan.action_group
    for membership in group.current_memberships if group else []:
        if membership.user_id == activity.owner_id:
            return membership
    return None


def plan_timeline(plan: Plan) -> Timeline:
    """Lay the plan's activities out on a month grid from their dates and their sessions."""
    dated = [activity for activity in plan.activities if activity.starts_on]
    if not dated:
        return Timeline(months=[], rows=[TimelineRow(activity.title, activity.schedule, None,
                                                     None, []) for activity in plan.activities])
    days = [activity.starts_on for activity in dated] + [
        day for activity in dated for day in (activity.ends_on, *_session_days(activity)) if day]
    days += [day for day in (plan.starts_on, plan.ends_on) if day]
    start = min(days).replace(day=1)
    end = _month_after(max(days)) - timedelta(days=1)
    span = (end - start).days + 1

    def percent(day: date) -> float:
        return round(100 * (day - start).days / span, 2)

    months = []
    month = start
    while month <= end:
        following = _month_after(month)
        label = f"{month:%b}" + (f" {month:%Y}" if month == start or month.month == 1 else "")
        months.append(TimelineMonth(label, percent(month), round(100 * (following - month).days
                                                                  / span, 2)))
        month = following
    rows = []
    for activity in plan.activities:
        if activity.starts_on is None:
            rows.append(TimelineRow(activity.title, "Dates to be set", None, None, []))
            continue
        last = activity.ends_on or end
        rows.append(TimelineRow(
            activity.title, _period(activity.starts_on, activity.ends_on) or "",
            percent(activity.starts_on), max(percent(last + timedelta(days=1))
                                             - percent(activity.starts_on), 1.0),
            [percent(day) for day in _session_days(activity)]))
    return Timeline(months=months, rows=rows)


def _session_days(activity: Activity) -> list[date]:
    return [session.held_on for session in activity.sessions]


def _month_after(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def indicator_order(indicator: Indicator) -> tuple[int, int, int]:
    return (list(IndicatorLevel).index(IndicatorLevel(indicator.level)), indicator.position,
            indicator.id or 0)


def indicator_entry(indicator: Indicator) -> IndicatorEntry:
    decision = indicator.agreed_at
    if decision is not None and decision.is_on_record:
        agreed = (f"Agreed at “{decision.meeting.title}” on "
                  f"{format_date(decision.meeting.held_on)}")
    else:
        agreed = "Not agreed at a meeting yet"
    return IndicatorEntry(
        statement=indicator.statement, kind=indicator.kind_label, level=indicator.level_label,
        how_measured=indicator.how_measured, collected_by=indicator.collected_by,
        frequency=indicator.frequency, baseline=indicator.baseline, target=indicator.target,
        agreed=agreed)


def _logic_model(plan: Plan, audience: Audience, outputs: list[Indicator],
                 outcomes: list[Indicator]) -> LogicModel:
    partners = sorted({organization.name for activity in plan.activities
                       for organization in activity.organizations})
    if audience.is_internal:
        inputs = [f"{label}: {_short(text)}" for label, text in (
            ("Staff time", plan.staff_hours), ("Budget", plan.budget),
            ("Resources", plan.resources)) if text]
    else:
        inputs = [LIBRARY_INPUTS]
    inputs += [f"{name} (partner)" for name in partners]
    totals = plan_output_totals(plan)
    counted = [f"{label}: {value}" for label, value in totals.lines() if value]
    return LogicModel(
        inputs=inputs, activities=[activity.title for activity in plan.activities],
        outputs=[indicator.statement for indicator in outputs] + counted,
        outcomes=[(level.label, [indicator.statement for indicator in outcomes
                                 if indicator.level == level]) for level in OUTCOME_LEVELS])


def _internal(plan: Plan) -> InternalPart:
    changes = sorted(dict.fromkeys(plan.changes), reverse=True,
                     key=lambda change: (as_utc(change.changed_at), change.id or 0))
    history = [HistoryEntry(changed_at=change.changed_at, who=_changed_by(plan, change.changed_by),
                            summary=change.summary)
               for change in changes[:HISTORY_LINES]]
    return InternalPart(staff_hours=plan.staff_hours, budget=plan.budget,
                        resources=plan.resources, risks=plan.risks, history=history,
                        change_count=len(changes),
                        first_change=changes[-1].changed_at if changes else None)


def _changed_by(plan: Plan, user: User | None) -> str:
    """Name staff; name a member only as the group lists them, and only with their consent."""
    if user is None:
        return "Groundwork"
    if user.is_staff:
        return user.name
    group = plan.action_group
    for membership in group.memberships if group else []:
        if membership.user_id == user.id and membership.consent_to_be_listed:
            return membership.display_name
    return "A group member"


def _short(text: str, limit: int = LOGIC_MODEL_TEXT) -> str:
    """Return `text` on one line, cut at a word with an ellipsis when longer than `limit`."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def _period(starts_on: date | None, ends_on: date | None) -> str:
    if starts_on and ends_on:
        if starts_on == ends_on:
            return _day(starts_on)
        return f"{_day(starts_on)} to {_day(ends_on)}"
    if starts_on:
        return f"from {_day(starts_on)}"
    if ends_on:
        return f"until {_day(ends_on)}"
    return ""


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"
