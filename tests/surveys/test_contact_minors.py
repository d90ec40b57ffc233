"""Children leave no contact details on a form; a parent or guardian may leave their own
(DOMAIN privacy rule 11). The age is CONTACT_MINIMUM_AGE, told apart by the builder's age
bands; the web page, the kiosk, typed-in paper sheets and the printed sheet all keep to it."""

import re

import pytest
import sqlalchemy as sa

from app import UnsafeSettings, create_app
from app.extensions import db
from app.privacy.models import ConsentRecord
from app.surveys.building import FIXED_LABELS
from app.surveys.models import KioskLink, QuestionKind, QuestionOption
from tests.conftest import app_config
from tests.surveys.conftest import every_kind
from tests.surveys.filling import good_answers, name_of, option_of, responses, submission_id
from tests.surveys.test_paper import pdf_text

pytestmark = pytest.mark.usefixtures("public_app")

UNDER_13, TEEN, ADULT, NOT_SAID = 0, 1, 3, 9
GUARDIAN_BOX = "I am their parent or guardian, and these are my own contact details"
REFUSED = "If you are their parent or guardian, tick the box to say so"
CONTACT = {"contact_ok": "y", "contact_channel": "phone", "contact_value": "613 555 0123"}


def builders_age_bands() -> list[QuestionOption]:
    """The ten age bands the form builder gives an age band question, in en, es and ar."""
    labels = FIXED_LABELS[QuestionKind.AGE_BAND]
    return [QuestionOption(position=place, texts={
        language: {"label": labels[language][place]} for language in ("en", "es", "ar")})
        for place in range(len(labels["en"]))]


@pytest.fixture
def survey(make_survey):
    """The form of every kind with the builder's age bands, asking "You may contact me"."""
    questions = every_kind()
    next(q for q in questions if q.kind == "age_band").options = builders_age_bands()
    survey = make_survey(questions=questions, asks_for_contact=True, consent_months=6)
    db.session.commit()
    return survey


def send(client, survey, band: int, path: str | None = None, lang: str = "en", **contact):
    path = path or f"/f/{survey.token}"
    page = client.get(f"{path}?lang={lang}")
    data = {**good_answers(survey), name_of(survey, "age_band"): option_of(survey, "age_band",
                                                                          band),
            "submission_id": submission_id(page.data), "language": lang, **contact}
    return client.post(path, data=data)


def consents() -> list[ConsentRecord]:
    return db.session.scalars(sa.select(ConsentRecord)).all()


def test_a_child_leaving_contact_details_is_told_why_and_nothing_is_lost(client, survey):
    response = send(client, survey, UNDER_13, **CONTACT)
    assert response.status_code == 200
    # The message sits with the "you may contact me" box, and the summary links to it.
    box = re.search(r'<div class="answer-check has-error">\s*<p class="error" '
                    r'id="contact_ok-error"[^>]*>([^<]*)</p>\s*<input[^>]*'
                    r'aria-describedby="contact_ok-error"[^>]*id="contact_ok"', response.text)
    assert box is not None and REFUSED in box.group(1)
    assert 'href="#contact_ok"' in response.text
    assert responses() == [] and consents() == []
    # Everything typed is still there to send again.
    band = option_of(survey, "age_band", UNDER_13)
    assert re.search(rf'<input checked[^>]*value="{band}"', response.text)
    assert 'value="613 555 0123"' in response.text
    assert 'value="More evening hours, please."' in response.text or \
        "More evening hours, please." in response.text


def test_a_parent_or_guardian_leaves_their_own_and_says_so(client, survey):
    response = send(client, survey, UNDER_13, contact_guardian="y", **CONTACT)
    assert response.status_code == 303
    [stored] = responses()
    assert stored.channel == "web"
    [consent] = consents()
    assert consent.contact_value == "613 555 0123"
    assert consent.wording.splitlines()[-1] == GUARDIAN_BOX


@pytest.mark.parametrize("band", [UNDER_13, ADULT, NOT_SAID])
def test_anyone_may_send_answers_without_contact_details(client, survey, band):
    assert send(client, survey, band).status_code == 303
    assert len(responses()) == 1 and consents() == []


@pytest.mark.parametrize("band", [TEEN, ADULT, NOT_SAID])
def test_above_the_age_or_without_saying_contact_details_are_kept(client, survey, band):
    assert send(client, survey, band, **CONTACT).status_code == 303
    [consent] = consents()
    assert GUARDIAN_BOX not in consent.wording


@pytest.mark.parametrize("app_overrides", [{"CONTACT_MINIMUM_AGE": 18}])
def test_a_library_may_set_the_age_at_18(client, survey):
    assert "Under 18? Only a parent or guardian" in client.get(f"/f/{survey.token}").text
    refused = send(client, survey, TEEN, **CONTACT)
    assert refused.status_code == 200 and REFUSED in refused.text
    assert responses() == []
    assert send(client, survey, TEEN, contact_guardian="y", **CONTACT).status_code == 303
    assert send(client, survey, ADULT + 1, **CONTACT).status_code == 303
    assert len(consents()) == 2


def test_the_guardian_box_is_offered_only_where_the_form_asks_an_age_band(client, survey,
                                                                          make_survey):
    html = client.get(f"/f/{survey.token}").text
    assert "Under 13? Only a parent or guardian may leave contact details: their own." in html
    assert re.search(r'<input[^>]*aria-describedby="contact-guardian-note"[^>]*'
                     r'name="contact_guardian"', html)
    assert re.search(r'<label dir="auto" for="contact_guardian">I am their parent', html)
    # A form without the builder's age bands, or without the contact section, has no box.
    other_bands = make_survey(asks_for_contact=True)
    no_contact = make_survey(questions=[q for q in every_kind() if q.kind != "age_band"])
    for other in (other_bands, no_contact):
        assert "contact_guardian" not in client.get(f"/f/{other.token}").text


def test_the_words_come_in_the_page_language(client, survey):
    assert "¿Menor de 13 años?" in client.get(f"/f/{survey.token}?lang=es").text
    refused = send(client, survey, UNDER_13, lang="es", **CONTACT)
    assert "No podemos guardar los datos de contacto de un niño o una niña." in refused.text
    arabic = client.get(f"/f/{survey.token}?lang=ar").text
    assert "أنا أحد والديه أو وصيّه" in arabic


def test_the_kiosk_keeps_to_the_same_rule(client, survey, make_branch):
    link = KioskLink(survey=survey, branch=make_branch(name="Eastgate"), label="By the door")
    db.session.add(link)
    db.session.commit()
    refused = send(client, survey, UNDER_13, path=f"/kiosk/{link.token}", **CONTACT)
    assert refused.status_code == 200 and REFUSED in refused.text
    assert responses() == [] and consents() == []


def test_a_typed_in_paper_sheet_keeps_to_the_same_rule(staff_client, survey, make_branch):
    branch = make_branch(name="Eastgate")
    db.session.commit()
    path = f"/forms/{survey.id}/paper-entry"
    refused = send(staff_client, survey, UNDER_13, path=path, branch_id=branch.id, **CONTACT)
    assert refused.status_code == 200 and REFUSED in refused.text
    assert responses() == []
    saved = send(staff_client, survey, UNDER_13, path=path, branch_id=branch.id,
                 contact_guardian="y", **CONTACT)
    assert saved.status_code == 302
    [consent] = consents()
    assert (consent.method, consent.wording.splitlines()[-1]) == ("paper", GUARDIAN_BOX)


def test_the_printed_sheet_offers_the_guardian_box(staff_client, survey, make_survey):
    text = pdf_text(staff_client.get(f"/forms/{survey.id}/paper.pdf?lang=en").data)
    assert "Under 13? Only a parent or guardian may leave contact details: their own." in text
    assert GUARDIAN_BOX in text
    spanish = pdf_text(staff_client.get(f"/forms/{survey.id}/paper.pdf?lang=es").data)
    assert "¿Menor de 13 años?" in spanish
    other = make_survey(asks_for_contact=True)
    db.session.commit()
    assert "guardian" not in pdf_text(staff_client.get(f"/forms/{other.id}/paper.pdf").data)


@pytest.mark.parametrize("age", [0, 12, 16, 21])
def test_an_age_the_bands_cannot_tell_apart_is_refused_at_start(age):
    with pytest.raises(UnsafeSettings, match="CONTACT_MINIMUM_AGE"):
        create_app(app_config(CONTACT_MINIMUM_AGE=age))
