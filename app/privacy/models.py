"""Consent records: what a person agreed to, for which purpose, until when."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.records import Choice, choice_column, utcnow


class ConsentPurpose(Choice):
    FORM_FOLLOW_UP = "form_follow_up", "Contact me about what I wrote in this form"
    OUTCOME_FOLLOW_UP = "outcome_follow_up", "Send me a short follow-up form later"


class ConsentMethod(Choice):
    ONLINE = "online", "Online checkbox"
    PAPER = "paper", "Signed on a paper form"
    VERBAL = "verbal", "Verbal, noted by staff"


class ContactChannel(Choice):
    PHONE = "phone"
    TEXT = "text", "Text message"
    EMAIL = "email"


class ConsentRecord(db.Model):
    """A person's agreement to be contacted for one purpose, kept apart from their answers.

    It names the form it came through, never the response: the answers stay anonymous.
    """

    __tablename__ = "consent_records"
    __table_args__ = (
        ConsentPurpose.check("purpose"),
        ConsentMethod.check("method"),
        ContactChannel.check("channel"),
        sa.Index("ix_consent_records_survey_purpose", "survey_id", "purpose"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = choice_column(ConsentPurpose)
    #: The exact words the person agreed to, in the language they read them.
    wording: Mapped[str] = mapped_column(sa.Text)
    language: Mapped[str] = mapped_column(sa.String(16))
    method: Mapped[str] = choice_column(ConsentMethod, default=ConsentMethod.ONLINE)
    name: Mapped[str] = mapped_column(sa.String(120), default="")
    channel: Mapped[str] = choice_column(ContactChannel)
    #: The phone number or email address.
    contact_value: Mapped[str] = mapped_column(sa.String(200))
    survey_id: Mapped[int | None] = mapped_column(sa.ForeignKey("surveys.id", ondelete="SET NULL"))
    branch_id: Mapped[int | None] = mapped_column(sa.ForeignKey("branches.id"))
    given_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    expires_on: Mapped[date] = mapped_column(sa.Date)
    withdrawn_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    @property
    def purpose_label(self) -> str:
        return ConsentPurpose(self.purpose).label

    def is_valid_on(self, day: date) -> bool:
        """Return whether the person may be contacted on `day`."""
        return self.withdrawn_at is None and day <= self.expires_on

    def withdraw(self) -> None:
        if self.withdrawn_at is None:
            self.withdrawn_at = utcnow()


class AuditAction(Choice):
    VIEW_PERSONAL = "view_personal", "Viewed personal details"
    EXPORT = "export", "Exported personal details"
    ACCOUNT_CHANGE = "account_change", "Changed an account"
    DELETE = "delete", "Deleted a record"
    ANONYMISE = "anonymise", "Anonymised a person"
    RETENTION = "retention", "Ran the retention rules"


class AuditEvent(db.Model):
    """Who looked at, exported, changed or removed personal details, and when. Admins read it.

    It names the record touched ("contact 12") and never copies the personal details themselves,
    nor an IP address.
    """

    __tablename__ = "audit_events"
    __table_args__ = (
        AuditAction.check("action"),
        sa.Index("ix_audit_events_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    #: The actor's name when it happened, kept if the account is later removed.
    actor_name: Mapped[str] = mapped_column(sa.String(160), default="")
    action: Mapped[str] = choice_column(AuditAction)
    #: The record touched, as "<kind> <id>" ("contact 12", "user 3", "form 5").
    subject: Mapped[str] = mapped_column(sa.String(120), default="")
    detail: Mapped[str] = mapped_column(sa.String(500), default="")

    @property
    def action_label(self) -> str:
        return AuditAction(self.action).label
