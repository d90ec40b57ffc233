"""People who asked, at the end of a form, to be contacted: their consent records.

They are kept apart from the answers and never appear in response exports; staff see them here
to follow up, and only admins may download them.
"""

import csv
import io
from dataclasses import dataclass

import sqlalchemy as sa

from app.extensions import db
from app.languages import language_name
from app.privacy.models import ConsentRecord, ContactChannel
from app.records import library_today
from app.surveys.exports import neutralise
from app.surveys.models import Survey
from app.templating import local_time


class ConsentNotFound(LookupError):
    """No contact request with that id on this form."""


@dataclass(frozen=True)
class ContactRequest:
    record: ConsentRecord
    status: str  # "valid", "expired" or "withdrawn"

    @property
    def may_contact(self) -> bool:
        return self.status == "valid"


def contact_requests(survey: Survey) -> list[ContactRequest]:
    """Return the form's contact requests, newest first, each with whether it still holds."""
    today = library_today()
    records = db.session.scalars(
        sa.select(ConsentRecord).where(ConsentRecord.survey_id == survey.id)
        .order_by(ConsentRecord.given_at.desc(), ConsentRecord.id.desc()))
    return [ContactRequest(record, _status(record, today)) for record in records]


def _status(record: ConsentRecord, today) -> str:
    if record.withdrawn_at is not None:
        return "withdrawn"
    return "valid" if record.is_valid_on(today) else "expired"


def withdraw_consent(survey: Survey, consent_id: int) -> ConsentRecord:
    """Record that a person no longer wants to be contacted. The caller commits."""
    record = db.session.get(ConsentRecord, consent_id)
    if record is None or record.survey_id != survey.id:
        raise ConsentNotFound(consent_id)
    record.withdraw()
    db.session.flush()
    return record


def contact_list_csv(survey: Survey) -> str:
    """Return a CSV of the people who may still be contacted, for the purpose they agreed to."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Name", "How to reach", "Contact", "Language", "Purpose", "Agreed on",
                     "Expires on"])
    for request in contact_requests(survey):
        if not request.may_contact:
            continue
        record = request.record
        writer.writerow([neutralise(value) for value in (
            record.name, ContactChannel(record.channel).label, record.contact_value,
            language_name(record.language), record.purpose_label,
            local_time(record.given_at).date().isoformat(), record.expires_on.isoformat())])
    return "\ufeff" + out.getvalue()
