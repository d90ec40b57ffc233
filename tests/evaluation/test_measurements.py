"""Measurements per indicator, computed against numbers worked out by hand."""

from datetime import UTC, date, datetime
from itertools import count

import pytest

from app.evaluation.measuring import (
    MeasureDetails,
    MeasurementDetails,
    MeasurementError,
    add_measurement,
    describe_measure,
    indicator_results,
    overview,
    periods_between,
    set_measure,
    span_label,
)
from app.evaluation.models import (
    IndicatorMeasure,
    Measurement,
    MeasureMethod,
    MeasurePeriod,
    OutcomeForm,
)
from app.extensions import db
from app.plans.models import Activity, ActivitySession, Indicator
from app.surveys.models import (
    Answer,
    Question,
    QuestionKind,
    QuestionOption,
    Survey,
    SurveyResponse,
)
from app.surveys.question_building import OptionDraft, QuestionDraft, save_question

_serial = count(1)
TODAY = date(2026, 6, 15)


@pytest.fixture
def plan(make_plan):
    return make_plan(starts_on=date(2026, 1, 1), ends_on=date(2026, 3, 31))


def _indicator(plan, **fields) -> Indicator:
    fields.setdefault("statement", "Kids leave with their homework done.")
    fields.setdefault("kind", "survey_outcome")
    fields.setdefault("level", "short_term")
    indicator = Indicator(plan=plan, **fields)
    db.session.add(indicator)
    db.session.flush()
    return indicator


def _question(kind: str, labels=(), *, survey=None) -> Question:
    survey = survey or Survey(texts={"en": {"title": "After the session"}}, languages=["en"])
    question = Question(survey=survey, kind=kind, texts={"en": {"prompt": "How was it?"}})
    question.options = [QuestionOption(position=place, texts={"en": {"label": label}})
                        for place, label in enumerate(labels)]
    db.session.add(question)
    db.session.flush()
    return question


def _respond(question: Question, at: datetime, *, options=(), number=None) -> SurveyResponse:
    response = SurveyResponse(survey=question.survey, submission_id=f"s{next(_serial)}",
                              channel="web", language="en", submitted_at=at)
    response.answers = [Answer(question=question, option=option) for option in options]
    if number is not None:
        response.answers.append(Answer(question=question, number_value=number))
    db.session.add(response)
    db.session.flush()
    return response


def _measure(indicator, **fields) -> IndicatorMeasure:
    measure = IndicatorMeasure(indicator=indicator, **fields)
    db.session.add(measure)
    db.session.flush()
    return measure


def _noon(year, month, day) -> datetime:
    return datetime(year, month, day, 17, 0, tzinfo=UTC)


def _only(plan, start=date(2026, 1, 1), end=date(2026, 3, 31)):
    (result,) = indicator_results(plan, start, end)
    return result


def test_a_form_share_per_month_says_no_responses_for_an_empty_month(plan):
    indicator = _indicator(plan, baseline="40%", target="75%")
    question = _question(QuestionKind.SINGLE_CHOICE,
                         ("Strongly agree", "Agree", "Disagree", "Strongly disagree"))
    strongly, agree, disagree, _ = question.options
    _measure(indicator, method=MeasureMethod.FORM_SHARE, question=question,
             counted_option_ids=[strongly.id, agree.id], period=MeasurePeriod.MONTH)
    # January: 3 of 4 agree. February: nobody answered. March: 1 of 2.
    for option in (strongly, agree, agree, disagree):
        _respond(question, _noon(2026, 1, 10), options=[option])
    _respond(question, _noon(2026, 3, 3), options=[agree])
    _respond(question, _noon(2026, 3, 4), options=[disagree])
    # A response that skipped the question is not counted at all.
    _respond(question, _noon(2026, 3, 5))

    result = _only(plan)

    assert [(p.label, p.value, p.base, p.text) for p in result.periods] == [
        ("January 2026", 75.0, 4, "75% (3 of 4)"),
        ("February 2026", None, 0, "No responses"),
        ("March 2026", 50.0, 2, "50% (1 of 2)"),
    ]
    assert result.method == MeasureMethod.FORM_SHARE
    assert result.method_label == "Share of form answers"
    assert result.latest.label == "March 2026"
    assert result.progress == ("From 40% at the start to 50% in March 2026; "
                               "the target is 75%.")


def test_responses_are_counted_in_the_month_of_the_librarys_local_date(plan):
    # The library is in Toronto (UTC-5 in winter): 03:00 UTC on 1 Feb is still 31 Jan there.
    indicator = _indicator(plan)
    question = _question(QuestionKind.YES_NO, ("Yes", "No"))
    yes, no = question.options
    _measure(indicator, method=MeasureMethod.FORM_SHARE, question=question)
    _respond(question, datetime(2026, 2, 1, 3, 0, tzinfo=UTC), options=[yes])
    _respond(question, datetime(2026, 2, 1, 6, 0, tzinfo=UTC), options=[no])
    # 04:30 UTC on 1 Jan is 31 Dec 2025 in Toronto: before the range.
    _respond(question, datetime(2026, 1, 1, 4, 30, tzinfo=UTC), options=[yes])

    periods = _only(plan).periods

    assert [(p.label, p.text) for p in periods] == [
        ("January 2026", "100% (1 of 1)"), ("February 2026", "0% (0 of 1)"),
        ("March 2026", "No responses")]


def test_a_multiple_choice_response_counts_once_when_any_chosen_option_counts(plan):
    indicator = _indicator(plan)
    question = _question(QuestionKind.MULTI_CHOICE, ("Books", "Homework help", "Games"))
    books, homework, games = question.options
    _measure(indicator, method=MeasureMethod.FORM_SHARE, question=question,
             counted_option_ids=[books.id, homework.id], period=MeasurePeriod.QUARTER)
    _respond(question, _noon(2026, 1, 5), options=[books, homework])  # counts once
    _respond(question, _noon(2026, 2, 5), options=[homework, games])  # counts
    _respond(question, _noon(2026, 3, 5), options=[games])            # does not

    (q1,) = _only(plan).periods

    assert (q1.label, q1.value, q1.base, q1.text) == ("Q1 2026", 66.7, 3, "67% (2 of 3)")


def test_a_rating_counts_scores_at_or_above_the_minimum(plan):
    indicator = _indicator(plan)
    question = _question(QuestionKind.RATING)
    _measure(indicator, method=MeasureMethod.FORM_SHARE, question=question, min_score=4,
             period=MeasurePeriod.YEAR)
    for score in (5, 4, 3, 2, 4):
        _respond(question, _noon(2026, 2, 10), number=score)

    (year,) = _only(plan).periods

    assert (year.label, year.text) == ("2026", "60% (3 of 5)")
    assert (year.start, year.end) == (date(2026, 1, 1), date(2026, 3, 31))


def test_yes_no_counts_the_share_who_said_yes(plan):
    indicator = _indicator(plan, baseline="20%", target="50%")
    question = _question(QuestionKind.YES_NO, ("Yes", "No"))
    yes, no = question.options
    _measure(indicator, method=MeasureMethod.FORM_SHARE, question=question,
             period=MeasurePeriod.QUARTER)
    for option in (yes, yes, yes, no):
        _respond(question, _noon(2026, 3, 1), options=[option])

    result = _only(plan)

    assert result.periods[0].text == "75% (3 of 4)"
    assert result.progress == ("From 20% at the start to 75% in Q1 2026; "
                               "the target is 50%, reached.")


def _session(activity, held_on, **outputs) -> ActivitySession:
    session = ActivitySession(activity=activity, held_on=held_on, **outputs)
    db.session.add(session)
    return session


def test_session_sums_per_quarter_skip_blank_counts_and_say_no_sessions(make_plan):
    plan = make_plan(starts_on=date(2025, 10, 1), ends_on=date(2026, 6, 30))
    indicator = _indicator(plan, kind="count", level="output", target="150 people")
    other_plan = make_plan()
    activity = Activity(plan=plan, title="Homework club", kind="program")
    elsewhere = Activity(plan=other_plan, title="Story time", kind="program")
    db.session.add_all([activity, elsewhere])
    _session(activity, date(2025, 10, 7), headcount=12)
    _session(activity, date(2025, 11, 4), headcount=None)  # blank: adds nothing
    _session(activity, date(2025, 12, 31), headcount=9)
    _session(activity, date(2026, 4, 1), headcount=20)
    _session(elsewhere, date(2025, 10, 8), headcount=99)  # another plan's session
    _measure(indicator, method=MeasureMethod.SESSION_SUM, session_output="headcount",
             period=MeasurePeriod.QUARTER)

    result = _only(plan, date(2025, 10, 1), date(2026, 6, 30))

    assert [(p.label, p.value, p.base, p.text) for p in result.periods] == [
        ("Q4 2025", 21.0, 3, "21"), ("Q1 2026", None, 0, "No sessions"),
        ("Q2 2026", 20.0, 1, "20")]
    assert result.progress == ("20 in Q2 2026; 41 in all over 2 periods with sessions; "
                               "the target is 150 people.")


def test_sessions_held_counts_sessions(make_plan):
    plan = make_plan()
    indicator = _indicator(plan, kind="count", level="output")
    activity = Activity(plan=plan, title="Homework club", kind="program")
    db.session.add(activity)
    _session(activity, date(2026, 1, 7))
    _session(activity, date(2026, 1, 14))
    _measure(indicator, method=MeasureMethod.SESSION_SUM, session_output="sessions")

    periods = _only(plan, date(2026, 1, 1), date(2026, 2, 28)).periods

    assert [(p.label, p.text) for p in periods] == [("January 2026", "2"),
                                                    ("February 2026", "No sessions")]


def test_hand_entries_inside_the_range_are_each_a_value_oldest_first(plan, staff):
    indicator = _indicator(plan, kind="milestone", level="intermediate", target="Done")
    for start, end, value, words in (
            (date(2026, 3, 1), date(2026, 3, 31), None, "Done: cards without a lease"),
            (date(2026, 1, 12), date(2026, 1, 12), 42.0, ""),
            (date(2025, 12, 1), date(2025, 12, 31), 7.0, ""),    # before the range
            (date(2026, 4, 1), date(2026, 4, 30), 99.0, "")):   # after it
        db.session.add(Measurement(indicator=indicator, period_start=start, period_end=end,
                                   value=value, value_text=words, entered_by=staff))
    db.session.flush()

    result = _only(plan)

    assert result.method == MeasureMethod.HAND
    assert [(p.label, p.value, p.text) for p in result.periods] == [
        ("12 Jan 2026", 42.0, "42"), ("March 2026", None, "Done: cards without a lease")]
    assert result.latest.label == "March 2026"
    assert result.progress == "Done: cards without a lease in March 2026. Target: Done."


def test_progress_when_nothing_was_measured(plan):
    _indicator(plan, baseline="12 families", target="30 families")

    result = _only(plan)

    assert result.periods == [] and result.latest is None
    assert result.progress == ("Nothing measured yet. At the start: 12 families. "
                               "Target: 30 families.")


def test_a_baseline_and_target_written_as_sentences_are_quoted_after_the_value(plan, staff):
    indicator = _indicator(plan, baseline="At our first meeting, 2 of 9 mothers came alone.",
                           target="Most mothers in the group")
    db.session.add(Measurement(indicator=indicator, period_start=date(2026, 2, 1),
                               period_end=date(2026, 2, 28), value=7, entered_by=staff))
    db.session.flush()

    assert _only(plan).progress == (
        "7 in February 2026. At the start: At our first meeting, 2 of 9 mothers came alone. "
        "Target: Most mothers in the group.")


def test_results_come_outcomes_first_and_the_overview_uses_the_plans_dates(plan, staff):
    output = _indicator(plan, statement="Sessions held", kind="count", level="output")
    outcome = _indicator(plan, statement="Kids feel at home", level="long_term")

    data = overview(plan, staff)

    assert [r.indicator for r in data["results"]] == [outcome, output]
    assert (data["start"], data["end"]) == (date(2026, 1, 1), date(2026, 3, 31))
    assert [r.indicator for r in data["outputs"]] == [output]


def test_periods_are_calendar_months_quarters_and_years_cut_to_the_range():
    assert periods_between(date(2026, 2, 15), date(2026, 4, 10), MeasurePeriod.MONTH) == [
        (date(2026, 2, 15), date(2026, 2, 28), "February 2026"),
        (date(2026, 3, 1), date(2026, 3, 31), "March 2026"),
        (date(2026, 4, 1), date(2026, 4, 10), "April 2026")]
    assert [label for _, _, label in periods_between(
        date(2025, 11, 1), date(2026, 2, 1), MeasurePeriod.QUARTER)] == ["Q4 2025", "Q1 2026"]
    assert span_label(date(2026, 4, 1), date(2026, 6, 30)) == "Q2 2026"
    assert span_label(date(2026, 4, 3), date(2026, 4, 9)) == "3 Apr 2026 to 9 Apr 2026"


@pytest.mark.parametrize(("start", "end", "value", "words", "message"), [
    (date(2026, 3, 31), date(2026, 3, 1), 5.0, "", "The end date is before the start date."),
    (date(2026, 3, 1), date(2026, 3, 31), None, "  ", "Give a number, a value in words"),
    (date(1926, 3, 1), date(2026, 3, 31), 5.0, "", "Give a date from 2006 on."),
    (date(2026, 3, 1), date(2028, 3, 31), 5.0, "", "more than a year from today"),
])
def test_a_hand_entry_is_refused_in_words(plan, staff, start, end, value, words, message):
    indicator = _indicator(plan)

    with pytest.raises(MeasurementError, match=message):
        add_measurement(indicator, MeasurementDetails(start, end, value, words), by=staff,
                        today=TODAY)


def test_setting_a_form_share_checks_the_question_and_its_options(plan):
    indicator = _indicator(plan)
    linked = _question(QuestionKind.SINGLE_CHOICE, ("Agree", "Disagree"))
    indicator.questions.append(linked)
    outcome_survey = Survey(texts={"en": {"title": "Follow-up"}}, languages=["en"])
    rating = _question(QuestionKind.RATING, survey=outcome_survey)
    db.session.add(OutcomeForm(plan=plan, survey=outcome_survey, moment="follow_up"))
    stranger = _question(QuestionKind.YES_NO, ("Yes", "No"))
    db.session.flush()
    agree, _ = linked.options

    with pytest.raises(MeasurementError, match="Choose one of the questions listed"):
        set_measure(indicator, MeasureDetails(MeasureMethod.FORM_SHARE, stranger.id))
    with pytest.raises(MeasurementError, match="Tick at least one answer"):
        set_measure(indicator, MeasureDetails(MeasureMethod.FORM_SHARE, linked.id))
    with pytest.raises(MeasurementError, match="lowest score"):
        set_measure(indicator, MeasureDetails(MeasureMethod.FORM_SHARE, rating.id))

    measure = set_measure(indicator, MeasureDetails(
        MeasureMethod.FORM_SHARE, linked.id, (agree.id,), period=MeasurePeriod.QUARTER))
    assert (measure.question_id, measure.counted_option_ids, measure.period) == (
        linked.id, [agree.id], "quarter")
    measure = set_measure(indicator, MeasureDetails(MeasureMethod.FORM_SHARE, rating.id,
                                                    min_score=4))
    assert (measure.question_id, measure.min_score, measure.counted_option_ids) == (
        rating.id, 4, [])


def test_a_counted_choice_reworded_in_the_builder_counts_under_both_wordings(plan):
    indicator = _indicator(plan)
    question = _question(QuestionKind.SINGLE_CHOICE, ("Strongly agree", "Agree", "Disagree"))
    question.survey.questions.append(question)
    strongly, agree, disagree = question.options
    _measure(indicator, method=MeasureMethod.FORM_SHARE, question=question,
             counted_option_ids=[strongly.id], period=MeasurePeriod.QUARTER)
    _respond(question, _noon(2026, 1, 5), options=[strongly])
    _respond(question, _noon(2026, 1, 6), options=[agree])
    # Staff reword the answered "Strongly agree": it is retired and a new choice replaces it.
    save_question(question.survey, question, draft=QuestionDraft(
        kind=QuestionKind.SINGLE_CHOICE, prompt="How was it?", options=[
            OptionDraft(label="Yes, very much", id=strongly.id),
            OptionDraft(label="Agree", id=agree.id),
            OptionDraft(label="Disagree", id=disagree.id)]))
    db.session.flush()
    reworded = question.active_options[0]
    assert (reworded.text(), reworded.replaces_id, strongly.is_retired) == (
        "Yes, very much", strongly.id, True)
    _respond(question, _noon(2026, 2, 5), options=[reworded])
    _respond(question, _noon(2026, 2, 6), options=[disagree])

    (q1,) = _only(plan).periods

    assert q1.text == "50% (2 of 4)"
    assert "the share who chose Yes, very much or Strongly agree" in describe_measure(indicator)
