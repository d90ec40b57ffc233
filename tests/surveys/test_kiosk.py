"""The kiosk: a branch device runs a form; nothing of one person stays for the next."""

import re

import pytest

from app.extensions import db
from app.records import utcnow
from app.surveys.models import KioskLink
from tests.surveys.filling import good_answers, name_of, responses, submission_id

pytestmark = pytest.mark.usefixtures("public_app")

NO_STORE = {"Cache-Control": "no-store, max-age=0", "Pragma": "no-cache", "Expires": "0"}


@pytest.fixture
def kiosk(make_survey, make_branch):
    survey = make_survey()
    link = KioskLink(survey=survey, branch=make_branch(name="Eastgate"), label="By the door")
    db.session.add(link)
    db.session.flush()
    return link


def _assert_not_kept(response):
    for header, value in NO_STORE.items():
        assert response.headers[header] == value, header


def test_the_kiosk_page_is_never_kept_by_the_browser(client, kiosk):
    page = client.get(f"/kiosk/{kiosk.token}")
    assert page.status_code == 200
    _assert_not_kept(page)


def test_the_kiosk_switches_off_autocomplete_on_the_form_and_its_fields(client, kiosk):
    html = client.get(f"/kiosk/{kiosk.token}").text
    assert re.search(r'<form [^>]*class="answer-form" novalidate autocomplete="off"', html)
    for kind in ("short_text", "long_text", "number", "date"):
        field = re.search(rf'<(input|textarea)[^>]*name="{name_of(kiosk.survey, kind)}"[^>]*>',
                          html).group(0)
        assert 'autocomplete="off"' in field, kind


def test_the_kiosk_page_is_large_and_carries_its_idle_reset(client, kiosk):
    html = client.get(f"/kiosk/{kiosk.token}").text
    assert '<body class="public kiosk"' in html
    assert f'data-kiosk-reset-url="/kiosk/{kiosk.token}"' in html
    assert 'data-kiosk-idle-seconds="60" data-kiosk-warning-seconds="20"' in html
    assert "Are you still there?" in html and "I'm still here" in html
    assert 'This form will clear in <span class="countdown" data-kiosk-countdown>20</span>' in html
    assert '<script src="/static/kiosk.js"></script>' in html
    assert "<script>" not in html  # the CSP allows no inline script


def test_a_kiosk_response_records_the_channel_branch_and_link(client, kiosk):
    sent = client.post(f"/kiosk/{kiosk.token}", data={**good_answers(kiosk.survey),
                                                      "language": "es"})
    assert sent.status_code == 303
    assert sent.location == f"/kiosk/{kiosk.token}/thanks?lang=es"
    _assert_not_kept(sent)
    [stored] = responses()
    assert (stored.channel, stored.branch_id, stored.kiosk_link_id, stored.language) == (
        "kiosk", kiosk.branch_id, kiosk.id, "es")


def test_after_submit_nothing_of_the_answers_is_in_a_cookie(client, kiosk):
    page = client.get(f"/kiosk/{kiosk.token}")
    data = {**good_answers(kiosk.survey), "submission_id": submission_id(page.data),
            name_of(kiosk.survey, "long_text"): "My son needs homework help"}
    sent = client.post(f"/kiosk/{kiosk.token}", data=data)
    thanks = client.get(sent.location)
    for response in (page, sent, thanks):
        assert response.headers.getlist("Set-Cookie") == []
    assert client.get_cookie("session") is None


def test_the_thank_you_page_returns_to_a_blank_form_without_javascript(client, kiosk):
    thanks = client.get(f"/kiosk/{kiosk.token}/thanks?lang=ar")
    assert thanks.status_code == 200
    _assert_not_kept(thanks)
    html = thanks.text
    assert f'<meta http-equiv="refresh" content="8;url=/kiosk/{kiosk.token}">' in html
    assert 'data-kiosk-return-seconds="8"' in html
    assert '<html lang="ar" dir="rtl" class="kiosk">' in html and "شكرا لك." in html
    assert "My son" not in html


def test_the_blank_form_after_a_kiosk_response_holds_nothing_of_it(client, kiosk):
    data = {**good_answers(kiosk.survey), name_of(kiosk.survey, "long_text"): "Private words"}
    client.post(f"/kiosk/{kiosk.token}", data=data)
    blank = client.get(f"/kiosk/{kiosk.token}").text
    assert "Private words" not in blank and "checked" not in blank
    assert submission_id(blank.encode()) != data.get("submission_id")


def test_a_revoked_kiosk_link_is_not_found_with_words(client, kiosk):
    kiosk.revoked_at = utcnow()
    db.session.flush()
    page = client.get(f"/kiosk/{kiosk.token}")
    assert page.status_code == 404
    assert "This form is not available here" in page.text
    _assert_not_kept(page)
    assert client.post(f"/kiosk/{kiosk.token}",
                       data=good_answers(kiosk.survey)).status_code == 404
    assert client.get(f"/kiosk/{kiosk.token}/thanks").status_code == 404
    assert responses() == []


def test_an_unknown_kiosk_link_is_not_found(client):
    assert client.get("/kiosk/nothing-here").status_code == 404


def test_a_kiosk_of_a_closed_form_shows_the_closed_page(client, kiosk):
    kiosk.survey.status = "closed"
    db.session.flush()
    page = client.get(f"/kiosk/{kiosk.token}")
    assert page.status_code == 200 and "This form has closed" in page.text
    _assert_not_kept(page)


def test_a_kiosk_of_a_draft_form_is_not_found(client, kiosk):
    kiosk.survey.status = "draft"
    db.session.flush()
    assert client.get(f"/kiosk/{kiosk.token}").status_code == 404


def test_a_kiosk_page_with_errors_or_another_language_resets_when_idle(client, kiosk):
    assert "data-kiosk-dirty" not in client.get(f"/kiosk/{kiosk.token}").text
    assert "data-kiosk-dirty" in client.get(f"/kiosk/{kiosk.token}?lang=es").text
    refused = client.post(f"/kiosk/{kiosk.token}", data={})
    assert refused.status_code == 200 and "data-kiosk-dirty" in refused.text
    _assert_not_kept(refused)
