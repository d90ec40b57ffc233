"""Measurements per indicator: how each indicator is measured, its value per period, and
progress against the baseline and target the community agreed.

An indicator is measured by hand (entries typed in by staff or the group), from the answers to
a question of a form (the share who chose a counted option, scored at least a minimum, or said
yes), or from the counted outputs of the plan's sessions (a sum per period). Computed values
are counted by the database (GROUP BY), per calendar month, quarter or year; a period without
answers or sessions has no value and says so, never 0 %.

Form responses carry their moment in UTC; they are counted in the period of the library's
local date (the TIMEZONE setting).

Labels, values and progress sentences are written in the current interface language: English
on staff pages, the handout's language when "You said, we did" is printed in another one.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from babel.dates import format_date
from babel.numbers import format_decimal
from flask_babel import gettext, ngettext

from app.accounts.models import User
from app.evaluation.models import (
    IndicatorMeasure,
    Measurement,
    MeasureMethod,
    MeasurePeriod,
    OutcomeForm,
)
from app.extensions import db
from app.plans.activities import COUNTED_OUTPUTS
from app.plans.models import Activity, ActivitySession, Indicator, Plan
from app.plans.planning import indicator_groups
from app.records import library_day_start, library_today
from app.surveys.locale import current_interface_language
from app.surveys.models import Answer, Question, QuestionKind, SurveyResponse

#: What a session-sum indicator may add up, as people read it.
SESSION_OUTPUTS = {"sessions": "Sessions held", **COUNTED_OUTPUTS}
#: Question kinds a form-share indicator can count.
CHOICE_KINDS = {QuestionKind.SINGLE_CHOICE, QuestionKind.MULTI_CHOICE}
MEASURABLE_KINDS = CHOICE_KINDS | {QuestionKind.RATING, QuestionKind.YES_NO}
PERIOD_NAMES = {MeasurePeriod.MONTH: "month", MeasurePeriod.QUARTER: "quarter",
                MeasurePeriod.YEAR: "year"}
#: Hand entries must fall between these many years back and one year ahead of today.
EARLIEST_YEARS_BACK = 20
LATEST_DAYS_AHEAD = 366
NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")
QUOTABLE = re.compile(r"\s*(?:about |around |at least |under |over |[~≈<>-])?\d", re.I)


class MeasurementError(Exception):
    """A measurement or a way of measuring cannot be saved as asked; the message says why.

    `field` names the form field the problem belongs to, when there is one.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class PeriodValue:
    start: date
    end: date
    label: str            # "March 2026", "Q1 2026", "2026", or "12 Mar 2026" for a day
    value: float | None   # None: nothing measured in the period (a share is in percent)
    base: int             # how many answers, sessions or entries it comes from
    text: str             # in words: "64% (16 of 25)", "No responses", "42", "Done: ..."

    @property
    def short(self) -> str:
        """The value alone, as progress sentences quote it: "64%", "42", or the words."""
        return self.text.split(" (", 1)[0] if self.base else self.text


@dataclass(frozen=True)
class IndicatorResult:
    indicator: Indicator
    method: str           # a MeasureMethod value
    method_label: str
    periods: list[PeriodValue]      # oldest first
    latest: PeriodValue | None      # the last period with a value
    progress: str         # plain words, e.g. "From 40% at the start to 64% now; the target is 75%."


@dataclass(frozen=True)
class MeasurementDetails:
    """A hand entry as typed: a day or a period, a number and/or words, where it came from."""

    period_start: date
    period_end: date
    value: float | None = None
    value_text: str = ""
    source: str = ""
    note: str = ""


@dataclass(frozen=True)
class MeasureDetails:
    """How an indicator is to be measured, as chosen on the form."""

    method: str = MeasureMethod.HAND
    question_id: int | None = None
    counted_option_ids: tuple[int, ...] = ()
    min_score: int | None = None
    session_output: str = ""
    period: str = MeasurePeriod.MONTH


@dataclass(frozen=True)
class EntryRow:
    """A hand entry as the indicator page lists it, with who entered it as the viewer may see."""

    measurement: Measurement
    label: str
    text: str
    entered_by: str
    in_range: bool


# Periods and labels -------------------------------------------------------------------------


def format_day(day: date) -> str:
    """"12 Mar 2026"."""
    return format_date(day, "d MMM y", locale=current_interface_language())


def format_number(number: float) -> str:
    """Write 42.0 as "42", 2.5 as "2.5", 1234 as "1,234" (in English; "1.234" in Spanish)."""
    if float(number).is_integer():
        return format_decimal(int(number), locale=current_interface_language())
    return format_decimal(round(number, 2), format="#,##0.##", locale=current_interface_language())


def period_start(day: date, period: str) -> date:
    """Return the first day of the calendar month, quarter or year that holds `day`."""
    if period == MeasurePeriod.YEAR:
        return date(day.year, 1, 1)
    if period == MeasurePeriod.QUARTER:
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, day.month, 1)


def next_period_start(day: date, period: str) -> date:
    """Return the first day of the period after the one that starts on `day`."""
    months = {MeasurePeriod.MONTH: 1, MeasurePeriod.QUARTER: 3, MeasurePeriod.YEAR: 12}[period]
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def period_label(start: date, period: str) -> str:
    """"March 2026", "Q1 2026" or "2026"."""
    if period == MeasurePeriod.YEAR:
        return str(start.year)
    pattern = "QQQ y" if period == MeasurePeriod.QUARTER else "MMMM y"
    return format_date(start, pattern, locale=current_interface_language())


def span_label(start: date, end: date) -> str:
    """Name a hand entry's period: a day, a whole month, quarter or year, or from–to."""
    if start == end:
        return format_day(start)
    for period in (MeasurePeriod.MONTH, MeasurePeriod.QUARTER, MeasurePeriod.YEAR):
        if start == period_start(start, period) and \
                end == next_period_start(start, period) - timedelta(days=1):
            return period_label(start, period)
    return range_label(start, end)


def periods_between(start: date, end: date, period: str) -> list[tuple[date, date, str]]:
    """Return the calendar periods over start..end as (first day, last day, label), oldest
    first; the first and last are cut to the range."""
    periods = []
    first = period_start(start, period)
    while first <= end:
        following = next_period_start(first, period)
        periods.append((max(first, start), min(following - timedelta(days=1), end),
                        period_label(first, period)))
        first = following
    return periods


def default_range(plan: Plan, today: date | None = None) -> tuple[date, date]:
    """The plan's dates; without them, the last 12 months to today."""
    today = today or library_today()
    end = plan.ends_on or today
    if plan.starts_on:
        return plan.starts_on, max(end, plan.starts_on)
    start = date(end.year - 1, end.month, 1) if end.month != 12 else date(end.year, 1, 1)
    return min(start, end), end


def range_label(start: date, end: date) -> str:
    return gettext("%(start)s to %(end)s", start=format_day(start), end=format_day(end))


def _bucket(column, edges: list) -> sa.Case:
    """A CASE giving the index of the period a value falls in; `edges` are each period's
    first moment followed by the moment after the last one."""
    return sa.case(*((column < edge, index) for index, edge in enumerate(edges[1:])),
                   else_=None)


# Computed values -----------------------------------------------------------------------------


def counted_option_ids(measure: IndicatorMeasure) -> list[int]:
    """The options that count: the ticked ones under any of their wordings, or "Yes" (the
    first option) for yes/no."""
    question = measure.question
    if question is not None and question.kind == QuestionKind.YES_NO:
        return [question.options[0].id] if question.options else []
    ticked = measure.counted_option_ids or []
    return sorted(question.same_choices(ticked)) if question is not None else list(ticked)


def _form_share(measure: IndicatorMeasure, start: date, end: date) -> list[PeriodValue]:
    spans = periods_between(start, end, measure.period)
    question = measure.question
    counts: dict[int, tuple[int, int]] = {}
    if question is not None and spans:
        edges = [library_day_start(first) for first, _, _ in spans]
        edges.append(library_day_start(spans[-1][1] + timedelta(days=1)))
        if question.kind == QuestionKind.RATING:
            answered = Answer.number_value.is_not(None)
            hit = Answer.number_value >= (measure.min_score or 0)
        else:
            answered = Answer.option_id.is_not(None)
            hit = Answer.option_id.in_(counted_option_ids(measure) or [-1])
        rows = (sa.select(SurveyResponse.id.label("response_id"),
                          _bucket(SurveyResponse.submitted_at, edges).label("bucket"),
                          sa.case((hit, 1), else_=0).label("hit"))
                .join(Answer, Answer.response_id == SurveyResponse.id)
                .where(Answer.question_id == question.id, answered,
                       SurveyResponse.submitted_at >= edges[0],
                       SurveyResponse.submitted_at < edges[-1])
                .subquery())
        per_response = (sa.select(rows.c.bucket, rows.c.response_id,
                                  sa.func.max(rows.c.hit).label("hit"))
                        .group_by(rows.c.bucket, rows.c.response_id).subquery())
        totals = (sa.select(per_response.c.bucket, sa.func.count().label("answered"),
                            sa.func.sum(per_response.c.hit).label("counted"))
                  .group_by(per_response.c.bucket))
        counts = {row.bucket: (int(row.answered), int(row.counted or 0))
                  for row in db.session.execute(totals)}
    values = []
    for index, (first, last, label) in enumerate(spans):
        answered, counted = counts.get(index, (0, 0))
        if not answered:
            values.append(PeriodValue(first, last, label, None, 0, gettext("No responses")))
            continue
        share = round(100 * counted / answered, 1)
        values.append(PeriodValue(first, last, label, share, answered,
                                  gettext("%(share)s%% (%(counted)s of %(answered)s)",
                                          share=format_number(round(share)),
                                          counted=format_number(counted),
                                          answered=format_number(answered))))
    return values


def _session_sum(measure: IndicatorMeasure, plan: Plan, start: date,
                 end: date) -> list[PeriodValue]:
    spans = periods_between(start, end, measure.period)
    output = measure.session_output if measure.session_output in SESSION_OUTPUTS else "sessions"
    counts: dict[int, tuple[int, int]] = {}
    if spans:
        edges = [first for first, _, _ in spans] + [spans[-1][1] + timedelta(days=1)]
        amount = (sa.literal(1) if output == "sessions"
                  else sa.func.coalesce(getattr(ActivitySession, output), 0))
        rows = (sa.select(_bucket(ActivitySession.held_on, edges).label("bucket"),
                          amount.label("amount"))
                .join(Activity, Activity.id == ActivitySession.activity_id)
                .where(Activity.plan_id == plan.id, ActivitySession.held_on >= edges[0],
                       ActivitySession.held_on < edges[-1])
                .subquery())
        totals = (sa.select(rows.c.bucket, sa.func.count().label("sessions"),
                            sa.func.sum(rows.c.amount).label("total"))
                  .group_by(rows.c.bucket))
        counts = {row.bucket: (int(row.sessions), int(row.total or 0))
                  for row in db.session.execute(totals)}
    values = []
    for index, (first, last, label) in enumerate(spans):
        sessions, total = counts.get(index, (0, 0))
        if not sessions:
            values.append(PeriodValue(first, last, label, None, 0, gettext("No sessions")))
        else:
            values.append(PeriodValue(first, last, label, float(total), sessions,
                                      format_number(total)))
    return values


def entry_text(measurement: Measurement) -> str:
    """A hand entry in words: "42", "Done: cards without a lease", or "42 (in words)"."""
    words = measurement.value_text or ""
    if measurement.value is None:
        return words
    number = format_number(measurement.value)
    return f"{number} ({words})" if words else number


def _hand_entries(indicator: Indicator, start: date, end: date) -> list[Measurement]:
    """Entries whose period ends inside start..end, oldest first."""
    return list(db.session.scalars(
        sa.select(Measurement).where(Measurement.indicator_id == indicator.id,
                                     Measurement.period_end >= start,
                                     Measurement.period_end <= end)
        .order_by(Measurement.period_end, Measurement.period_start, Measurement.id)))


def _hand(indicator: Indicator, start: date, end: date) -> list[PeriodValue]:
    return [PeriodValue(entry.period_start, entry.period_end,
                        span_label(entry.period_start, entry.period_end), entry.value, 1,
                        entry_text(entry))
            for entry in _hand_entries(indicator, start, end)]


# Progress in words ---------------------------------------------------------------------------


def _first_number(text: str) -> float | None:
    match = NUMBER.search(text or "")
    return float(match.group().replace(",", ".")) if match else None


def _quotable(text: str) -> bool:
    """Whether a baseline or target reads as a figure ("40%", "12 families") that fits in a
    sentence, rather than a sentence of its own."""
    return bool(QUOTABLE.match(text)) and len(text) <= 40


def progress_text(indicator: Indicator, method: str, periods: list[PeriodValue],
                  latest: PeriodValue | None) -> str:
    """Say in plain words where the indicator stands against its baseline and target.

    A figure-like baseline and target go into the sentence ("From 40% at the start to 64% in
    March 2026; the target is 75%."); one written as a sentence is quoted after it.
    """
    baseline = indicator.baseline.strip().rstrip(".")
    target = indicator.target.strip().rstrip(".")
    after = []  # a baseline or target written as a sentence, quoted after the figures
    if baseline and (latest is None or not _quotable(baseline)):
        after.append(gettext("At the start: %(baseline)s.", baseline=baseline))
    if target and (latest is None or not _quotable(target)):
        after.append(gettext("Target: %(target)s.", target=target))
    if latest is None:
        return " ".join([gettext("Nothing measured yet."), *after])
    value, period = latest.short, latest.label
    if latest.start == latest.end:
        now = gettext("%(value)s on %(period)s", value=value, period=period)
    elif period == range_label(latest.start, latest.end):
        now = gettext("%(value)s for %(period)s", value=value, period=period)
    else:
        now = gettext("%(value)s in %(period)s", value=value, period=period)
    if baseline and _quotable(baseline):
        words = gettext("From %(baseline)s at the start to %(now)s", baseline=baseline, now=now)
    else:
        words = now[0].upper() + now[1:]
    if method == MeasureMethod.SESSION_SUM:
        measured = [period for period in periods if period.base]
        words += ngettext("; %(total)s in all over %(num)d period with sessions",
                          "; %(total)s in all over %(num)d periods with sessions",
                          len(measured), total=format_number(sum(
                              period.value or 0 for period in measured)))
    if target and _quotable(target):
        if method != MeasureMethod.SESSION_SUM and _reached(baseline, target, latest):
            words += gettext("; the target is %(target)s, reached", target=target)
        else:
            words += gettext("; the target is %(target)s", target=target)
    return " ".join([words + ".", *after])


def _reached(baseline: str, target: str, latest: PeriodValue) -> bool:
    """Whether the latest value meets a numeric target (downwards when the target is lower
    than the baseline)."""
    goal, start = _first_number(target), _first_number(baseline)
    if goal is None or latest.value is None:
        return False
    if start is not None and goal < start:
        return latest.value <= goal
    return latest.value >= goal


# The API -----------------------------------------------------------------------------------


def measure_for(indicator: Indicator) -> IndicatorMeasure | None:
    return db.session.get(IndicatorMeasure, indicator.id)


def method_of(measure: IndicatorMeasure | None) -> str:
    if measure is None:
        return MeasureMethod.HAND
    if measure.method == MeasureMethod.FORM_SHARE and measure.question is None:
        return MeasureMethod.HAND  # the question was deleted; entries by hand still show
    return measure.method


def indicator_result(indicator: Indicator, start: date, end: date) -> IndicatorResult:
    """Measure one indicator over start..end."""
    measure = measure_for(indicator)
    method = method_of(measure)
    if method == MeasureMethod.FORM_SHARE:
        periods = _form_share(measure, start, end)
    elif method == MeasureMethod.SESSION_SUM:
        periods = _session_sum(measure, indicator.plan, start, end)
    else:
        periods = _hand(indicator, start, end)
    measured = [period for period in periods if period.base]
    latest = measured[-1] if measured else None
    return IndicatorResult(indicator=indicator, method=method,
                           method_label=MeasureMethod(method).label, periods=periods,
                           latest=latest,
                           progress=progress_text(indicator, method, periods, latest))


def ordered_indicators(plan: Plan) -> list[Indicator]:
    """The plan's indicators, outcomes before outputs, as the plan shows them."""
    return [indicator for _, indicators in indicator_groups(plan) for indicator in indicators]


def indicator_results(plan: Plan, start: date, end: date) -> list[IndicatorResult]:
    """Measure every indicator of `plan` over start..end, in the plan's order.

    `latest` is the last period something was measured in (answers, sessions or an entry);
    a hand entry in words only (a milestone) has no number but counts as measured.
    """
    return [indicator_result(indicator, start, end) for indicator in ordered_indicators(plan)]


def overview(plan: Plan, user: User) -> dict:
    """Return what the plan's evaluation page shows of this part."""
    start, end = default_range(plan)
    results = indicator_results(plan, start, end)
    return {
        "start": start, "end": end, "range_label": range_label(start, end),
        "results": results,
        "outcomes": [result for result in results if result.indicator.is_outcome],
        "outputs": [result for result in results if not result.indicator.is_outcome],
    }


# How it is measured, in words ------------------------------------------------------------------


def question_label(question: Question) -> str:
    prompt = question.text("prompt") or "Untitled question"
    return f"“{prompt}” ({question.survey.title})"


def describe_measure(indicator: Indicator) -> str:
    """How the indicator is measured, in one plain sentence."""
    measure = measure_for(indicator)
    method = method_of(measure)
    if method == MeasureMethod.HAND:
        return "Entered by hand: staff and group members add each value below."
    every = PERIOD_NAMES[MeasurePeriod(measure.period)]
    if method == MeasureMethod.SESSION_SUM:
        output = SESSION_OUTPUTS.get(measure.session_output, "Sessions held")
        return (f"Added up from the plan's sessions: {output.lower()}, per {every}.")
    question = measure.question
    if question.kind == QuestionKind.RATING:
        counted = f"who gave a score of {measure.min_score} or more out of 5"
    elif question.kind == QuestionKind.YES_NO:
        counted = "who said yes"
    else:
        chosen = set(counted_option_ids(measure))
        labels = list(dict.fromkeys(  # today's wording first, then earlier ones
            option.text() for option in sorted(question.options, key=lambda o: o.is_retired)
            if option.id in chosen))
        counted = "who chose " + (" or ".join(labels) if labels else "(no option ticked yet)")
    return (f"From form answers: among those who answered {question_label(question)}, the "
            f"share {counted}, per {every}.")


# Choices for the forms ---------------------------------------------------------------------------


def measurable_questions(indicator: Indicator) -> list[Question]:
    """Questions an indicator may be measured from: its own linked questions, then those of
    the plan's outcome forms, of kinds that can be counted as a share."""
    outcome_questions = db.session.scalars(
        sa.select(Question).join(OutcomeForm, OutcomeForm.survey_id == Question.survey_id)
        .where(OutcomeForm.plan_id == indicator.plan_id)
        .order_by(OutcomeForm.moment, Question.position, Question.id))
    seen, questions = set(), []
    for question in [*indicator.questions, *outcome_questions]:
        if question.id not in seen and question.kind in MEASURABLE_KINDS:
            seen.add(question.id)
            questions.append(question)
    return questions


# Saving --------------------------------------------------------------------------------------


def _refuse_closed(indicator: Indicator) -> None:
    if indicator.plan.is_closed:
        raise MeasurementError("This plan is closed: its measurements are a record of what "
                               "happened and take no more changes.")


def check_dates(start: date, end: date, today: date) -> dict[str, str]:
    """Return plain-words problems with an entry's dates, keyed by the field they belong to."""
    problems = {}
    earliest = date(today.year - EARLIEST_YEARS_BACK, 1, 1)
    latest = today + timedelta(days=LATEST_DAYS_AHEAD)
    for name, day in (("period_start", start), ("period_end", end)):
        if day is None:
            continue
        if day < earliest:
            problems[name] = f"Give a date from {earliest.year} on."
        elif day > latest:
            problems[name] = "That date is more than a year from today. Check the year."
    if start and end and end < start and "period_end" not in problems:
        problems["period_end"] = "The end date is before the start date."
    return problems


NO_VALUE = "Give a number, a value in words, or both."


def _check(details: MeasurementDetails, today: date) -> None:
    for field, problem in check_dates(details.period_start, details.period_end, today).items():
        raise MeasurementError(problem, field)
    if details.value is None and not details.value_text.strip():
        raise MeasurementError(NO_VALUE, "value")


def add_measurement(indicator: Indicator, details: MeasurementDetails, *, by: User,
                    today: date) -> Measurement:
    """Record a value of `indicator` entered by hand."""
    _refuse_closed(indicator)
    _check(details, today)
    measurement = Measurement(indicator=indicator, entered_by=by, **vars(details))
    db.session.add(measurement)
    db.session.flush()
    return measurement


def update_measurement(measurement: Measurement, details: MeasurementDetails, *,
                       today: date) -> Measurement:
    """Correct a hand entry."""
    _refuse_closed(measurement.indicator)
    _check(details, today)
    for name, value in vars(details).items():
        setattr(measurement, name, value)
    db.session.flush()
    return measurement


def remove_measurement(measurement: Measurement) -> None:
    """Take a hand entry off the record (one typed by mistake)."""
    _refuse_closed(measurement.indicator)
    db.session.delete(measurement)
    db.session.flush()


def set_measure(indicator: Indicator, details: MeasureDetails) -> IndicatorMeasure:
    """Choose how `indicator` is measured; checks that the choice can be counted."""
    _refuse_closed(indicator)
    method = MeasureMethod(details.method)
    values = {"method": method, "period": MeasurePeriod(details.period), "question_id": None,
              "counted_option_ids": [], "min_score": None, "session_output": ""}
    if method == MeasureMethod.FORM_SHARE:
        question = next((question for question in measurable_questions(indicator)
                         if question.id == details.question_id), None)
        if question is None:
            raise MeasurementError("Choose one of the questions listed: the indicator's own "
                                   "questions or those of the plan's outcome forms.",
                                   "question_id")
        values["question_id"] = question.id
        if question.kind in CHOICE_KINDS:
            own = {option.id for option in question.options}
            ticked = [option_id for option_id in details.counted_option_ids if option_id in own]
            if not ticked:
                raise MeasurementError("Tick at least one answer of that question that counts "
                                       "towards the indicator.", "counted_option_ids")
            if len(ticked) != len(details.counted_option_ids):
                raise MeasurementError("Tick answers of the chosen question only.",
                                       "counted_option_ids")
            values["counted_option_ids"] = ticked
        elif question.kind == QuestionKind.RATING:
            if details.min_score is None or not 1 <= details.min_score <= 5:
                raise MeasurementError("Give the lowest score that counts, from 1 to 5.",
                                       "min_score")
            values["min_score"] = details.min_score
    elif method == MeasureMethod.SESSION_SUM:
        if details.session_output not in SESSION_OUTPUTS:
            raise MeasurementError("Choose what to add up from the sessions.",
                                   "session_output")
        values["session_output"] = details.session_output
    measure = measure_for(indicator) or IndicatorMeasure(indicator=indicator)
    for name, value in values.items():
        setattr(measure, name, value)
    db.session.add(measure)
    db.session.flush()
    return measure


# The indicator page -------------------------------------------------------------------------


def entered_by_name(measurement: Measurement, viewer: User, listed: dict[int, str]) -> str:
    """Name who entered a value as the plan's history does: staff see every name; members see
    staff, themselves, and other members by the name they agreed to be listed under."""
    author = measurement.entered_by
    if author is None:
        return "Someone no longer on Groundwork"
    if viewer.is_staff or author.is_staff or author.id == viewer.id:
        return author.name
    return listed.get(author.id, "A group member")


def indicator_page(indicator: Indicator, viewer: User, start: date, end: date) -> dict:
    """Everything the indicator page shows, for `viewer`."""
    plan = indicator.plan
    listed = {}
    if not viewer.is_staff and plan.action_group is not None:
        listed = {m.user_id: m.display_name for m in plan.action_group.listed_members()}
    entries = db.session.scalars(
        sa.select(Measurement).where(Measurement.indicator_id == indicator.id)
        .order_by(Measurement.period_end, Measurement.period_start, Measurement.id))
    rows = [EntryRow(entry, span_label(entry.period_start, entry.period_end), entry_text(entry),
                     entered_by_name(entry, viewer, listed),
                     start <= entry.period_end <= end)
            for entry in entries]
    measure = measure_for(indicator)
    return {
        "result": indicator_result(indicator, start, end),
        "measure": measure,
        "how": describe_measure(indicator),
        "entries": rows,
        "start": start, "end": end, "range_label": range_label(start, end),
        "may_change": not plan.is_closed,
    }
