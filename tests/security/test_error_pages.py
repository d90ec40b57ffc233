"""Error pages: a respondent gets them in their own language and the public layout; staff keep
the staff layout; and every error response carries the security headers."""

import uuid

import pytest

from app.accounts.access import Access
from app.extensions import db
from app.surveys.models import KioskLink
from tests.surveys.filling import good_answers, name_of, responses

pytestmark = pytest.mark.usefixtures("public_app")

TOO_LARGE = "x" * 2_000_000


@pytest.fixture
def app_overrides():
    return {"RATELIMIT_ENABLED": True, "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            "PUBLIC_SUBMIT_RATE_LIMIT": "1 per minute"}


@pytest.fixture
def kiosk_link(make_survey, make_branch):
    link = KioskLink(survey=make_survey(), branch=make_branch(name="Eastgate"))
    db.session.add(link)
    db.session.commit()
    return link


def _is_public_layout(page: str, language: str) -> bool:
    return f'<html lang="{language}"' in page and 'class="public-header"' in page


# 413 ---------------------------------------------------------------------------------------

def test_a_too_large_form_gets_a_413_in_spanish_on_the_public_layout(client, make_survey):
    survey = make_survey()
    db.session.commit()
    response = client.post(f"/f/{survey.token}?lang=es",
                           data={**good_answers(survey), name_of(survey, "long_text"): TOO_LARGE})
    assert response.status_code == 413
    assert "Eso era demasiado para enviar de una vez" in response.text
    assert "acorte las respuestas más largas" in response.text
    assert "Código de error 413." in response.text
    assert _is_public_layout(response.text, "es")
    assert "Log out" not in response.text and "/login" not in response.text
    assert responses() == []


def test_a_too_large_kiosk_send_gets_a_413_in_arabic_right_to_left(client, kiosk_link):
    response = client.post(f"/kiosk/{kiosk_link.token}?lang=ar", data={"x": TOO_LARGE})
    assert response.status_code == 413
    assert "كان ذلك أكثر مما يمكن إرساله مرة واحدة" in response.text
    assert '<html lang="ar" dir="rtl"' in response.text
    assert responses() == []


def test_without_lang_the_browsers_language_is_used(client, make_survey):
    survey = make_survey()
    db.session.commit()
    response = client.post(f"/f/{survey.token}", data={"x": TOO_LARGE},
                           headers={"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"})
    assert response.status_code == 413
    assert "C’était trop à envoyer en une fois" in response.text
    assert _is_public_layout(response.text, "fr")


def test_a_language_without_a_catalogue_falls_back_to_english(client, make_survey):
    survey = make_survey()
    db.session.commit()
    response = client.post(f"/f/{survey.token}?lang=so", data={"x": TOO_LARGE})
    assert response.status_code == 413
    assert "That was too much to send at once" in response.text
    assert _is_public_layout(response.text, "en")


# 404 and 429 -------------------------------------------------------------------------------

def test_an_unknown_form_link_gets_a_404_in_spanish(client):
    response = client.get("/f/no-such-token?lang=es")
    assert response.status_code == 404
    assert "No encontramos este formulario" in response.text
    assert _is_public_layout(response.text, "es")


def test_an_unknown_short_link_gets_a_404_in_arabic(client):
    response = client.get("/s/NOPE/ar", headers={"Accept-Language": "ar"})
    assert response.status_code == 404
    assert "لم نجد هذا النموذج" in response.text


def test_too_many_sends_get_a_429_in_spanish(client, make_survey):
    survey = make_survey()
    db.session.commit()
    assert client.post(f"/f/{survey.token}?lang=es",
                       data={**good_answers(survey), "language": "es"}).status_code == 303
    refused = client.post(f"/f/{survey.token}?lang=es",
                          data={**good_answers(survey), "language": "es"})
    assert refused.status_code == 429
    assert "Demasiados intentos en poco tiempo" in refused.text
    assert _is_public_layout(refused.text, "es")
    assert len(responses()) == 1


def test_too_many_kiosk_sends_get_a_429_in_french(client, kiosk_link):
    survey = kiosk_link.survey
    client.post(f"/kiosk/{kiosk_link.token}", data=good_answers(survey))
    refused = client.post(f"/kiosk/{kiosk_link.token}?lang=fr", data=good_answers(survey))
    assert refused.status_code == 429
    assert "Trop d’essais en peu de temps" in refused.text


# Staff pages keep the staff layout -----------------------------------------------------------

def test_staff_pages_keep_the_staff_error_page_in_english(staff_client):
    missing = staff_client.get("/forms/99999/preview?lang=es",
                               headers={"Accept-Language": "es"})
    assert missing.status_code == 404
    assert "We could not find that page" in missing.text
    assert 'class="public-header"' not in missing.text
    too_large = staff_client.post("/conversations/new?lang=es", data={"notes": TOO_LARGE})
    assert too_large.status_code == 413
    assert "That was too much to send at once" in too_large.text
    assert "Shorten the longest answers or send fewer files" in too_large.text


# Headers on every error page -----------------------------------------------------------------

def _boom():
    raise RuntimeError("boom")


_boom.access = Access.PUBLIC


@pytest.fixture
def error_responses(app, client, make_survey, log_in_member):
    """Return {code: response} for one request of each error code, staff and public side."""
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.config["WTF_CSRF_ENABLED"] = True
    app.add_url_rule("/boom-for-tests", "boom_for_tests", _boom)
    survey = make_survey()
    db.session.commit()
    got = {
        400: client.post("/login", data={"email": "a@b.example", "password": "x"}),
        404: client.get("/no/such/page"),
        405: client.open("/login", method="PUT"),
        413: client.post("/login", data={"email": TOO_LARGE}),
        500: client.get("/boom-for-tests"),
        "404 public": client.get("/f/nothing-here?lang=es"),
        "413 public": client.post(f"/f/{survey.token}?lang=ar", data={"x": TOO_LARGE}),
    }
    client.post(f"/f/{survey.token}", data=good_answers(survey))
    got["429 public"] = client.post(f"/f/{survey.token}", data=good_answers(survey))
    log_in_member(client)
    got[403] = client.get("/admin/users")
    return got


@pytest.fixture
def log_in_member(member):
    from tests.conftest import log_in

    def do(client):
        db.session.commit()
        log_in(client, member)

    return do


def test_every_error_response_carries_the_security_headers(error_responses):
    codes = {key: response.status_code for key, response in error_responses.items()}
    assert codes == {400: 400, 404: 404, 405: 405, 413: 413, 500: 500, 403: 403,
                     "404 public": 404, "413 public": 413, "429 public": 429}
    for key, response in error_responses.items():
        headers = response.headers
        policy = headers["Content-Security-Policy"]
        script_src = next(part for part in policy.split(";") if "script-src" in part)
        assert "'unsafe-inline'" not in script_src, key
        assert "frame-ancestors 'none'" in policy, key
        assert headers["X-Content-Type-Options"] == "nosniff", key
        assert headers["Referrer-Policy"] in {"same-origin", "no-referrer",
                                              "strict-origin-when-cross-origin"}, key
        assert "no-store" in headers["Cache-Control"], key
        assert "Strict-Transport-Security" not in headers, key
        assert "Server" not in headers, key


def test_hsts_is_sent_only_over_https(client):
    secure = client.get("/no/such/page", base_url="https://groundwork.example")
    assert secure.status_code == 404
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Strict-Transport-Security" not in client.get("/no/such/page").headers
    forbidden = client.get("/login", base_url="https://groundwork.example")
    assert "Strict-Transport-Security" in forbidden.headers
