"""What came back from a form, counted by the database, for the results page and the results PDF.

Every count is a GROUP BY over `answers` joined to `survey_responses` under the filters, so the
cost grows with the number of questions, not with the number of answers: no answer row becomes a
Python object. Percentages are shares of the respondents who answered that question (for a
multiple choice they add up to more than 100). Counts under 5 are hidden from partner and public
audiences, and written answers are listed for the internal audience only: they are raw words,
not aggregates. The median of a number question is one ORDER BY ... LIMIT query per question.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.accounts.models import Branch
from app.documents.audience import SMALL_CELL, Audience
from app.extensions import db
from app.languages import language_name
from app.records import as_utc, library_day_start
from app.surveys.models import (
    Answer,
    Channel,
    Question,
    QuestionKind,
    QuestionOption,
    ReviewStatus,
    Survey,
    SurveyResponse,
)
from app.surveys.results_data import (
    BREAKDOWN_BY,
    COUNTED_KINDS,
    Breakdown,
    BreakdownRow,
    DateResult,
    NumberResult,
    OptionResult,
    QuestionResult,
    RankResult,
    RatingResult,
    SurveySummary,
    Tally,
    TextAnswer,
    TextResult,
)

#: Written answers listed on the results page; the exports carry all of them.
TEXT_LIMIT = 50
RATING_SCORES = range(1, 6)
NO_BRANCH = "No branch"

responses_table = SurveyResponse.__table__
answers_table = Answer.__table__


class UnknownBreakdown(ValueError):
    """A breakdown was asked for by something other than branch or channel."""


@dataclass(frozen=True)
class ResponseFilters:
    """Which responses to count or list; None means any."""

    branch_id: int | None = None
    channel: str | None = None
    language: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    review_status: str | None = None

    def conditions(self) -> list[sa.ColumnElement[bool]]:
        """Return the conditions on survey_responses that these filters ask for."""
        table = responses_table.c
        found = [column == value for column, value in (
            (table.branch_id, self.branch_id), (table.channel, self.channel),
            (table.language, self.language), (table.review_status, self.review_status))
            if value]
        if self.date_from:
            found.append(table.submitted_at >= library_day_start(self.date_from))
        if self.date_to:
            found.append(table.submitted_at < library_day_start(self.date_to + timedelta(days=1)))
        return found

    def query_args(self) -> dict[str, str]:
        """Return the filters as query arguments for links that keep them."""
        values = {"branch_id": self.branch_id, "channel": self.channel,
                  "language": self.language, "review_status": self.review_status,
                  "date_from": self.date_from, "date_to": self.date_to}
        return {name: str(value) for name, value in values.items() if value}

    @property
    def is_set(self) -> bool:
        return bool(self.query_args())


def summarise(survey: Survey, filters: ResponseFilters, *, audience: Audience,
              text_limit: int = TEXT_LIMIT) -> SurveySummary:
    """Return the results of `survey` under `filters`, as `audience` may see them."""
    results = _Results(survey, filters, audience, text_limit)
    questions = ordered_questions(survey)
    results.count_all(questions)
    by_channel = _group_counts(survey, filters, responses_table.c.channel)
    by_branch = _group_counts(survey, filters, responses_table.c.branch_id)
    channel_keys, channel_names = _column_keys("channel", by_channel)
    branch_keys, branch_names = _column_keys("branch", by_branch)
    return SurveySummary(
        survey_id=survey.id, title=survey.title, audience=audience, filters=filters,
        filter_labels=filter_labels(filters), total=sum(by_channel.values()),
        by_channel=[(channel_names[key], results.tally(by_channel[key])) for key in channel_keys],
        by_branch=[(branch_names[key], results.tally(by_branch[key])) for key in branch_keys],
        questions=[results.question(question, number)
                   for question, number in _numbered(questions)])


def ordered_questions(survey: Survey) -> list[Question]:
    """Return the active questions in order, then the retired ones, with their options."""
    questions = db.session.scalars(
        sa.select(Question).where(Question.survey_id == survey.id)
        .options(selectinload(Question.options))
        .order_by(Question.is_retired, Question.position, Question.id)).all()
    return list(questions)


def breakdown(survey: Survey, question: Question, *, by: str, filters: ResponseFilters,
              audience: Audience) -> Breakdown:
    """Return the option counts of `question` by branch or by channel."""
    return breakdowns(survey, [question], by=by, filters=filters, audience=audience)[question.id]


def breakdowns(survey: Survey, questions: Iterable[Question], *, by: str,
               filters: ResponseFilters, audience: Audience) -> dict[int, Breakdown]:
    """Return the breakdowns of several option questions, by question id, in two queries."""
    if by not in BREAKDOWN_BY:
        raise UnknownBreakdown(by)
    questions = [question for question in questions if question.kind in COUNTED_KINDS]
    group = responses_table.c.branch_id if by == "branch" else responses_table.c.channel
    answer = answers_table.c
    asked = _answers_query(survey, filters,
                           answer.question_id.in_([question.id for question in questions]))
    cells: dict[tuple[int, int], dict] = defaultdict(dict)
    for question_id, option_id, key, count in db.session.execute(
            asked.with_only_columns(answer.question_id, answer.option_id, group, sa.func.count())
            .group_by(answer.question_id, answer.option_id, group)):
        cells[question_id, option_id][key] = count
    columns: dict[int, dict] = defaultdict(dict)
    for question_id, key, count in db.session.execute(
            asked.with_only_columns(answer.question_id, group,
                                    sa.func.count(sa.distinct(answer.response_id)))
            .group_by(answer.question_id, group)):
        columns[question_id][key] = count
    results = _Results(survey, filters, audience, 0)
    return {question.id: _breakdown(question, by, cells, columns[question.id], results)
            for question in questions}


def _breakdown(question: Question, by: str, cells: dict, columns: dict,
               results: "_Results") -> Breakdown:
    keys, names = _column_keys(by, columns)
    return Breakdown(
        question_id=question.id, by=by, columns=[names[key] for key in keys],
        answered=[results.tally(columns[key]) for key in keys],
        rows=[BreakdownRow(option.text(), option.is_retired, [
            results.tally(cells[question.id, option.id].get(key, 0), columns[key])
            for key in keys]) for option in ordered_options(question)])


def filter_labels(filters: ResponseFilters) -> list[str]:
    """Return the filters in words, e.g. ["Branch: Eastgate", "Channel: Kiosk"]."""
    labels = []
    if filters.branch_id:
        branch = db.session.get(Branch, filters.branch_id)
        labels.append(f"Branch: {branch.name if branch else 'unknown'}")
    if filters.channel:
        labels.append(f"Channel: {Channel(filters.channel).label}")
    if filters.language:
        labels.append(f"Language: {language_name(filters.language)}")
    if filters.review_status:
        labels.append(f"Review status: {ReviewStatus(filters.review_status).label}")
    if filters.date_from:
        labels.append(f"From {filters.date_from:%d %b %Y}")
    if filters.date_to:
        labels.append(f"To {filters.date_to:%d %b %Y}")
    return labels


class _Results:
    """One summary in the making: what the database counted, shown to one audience."""

    def __init__(self, survey: Survey, filters: ResponseFilters, audience: Audience,
                 text_limit: int) -> None:
        self.survey, self.filters, self.audience, self.text_limit = (
            survey, filters, audience, text_limit)
        self.stats: dict[int, sa.Row] = {}
        self.options: dict[int, dict[int, sa.Row]] = defaultdict(dict)
        self.scores: dict[int, dict[int, int]] = defaultdict(dict)

    def answers(self, *conditions: sa.ColumnElement[bool]) -> sa.Select:
        return _answers_query(self.survey, self.filters, *conditions)

    def counted(self, questions: list[Question], *conditions: sa.ColumnElement[bool]
                ) -> sa.Select:
        """Return the answers to count: without filters on the responses, the answers to the
        form's questions, which are the answers of its responses, so the counts need no join
        to survey_responses (on PostgreSQL the join made the per-question count a nested loop
        over every answer)."""
        if self.filters.is_set:
            return self.answers(*conditions)
        return sa.select(answers_table.c.id).where(
            answers_table.c.question_id.in_([question.id for question in questions]),
            *conditions)

    def count_all(self, questions: list[Question]) -> None:
        """Count per question, per option and per score: three GROUP BY queries."""
        answer = answers_table.c
        per_question = self.counted(questions).with_only_columns(
            answer.question_id, sa.func.count(sa.distinct(answer.response_id)).label("answered"),
            sa.func.count(answer.number_value).label("numbers"),
            sa.func.min(answer.number_value).label("minimum"),
            sa.func.max(answer.number_value).label("maximum"),
            sa.func.avg(answer.number_value).label("mean"),
            sa.func.count(answer.date_value).label("dates"),
            sa.func.min(answer.date_value).label("earliest"),
            sa.func.max(answer.date_value).label("latest"),
            sa.func.count(answer.text_value).label("texts"),
        ).group_by(answer.question_id)
        self.stats = {row.question_id: row for row in db.session.execute(per_question)}
        per_option = self.counted(questions, answer.option_id.is_not(None)).with_only_columns(
            answer.question_id, answer.option_id, sa.func.count().label("count"),
            sa.func.avg(answer.rank).label("mean_rank"),
            sa.func.sum(sa.case((answer.rank == 1, 1), else_=0)).label("first"),
        ).group_by(answer.question_id, answer.option_id)
        for row in db.session.execute(per_option):
            self.options[row.question_id][row.option_id] = row
        ratings = [question.id for question in questions if question.kind == QuestionKind.RATING]
        per_score = self.counted(
            questions, answer.question_id.in_(ratings), answer.number_value.is_not(None)
        ).with_only_columns(answer.question_id, answer.number_value, sa.func.count()).group_by(
            answer.question_id, answer.number_value)
        for question_id, score, count in db.session.execute(per_score) if ratings else ():
            self.scores[question_id][int(score)] = count

    def stat(self, question: Question, name: str):
        row = self.stats.get(question.id)
        return getattr(row, name) if row is not None else None

    def tally(self, count: int, base: int | None = None) -> Tally:
        """Return `count` as the audience may see it; the share is of `base` when given."""
        if count < SMALL_CELL and not self.audience.is_internal:
            return Tally(None)
        return Tally(count, 100 * count / base if base else None)

    def question(self, question: Question, number: int | None) -> QuestionResult:
        """Return the results of one question."""
        answered = self.stat(question, "answered") or 0
        if question.kind in COUNTED_KINDS:
            parts = {"options": self.option_results(question, answered)}
        elif question.kind == QuestionKind.RANKING:
            parts = {"ranks": self.rank_results(question, answered)}
        elif question.kind == QuestionKind.RATING:
            parts = {"rating": self.rating_result(question)}
        elif question.kind == QuestionKind.NUMBER:
            parts = {"numbers": self.number_result(question)}
        elif question.kind == QuestionKind.DATE:
            parts = {"dates": DateResult(self.stat(question, "dates") or 0,
                                         self.stat(question, "earliest"),
                                         self.stat(question, "latest"))}
        else:
            parts = {"texts": self.text_result(question)}
        return QuestionResult(
            question_id=question.id, number=number, prompt=question.text("prompt"),
            kind=question.kind, kind_label=question.kind_label, is_retired=question.is_retired,
            answered=answered, **parts)

    def option_results(self, question: Question, answered: int) -> list[OptionResult]:
        rows = self.options[question.id]
        return [OptionResult(option.text(), option.is_retired,
                             self.tally(rows[option.id].count if option.id in rows else 0,
                                        answered))
                for option in ordered_options(question)]

    def rank_results(self, question: Question, answered: int) -> list[RankResult]:
        results = []
        for option in ordered_options(question):
            row = self.options[question.id].get(option.id)
            results.append(RankResult(
                option.text(), option.is_retired,
                ranked=self.tally(row.count if row else 0, answered),
                mean_rank=float(row.mean_rank) if row and row.mean_rank is not None else None,
                first=self.tally(int(row.first or 0) if row else 0, answered)))
        return results

    def rating_result(self, question: Question) -> RatingResult:
        scores = self.scores[question.id]
        total = self.stat(question, "numbers") or 0
        mean = self.stat(question, "mean")
        return RatingResult(
            scores=[(score, self.tally(scores.get(score, 0), total)) for score in RATING_SCORES],
            count=total, mean=float(mean) if mean is not None else None,
            low_label=question.text("low_label"), high_label=question.text("high_label"))

    def number_result(self, question: Question) -> NumberResult:
        total = self.stat(question, "numbers") or 0
        minimum, maximum, mean = (None if value is None else float(value) for value in (
            self.stat(question, name) for name in ("minimum", "maximum", "mean")))
        return NumberResult(total, minimum, maximum, mean, self.median(question, total))

    def median(self, question: Question, total: int) -> float | None:
        """Return the middle value, or the mean of the two middle ones, in one sorted query."""
        if not total:
            return None
        number = answers_table.c.number_value
        query = (self.answers(answers_table.c.question_id == question.id, number.is_not(None))
                 .with_only_columns(number).order_by(number)
                 .limit(2 - total % 2).offset((total - 1) // 2))
        middle = db.session.scalars(query).all()
        return sum(middle) / len(middle)

    def text_result(self, question: Question) -> TextResult:
        total = self.stat(question, "texts") or 0
        if not self.audience.is_internal:
            return TextResult(total=total, answers=[], is_withheld=True)
        response, text = responses_table.c, answers_table.c.text_value
        query = (self.answers(answers_table.c.question_id == question.id, text.is_not(None))
                 .with_only_columns(text, response.submitted_at, response.language,
                                    response.channel)
                 .order_by(response.submitted_at.desc(), response.id.desc())
                 .limit(self.text_limit))
        return TextResult(total=total, is_withheld=False, answers=[
            TextAnswer(text, as_utc(submitted_at), language, Channel(channel).label)
            for text, submitted_at, language, channel in db.session.execute(query)])


def ordered_options(question: Question) -> list[QuestionOption]:
    """Return the active options in order, then the retired ones."""
    return question.active_options + [option for option in question.options if option.is_retired]


def _answers_query(survey: Survey, filters: ResponseFilters,
                   *conditions: sa.ColumnElement[bool]) -> sa.Select:
    """Return a select over the answers of `survey`'s filtered responses; columns come later."""
    return (sa.select(answers_table.c.id)
            .select_from(answers_table.join(
                responses_table, responses_table.c.id == answers_table.c.response_id))
            .where(responses_table.c.survey_id == survey.id, *filters.conditions(), *conditions))


def _group_counts(survey: Survey, filters: ResponseFilters, column: sa.Column) -> dict:
    query = (sa.select(column, sa.func.count()).select_from(responses_table)
             .where(responses_table.c.survey_id == survey.id, *filters.conditions())
             .group_by(column).order_by(column))
    return {key: count for key, count in db.session.execute(query)}


def _branch_names(keys: Iterable[int | None]) -> dict[int | None, str]:
    ids = [key for key in keys if key is not None]
    rows = db.session.execute(sa.select(Branch.id, Branch.name).where(Branch.id.in_(ids)))
    return {None: NO_BRANCH, **{branch_id: name for branch_id, name in rows}}


def _column_keys(by: str, counts: dict) -> tuple[list, dict]:
    """Return the groups found in `counts` in display order, and their names."""
    if by == "channel":
        keys = [channel.value for channel in Channel if channel.value in counts]
        return keys, {key: Channel(key).label for key in keys}
    names = _branch_names(counts)
    return sorted(counts, key=lambda key: (key is None, names[key])), names


def _numbered(questions: list[Question]) -> Iterable[tuple[Question, int | None]]:
    number = 0
    for question in questions:
        if not question.is_retired:
            number += 1
        yield question, None if question.is_retired else number
