"""One person's records: found by name, email or phone; exported whole; anonymised without a
trace of their name or contact details, while what they contributed stays."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.accounts.models import Role
from app.extensions import db
from app.plans.models import Invitation, Membership
from app.privacy.models import AuditAction, AuditEvent, ConsentRecord
from app.privacy.people import ANONYMOUS_NAME, find_person

NAME = "Zephyrine Quillfeather"
EMAIL = "zephyrine@quillfeather.example"
PHONE = "613-555-0142"
#: What must not remain anywhere once she is anonymised.
TRACES = ("quillfeather", "zephyrine", "555-0142", "5550142")


def make_consent(**fields) -> ConsentRecord:
    consent = ConsentRecord(purpose="form_follow_up", wording="You may contact me.",
                            language="en", expires_on=date.today() + timedelta(days=90),
                            **fields)
    db.session.add(consent)
    return consent


@pytest.fixture
def person(make_user, make_contact, make_conversation, make_action_group):
    """Zephyrine as a contact, in two consents, on an action group with a login; and Bart."""
    contact = make_contact(name=NAME, role="Tenant organiser", channel_value=PHONE,
                           notes="Prefers calls after 5", has_consented=True,
                           consented_on=date.today(), consent_method="verbal")
    conversation = make_conversation(contacts=[contact], notes="Talked about homework help")
    by_email = make_consent(name=NAME, channel="email", contact_value=EMAIL)
    by_phone = make_consent(name="Zeph", channel="text", contact_value="(613) 555 0142")
    login = make_user(Role.MEMBER, name=NAME, email=EMAIL)
    group = make_action_group(members=[login], name="Homework help group")
    membership = group.memberships[0]
    membership.preferred_contact = PHONE
    membership.invitations.append(Invitation(
        email=EMAIL, token_hash="a" * 64, expires_at=datetime.now(UTC) + timedelta(days=7)))
    other = make_contact(name="Bartholomew Ng", channel_value="613-555-0177")
    other_consent = make_consent(name="Bartholomew Ng", channel="phone",
                                 contact_value="613-555-0177")
    db.session.commit()
    return {"contact": contact, "conversation": conversation, "by_email": by_email,
            "by_phone": by_phone, "login": login, "membership": membership, "other": other,
            "other_consent": other_consent}


def refs(person) -> list[str]:
    return [f"contact:{person['contact'].id}", f"consent:{person['by_email'].id}",
            f"consent:{person['by_phone'].id}", f"membership:{person['membership'].id}",
            f"user:{person['login'].id}"]


def test_a_search_by_name_email_or_phone_finds_every_linked_record(person):
    by_name = {item.ref for item in find_person("quillfeather")}
    assert by_name == set(refs(person)) - {f"consent:{person['by_phone'].id}"}
    by_email = {item.ref for item in find_person(EMAIL.upper())}
    assert by_email == {f"consent:{person['by_email'].id}", f"user:{person['login'].id}",
                        f"membership:{person['membership'].id}"}  # the invitation's address
    by_phone = {item.ref for item in find_person("6135550142")}
    assert by_phone == {f"contact:{person['contact'].id}", f"consent:{person['by_phone'].id}",
                        f"membership:{person['membership'].id}"}
    assert find_person("Qu") == []  # too short to search


def test_the_search_page_lists_her_records_and_not_another_persons(person, admin_client):
    page = admin_client.get("/admin/privacy?q=555-0142").get_data(as_text=True)
    assert "Contact on the community map" in page and "Tenant organiser" in page
    assert "Member of the action group “Homework help group”" in page
    assert "Bartholomew" not in page
    assert 'name="records"' in page and " checked" not in page  # the admin ticks, not the search


def test_the_export_holds_her_records_and_nothing_of_another_person(person, admin_client):
    response = admin_client.post("/admin/privacy/person/export",
                                 data={"records": refs(person), "q": "quill"})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    exported = json.loads(response.data)
    kinds = [record["kind"] for record in exported["records"]]
    assert kinds == ["contact", "consent", "consent", "membership", "user"]
    contact = exported["records"][0]
    assert contact["fields"]["channel_value"] == PHONE
    assert contact["fields"]["notes"] == "Prefers calls after 5"
    assert contact["conversations"] == [{"id": person["conversation"].id,
                                         "happened_on": date.today().isoformat(),
                                         "kind": "Drop-in visit"}]
    assert exported["records"][3]["invitations"][0]["email"] == EMAIL
    text = response.get_data(as_text=True)
    assert "Bartholomew" not in text and "0177" not in text
    assert "password_hash" not in text and "token_hash" not in text
    events = db.session.scalars(sa.select(AuditEvent)).all()
    assert [event.action for event in events] == [AuditAction.EXPORT]


def test_anonymising_first_lists_what_will_change_and_changes_nothing(person, admin_client):
    response = admin_client.post("/admin/privacy/person/anonymise",
                                 data={"records": refs(person), "q": "quill"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Anonymise these records?" in page
    assert "Name becomes “A community member”" in page and "Marked as withdrawn" in page
    assert 'name="confirmed" value="yes"' in page
    db.session.expire_all()
    assert person["contact"].name == NAME
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == 0


def _traces_left() -> list[tuple[str, str, str]]:
    """Return (table, column, trace) for every text column of every table still holding one."""
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, sa.String | sa.Text):
                continue
            for trace in TRACES:
                hits = db.session.scalar(sa.select(sa.func.count()).select_from(table)
                                         .where(sa.func.lower(column).contains(trace)))
                if hits:
                    found.append((table.name, column.name, trace))
    return found


def test_anonymising_leaves_no_trace_of_her_name_or_contact_anywhere(person, admin_client):
    assert _traces_left()  # the check sees her before
    response = admin_client.post("/admin/privacy/person/anonymise",
                                 data={"records": refs(person), "q": "quill",
                                       "confirmed": "yes"})
    assert response.status_code == 302
    assert _traces_left() == []
    db.session.expire_all()
    contact, membership, login = person["contact"], person["membership"], person["login"]
    assert contact.name == ANONYMOUS_NAME and contact.role == "Tenant organiser"
    assert person["conversation"].contacts == [contact]  # her conversations stay
    assert membership.display_name == ANONYMOUS_NAME
    assert db.session.get(Membership, membership.id).action_group.name == "Homework help group"
    assert person["by_email"].withdrawn_at is not None and person["by_email"].name == ""
    assert login.name == ANONYMOUS_NAME and not login.is_active
    assert person["other"].name == "Bartholomew Ng"
    assert person["other_consent"].contact_value == "613-555-0177"


def test_anonymising_writes_one_audit_event_without_personal_details(person, admin_client):
    admin_client.post("/admin/privacy/person/anonymise",
                      data={"records": refs(person), "confirmed": "yes"})
    events = db.session.scalars(sa.select(AuditEvent)).all()
    assert [event.action for event in events] == [AuditAction.ANONYMISE]
    event = events[0]
    assert event.actor_name == "Ada Admin"
    assert event.subject == f"contact {person['contact'].id} and 4 more"
    assert f"user {person['login'].id}" in event.detail
    assert not any(trace in (event.subject + event.detail).lower() for trace in TRACES)


def test_an_admin_cannot_anonymise_their_own_account(admin, admin_client):
    response = admin_client.post("/admin/privacy/person/anonymise",
                                 data={"records": [f"user:{admin.id}"], "confirmed": "yes"},
                                 follow_redirects=True)
    assert "You cannot anonymise your own account" in response.get_data(as_text=True)
    db.session.expire_all()
    assert admin.name == "Ada Admin"


def test_nothing_chosen_is_refused_in_plain_words(admin_client):
    response = admin_client.post("/admin/privacy/person/export", data={"q": "quill"},
                                 follow_redirects=True)
    assert "Choose at least one record to export." in response.get_data(as_text=True)
