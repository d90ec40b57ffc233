"""The follow-up list: people who agreed, on a plan's end-of-session form, to get the follow-up
form, while their consent holds. Staff only; its CSV and PDF carry exactly the listed people."""

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from app.evaluation import outcomes
from app.extensions import db
from app.privacy.models import AuditEvent, ConsentRecord
from app.records import library_today
from app.surveys.responding import add_months
from app.templating import format_date
from tests.surveys.filling import submission_id


@pytest.fixture
def plan(make_plan, make_action_group, member):
    group = make_action_group(members=[member])
    plan = make_plan(title="Homework help", action_group=group)
    db.session.commit()
    return plan


@pytest.fixture
def forms(plan, staff):
    immediate = outcomes.create_outcome_form(plan, "immediate", by=staff).survey
    follow_up = outcomes.create_outcome_form(plan, "follow_up", by=staff).survey
    immediate.open()
    follow_up.open()
    db.session.commit()
    return immediate, follow_up


@pytest.fixture
def consent(forms):
    immediate, _ = forms

    def make(**fields) -> ConsentRecord:
        fields.setdefault("purpose", "outcome_follow_up")
        fields.setdefault("wording", "Yes, you may contact me")
        fields.setdefault("language", "en")
        fields.setdefault("channel", "email")
        fields.setdefault("contact_value", "someone@example.org")
        fields.setdefault("expires_on", library_today() + timedelta(days=60))
        fields.setdefault("survey_id", immediate.id)
        record = ConsentRecord(**fields)
        db.session.add(record)
        db.session.commit()
        return record

    return make


def _list_page(client, plan) -> str:
    return client.get(f"/plans/{plan.id}/evaluation/follow-up").get_data(as_text=True)


def _csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def _pdf_text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-")
    return " ".join(" ".join(page.extract_text().split())
                    for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_respondent_who_opts_in_on_the_end_of_session_form_is_on_the_list(
        client, staff_client, plan, forms):
    immediate, follow_up = forms
    first = immediate.active_questions[0]
    page = client.get(f"/f/{immediate.token}")
    sent = client.post(f"/f/{immediate.token}", data={
        "submission_id": submission_id(page.data), "language": "en",
        f"q_{first.id}": first.options[4].id, "contact_ok": "y", "contact_channel": "text",
        "contact_value": "613 555 0142", "contact_name": "Amina"})
    assert sent.status_code == 303
    [record] = db.session.scalars(sa.select(ConsentRecord)).all()
    assert record.purpose == "outcome_follow_up"

    html = _list_page(staff_client, plan)
    assert "Amina" in html and "Text message" in html and "613 555 0142" in html
    assert format_date(record.given_at) in html  # the day, where the library is
    assert record.expires_on == add_months(library_today(), 3)
    assert format_date(record.expires_on) in html
    assert f"http://localhost/f/{follow_up.token}" in html
    assert "1 person may be sent the follow-up form" in html


def test_expired_withdrawn_and_other_consents_are_left_out_and_counted(
        staff_client, plan, forms, consent, make_plan, staff):
    consent(name="Amina", contact_value="amina@example.org")
    consent(name="Old Consent", contact_value="old@example.org",
            expires_on=library_today() - timedelta(days=1))
    consent(name="Changed Mind", contact_value="changed@example.org",
            withdrawn_at=sa.func.now())
    consent(name="Other Purpose", contact_value="other@example.org", purpose="form_follow_up")
    other_plan = make_plan()
    other_form = outcomes.create_outcome_form(other_plan, "immediate", by=staff).survey
    consent(name="Other Plan", contact_value="elsewhere@example.org", survey_id=other_form.id)

    listing = outcomes.follow_up_list(plan)
    assert [record.name for record in listing.people] == ["Amina"]
    assert (listing.expired, listing.withdrawn) == (1, 1)
    html = _list_page(staff_client, plan)
    assert "amina@example.org" in html
    for hidden in ("Old Consent", "old@example.org", "Changed Mind", "changed@example.org",
                   "Other Purpose", "Other Plan", "elsewhere@example.org"):
        assert hidden not in html
    assert re.search(r"1 whose consent has expired\s+and\s+1 who asked not to be contacted", html)


def test_a_consent_expiring_today_still_holds_until_tomorrow(app, plan, forms, consent):
    consent(name="Last Day", expires_on=library_today())
    assert [r.name for r in outcomes.follow_up_list(plan).people] == ["Last Day"]
    tomorrow = library_today() + timedelta(days=1)
    assert outcomes.follow_up_list(plan, today=tomorrow).people == []


def test_staff_mark_a_person_as_not_to_be_contacted(staff_client, plan, forms, consent):
    record = consent(name="Amina", contact_value="amina@example.org")
    html = _list_page(staff_client, plan)
    assert "They asked not to be contacted" in html
    response = staff_client.post(f"/plans/{plan.id}/evaluation/follow-up/withdraw",
                                 data={"consent_id": record.id})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ConsentRecord, record.id).withdrawn_at is not None
    html = _list_page(staff_client, plan)
    assert "amina@example.org" not in html
    assert "1 who asked not to be contacted" in html


def test_withdrawing_a_consent_that_is_not_on_this_plans_list_is_404(
        staff_client, plan, forms, consent, make_plan, staff):
    other_plan = make_plan()
    other_form = outcomes.create_outcome_form(other_plan, "immediate", by=staff).survey
    record = consent(survey_id=other_form.id, contact_value="elsewhere@example.org")
    response = staff_client.post(f"/plans/{plan.id}/evaluation/follow-up/withdraw",
                                 data={"consent_id": record.id})
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(ConsentRecord, record.id).withdrawn_at is None
    bad = staff_client.post(f"/plans/{plan.id}/evaluation/follow-up/withdraw",
                            data={"consent_id": "x"})
    assert bad.status_code == 400


def test_the_csv_carries_exactly_the_listed_people_with_cells_made_safe(
        staff_client, staff, plan, forms, consent):
    consent(name="=Amina", channel="phone", contact_value="613-555-0142")
    consent(name="Old Consent", expires_on=library_today() - timedelta(days=1),
            contact_value="old@example.org")
    response = staff_client.get(f"/plans/{plan.id}/evaluation/follow-up.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = _csv_rows(response)
    today, expires = library_today(), library_today() + timedelta(days=60)
    assert rows == [["Name", "Channel", "Contact", "Agreed on", "Expires on"],
                    ["'=Amina", "Phone", "613-555-0142", _given_on(), expires.isoformat()]]
    assert today.isoformat() >= rows[1][3]
    [event] = db.session.scalars(sa.select(AuditEvent)).all()
    assert (event.action, event.actor_id, event.subject) == ("export", staff.id, f"plan {plan.id}")
    assert "613-555-0142" not in event.detail and "Amina" not in event.detail


def _given_on() -> str:
    record = db.session.scalars(sa.select(ConsentRecord).order_by(ConsentRecord.id)).first()
    return outcomes.given_on(record).isoformat()


def test_the_pdf_is_internal_and_carries_exactly_the_listed_people(
        staff_client, plan, forms, consent):
    _, follow_up = forms
    consent(name="Amina Haddad", contact_value="amina@example.org")
    consent(name="Changed Mind", contact_value="changed@example.org", withdrawn_at=sa.func.now())
    response = staff_client.get(f"/plans/{plan.id}/evaluation/follow-up.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = _pdf_text(response.data)
    assert "Follow-up list: Homework help" in text
    assert "Internal: contains personal details — shred after use" in text
    assert "only to send the follow-up form" in text
    assert "Amina Haddad" in text and "amina@example.org" in text
    assert "Changed Mind" not in text and "changed@example.org" not in text
    assert follow_up.token in text.replace(" ", "")
    today = library_today()
    assert f"{today.day} {today:%b %Y}" in text


def test_a_plan_without_an_end_of_session_form_has_an_empty_list(staff_client, plan):
    html = _list_page(staff_client, plan)
    assert "This plan has no end-of-session form yet" in html
    rows = _csv_rows(staff_client.get(f"/plans/{plan.id}/evaluation/follow-up.csv"))
    assert rows == [["Name", "Channel", "Contact", "Agreed on", "Expires on"]]


@pytest.mark.parametrize("method, path", [
    ("GET", "/evaluation/follow-up"),
    ("GET", "/evaluation/follow-up.csv"),
    ("GET", "/evaluation/follow-up.pdf"),
    ("POST", "/evaluation/follow-up/withdraw"),
    ("POST", "/evaluation/outcome-forms/immediate"),
])
def test_members_of_the_plans_own_group_get_403_on_all_of_it(member_client, plan, forms,
                                                             consent, method, path):
    record = consent(name="Amina", contact_value="amina@example.org")
    response = member_client.open(f"/plans/{plan.id}{path}", method=method,
                                  data={"consent_id": record.id})
    assert response.status_code == 403
    assert b"amina@example.org" not in response.data
    db.session.expire_all()
    assert db.session.get(ConsentRecord, record.id).withdrawn_at is None


def test_an_unknown_plan_is_404(staff_client):
    assert staff_client.get("/plans/999/evaluation/follow-up").status_code == 404


def test_the_day_a_consent_was_given_is_the_library_day(app, plan, forms, consent):
    # 03:00 UTC on 10 March is still 9 March in Toronto, where the library is.
    record = consent(given_at=datetime(2026, 3, 10, 3, tzinfo=UTC))
    db.session.expire_all()
    assert outcomes.given_on(db.session.get(ConsentRecord, record.id)) == date(2026, 3, 9)
