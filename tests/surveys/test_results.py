"""The results summary and breakdowns, checked against numbers worked out by hand."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.accounts.models import Branch
from app.documents.audience import Audience
from app.extensions import db
from app.records import library_today, utcnow
from app.surveys.models import QuestionOption
from app.surveys.results import ResponseFilters, UnknownBreakdown, breakdown, summarise
from tests.surveys.answering import question_of, respond
from tests.surveys.conftest import texts


@pytest.fixture
def survey(make_survey, make_branch):
    """Four responses whose numbers are worked out in the tests below."""
    survey = make_survey()
    eastgate, millbrook = make_branch(name="Eastgate"), make_branch(name="Millbrook")
    several = question_of(survey, "multi_choice")
    several.options.append(QuestionOption(position=3, texts=texts("Old choice"), is_retired=True))
    question_of(survey, "short_text").is_retired = True
    db.session.flush()
    now = utcnow()
    respond(survey, channel="web", language="en", submitted_at=now - timedelta(days=10),
            single_choice="Every week", multi_choice=["Longer hours", "Homework help"],
            rating=5, yes_no="Yes", number=2, ranking=["Books", "Computers", "Quiet space"],
            long_text="More evening hours, please.", short_text="Eastgate")
    respond(survey, channel="kiosk", branch=eastgate, language="es",
            submitted_at=now - timedelta(days=5), single_choice="Every week",
            multi_choice=["Books in my language"], rating=4, yes_no="No", number=0,
            ranking=["Computers", "Books", "Quiet space"])
    respond(survey, channel="kiosk", branch=eastgate, language="ar",
            submitted_at=now - timedelta(days=2), single_choice="Sometimes",
            multi_choice=["Longer hours", "Books in my language"], rating=3, yes_no="Yes",
            number=5, date=date(2026, 1, 10))
    respond(survey, channel="paper", branch=millbrook, language="en", submitted_at=now,
            single_choice="Never", multi_choice=["Old choice"], rating=4, number=1,
            ranking=["Books", "Quiet space", "Computers"], long_text="Homework help in Arabic.")
    return survey


def _result(summary, kind):
    return next(question for question in summary.questions if question.kind == kind)


def _counts(result):
    return {option.label: (option.tally.count, round(option.tally.percent))
            for option in result.options}


def test_summary_counts_each_option_as_a_share_of_who_answered(survey):
    summary = summarise(survey, ResponseFilters(), audience=Audience.INTERNAL)
    assert summary.total == 4
    assert _counts(_result(summary, "single_choice")) == {
        "Every week": (2, 50), "Sometimes": (1, 25), "Never": (1, 25)}
    several = _result(summary, "multi_choice")
    assert several.answered == 4
    assert _counts(several) == {"Longer hours": (2, 50), "Homework help": (1, 25),
                                "Books in my language": (2, 50), "Old choice": (1, 25)}
    assert [option.is_retired for option in several.options] == [False, False, False, True]
    assert _counts(_result(summary, "yes_no")) == {"Yes": (2, 67), "No": (1, 33)}


def test_summary_gives_the_rating_distribution_and_mean(survey):
    rating = _result(summarise(survey, ResponseFilters(), audience=Audience.INTERNAL),
                     "rating").rating
    assert rating.count == 4 and rating.mean == pytest.approx(4.0)
    assert [(score, tally.count) for score, tally in rating.scores] == [
        (1, 0), (2, 0), (3, 1), (4, 2), (5, 1)]
    assert (rating.low_label, rating.high_label) == ("Not at all", "Very welcome")


def test_summary_gives_number_range_mean_and_median(survey):
    numbers = _result(summarise(survey, ResponseFilters(), audience=Audience.INTERNAL),
                      "number").numbers
    assert (numbers.count, numbers.minimum, numbers.maximum) == (4, 0, 5)
    assert numbers.mean == pytest.approx(2.0)
    assert numbers.median == pytest.approx(1.5)


def test_summary_gives_mean_rank_and_first_places(survey):
    ranks = _result(summarise(survey, ResponseFilters(), audience=Audience.INTERNAL),
                    "ranking").ranks
    assert [(rank.label, round(rank.mean_rank, 2), rank.first.count) for rank in ranks] == [
        ("Books", 1.33, 2), ("Computers", 2.0, 1), ("Quiet space", 2.67, 0)]


def test_summary_gives_dates_and_the_newest_text_answers_first(survey):
    summary = summarise(survey, ResponseFilters(), audience=Audience.INTERNAL)
    dates = _result(summary, "date").dates
    assert (dates.count, dates.earliest, dates.latest) == (1, date(2026, 1, 10), date(2026, 1, 10))
    texts_result = _result(summary, "long_text").texts
    assert [answer.text for answer in texts_result.answers] == [
        "Homework help in Arabic.", "More evening hours, please."]
    limited = _result(summarise(survey, ResponseFilters(), audience=Audience.INTERNAL,
                                text_limit=1), "long_text").texts
    assert len(limited.answers) == 1 and limited.not_listed == 1


def test_summary_lists_retired_questions_after_the_active_ones(survey):
    summary = summarise(survey, ResponseFilters(), audience=Audience.INTERNAL)
    last = summary.questions[-1]
    assert (last.prompt, last.is_retired, last.number, last.answered) == (
        "Your neighbourhood", True, None, 1)
    assert [question.number for question in summary.questions[:-1]] == list(range(1, 11))


def test_filters_narrow_every_number(survey):
    kiosk = summarise(survey, ResponseFilters(channel="kiosk"), audience=Audience.INTERNAL)
    assert kiosk.total == 2
    assert _counts(_result(kiosk, "single_choice")) == {
        "Every week": (1, 50), "Sometimes": (1, 50), "Never": (0, 0)}
    spanish = summarise(survey, ResponseFilters(language="es"), audience=Audience.INTERNAL)
    assert spanish.total == 1 and _result(spanish, "rating").rating.mean == pytest.approx(4.0)
    recent = summarise(survey, ResponseFilters(date_from=library_today() - timedelta(days=6)),
                       audience=Audience.INTERNAL)
    assert recent.total == 3 and _result(recent, "long_text").texts.total == 1
    older = summarise(survey, ResponseFilters(date_to=library_today() - timedelta(days=3)),
                      audience=Audience.INTERNAL)
    assert older.total == 2
    millbrook = db.session.scalar(sa.select(Branch.id).where(Branch.name == "Millbrook"))
    at_millbrook = summarise(survey, ResponseFilters(branch_id=millbrook),
                             audience=Audience.INTERNAL)
    assert at_millbrook.total == 1
    assert _result(at_millbrook, "number").numbers.mean == pytest.approx(1.0)
    archived = summarise(survey, ResponseFilters(review_status="archived"),
                         audience=Audience.INTERNAL)
    assert archived.total == 0 and _result(archived, "single_choice").answered == 0


def test_totals_by_channel_and_branch(survey):
    summary = summarise(survey, ResponseFilters(), audience=Audience.INTERNAL)
    assert [(name, tally.count) for name, tally in summary.by_channel] == [
        ("Kiosk", 2), ("Web or phone", 1), ("Paper", 1)]
    assert [(name, tally.count) for name, tally in summary.by_branch] == [
        ("Eastgate", 2), ("Millbrook", 1), ("No branch", 1)]


def test_outside_audiences_see_small_counts_hidden_and_no_written_answers(survey):
    summary = summarise(survey, ResponseFilters(), audience=Audience.PUBLIC)
    every_week = _result(summary, "single_choice").options[0]
    assert every_week.tally.count is None and every_week.tally.shown == "fewer than 5"
    assert every_week.tally.percent is None
    texts_result = _result(summary, "long_text").texts
    assert texts_result.is_withheld and texts_result.answers == [] and texts_result.total == 2


@pytest.fixture
def branch_survey(make_survey, make_branch):
    survey = make_survey()
    big, small = make_branch(name="Central"), make_branch(name="Northside")
    for _ in range(6):
        respond(survey, channel="kiosk", branch=big, single_choice="Every week")
    respond(survey, channel="paper", branch=small, single_choice="Every week")
    respond(survey, channel="paper", branch=small, single_choice="Every week")
    respond(survey, channel="paper", branch=small, single_choice="Never")
    return survey


@pytest.mark.parametrize("audience", [Audience.PARTNERS, Audience.PUBLIC])
def test_breakdown_hides_cells_under_five_outside_the_library(branch_survey, audience):
    split = breakdown(branch_survey, question_of(branch_survey, "single_choice"), by="branch",
                      filters=ResponseFilters(), audience=audience)
    assert split.columns == ["Central", "Northside"]
    assert [cell.shown for cell in split.rows[0].cells] == ["6", "fewer than 5"]
    assert [cell.count for cell in split.rows[2].cells] == [None, None]
    assert [cell.shown for cell in split.answered] == ["6", "fewer than 5"]


def test_breakdown_shows_every_cell_to_the_library(branch_survey):
    question = question_of(branch_survey, "single_choice")
    split = breakdown(branch_survey, question, by="branch", filters=ResponseFilters(),
                      audience=Audience.INTERNAL)
    assert [[cell.count for cell in row.cells] for row in split.rows] == [[6, 2], [0, 0], [0, 1]]
    assert round(split.rows[0].cells[1].percent) == 67
    by_channel = breakdown(branch_survey, question, by="channel", filters=ResponseFilters(),
                           audience=Audience.INTERNAL)
    assert by_channel.columns == ["Kiosk", "Paper"]
    assert [cell.count for cell in by_channel.rows[0].cells] == [6, 2]


def test_breakdown_refuses_other_groupings(branch_survey):
    with pytest.raises(UnknownBreakdown):
        breakdown(branch_survey, question_of(branch_survey, "single_choice"), by="language",
                  filters=ResponseFilters(), audience=Audience.INTERNAL)
