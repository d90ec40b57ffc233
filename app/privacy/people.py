"""One person's records: find them by name, email or phone, export them, anonymise them.

A person may appear as a contact on the community map, in consent records from forms, as a
member of action groups (with their invitations) and as a login account. Anonymising replaces
their name with "A community member" and blanks their contact details everywhere found; what
they contributed (conversations, memberships, answers) stays.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from app.accounts.models import User
from app.accounts.sessions import end_all_sessions
from app.community.models import Contact
from app.conversations.models import Conversation
from app.extensions import db
from app.plans.models import Invitation, Membership
from app.privacy.audit import forget_actor_name, record
from app.privacy.models import AuditAction, ConsentRecord
from app.records import utcnow

ANONYMOUS_NAME = "A community member"
MIN_SEARCH_LENGTH = 3
#: A search with this many digits is also read as a phone number, whatever its punctuation.
MIN_PHONE_DIGITS = 7
#: Columns never exported: they are secrets, not personal details.
NOT_EXPORTED = {"password_hash", "token_hash"}


class CannotAnonymise(Exception):
    """The records cannot be anonymised: the message says why in plain words."""


@dataclass(frozen=True)
class PersonRecord:
    """One record that names the person, as the admin sees it."""

    kind: str
    record: Any

    @property
    def ref(self) -> str:
        """Return "contact:12", the value a checkbox carries."""
        return f"{self.kind}:{self.record.id}"

    @property
    def subject(self) -> str:
        """Return "contact 12", the name of the record in the audit log."""
        return f"{self.kind} {self.record.id}"

    @property
    def label(self) -> str:
        return DESCRIBE[self.kind][0](self.record)

    @property
    def details(self) -> str:
        return DESCRIBE[self.kind][1](self.record)

    @property
    def changes(self) -> list[str]:
        """Return what anonymising will change, in words."""
        return CHANGES[self.kind]


SEARCHED = {
    "contact": (Contact, ("name", "channel_value")),
    "consent": (ConsentRecord, ("name", "contact_value")),
    "membership": (Membership, ("display_name", "preferred_contact")),
    "user": (User, ("name", "email")),
}

DESCRIBE = {
    "contact": (lambda c: "Contact on the community map",
                lambda c: _join(c.name, c.role, c.organization.name if c.organization else "",
                                c.channel_value)),
    "consent": (lambda r: f"Consent to be contacted ({r.purpose_label.lower()})",
                lambda r: _join(r.name, r.contact_value, f"given {r.given_at:%d %B %Y}")),
    "membership": (lambda m: f"Member of the action group “{m.action_group.name}”",
                   lambda m: _join(m.display_name, m.preferred_contact,
                                   *(i.email for i in m.invitations))),
    "user": (lambda u: f"Login account ({u.role_label.lower()})",
             lambda u: _join(u.name, u.email)),
}

CHANGES = {
    "contact": [f"Name becomes “{ANONYMOUS_NAME}”", "Phone, email or other detail cleared",
                "Notes cleared", "Consent details cleared",
                "Conversations with them stay, naming no one"],
    "consent": ["Name and phone or email cleared", "Marked as withdrawn",
                "The record stays, so form counts still add up"],
    "membership": [f"Name becomes “{ANONYMOUS_NAME}”", "Preferred contact cleared",
                   "No longer listed by name", "Invitation email addresses cleared",
                   "The membership stays in the group's history"],
    "user": [f"Name becomes “{ANONYMOUS_NAME}”", "Email replaced by a made-up address",
             "The account is disabled and logged out everywhere",
             "Their name is removed from the audit log"],
}


def find_person(term: str) -> list[PersonRecord]:
    """Return every record whose name, email or phone contains `term`."""
    term = term.strip()
    if len(term) < MIN_SEARCH_LENGTH:
        return []
    found = [PersonRecord(kind, row) for kind, (model, columns) in SEARCHED.items()
             for row in _matching(model, columns, term)]
    seen = {item.ref for item in found}
    for invitation in _matching(Invitation, ("email",), term):
        item = PersonRecord("membership", invitation.membership)
        if item.ref not in seen:
            seen.add(item.ref)
            found.append(item)
    return found


def records_from_refs(refs: list[str]) -> list[PersonRecord]:
    """Return the records named by refs such as "contact:12"; unknown refs are left out."""
    found = []
    for ref in dict.fromkeys(refs):
        kind, _, raw_id = ref.partition(":")
        if kind in SEARCHED and raw_id.isdigit():
            row = db.session.get(SEARCHED[kind][0], int(raw_id))
            if row is not None:
                found.append(PersonRecord(kind, row))
    return found


def export_person(records: list[PersonRecord]) -> dict[str, Any]:
    """Return every field of the records, and what links to them, ready for JSON; audit it."""
    record(AuditAction.EXPORT, *_audit_names(records))
    return {"exported_at": utcnow().isoformat(),
            "records": [_export_record(item) for item in records]}


def anonymise_person(records: list[PersonRecord], *, by: User) -> int:
    """Replace the person's details in `records`; return how many changed. The caller commits."""
    if not records:
        raise CannotAnonymise("Choose at least one record to anonymise.")
    if any(item.kind == "user" and item.record.id == by.id for item in records):
        raise CannotAnonymise("You cannot anonymise your own account; ask another admin.")
    for item in records:
        ANONYMISE[item.kind](item.record)
    db.session.flush()
    record(AuditAction.ANONYMISE, *_audit_names(records))
    return len(records)


def anonymise_contact(contact: Contact) -> None:
    """Replace a contact's name and clear their details; their conversations stay."""
    contact.name = ANONYMOUS_NAME
    contact.channel_value = ""
    contact.notes = ""
    contact.has_consented = False
    contact.consented_on = None
    contact.consent_method = None


def anonymise_consent(consent: ConsentRecord) -> None:
    """Clear the name and contact detail of a consent record, keeping the row for counts."""
    consent.name = ""
    consent.contact_value = ""


def _withdraw_and_anonymise(consent: ConsentRecord) -> None:
    anonymise_consent(consent)
    consent.withdraw()


def _anonymise_membership(membership: Membership) -> None:
    membership.display_name = ANONYMOUS_NAME
    membership.preferred_contact = ""
    membership.consent_to_be_listed = False
    for invitation in membership.invitations:
        invitation.email = ""


def _anonymise_user(user: User) -> None:
    user.name = ANONYMOUS_NAME
    user.email = f"anonymised-{user.id}@account.invalid"
    user.disable()
    end_all_sessions(user)
    forget_actor_name(user.id, ANONYMOUS_NAME)


ANONYMISE = {"contact": anonymise_contact, "consent": _withdraw_and_anonymise,
             "membership": _anonymise_membership, "user": _anonymise_user}


def _audit_names(records: list[PersonRecord]) -> tuple[str, str]:
    """Return (subject, detail) for the audit log: the records' names, no personal details."""
    names = [item.subject for item in records]
    subject = names[0] + (f" and {len(names) - 1} more" if len(names) > 1 else "")
    return subject, ", ".join(names)[:500]


def _matching(model, columns: tuple[str, ...], term: str) -> list:
    """Return rows of `model` where a column contains `term`, or its digits as a phone."""
    pattern = "%" + re.sub(r"([\\%_])", r"\\\1", term) + "%"
    conditions = [getattr(model, name).ilike(pattern, escape="\\") for name in columns]
    digits = _digits(term)
    if len(digits) >= MIN_PHONE_DIGITS:
        # Narrow by the last four digits in SQL, then compare all the digits here.
        conditions += [getattr(model, name).contains(digits[-4:]) for name in columns]
    rows = db.session.scalars(sa.select(model).where(sa.or_(*conditions)).order_by(model.id))
    return [row for row in rows if _row_matches(row, columns, term.lower(), digits)]


def _row_matches(row, columns: tuple[str, ...], term: str, digits: str) -> bool:
    values = [getattr(row, name) or "" for name in columns]
    return any(term in value.lower() or (len(digits) >= MIN_PHONE_DIGITS
                                         and digits in _digits(value)) for value in values)


def _digits(text: str) -> str:
    return "".join(character for character in text if character.isdigit())


def _join(*parts: str) -> str:
    return " · ".join(part for part in parts if part)


def _fields(row) -> dict[str, Any]:
    return {column.key: _plain(getattr(row, column.key)) for column in row.__table__.columns
            if column.key not in NOT_EXPORTED}


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def _export_record(item: PersonRecord) -> dict[str, Any]:
    exported = {"kind": item.kind, "description": item.label, "fields": _fields(item.record)}
    if item.kind == "contact":
        # The conversations they appear in, by date and kind only: the notes may name others.
        conversations = db.session.scalars(
            sa.select(Conversation).where(Conversation.contacts.contains(item.record))
            .order_by(Conversation.happened_on))
        exported["conversations"] = [
            {"id": conversation.id, "happened_on": conversation.happened_on.isoformat(),
             "kind": conversation.kind_label} for conversation in conversations]
    if item.kind == "membership":
        exported["action_group"] = item.record.action_group.name
        exported["invitations"] = [_fields(invitation) for invitation in item.record.invitations]
    return exported
