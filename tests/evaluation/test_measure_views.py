"""The indicator page: values per period, hand entries, and how the indicator is measured."""

import re
from datetime import UTC, date, datetime

import pytest

from app.evaluation.models import IndicatorMeasure, Measurement, OutcomeForm
from app.extensions import db
from app.plans.models import Activity, ActivitySession, Indicator, Membership
from app.surveys.models import (
    Answer,
    Question,
    QuestionKind,
    QuestionOption,
    Survey,
    SurveyResponse,
)
from tests.conftest import log_in


@pytest.fixture
def plan(make_action_group, make_plan, member):
    group = make_action_group(members=[member])
    return make_plan(title="Homework help", action_group=group,
                     starts_on=date(2026, 1, 1), ends_on=date(2026, 3, 31))


@pytest.fixture
def indicator(plan):
    indicator = Indicator(plan=plan, statement="Kids leave with their homework done.",
                          kind="survey_outcome", level="short_term", baseline="40%",
                          target="75%")
    db.session.add(indicator)
    db.session.commit()
    return indicator


@pytest.fixture
def stranger_client(client, make_user, make_action_group):
    """Logged in as a member of another action group."""
    stranger = make_user("member", name="Other Group Member")
    make_action_group(members=[stranger])
    log_in(client, stranger)
    return client


def _entry(indicator, by, **fields) -> Measurement:
    fields.setdefault("period_start", date(2026, 2, 1))
    fields.setdefault("period_end", date(2026, 2, 28))
    fields.setdefault("value", 55.0)
    measurement = Measurement(indicator=indicator, entered_by=by, **fields)
    db.session.add(measurement)
    db.session.commit()
    return measurement


def _text(response) -> str:
    """The page's words, without markup, spaces squeezed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def test_a_group_member_sees_the_statement_progress_and_who_entered_values(
        member_client, indicator, staff, make_user):
    other = make_user("member", name="Amira Haddad")
    indicator.plan.action_group.memberships.append(Membership(user=other,
                                                              display_name="Amira"))
    _entry(indicator, staff, value=50.0, source="sign-in sheets")
    _entry(indicator, other, period_start=date(2026, 3, 12), period_end=date(2026, 3, 12),
           value=64.0)

    page = _text(member_client.get(f"/indicators/{indicator.id}/measurements"))

    assert "Kids leave with their homework done." in page
    assert "Entered by hand" in page
    assert "From 40% at the start to 64 on 12 Mar 2026; the target is 75%." in page
    assert "February 2026" in page and "sign-in sheets" in page
    assert staff.name in page
    # Amira did not agree to be listed: other members see "A group member".
    assert "Amira" not in page and "A group member" in page


def test_a_group_member_adds_a_value_by_hand(member_client, member, indicator):
    response = member_client.post(f"/indicators/{indicator.id}/measurements", data={
        "period_start": "2026-03-01", "period_end": "2026-03-31", "value": "64",
        "value_text": "", "source": "check-in calls", "note": ""})

    assert response.status_code == 302
    (entry,) = db.session.scalars(db.select(Measurement)).all()
    assert (entry.period_start, entry.period_end, entry.value, entry.source) == (
        date(2026, 3, 1), date(2026, 3, 31), 64.0, "check-in calls")
    assert entry.entered_by_id == member.id
    page = _text(member_client.get(response.location))
    assert "64 in March 2026" in page


def test_a_single_day_needs_only_the_first_date(member_client, indicator):
    member_client.post(f"/indicators/{indicator.id}/measurements", data={
        "period_start": "2026-03-12", "value_text": "Done: cards without a lease"})

    entry = db.session.scalars(db.select(Measurement)).one()
    assert entry.period_end == date(2026, 3, 12) and entry.value is None


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"period_start": "2026-03-31", "period_end": "2026-03-01", "value": "5"},
     "period_end", "The end date is before the start date."),
    ({"period_start": "2026-03-01", "value": "", "value_text": ""},
     "value", "Give a number, a value in words, or both."),
    ({"period_start": "1926-03-01", "value": "5"}, "period_start", "Give a date from"),
    ({"period_start": "2026-03-01", "period_end": "2099-03-01", "value": "5"},
     "period_end", "That date is more than a year from today."),
    ({"period_start": "2026-03-01", "value": "many"}, "value", "Write a number such as 42"),
])
def test_a_wrong_entry_is_refused_next_to_its_field(member_client, indicator, data, field,
                                                    message):
    response = member_client.post(f"/indicators/{indicator.id}/measurements", data=data)

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<p class="error" id="{field}-error">{message}' in html
    assert db.session.scalars(db.select(Measurement)).all() == []


def test_a_group_member_corrects_and_removes_a_value(member_client, indicator, staff):
    entry = _entry(indicator, staff)

    form = member_client.get(f"/measurements/{entry.id}/edit")
    assert 'value="55.0"' in form.get_data(as_text=True) or 'value="55"' in form.get_data(
        as_text=True)
    member_client.post(f"/measurements/{entry.id}/edit", data={
        "period_start": "2026-02-01", "period_end": "2026-02-28", "value": "58",
        "source": "recount"})
    db.session.refresh(entry)
    assert (entry.value, entry.source) == (58.0, "recount")

    response = member_client.post(f"/measurements/{entry.id}/remove")
    assert response.status_code == 302
    assert db.session.get(Measurement, entry.id) is None


def test_a_member_of_another_group_gets_403_everywhere(stranger_client, indicator, staff):
    entry = _entry(indicator, staff)
    data = {"period_start": "2026-03-01", "value": "1"}

    assert stranger_client.get(f"/indicators/{indicator.id}/measurements").status_code == 403
    assert stranger_client.post(f"/indicators/{indicator.id}/measurements",
                                data=data).status_code == 403
    assert stranger_client.get(f"/measurements/{entry.id}/edit").status_code == 403
    assert stranger_client.post(f"/measurements/{entry.id}/edit", data=data).status_code == 403
    assert stranger_client.post(f"/measurements/{entry.id}/remove").status_code == 403
    assert stranger_client.post(f"/indicators/{indicator.id}/measure",
                                data={"method": "hand"}).status_code == 403
    db.session.refresh(entry)
    assert entry.value == 55.0
    assert db.session.scalars(db.select(Measurement)).all() == [entry]


def test_only_staff_choose_how_it_is_measured(member_client, indicator):
    assert member_client.get(f"/indicators/{indicator.id}/measure").status_code == 403
    assert member_client.post(f"/indicators/{indicator.id}/measure",
                              data={"method": "session_sum", "session_output": "headcount",
                                    "period": "month"}).status_code == 403
    assert db.session.get(IndicatorMeasure, indicator.id) is None


def _outcome_question(plan) -> Question:
    survey = Survey(texts={"en": {"title": "After the session"}}, languages=["en"])
    question = Question(survey=survey, kind=QuestionKind.SINGLE_CHOICE,
                        texts={"en": {"prompt": "I feel sure I can do my homework"}})
    question.options = [QuestionOption(position=place, texts={"en": {"label": label}})
                        for place, label in enumerate(("Agree", "Not sure", "Disagree"))]
    db.session.add_all([question, OutcomeForm(plan=plan, survey=survey, moment="immediate")])
    db.session.flush()
    return question


def test_staff_measure_it_from_an_outcome_forms_answers(staff_client, indicator):
    question = _outcome_question(indicator.plan)
    agree, unsure, disagree = question.options
    for number, option in enumerate((agree, agree, unsure, disagree, agree)):
        response = SurveyResponse(survey=question.survey, submission_id=f"r{number}",
                                  channel="kiosk", language="en",
                                  submitted_at=datetime(2026, 2, 10, 18, tzinfo=UTC))
        response.answers = [Answer(question=question, option=option)]
        db.session.add(response)
    db.session.commit()

    page = _text(staff_client.get(f"/indicators/{indicator.id}/measure"))
    assert "I feel sure I can do my homework" in page and "Not sure" in page

    refused = staff_client.post(f"/indicators/{indicator.id}/measure", data={
        "method": "form_share", "question_id": question.id, "period": "month"})
    assert "Tick at least one answer" in _text(refused)

    response = staff_client.post(f"/indicators/{indicator.id}/measure", data={
        "method": "form_share", "question_id": question.id,
        "counted_option_ids": [agree.id], "period": "month"})
    assert response.status_code == 302
    page = _text(staff_client.get(response.location))
    assert "who chose Agree, per month" in page
    assert "January 2026 No responses 0" in page
    assert "February 2026 60% (3 of 5) 5" in page
    assert "From 40% at the start to 60% in February 2026; the target is 75%." in page


def test_staff_measure_it_from_session_outputs(staff_client, indicator):
    activity = Activity(plan=indicator.plan, title="Homework club", kind="program")
    db.session.add(activity)
    db.session.add_all([ActivitySession(activity=activity, held_on=date(2026, 1, 6),
                                        headcount=8),
                        ActivitySession(activity=activity, held_on=date(2026, 3, 3),
                                        headcount=None)])
    db.session.commit()

    refused = staff_client.post(f"/indicators/{indicator.id}/measure", data={
        "method": "session_sum", "session_output": "", "period": "quarter"})
    assert "Choose what to add up from the sessions." in _text(refused)

    staff_client.post(f"/indicators/{indicator.id}/measure", data={
        "method": "session_sum", "session_output": "headcount", "period": "quarter"})

    measure = db.session.get(IndicatorMeasure, indicator.id)
    assert (measure.method, measure.session_output, measure.period) == (
        "session_sum", "headcount", "quarter")
    page = _text(staff_client.get(f"/indicators/{indicator.id}/measurements"))
    assert "Q1 2026 8 2" in page


def test_the_evaluation_page_lists_each_indicator_with_its_latest_value(
        member_client, indicator, staff):
    _entry(indicator, staff, value=64.0, period_start=date(2026, 3, 1),
           period_end=date(2026, 3, 31))

    response = member_client.get(f"/plans/{indicator.plan.id}/evaluation")
    page = _text(response)

    assert "How each indicator is doing" in page
    assert f'href="/indicators/{indicator.id}/measurements"' in response.get_data(as_text=True)
    assert "64 (March 2026)" in page
    assert "From 40% at the start to 64 in March 2026; the target is 75%." in page


def test_a_closed_plans_values_take_no_changes(member_client, indicator, staff,
                                               make_decision):
    entry = _entry(indicator, staff)
    indicator.plan.endorsed_by = make_decision()
    indicator.plan.status = "closed"
    db.session.commit()

    member_client.post(f"/measurements/{entry.id}/remove")

    assert db.session.get(Measurement, entry.id) is not None
    page = _text(member_client.get(f"/indicators/{indicator.id}/measurements"))
    assert "This plan is closed" in page
    assert "Add a value" not in page


def _sessions_per_month(indicator) -> None:
    """Headcounts of 8 in January, 5 in February and 7 in March, counted per month."""
    activity = Activity(plan=indicator.plan, title="Homework club", kind="program")
    db.session.add_all([activity, IndicatorMeasure(indicator=indicator, method="session_sum",
                                                   session_output="headcount",
                                                   period="month")])
    db.session.add_all([ActivitySession(activity=activity, held_on=date(2026, month, 6),
                                        headcount=count)
                        for month, count in ((1, 8), (2, 5), (3, 7))])
    db.session.commit()


def test_the_page_shows_the_dates_asked_for(member_client, indicator, staff):
    _sessions_per_month(indicator)
    _entry(indicator, staff)  # February
    plain = _text(member_client.get(f"/indicators/{indicator.id}/measurements"))
    assert "From 1 Jan 2026 to 31 Mar 2026" in plain
    assert "January 2026 8 1" in plain and "March 2026 7 1" in plain

    response = member_client.get(f"/indicators/{indicator.id}/measurements"
                                 "?start=2026-03-01&end=2026-03-31")
    page, html = _text(response), response.get_data(as_text=True)
    assert "From 1 Mar 2026 to 31 Mar 2026" in page
    assert "March 2026 7 1" in page and "January 2026" not in page
    assert "Outside 1 Mar 2026 to 31 Mar 2026" in page  # the February entry
    assert 'value="2026-03-01"' in html and 'value="2026-03-31"' in html
    assert "The plan&#39;s dates" in html or "The plan's dates" in html
    # One date alone: the other is the plan's.
    only_from = _text(member_client.get(f"/indicators/{indicator.id}/measurements"
                                        "?start=2026-02-01"))
    assert "From 1 Feb 2026 to 31 Mar 2026" in only_from


@pytest.mark.parametrize(("query", "field", "message"), [
    ("start=2026-31-01", "start", "Give a date as year-month-day, like 2026-03-31."),
    ("start=2026-03-01&end=2026-02-01", "end", "The end date is before the start date."),
    ("start=2026-05-01", "start", "That is after 31 Mar 2026, where the page ends."),
    ("end=2025-12-01", "end", "That is before 1 Jan 2026, where the page begins."),
    ("start=1990-01-01", "start", "Give a date from 2006 on."),
    ("start=2030-01-01", "start", "That date is more than a year from today. Check the year."),
])
def test_dates_that_cannot_be_shown_are_named_next_to_their_field(
        member_client, indicator, query, field, message):
    response = member_client.get(f"/indicators/{indicator.id}/measurements?{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    error = re.search(rf'id="{field}-error"[^>]*>(.*?)</', html, re.S)
    assert error is not None and message in error.group(1)
    # The page still shows the plan's dates.
    assert "Dates shown 1 Jan 2026 to 31 Mar 2026." in _text(response)
