"""A plan's outcome forms, the people who agreed to get the follow-up form, and the share of
people who agreed with each outcome statement. Services flush, never commit.

Each plan has at most two outcome forms: one filled in at the end of a session ("immediate") and
one sent some weeks later ("follow-up"). Both are ordinary forms, built question by question as
the form builder does, so staff can edit and translate them there.

How the two forms are paired: each form remembers which of its questions asks about which
outcome, as question ids under the key "outcome_questions" of the form's `texts` JSON, e.g.
{"en": {"title": ...}, "outcome_questions": {"knowledge": 12, "confidence": 13, ...}}. The key is
not a language code, so the builder and the translations leave it alone. A question that staff
later take off the form (deleted, or retired once answered) or turn into a question without
choices is no longer counted: its side of the pair is None.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.evaluation.models import OutcomeForm, OutcomeMoment
from app.extensions import db
from app.plans.models import IndicatorKind, Plan
from app.privacy.models import (
    AuditAction,
    AuditEvent,
    ConsentPurpose,
    ConsentRecord,
    ContactChannel,
)
from app.records import library_day_start, library_today
from app.surveys.building import SurveySettings, response_count, save_survey
from app.surveys.exports import neutralise
from app.surveys.models import (
    Answer,
    Question,
    QuestionKind,
    Survey,
    SurveyPurpose,
    SurveyResponse,
)
from app.surveys.question_building import OptionDraft, QuestionDraft, save_question
from app.templating import local_time

#: Where a form keeps its outcome questions' ids: see the module's docstring.
PAIRING_KEY = "outcome_questions"
#: The five-point scale of every outcome statement, from disagree to agree.
AGREE_SCALE = ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
               "Strongly agree")
#: How many options at the end of the scale count as agreeing ("Agree", "Strongly agree").
AGREEING_OPTIONS = 2
#: Months a follow-up consent lasts: long enough for a follow-up some weeks later.
FOLLOW_UP_CONSENT_MONTHS = 3


@dataclass(frozen=True)
class Outcome:
    key: str
    name: str
    #: The statement on each form, in our own words.
    immediate: str
    follow_up: str


OUTCOMES = (
    Outcome("knowledge", "Knowledge",
            "I learned something new that I can use.",
            "I still remember something new I learned at the session, and it is useful to me."),
    Outcome("confidence", "Confidence",
            "I feel more confident about the topic of today's session.",
            "I feel more confident about the topic of the session than I did before it."),
    Outcome("application", "Applying it",
            "I intend to use what I learned.",
            "I have used what I learned since the session."),
    Outcome("awareness", "Awareness of library services",
            "I know more about what the library offers.",
            "Since the session, I know more about what the library offers and how to use it."),
)

#: Per moment: the form's texts and its two open questions.
FORM_WORDS = {
    OutcomeMoment.IMMEDIATE: {
        "title": "{plan}: how was today's session?",
        "intro": ("A few quick questions about today's session. There are no right or wrong "
                  "answers."),
        "thank_you": "Thank you. Your answers help us see what works and what to change.",
        "contact_purpose": ("In a few weeks we would like to send you a short follow-up form, "
                            "to ask what has changed for you since the session."),
        "open": ("What was most useful?", "What could be better?"),
    },
    OutcomeMoment.FOLLOW_UP: {
        "title": "{plan}: a few weeks on",
        "intro": ("You came to one of our sessions a few weeks ago and agreed to hear from us "
                  "again. These questions ask what has changed for you since then."),
        "thank_you": "Thank you for telling us how things went.",
        "contact_purpose": "",
        "open": ("What has been most useful since the session?", "What could be better?"),
    },
}

PURPOSES = {OutcomeMoment.IMMEDIATE: SurveyPurpose.OUTCOME_IMMEDIATE,
            OutcomeMoment.FOLLOW_UP: SurveyPurpose.OUTCOME_FOLLOW_UP}


class OutcomeFormRefused(Exception):
    """The outcome form cannot be created now; the message says why in plain words."""


class OutcomeFormExists(OutcomeFormRefused):
    """The plan already has a form for this moment; `existing` is that form."""

    def __init__(self, existing: OutcomeForm):
        super().__init__(f"This plan already has its {_moment_words(existing.moment)} form, "
                         f"“{existing.survey.title}”. Here it is.")
        self.existing = existing


class ConsentNotOnList(LookupError):
    """No consent with that id on this plan's follow-up list."""


# The forms

def outcome_form(plan: Plan, moment: str) -> OutcomeForm | None:
    """Return the plan's form for `moment` ("immediate" or "follow_up"), if it has one."""
    return db.session.scalar(sa.select(OutcomeForm).where(
        OutcomeForm.plan_id == plan.id, OutcomeForm.moment == str(moment)))


def create_outcome_form(plan: Plan, moment: str, *, by: User) -> OutcomeForm:
    """Create the plan's draft form for `moment`, with our outcome questions, link its agree
    questions to the plan's survey-outcome indicators and note it in the plan's history."""
    moment = OutcomeMoment(moment)
    if plan.is_closed:
        raise OutcomeFormRefused("This plan is closed. It stays as it was when it closed.")
    existing = outcome_form(plan, moment)
    if existing is not None:
        raise OutcomeFormExists(existing)
    survey = _new_survey(plan, moment, by=by)
    agree_questions = {outcome.key: _agree_question(survey, getattr(outcome, moment.value))
                       for outcome in OUTCOMES}
    for prompt in FORM_WORDS[moment]["open"]:
        save_question(survey, Question(), draft=QuestionDraft(
            kind=QuestionKind.LONG_TEXT, prompt=prompt))
    survey.texts = {**survey.texts,
                    PAIRING_KEY: {key: question.id for key, question in agree_questions.items()}}
    for indicator in plan.indicators:
        if indicator.kind == IndicatorKind.SURVEY_OUTCOME:
            indicator.questions.extend(agree_questions.values())
    form = OutcomeForm(plan=plan, survey=survey, moment=moment, created_by_id=by.id)
    try:
        with db.session.begin_nested():
            db.session.add(form)
            db.session.flush()
    except IntegrityError:
        # Someone else created this plan's form for the moment a moment ago.
        raise OutcomeFormExists(outcome_form(plan, moment)) from None
    plan.record_change(by, "evaluation", f"Created the outcome form “{survey.title}” "
                                         f"({moment.label.lower()})")
    db.session.flush()
    return form


def _new_survey(plan: Plan, moment: OutcomeMoment, *, by: User) -> Survey:
    words = FORM_WORDS[moment]
    community = plan.focus_community
    survey = Survey(created_by_id=by.id)
    save_survey(survey, settings=SurveySettings(
        purpose=PURPOSES[moment], focus_community_id=community.id if community else None,
        default_language="en", other_languages=list(community.languages or []) if community
        else [], texts={"title": words["title"].format(plan=plan.title),
                        "intro": words["intro"], "thank_you": words["thank_you"],
                        "contact_purpose": words["contact_purpose"]},
        asks_for_contact=moment == OutcomeMoment.IMMEDIATE,
        consent_months=FOLLOW_UP_CONSENT_MONTHS))
    return survey


def _agree_question(survey: Survey, statement: str) -> Question:
    return save_question(survey, Question(), draft=QuestionDraft(
        kind=QuestionKind.SINGLE_CHOICE, prompt=statement,
        help="Choose the answer closest to how you feel.",
        options=[OptionDraft(label) for label in AGREE_SCALE]))


def _moment_words(moment: str) -> str:
    return "end-of-session" if moment == OutcomeMoment.IMMEDIATE else "follow-up"


# What the evaluation page shows

def overview(plan: Plan, user: User) -> dict:
    """Return what the plan's evaluation page shows of this part: the two forms (or the
    chance to create them) and, for staff, how many people are on the follow-up list."""
    forms = []
    for moment in OutcomeMoment:
        form = outcome_form(plan, moment)
        forms.append({
            "moment": moment.value, "label": moment.label, "form": form,
            "survey": form.survey if form else None,
            "responses": response_count(form.survey) if form else 0,
        })
    is_staff = user.is_staff
    return {
        "forms": forms, "is_staff": is_staff,
        "may_create": is_staff and not plan.is_closed,
        "follow_up_count": len(follow_up_list(plan).people) if is_staff else None,
    }


# The follow-up list

@dataclass(frozen=True)
class FollowUpList:
    """Who may be sent the follow-up form, and how many were left out and why."""

    immediate: OutcomeForm | None
    follow_up: OutcomeForm | None
    people: list[ConsentRecord]
    expired: int
    withdrawn: int

    @property
    def left_out(self) -> int:
        return self.expired + self.withdrawn


def follow_up_list(plan: Plan, *, today: date | None = None) -> FollowUpList:
    """Return the people who agreed, on the plan's end-of-session form, to get the follow-up
    form and whose consent holds `today` (the library's today by default), oldest first."""
    today = today or library_today()
    immediate = outcome_form(plan, OutcomeMoment.IMMEDIATE)
    follow_up = outcome_form(plan, OutcomeMoment.FOLLOW_UP)
    records = _consents(immediate) if immediate else []
    people = [record for record in records if record.is_valid_on(today)]
    withdrawn = sum(1 for record in records if record.withdrawn_at is not None)
    return FollowUpList(immediate=immediate, follow_up=follow_up, people=people,
                        expired=len(records) - len(people) - withdrawn, withdrawn=withdrawn)


def _consents(immediate: OutcomeForm) -> list[ConsentRecord]:
    return list(db.session.scalars(
        sa.select(ConsentRecord).where(
            ConsentRecord.survey_id == immediate.survey_id,
            ConsentRecord.purpose == ConsentPurpose.OUTCOME_FOLLOW_UP)
        .order_by(ConsentRecord.given_at, ConsentRecord.id)))


def withdraw_follow_up_consent(plan: Plan, consent_id: int) -> ConsentRecord:
    """Record that a person on the plan's follow-up list no longer wants the follow-up form."""
    immediate = outcome_form(plan, OutcomeMoment.IMMEDIATE)
    record = db.session.get(ConsentRecord, consent_id)
    if (immediate is None or record is None or record.survey_id != immediate.survey_id
            or record.purpose != ConsentPurpose.OUTCOME_FOLLOW_UP):
        raise ConsentNotOnList(consent_id)
    record.withdraw()
    db.session.flush()
    return record


#: How each contact channel is named on the list.
CHANNEL_LABELS = dict(ContactChannel.pairs())
CSV_HEADERS = ("Name", "Channel", "Contact", "Agreed on", "Expires on")


def follow_up_csv(plan: Plan, *, by: User) -> str:
    """Return the follow-up list as CSV, cells safe to open in a spreadsheet; log the export."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADERS)
    people = follow_up_list(plan).people
    for record in people:
        writer.writerow([neutralise(value) for value in (
            record.name, CHANNEL_LABELS[record.channel], record.contact_value,
            given_on(record).isoformat(), record.expires_on.isoformat())])
    log_export(plan, by=by, what=f"follow-up list as CSV, {len(people)} people")
    return "\ufeff" + out.getvalue()


def log_export(plan: Plan, *, by: User, what: str) -> None:
    """Note in the audit log that `by` took personal details of the plan's list away."""
    db.session.add(AuditEvent(actor_id=by.id, actor_name=by.name, action=AuditAction.EXPORT,
                              subject=f"plan {plan.id}", detail=what[:500]))
    db.session.flush()


def given_on(record: ConsentRecord) -> date:
    """Return the day a consent was given, where the library is."""
    return local_time(record.given_at).date()


# The share who agreed, for the evaluation

@dataclass(frozen=True)
class AgreeShare:
    agree: int      # answers "Agree" or "Strongly agree"
    answered: int   # answers to the question in the period

    @property
    def share(self) -> float | None:
        """The share who agreed, 0 to 1; None when nobody answered."""
        return self.agree / self.answered if self.answered else None


@dataclass(frozen=True)
class OutcomeLine:
    outcome: str          # "Knowledge", "Confidence", "Applying it" or
    #                       "Awareness of library services"
    statement: str        # the immediate form's question text (English)
    immediate: AgreeShare | None   # None when the plan has no immediate form
    follow_up: AgreeShare | None


def outcome_summary(plan: Plan, start: date, end: date) -> list[OutcomeLine]:
    """Return, per outcome, the share who agreed on each form, counting only responses
    submitted from `start` to `end` inclusive (days where the library is).

    Agreeing means choosing one of the last two choices still on the question, under any of
    their wordings (a reworded choice replaces the answered one). A side is None
    when the plan has no such form or its question was taken off the form.
    """
    period = (library_day_start(start), library_day_start(end + timedelta(days=1)))
    questions = {moment: paired_questions(outcome_form(plan, moment))
                 for moment in OutcomeMoment}
    lines = []
    for outcome in OUTCOMES:
        immediate = questions[OutcomeMoment.IMMEDIATE].get(outcome.key)
        follow_up = questions[OutcomeMoment.FOLLOW_UP].get(outcome.key)
        statement = next((question.text("prompt", "en") for question in (immediate, follow_up)
                          if question is not None), outcome.immediate)
        lines.append(OutcomeLine(outcome=outcome.name, statement=statement,
                                 immediate=_agree_share(immediate, period),
                                 follow_up=_agree_share(follow_up, period)))
    return lines


def paired_questions(form: OutcomeForm | None) -> dict[str, Question]:
    """Return the form's outcome questions still on it, by outcome key."""
    if form is None:
        return {}
    remembered = (form.survey.texts or {}).get(PAIRING_KEY) or {}
    by_id = {question.id: question for question in form.survey.active_questions}
    paired = {}
    for key, question_id in remembered.items():
        question = by_id.get(question_id)
        if question is not None and question.kind == QuestionKind.SINGLE_CHOICE \
                and len(question.active_options) >= AGREEING_OPTIONS:
            paired[key] = question
    return paired


def _agree_share(question: Question | None,
                 period: tuple[datetime, datetime]) -> AgreeShare | None:
    if question is None:
        return None
    # The last two choices, with the answers given under their earlier wordings.
    agreeing = question.same_choices(
        option.id for option in question.active_options[-AGREEING_OPTIONS:])
    row = db.session.execute(
        sa.select(sa.func.count(Answer.id),
                  sa.func.count(Answer.id).filter(Answer.option_id.in_(agreeing)))
        .join(SurveyResponse, Answer.response_id == SurveyResponse.id)
        .where(Answer.question_id == question.id,
               SurveyResponse.submitted_at >= period[0],
               SurveyResponse.submitted_at < period[1])).one()
    return AgreeShare(agree=row[1], answered=row[0])
