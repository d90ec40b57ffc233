"""The kiosk at a branch: after one person sends or walks away, the next finds a blank form and
cannot go Back to the answers before theirs."""

import pytest
import sqlalchemy as sa

from app.surveys import public_views
from app.surveys.models import SurveyResponse
from tests.browser.browsing import (
    DESKTOP,
    NO_PLAYWRIGHT,
    PHONE,
    TOUCH_TARGET_PX,
    save_screenshots,
    small_targets,
)

expect = pytest.importorskip("playwright.sync_api", reason=NO_PLAYWRIGHT).expect

pytestmark = pytest.mark.browser

#: A tablet on a stand, upright.
TABLET = {"width": 800, "height": 1280}
PRIVATE_WORDS = "My landlord is Mr. Example and he never fixes the heat"
#: What a kiosk user taps or types into.
TOUCH_TARGETS = ("button, a.button, .language-switcher a, label.answer-choice, label.scale-point, "
                 ".answer-check, select, input[type=text], input[type=number], textarea")


@pytest.fixture
def quick_kiosk(monkeypatch):
    """Shorten the kiosk's timings so a test need not wait a minute."""
    for name, seconds in {"return": 2, "idle": 1, "warning": 2}.items():
        monkeypatch.setitem(public_views.KIOSK_TIMINGS, name, seconds)


@pytest.fixture
def kiosk_page(new_page):
    return new_page(viewport=TABLET)


def _kiosk_responses(site) -> int:
    return site.count(sa.select(sa.func.count(SurveyResponse.id)).where(
        SurveyResponse.survey_id == site.form_id, SurveyResponse.channel == "kiosk"))


def _answer_a_little(page) -> None:
    page.get_by_label("Hardly ever").check()
    page.get_by_label("What would make the library better for you?").fill(PRIVATE_WORDS)


def _assert_blank(page, site) -> None:
    expect(page).to_have_url(f"{site.url}/kiosk/{site.kiosk_token}")
    expect(page.get_by_label("What would make the library better for you?")).to_have_value("")
    expect(page.locator("input:checked")).to_have_count(0)
    expect(page.get_by_text(PRIVATE_WORDS)).to_have_count(0)


def test_after_sending_the_kiosk_returns_to_a_blank_form_and_back_shows_nothing(
        kiosk_page, site, quick_kiosk):
    page, before = kiosk_page, _kiosk_responses(site)
    page.goto(f"/kiosk/{site.kiosk_token}")
    _answer_a_little(page)
    page.get_by_role("button", name="Send").click()

    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    expect(page.get_by_text("A new, empty form will open in a few seconds")).to_be_visible()
    save_screenshots(page, "kiosk-thanks", sizes=(TABLET,))  # quick: the page soon returns
    page.wait_for_url(f"{site.url}/kiosk/{site.kiosk_token}", timeout=4000)
    _assert_blank(page, site)
    assert _kiosk_responses(site) == before + 1

    page.go_back()  # to the page the answers were typed on, not to the thank-you page
    page.wait_for_load_state()
    assert page.url == f"{site.url}/kiosk/{site.kiosk_token}"
    assert PRIVATE_WORDS not in page.evaluate(
        "Array.from(document.querySelectorAll('textarea, input')).map(f => f.value).join()")
    _assert_blank(page, site)


def test_a_kiosk_left_idle_warns_counts_down_and_clears(kiosk_page, site, quick_kiosk):
    page = kiosk_page
    page.goto(f"/kiosk/{site.kiosk_token}")
    _answer_a_little(page)

    warning = page.get_by_role("alertdialog", name="Are you still there?")
    expect(warning).to_be_visible(timeout=3000)
    stay = warning.get_by_role("button", name="I'm still here")
    expect(stay).to_be_focused()
    expect(warning.locator("[data-kiosk-countdown]")).to_have_text("2")
    save_screenshots(page, "kiosk-idle-warning", sizes=(TABLET,))
    page.wait_for_function(  # counting down, second by second
        "() => document.querySelector('[data-kiosk-countdown]').textContent === '1'")
    page.keyboard.press("Enter")  # "I'm still here" keeps the answers
    expect(warning).to_be_hidden()
    expect(page.get_by_label("What would make the library better for you?")).to_have_value(
        PRIVATE_WORDS)

    page.evaluate("window.stillTheSamePage = true")
    expect(warning).to_be_visible(timeout=3000)  # left alone again
    page.wait_for_function("() => !window.stillTheSamePage", timeout=4000)  # a new page
    _assert_blank(page, site)
    expect(warning).to_be_hidden()


@pytest.mark.parametrize("size", [TABLET, PHONE, DESKTOP], ids=["tablet", "phone", "desktop"])
def test_every_kiosk_control_is_a_large_touch_target(new_page, site, size):
    page = new_page(viewport=size)
    page.goto(f"/kiosk/{site.kiosk_token}?lang=es")

    assert small_targets(page, TOUCH_TARGETS) == [], f"under {TOUCH_TARGET_PX}px high"
    page.evaluate("document.getElementById('kiosk-warning').hidden = false")
    assert small_targets(page, "#kiosk-warning button") == []
