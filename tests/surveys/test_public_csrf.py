"""With CSRF protection on, as in production: anonymous answers need no token (and so no
cookie), while the staff screens that share the answer form still do."""

import re

import pytest

from app.extensions import db
from app.surveys.models import KioskLink
from tests.surveys.filling import good_answers, responses, submission_id

pytestmark = pytest.mark.usefixtures("public_app")


@pytest.fixture
def app_overrides():
    return {"WTF_CSRF_ENABLED": True}


def _token(page: bytes) -> str:
    return re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1).decode()


def test_the_public_form_and_the_kiosk_take_answers_without_a_token_or_cookie(client,
                                                                            make_survey,
                                                                            make_branch):
    survey = make_survey()
    link = KioskLink(survey=survey, branch=make_branch())
    db.session.add(link)
    db.session.flush()
    page = client.get(f"/f/{survey.token}")
    assert "csrf_token" not in page.text
    web = client.post(f"/f/{survey.token}", data={**good_answers(survey),
                                                  "submission_id": submission_id(page.data)})
    kiosk = client.post(f"/kiosk/{link.token}", data=good_answers(survey))
    assert web.status_code == kiosk.status_code == 303
    assert [response.channel for response in responses()] == ["web", "kiosk"]
    assert client.get_cookie("session") is None


def test_paper_entry_needs_the_page_token(staff_client, make_survey):
    survey = make_survey()
    refused = staff_client.post(f"/forms/{survey.id}/paper-entry",
                                data={**good_answers(survey), "branch_id": 0})
    assert refused.status_code == 400
    assert responses() == []
    page = staff_client.get(f"/forms/{survey.id}/paper-entry")
    saved = staff_client.post(f"/forms/{survey.id}/paper-entry", data={
        **good_answers(survey), "branch_id": 0, "csrf_token": _token(page.data)})
    assert saved.status_code == 302
    assert len(responses()) == 1


def test_the_preview_needs_the_page_token(staff_client, make_survey):
    survey = make_survey()
    assert staff_client.post(f"/forms/{survey.id}/preview",
                             data=good_answers(survey)).status_code == 400
    page = staff_client.get(f"/forms/{survey.id}/preview")
    checked = staff_client.post(f"/forms/{survey.id}/preview",
                                data={**good_answers(survey), "csrf_token": _token(page.data)})
    assert "These answers would have been saved." in checked.text
