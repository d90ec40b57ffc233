"""A person fills in the public form on a phone: in their language, with the keyboard alone,
and with JavaScript switched off."""

import re

import pytest
import sqlalchemy as sa

from app.surveys.models import Answer, SurveyResponse
from tests.browser.browsing import NO_PLAYWRIGHT, focused_element, save_screenshots, tab_to

expect = pytest.importorskip("playwright.sync_api", reason=NO_PLAYWRIGHT).expect

pytestmark = pytest.mark.browser


def _web_responses(site, language: str) -> int:
    return site.count(sa.select(sa.func.count(SurveyResponse.id)).where(
        SurveyResponse.survey_id == site.form_id, SurveyResponse.channel == "web",
        SurveyResponse.language == language))


def test_a_person_fills_the_form_on_a_phone_in_spanish(page, site):
    before = _web_responses(site, "es")
    page.goto(f"/f/{site.form_token}")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Español").click()

    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text("Su biblioteca, su opinión")
    page.get_by_label("Cada semana").check()
    page.get_by_label("Libros en mi idioma").check()
    page.get_by_label("¿Qué haría que la biblioteca fuera mejor para usted?").fill(
        "Más cuentos en español los sábados.")
    save_screenshots(page, "form-es")
    page.get_by_role("button", name="Enviar").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Gracias")
    expect(page.get_by_role("status")).to_contain_text("¡Gracias! Leemos cada respuesta")
    assert _web_responses(site, "es") == before + 1


def test_a_person_fills_the_form_on_a_phone_in_arabic_right_to_left(page, site):
    before = _web_responses(site, "ar")
    page.goto(f"/f/{site.form_token}")
    page.get_by_role("link", name="العربية").click()

    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    choice = page.get_by_label("كل أسبوع")
    choice.check()
    # Right to left: the radio button sits to the right of its words.
    label_text = page.locator("label.answer-choice", has=choice).locator("span")
    assert choice.bounding_box()["x"] > label_text.bounding_box()["x"]
    page.get_by_role("group", name="هل لديك بطاقة مكتبة؟").get_by_label("نعم").check()
    save_screenshots(page, "form-ar")
    page.get_by_role("button", name="إرسال").click()

    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text("شكرًا لك")
    expect(page.get_by_role("status")).to_contain_text("شكرًا لك! نقرأ كل إجابة")
    save_screenshots(page, "thanks-ar")
    assert _web_responses(site, "ar") == before + 1


def test_a_form_with_a_show_if_question_is_filled_and_sent_with_the_keyboard_alone(page, site):
    page.goto(f"/f/{site.conditional_form_token}")
    follow_up = page.get_by_label("How many of them go to school?")
    expect(follow_up).to_be_hidden()

    page.keyboard.press("Tab")
    assert focused_element(page)["text"] == "Skip to the form"
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")  # nothing chosen yet: the error is announced and linked
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Do children live with you?")
    expect(summary).to_be_focused()
    question = page.locator("fieldset", has_text="Do children live with you?")
    error_id = question.get_attribute("aria-describedby")
    expect(page.locator(f"#{error_id}")).to_have_text(re.compile("Error:"))

    tab_to(page, "input[type=radio]")
    page.keyboard.press("Space")
    expect(follow_up).to_be_visible()
    page.keyboard.press("Tab")
    expect(follow_up).to_be_focused()
    page.keyboard.type("3")
    page.keyboard.press("Tab")
    page.keyboard.type("Saturday")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("Thanks, we will plan around you.")
    stored = sa.select(sa.func.count(Answer.id)).join(Answer.response).where(
        SurveyResponse.survey_id == site.conditional_form_id,
        sa.or_(Answer.number_value == 3, Answer.text_value == "Saturday"))
    assert site.count(stored) == 2


def test_the_public_form_works_with_javascript_switched_off(new_page, site):
    page = new_page(java_script_enabled=False)
    before = _web_responses(site, "en")
    page.goto(f"/f/{site.form_token}")
    page.get_by_label("About once a month").check()
    page.get_by_label("Homework help for my children").check()
    page.get_by_role("button", name="Send").click()

    expect(page.get_by_role("status")).to_contain_text("We read every answer")
    assert _web_responses(site, "en") == before + 1


def test_without_javascript_a_show_if_question_shows_when_to_answer_it(new_page, site):
    page = new_page(java_script_enabled=False)
    page.goto(f"/f/{site.conditional_form_token}")

    expect(page.get_by_label("How many of them go to school?")).to_be_visible()
    expect(page.get_by_text("Answer this only if your answer to “Do children live with you?” "
                            "was: Yes")).to_be_visible()
