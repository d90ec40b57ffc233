"""The charts of a form's results: one SVG per question with choices or a scale."""

from markupsafe import Markup

from app.documents.charts import bar_chart_svg, distribution_chart_svg
from app.surveys.results_data import QuestionResult, SurveySummary


def results_charts(summary: SurveySummary) -> dict[int, Markup]:
    """Return an SVG chart per question that has one, by question id."""
    charts = {}
    for question in summary.questions:
        if question.answered and (chart := _chart(question)) is not None:
            charts[question.question_id] = chart
    return charts


def _chart(question: QuestionResult) -> Markup | None:
    if question.shape == "options":
        return bar_chart_svg(question.prompt, [_label(option.label, option.is_retired)
                                               for option in question.options],
                             [option.tally.percent for option in question.options])
    if question.shape == "ranking":
        return bar_chart_svg(f"{question.prompt}: ranked first",
                             [_label(rank.label, rank.is_retired) for rank in question.ranks],
                             [rank.first.percent for rank in question.ranks])
    if question.shape == "rating" and question.rating.count:
        return distribution_chart_svg(
            question.prompt, [tally.percent for _, tally in question.rating.scores],
            low_label=question.rating.low_label, high_label=question.rating.high_label)
    return None


def _label(text: str, is_retired: bool) -> str:
    return f"{text} (retired)" if is_retired else text
