"""The Eastgate plan's evaluation in the demo: its outcome forms with answers from the Saturday
mornings, measurements from forms, sessions and hand entries, stories of change chosen by a
panel, and a halfway evaluation the action group signed off at a meeting.

Everything here is invented. Contact details use reserved example numbers and domains.
"""

import random
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app

from app.accounts.models import Branch, User
from app.demo import riverbend
from app.demo.plans import EASTGATE_PLAN
from app.evaluation.models import (
    Evaluation,
    IndicatorMeasure,
    Measurement,
    Story,
    StorySelection,
)
from app.evaluation.outcomes import create_outcome_form, paired_questions
from app.extensions import db
from app.meetings.models import Meeting
from app.plans.models import Plan
from app.privacy.models import ConsentRecord
from app.surveys.models import Answer, SurveyResponse

#: Per Saturday session, in order: how many filled in the end-of-session form.
ANSWERS_PER_MORNING = (6, 7, 8, 7, 9, 8, 9)
#: How likely each answer is, Strongly disagree → Strongly agree, early and later mornings.
EARLY = (1, 2, 4, 7, 4)
LATER = (0, 1, 2, 8, 8)
FOLLOW_UP_ANSWERS = 11
OPEN_ANSWERS = [
    "The volunteer who speaks Dari helped my son with fractions.",
    "My daughter read to her little brother in Tigrinya.",
    "More chairs, and maybe juice for the small ones.",
    "I did not know the cards were free. Now we have three.",
    "Please start at 10, the bus on Saturday is slow.",
    "The Arabic picture books are the best part.",
]
#: People who asked for the follow-up form: (name, channel, contact, days ago, state).
OPT_INS = [
    ("Hodan", "text", "555-0142", 40, "valid"),
    ("", "email", "family.noor@example.org", 33, "valid"),
    ("Mariam", "phone", "555-0178", 26, "valid"),
    ("Yonas", "text", "555-0119", 19, "valid"),
    ("", "email", "saba.t@example.org", 12, "valid"),
    ("Leila", "phone", "555-0166", 110, "expired"),
    ("", "text", "555-0190", 30, "withdrawn"),
]


def add_demo_evaluation(plans_demo: Mapping[str, Any], people: Mapping[str, User],
                        branches: Mapping[str, Branch], today: date) -> dict[str, Any]:
    """Add the Eastgate plan's outcome forms, measurements, stories and halfway evaluation.
    The caller commits."""
    plan = plans_demo["plans"][EASTGATE_PLAN]
    amira, selam = people[riverbend.AMIRA], people[riverbend.MEMBER]
    branch = branches["Eastgate"]
    immediate = create_outcome_form(plan, "immediate", by=amira)
    follow_up = create_outcome_form(plan, "follow_up", by=amira)
    for form in (immediate, follow_up):
        form.survey.open()
        form.survey.opened_at = _at(plan.starts_on - timedelta(days=2), 9)
    rng = random.Random(2026)
    mornings = [session for activity in plan.activities for session in activity.sessions
                if activity.kind == "program"]
    for index, (session, count) in enumerate(zip(mornings, ANSWERS_PER_MORNING, strict=False)):
        weights = EARLY if index < 3 else LATER
        for _ in range(count):
            _response(rng, immediate, weights, when=_at(session.held_on, 12, rng),
                      branch=branch, transcriber=amira)
    last_morning = max(session.held_on for session in mornings)
    for _ in range(FOLLOW_UP_ANSWERS):
        day = last_morning - timedelta(days=rng.randrange(0, 12))
        _response(rng, follow_up, LATER, when=_at(day, 19, rng), branch=None, transcriber=None)
    _opt_ins(immediate.survey.id, branch, today)
    _measures(plan, immediate, amira, selam, today)
    stories = _stories(plan, amira, selam, today)
    evaluation = _evaluation(plan, stories, amira, today)
    db.session.flush()
    return {"immediate": immediate, "follow_up": follow_up, "stories": stories,
            "evaluation": evaluation}


def _at(day: date, hour: int, rng: random.Random | None = None) -> datetime:
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    minute = rng.randrange(0, 50) if rng else 0
    return datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(UTC)


def _response(rng: random.Random, form, weights: tuple[int, ...], *, when: datetime,
              branch: Branch | None, transcriber: User | None) -> None:
    survey = form.survey
    answers = []
    for question in paired_questions(form).values():
        options = question.active_options
        answers.append(Answer(question=question,
                              option=rng.choices(options, weights=weights)[0]))
    open_questions = [question for question in survey.active_questions
                      if question.kind == "long_text"]
    if open_questions and rng.random() < 0.4:
        answers.append(Answer(question=open_questions[0], text_value=rng.choice(OPEN_ANSWERS)))
    db.session.add(SurveyResponse(
        survey=survey, submission_id=f"demo-outcome-{rng.getrandbits(96):024x}",
        channel="paper" if transcriber else "web", branch=branch, language="en",
        submitted_at=when, transcribed_by=transcriber, review_status="reviewed",
        answers=answers))


def _opt_ins(survey_id: int, branch: Branch, today: date) -> None:
    for name, channel, value, days_ago, state in OPT_INS:
        given = datetime.combine(today - timedelta(days=days_ago), time(17), tzinfo=UTC)
        record = ConsentRecord(
            purpose="outcome_follow_up", language="en", method="paper", name=name,
            wording="In a few weeks we would like to send you a short follow-up form, to ask "
                    "what has changed for you since the session.",
            channel=channel, contact_value=value, survey_id=survey_id, branch_id=branch.id,
            given_at=given, expires_on=given.date() + timedelta(days=90))
        if state == "withdrawn":
            record.withdrawn_at = given + timedelta(days=6)
        db.session.add(record)


def _measures(plan: Plan, immediate, amira: User, selam: User, today: date) -> None:
    homework, mothers, weekdays, mornings = sorted(plan.indicators, key=lambda i: i.position)
    confidence = paired_questions(immediate)["confidence"]
    mothers.questions.append(confidence)
    db.session.add_all([
        IndicatorMeasure(indicator=mothers, method="form_share", question=confidence,
                         counted_option_ids=[option.id for option in
                                             confidence.active_options[-2:]], period="month"),
        IndicatorMeasure(indicator=mornings, method="session_sum",
                         session_output="headcount", period="month"),
    ])
    # Hand entries cover what the group had counted by the halfway meeting a week ago.
    start, counted_to = plan.starts_on, today - timedelta(days=7)
    month_end = min(_month_end(start), counted_to - timedelta(days=14))
    db.session.add_all([
        Measurement(indicator=homework, period_start=start, period_end=month_end, value=64,
                    value_text="18 of 28 children's homework finished",
                    source="Volunteers' tick sheets", entered_by=selam,
                    note="The first two mornings were mostly getting to know each other."),
        Measurement(indicator=homework, period_start=month_end + timedelta(days=1),
                    period_end=counted_to, value=78,
                    value_text="38 of 49 children's homework finished",
                    source="Volunteers' tick sheets", entered_by=selam),
        Measurement(indicator=weekdays, period_start=start,
                    period_end=counted_to, value_text=(
                        "Four families told the group they now come on a weekday too"),
                    source="Stories at the group's meetings", entered_by=amira),
    ])


def _month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def _stories(plan: Plan, amira: User, selam: User, today: date) -> list[Story]:
    alone = Story(
        plan=plan, title="Coming on her own", domain="Feeling at home in the library",
        period_start=plan.starts_on, period_end=today,
        what_changed="She used to wait for her husband to bring her. After the mothers stayed "
                     "for the second morning, she started coming on her own on Saturdays, and "
                     "now brings her neighbour.",
        why_it_matters="She says the library is the first place in the city she goes to "
                       "without asking anyone the way.",
        teller_role="a mother from the Eastgate towers", consent_level="anonymous_public",
        told_on=today - timedelta(days=12), collected_by=selam, verified=True)
    homework = Story(
        plan=plan, title="Homework in Tigrinya", domain="Children's learning",
        period_start=plan.starts_on, period_end=today,
        what_changed="Children who were shy in English explain their maths in Tigrinya first, "
                     "then in English. Two of them now help the younger ones.",
        why_it_matters="Their teachers noticed the homework coming back done.",
        teller_role="a Saturday volunteer", teller_name="Tesfaye",
        consent_level="named_public", told_on=today - timedelta(days=9), collected_by=amira,
        verified=True)
    housing = Story(
        plan=plan, title="Help with a school form", domain="Getting help",
        what_changed="A family behind on a school form got help from the settlement worker at "
                     "the morning and kept their child's place in the after-school program.",
        why_it_matters="It shows the mornings reach families at hard moments.",
        teller_role="a parent", consent_level="internal_only",
        told_on=today - timedelta(days=20), collected_by=amira)
    panel = "Selam (co-chair), two parents, Nadia from the settlement office and Amira"
    alone.selections.append(StorySelection(
        panel=panel, round="Halfway look back", chosen_on=today - timedelta(days=6),
        reason="It is what we hoped for when we said mothers should feel fine coming alone, "
               "and it happened sooner than we thought.",
        fed_back_on=today - timedelta(days=4), recorded_by=selam))
    homework.selections.append(StorySelection(
        panel=panel, round="Halfway look back", chosen_on=today - timedelta(days=6),
        reason="It shows the mornings work in our own languages, not only in English.",
        recorded_by=selam))
    db.session.add_all([alone, homework, housing])
    return [alone, homework, housing]


def _evaluation(plan: Plan, stories: list[Story], amira: User, today: date) -> Evaluation:
    group = plan.action_group
    meeting = Meeting(
        title="Eastgate Families Table: halfway look back", kind="action_group",
        status="held", held_on=today - timedelta(days=5), starts_at=time(18),
        ends_at=time(19, 30), branch=plan.branch, focus_community=plan.focus_community,
        action_group=group, place_text="Eastgate branch, community room",
        languages=["en", "ar", "ti"], facilitator="Selam and Amira", headcount=11,
        notes="We looked at the counts, the forms and the stories together and agreed what to "
              "keep and what to change.", supports=["interpretation", "childcare", "food"],
        created_by=amira)
    db.session.add(meeting)
    decision = meeting.record_decision(
        text="We agree the halfway look back. The mornings go on; we start at 10 from next "
             "month and ask the library to stop asking for proof of address for cards.",
        method="consensus", decided_by="The Eastgate Families Table, 11 present",
        recorded_by=amira)
    evaluation = Evaluation(
        plan=plan, title="Halfway look back", period_start=plan.starts_on,
        period_end=today - timedelta(days=6),
        evaluators="Selam (co-chair), three parents, Tesfaye (volunteer), Nadia from the "
                   "settlement office, Amira (library)",
        methods="Tick sheets kept by the volunteers, the end-of-session form on paper, the "
                "follow-up form, headcounts, and stories told at the group's meetings.",
        lessons="Children come back when someone speaks their language. Mothers stay when "
                "there is something for them too, not only for the children.",
        keep="Volunteers who speak Arabic, Dari and Tigrinya; the Tigrinya class in the room.",
        change="Start at 10 instead of 9:30: the Saturday bus is slow.",
        stop="Handing out the English-only flyer.",
        start="A corner for mothers with coffee and the settlement worker once a month.",
        recommendations="Keep the mornings to the end of the plan and plan a second room "
                        "before the winter term.",
        policy_changes="Stop asking for proof of address when a family gets a library card: "
                       "it keeps newcomer families away.",
        what_changed="More children finish their homework on Saturdays, and more mothers come "
                     "to the library on their own.",
        created_by=amira, stories=stories[:2])
    evaluation.sign_off(decision)
    db.session.add(evaluation)
    return evaluation
