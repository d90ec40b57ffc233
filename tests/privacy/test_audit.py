"""The audit log: each audited action writes one event naming the record, never the person's
details; admins read it, newest first, 50 to a page; nobody else opens a privacy page."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.privacy.audit import record
from app.privacy.models import AuditAction, AuditEvent, ConsentRecord
from app.surveys.models import Survey

PRIVACY_PAGES = [("GET", "/admin/privacy"), ("GET", "/admin/privacy?q=someone"),
                 ("GET", "/admin/privacy/audit"), ("POST", "/admin/privacy/person/export"),
                 ("POST", "/admin/privacy/person/anonymise")]


def events() -> list[AuditEvent]:
    return db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()


def test_record_outside_a_request_names_the_command_line(app):
    event = record(AuditAction.RETENTION, "retention rules", detail="contacts: 0")
    assert (event.actor_id, event.actor_name, event.subject) == (None, "Command line",
                                                                 "retention rules")


def test_viewing_a_contact_writes_one_event_naming_the_contact(make_contact, staff,
                                                               staff_client):
    contact = make_contact(name="Priya Sharma", channel_value="priya@example.org")
    db.session.commit()
    assert staff_client.get(f"/community/contacts/{contact.id}").status_code == 200
    [event] = events()
    assert (event.action, event.subject) == (AuditAction.VIEW_PERSONAL, f"contact {contact.id}")
    assert (event.actor_id, event.actor_name) == (staff.id, "Sam Staff")
    assert "Priya" not in event.detail and "priya" not in event.subject


def test_downloading_contact_requests_writes_one_export_event(app, admin_client):
    survey = Survey(texts={"en": {"title": "Your say"}}, asks_for_contact=True)
    db.session.add(survey)
    db.session.flush()
    db.session.add(ConsentRecord(purpose="form_follow_up", wording="You may contact me.",
                                 language="en", name="Lena Ortiz", channel="email",
                                 contact_value="lena@example.org", survey_id=survey.id,
                                 expires_on=(datetime.now(UTC) + timedelta(days=30)).date()))
    db.session.commit()
    response = admin_client.get(f"/forms/{survey.id}/contact-requests.csv")
    assert "lena@example.org" in response.get_data(as_text=True)
    [event] = events()
    assert (event.action, event.subject, event.detail) == (
        AuditAction.EXPORT, f"form {survey.id}", "contact requests CSV")


def test_an_admin_creating_and_disabling_an_account_is_audited(admin_client):
    form = {"name": "Nadia Noor", "email": "nadia@riverbend.example", "role": "staff",
            "branch_id": 0, "password": "a long enough password"}
    assert admin_client.post("/admin/users/new", data=form).status_code == 302
    user_id = db.session.scalar(sa.select(AuditEvent.subject)).split()[1]
    admin_client.post(f"/admin/users/{user_id}", data=dict(form, password="", is_disabled="y"))
    assert [(e.action, e.subject, e.detail) for e in events()] == [
        (AuditAction.ACCOUNT_CHANGE, f"user {user_id}", "created, role staff, password set"),
        (AuditAction.ACCOUNT_CHANGE, f"user {user_id}", "edited, role staff, disabled")]
    assert not any("nadia" in (e.subject + e.detail).lower() for e in events())


def test_the_audit_log_lists_events_newest_first_fifty_to_a_page(app, admin_client):
    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    for n in range(55):
        db.session.add(AuditEvent(action="view_personal", subject=f"contact {n}",
                                  actor_name="Sam Staff", at=start + timedelta(minutes=n)))
    db.session.commit()
    first = admin_client.get("/admin/privacy/audit").get_data(as_text=True)
    assert first.count("<tr>") == 51  # the heading row and 50 events
    assert first.index("contact 54<") < first.index("contact 53<")
    assert "Page 1 of 2" in first
    second = admin_client.get("/admin/privacy/audit?page=2").get_data(as_text=True)
    assert second.count("<tr>") == 6 and "contact 0<" in second


def test_the_audit_log_filters_by_action(app, admin_client):
    db.session.add_all([AuditEvent(action="export", subject="form 3", actor_name="Ada"),
                        AuditEvent(action="view_personal", subject="contact 9", actor_name="Ada")])
    db.session.commit()
    page = admin_client.get("/admin/privacy/audit?action=export").get_data(as_text=True)
    assert "form 3" in page and "contact 9" not in page


@pytest.mark.parametrize("method,url", PRIVACY_PAGES)
def test_staff_get_403_on_every_privacy_page(staff_client, method, url):
    assert staff_client.open(url, method=method).status_code == 403


@pytest.mark.parametrize("method,url", PRIVACY_PAGES)
def test_members_get_403_on_every_privacy_page(member_client, method, url):
    assert member_client.open(url, method=method).status_code == 403
