"""The shapes of a form's results: plain data that the results page and the results PDF read.

`app.surveys.results` fills them in; templates only show them. A `Tally` whose count is None was
under 5 and hidden from an audience outside the library.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from app.documents.audience import SMALL_CELL, Audience
from app.surveys.models import QuestionKind

if TYPE_CHECKING:
    from app.surveys.results import ResponseFilters

#: Kinds whose answers are one or more options, counted per option.
COUNTED_KINDS = {QuestionKind.SINGLE_CHOICE, QuestionKind.MULTI_CHOICE, QuestionKind.YES_NO,
                 QuestionKind.AGE_BAND, QuestionKind.AREA}
BREAKDOWN_BY = {"branch": "Branch", "channel": "Channel"}
SHAPES = {QuestionKind.RANKING: "ranking", QuestionKind.RATING: "rating",
          QuestionKind.NUMBER: "number", QuestionKind.DATE: "date"}


@dataclass(frozen=True)
class Tally:
    """A count as an audience may see it, with its share of those who answered the question."""

    #: None when the count is under 5 and the audience is outside the library.
    count: int | None
    percent: float | None = None

    @property
    def is_hidden(self) -> bool:
        return self.count is None

    @property
    def shown(self) -> str:
        return f"fewer than {SMALL_CELL}" if self.count is None else f"{self.count:,}"

    @property
    def compact(self) -> str:
        """The count for a crowded table: "<5" when hidden."""
        return f"<{SMALL_CELL}" if self.count is None else f"{self.count:,}"


@dataclass(frozen=True)
class OptionResult:
    label: str
    is_retired: bool
    tally: Tally


@dataclass(frozen=True)
class RankResult:
    label: str
    is_retired: bool
    #: How many put this option anywhere in their order.
    ranked: Tally
    mean_rank: float | None
    first: Tally


@dataclass(frozen=True)
class RatingResult:
    scores: list[tuple[int, Tally]]
    count: int
    mean: float | None
    low_label: str
    high_label: str


@dataclass(frozen=True)
class NumberResult:
    count: int
    minimum: float | None
    maximum: float | None
    mean: float | None
    median: float | None


@dataclass(frozen=True)
class DateResult:
    count: int
    earliest: date | None
    latest: date | None


@dataclass(frozen=True)
class TextAnswer:
    text: str
    submitted_at: datetime
    language: str
    channel: str


@dataclass(frozen=True)
class TextResult:
    total: int
    answers: list[TextAnswer]
    #: The words are kept inside the library; only the count is shown.
    is_withheld: bool

    @property
    def not_listed(self) -> int:
        return 0 if self.is_withheld else self.total - len(self.answers)


@dataclass(frozen=True)
class QuestionResult:
    """The results of one question. `shape` says which of the parts below is filled in."""

    question_id: int
    number: int | None
    prompt: str
    kind: str
    kind_label: str
    is_retired: bool
    #: Respondents who answered this question.
    answered: int
    options: list[OptionResult] = field(default_factory=list)
    ranks: list[RankResult] = field(default_factory=list)
    rating: RatingResult | None = None
    numbers: NumberResult | None = None
    dates: DateResult | None = None
    texts: TextResult | None = None

    @property
    def shape(self) -> str:
        if self.kind in COUNTED_KINDS:
            return "options"
        return SHAPES.get(self.kind, "text")

    @property
    def can_break_down(self) -> bool:
        return self.kind in COUNTED_KINDS


@dataclass(frozen=True)
class SurveySummary:
    """The results of a form under some filters, for one audience."""

    survey_id: int
    title: str
    audience: Audience
    filters: "ResponseFilters"
    filter_labels: list[str]
    total: int
    by_channel: list[tuple[str, Tally]]
    by_branch: list[tuple[str, Tally]]
    questions: list[QuestionResult]


@dataclass(frozen=True)
class BreakdownRow:
    label: str
    is_retired: bool
    cells: list[Tally]


@dataclass(frozen=True)
class Breakdown:
    """Option counts of one question split by branch or channel; shares are of each column."""

    question_id: int
    by: str
    columns: list[str]
    #: Respondents in each column who answered the question.
    answered: list[Tally]
    rows: list[BreakdownRow]

    @property
    def by_label(self) -> str:
        return BREAKDOWN_BY[self.by]
