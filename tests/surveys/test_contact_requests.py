"""Contact requests: staff see who asked to be contacted; only admins download them."""

import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.privacy.models import ConsentRecord
from app.records import library_today


@pytest.fixture
def survey(make_survey):
    return make_survey(asks_for_contact=True)


@pytest.fixture
def make_consent(survey):
    def make(**fields) -> ConsentRecord:
        fields.setdefault("purpose", "form_follow_up")
        fields.setdefault("wording", "You may contact me about what I wrote.")
        fields.setdefault("language", "es")
        fields.setdefault("channel", "phone")
        fields.setdefault("contact_value", "613-555-0142")
        fields.setdefault("expires_on", library_today() + timedelta(days=90))
        record = ConsentRecord(survey_id=survey.id, **fields)
        db.session.add(record)
        db.session.commit()
        return record

    return make


def _page(client, survey) -> str:
    return client.get(f"/forms/{survey.id}/contact-requests").get_data(as_text=True)


def test_staff_see_who_asked_to_be_contacted_and_until_when(staff_client, survey, make_consent):
    make_consent(name="Layla")
    make_consent(name="Old request", expires_on=library_today() - timedelta(days=1))
    page = _page(staff_client, survey)
    assert "Layla" in page and "613-555-0142" in page and "May contact until" in page
    assert "Old request" in page and "Expired" in page


def test_a_person_can_withdraw_and_is_then_marked_not_to_contact(staff_client, survey,
                                                                 make_consent):
    record = make_consent(name="Layla")
    response = staff_client.post(f"/forms/{survey.id}/contact-requests/{record.id}/withdraw")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ConsentRecord, record.id).withdrawn_at is not None
    assert "Withdrawn" in _page(staff_client, survey)


def test_withdrawing_a_request_of_another_form_is_404(staff_client, survey, make_survey,
                                                     make_consent):
    record = make_consent()
    other = make_survey()
    db.session.commit()
    response = staff_client.post(f"/forms/{other.id}/contact-requests/{record.id}/withdraw")
    assert response.status_code == 404
    assert db.session.scalar(sa.select(ConsentRecord.withdrawn_at)) is None


def test_admins_download_only_those_who_may_still_be_contacted(admin_client, survey,
                                                               make_consent):
    make_consent(name="Layla", contact_value="=HYPERLINK(\"http://x\")")
    make_consent(name="Expired", expires_on=library_today() - timedelta(days=1))
    withdrawn = make_consent(name="Withdrawn")
    withdrawn.withdraw()
    db.session.commit()
    response = admin_client.get(f"/forms/{survey.id}/contact-requests.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [row[0] for row in rows] == ["Name", "Layla"]
    assert rows[1][2].startswith("'=")


def test_staff_may_not_download_the_contact_list(staff_client, survey, make_consent):
    make_consent()
    assert staff_client.get(f"/forms/{survey.id}/contact-requests.csv").status_code == 403
    assert "Download those who may be contacted" not in _page(staff_client, survey)
