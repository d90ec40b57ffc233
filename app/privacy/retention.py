"""Retention: personal details are kept only as long as the library needs them.

Community-map contacts are anonymised once nothing has happened with them for
CONTACT_RETENTION_MONTHS; opt-in consent records are anonymised once withdrawn or expired (the
row stays, so counts still add up); with RAW_TEXT_RETENTION_MONTHS set, long-text form answers
are purged after that many months, while the excerpts coded from them stay. `flask privacy
retention` does the work; the admin page only shows what is due.
"""

import calendar
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app

from app.community.models import Contact
from app.conversations.models import Conversation, conversation_contacts
from app.conversations.privacy import find_personal_details
from app.extensions import db
from app.privacy.audit import record
from app.privacy.models import AuditAction, ConsentRecord
from app.privacy.people import ANONYMOUS_NAME, anonymise_consent, anonymise_contact
from app.records import as_utc, library_today
from app.surveys.models import Answer, Question, QuestionKind, SurveyResponse
from app.themes.models import Excerpt

DEFAULT_CONTACT_MONTHS = 24
#: 0 keeps the words of long-text answers for as long as the form's results are kept.
DEFAULT_RAW_TEXT_MONTHS = 0
#: How far ahead the admin page looks.
LOOKAHEAD_DAYS = 90
#: What stands in an excerpt where a phone number or email address was.
REMOVED = "[removed]"
COMMAND = "flask --app wsgi privacy retention"


@dataclass
class KindSchedule:
    """One kind of record: which are due now, and when the later ones fall due."""

    kind: str
    label: str
    rule: str
    due_ids: list[int] = field(default_factory=list)
    #: (the day records fall due, how many), for records not yet due, earliest first.
    upcoming: list[tuple[date, int]] = field(default_factory=list)

    @property
    def due_count(self) -> int:
        return len(self.due_ids)

    @property
    def next_due_on(self) -> date | None:
        return self.upcoming[0][0] if self.upcoming else None

    def upcoming_until(self, last_day: date) -> list[tuple[date, int]]:
        """Return the batches that fall due on or before `last_day`."""
        return [(day, count) for day, count in self.upcoming if day <= last_day]


@dataclass
class RetentionSchedule:
    today: date
    contact_months: int
    raw_text_months: int
    kinds: list[KindSchedule]

    @property
    def lookahead_until(self) -> date:
        return self.today + timedelta(days=LOOKAHEAD_DAYS)


def retention_settings() -> tuple[int, int]:
    """Return (contact months, raw text months) from the configuration, or the defaults."""
    config = current_app.config
    return (int(config.get("CONTACT_RETENTION_MONTHS", DEFAULT_CONTACT_MONTHS)),
            int(config.get("RAW_TEXT_RETENTION_MONTHS", DEFAULT_RAW_TEXT_MONTHS)))


def add_months(day: date, months: int) -> date:
    """Return the same day `months` later, or the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def plan_retention(today: date | None = None) -> RetentionSchedule:
    """Return what is due for anonymising or purging on `today`, and what falls due later."""
    today = today or library_today()
    contact_months, raw_text_months = retention_settings()
    kinds = [_schedule("contacts", "Community-map contacts",
                       f"No activity for {contact_months} months",
                       _contact_due_dates(contact_months), today),
             _schedule("consents", "Contact consents from forms", "Withdrawn or expired",
                       _consent_due_dates(), today)]
    if raw_text_months > 0:
        kinds.append(_schedule("answers", "Words of long-text answers",
                               f"Older than {raw_text_months} months",
                               _answer_due_dates(raw_text_months), today))
    return RetentionSchedule(today, contact_months, raw_text_months, kinds)


def apply_retention(schedule: RetentionSchedule) -> dict[str, int]:
    """Anonymise and purge what `schedule` found due; return counts by kind. The caller commits."""
    done = {kind.kind: kind.due_count for kind in schedule.kinds}
    for kind in schedule.kinds:
        APPLY[kind.kind](kind.due_ids)
    summary = ", ".join(f"{kind}: {count}" for kind, count in done.items())
    record(AuditAction.RETENTION, "retention rules", detail=summary)
    return done


def _schedule(kind: str, label: str, rule: str, due_dates: dict[int, date],
              today: date) -> KindSchedule:
    later = Counter(day for day in due_dates.values() if day > today)
    return KindSchedule(kind, label, rule,
                        due_ids=sorted(id_ for id_, day in due_dates.items() if day <= today),
                        upcoming=sorted(later.items()))


def _contact_due_dates(months: int) -> dict[int, date]:
    """Return each contact's due date: `months` after their last update or conversation."""
    last_heard = sa.func.max(Conversation.happened_on)
    rows = db.session.execute(
        sa.select(Contact.id, Contact.updated_at, last_heard)
        .outerjoin(conversation_contacts, conversation_contacts.c.contact_id == Contact.id)
        .outerjoin(Conversation, Conversation.id == conversation_contacts.c.conversation_id)
        .where(sa.or_(Contact.name != ANONYMOUS_NAME, Contact.channel_value != "",
                      Contact.notes != ""))
        .group_by(Contact.id, Contact.updated_at))
    return {id_: add_months(max(as_utc(updated_at).date(), heard_on or date.min), months)
            for id_, updated_at, heard_on in rows}


def _consent_due_dates() -> dict[int, date]:
    """Return each consent's due date: the day it was withdrawn, or the day after it expires."""
    rows = db.session.execute(
        sa.select(ConsentRecord.id, ConsentRecord.expires_on, ConsentRecord.withdrawn_at)
        .where(sa.or_(ConsentRecord.name != "", ConsentRecord.contact_value != "")))
    return {id_: as_utc(withdrawn_at).date() if withdrawn_at else expires_on + timedelta(days=1)
            for id_, expires_on, withdrawn_at in rows}


def _answer_due_dates(months: int) -> dict[int, date]:
    """Return each long-text answer's due date: `months` after its response came in."""
    rows = db.session.execute(
        sa.select(Answer.id, SurveyResponse.submitted_at)
        .join(SurveyResponse, SurveyResponse.id == Answer.response_id)
        .join(Question, Question.id == Answer.question_id)
        .where(Question.kind == QuestionKind.LONG_TEXT, Answer.text_value != ""))
    return {id_: add_months(as_utc(submitted_at).date(), months) for id_, submitted_at in rows}


def _anonymise_contacts(ids: list[int]) -> None:
    for contact in _load(Contact, ids):
        anonymise_contact(contact)


def _anonymise_consents(ids: list[int]) -> None:
    for consent in _load(ConsentRecord, ids):
        anonymise_consent(consent)


def _purge_answers(ids: list[int]) -> None:
    """Blank the answers' words; excerpts coded from them stay, without contact details."""
    for answer in _load(Answer, ids):
        answer.text_value = ""
    for excerpt in _load_excerpts(ids):
        excerpt.text = remove_contact_details(excerpt.text)
    db.session.flush()


def remove_contact_details(text: str) -> str:
    """Return `text` with each phone number and email address replaced by "[removed]"."""
    for finding in find_personal_details(text):
        text = text.replace(finding.text, REMOVED)
    return text


def _load(model, ids: list[int]) -> list:
    if not ids:
        return []
    return list(db.session.scalars(sa.select(model).where(model.id.in_(ids))))


def _load_excerpts(answer_ids: list[int]) -> list[Excerpt]:
    if not answer_ids:
        return []
    return list(db.session.scalars(sa.select(Excerpt).where(Excerpt.answer_id.in_(answer_ids))))


APPLY = {"contacts": _anonymise_contacts, "consents": _anonymise_consents,
         "answers": _purge_answers}
