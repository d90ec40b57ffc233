"""WCAG 2.1 AA in a real browser: axe-core finds no serious or critical problem on the public
pages (in every language they have) or the main staff pages, and each reflows at 320 px wide
(1280 px at 400% zoom) without sideways scrolling; focus shows. Key pages are also saved as
screenshots at phone and desktop size."""

import pytest

from app.demo import riverbend
from tests.browser.browsing import (
    NARROW,
    NO_PLAYWRIGHT,
    broken_references,
    focused_element,
    save_screenshots,
    scrolls_sideways,
    serious_violations,
    shows_focus,
)

expect = pytest.importorskip("playwright.sync_api", reason=NO_PLAYWRIGHT).expect

pytestmark = pytest.mark.browser

#: Pages anyone may open: name, then path with {site} standing for the served site's records.
PUBLIC_PAGES = {
    "login": "/login",
    **{f"form-{lang}": f"/f/{{site.form_token}}?lang={lang}" for lang in ("en", "es", "ar")},
    **{f"thanks-{lang}": f"/f/{{site.form_token}}/thanks?lang={lang}"
       for lang in ("en", "es", "ar")},
    "form-with-show-if": "/f/{site.conditional_form_token}",
    **{f"closed-{lang}": f"/f/{{site.closed_form_token}}?lang={lang}" for lang in ("en", "ar")},
    **{f"kiosk-{lang}": f"/kiosk/{{site.kiosk_token}}?lang={lang}" for lang in ("en", "es", "ar")},
    "kiosk-thanks": "/kiosk/{site.kiosk_token}/thanks",
    "kiosk-link-gone": "/kiosk/no-such-link",
    "not-found": "/f/no-such-form",
}
#: Staff pages: name, then who looks at them and the path.
STAFF_PAGES = {
    "home": (riverbend.AMIRA, "/"),
    "member-home": (riverbend.MEMBER, "/"),
    "conversations": (riverbend.AMIRA, "/conversations/"),
    "conversation": (riverbend.AMIRA, "/conversations/{site.conversation_id}"),
    "log-a-conversation": (riverbend.AMIRA, "/conversations/new"),
    "my-follow-ups": (riverbend.AMIRA, "/conversations/follow-ups/mine"),
    "community": (riverbend.AMIRA, "/community/"),
    "focus-communities": (riverbend.AMIRA, "/community/focus-communities/"),
    "focus-community": (riverbend.AMIRA,
                        "/community/focus-communities/{site.focus_community_id}"),
    "organizations": (riverbend.AMIRA, "/community/organizations/"),
    "organization": (riverbend.AMIRA, "/community/organizations/{site.organization_id}"),
    "edit-organization": (riverbend.AMIRA,
                          "/community/organizations/{site.organization_id}/edit"),
    "contacts": (riverbend.AMIRA, "/community/contacts/"),
    "spaces": (riverbend.AMIRA, "/community/spaces/"),
    "forms": (riverbend.AMIRA, "/forms/"),
    "new-form": (riverbend.AMIRA, "/forms/new"),
    "form": (riverbend.AMIRA, "/forms/{site.form_id}"),
    "form-preview": (riverbend.AMIRA, "/forms/{site.form_id}/preview?lang=ar"),
    "results": (riverbend.AMIRA, "/forms/{site.form_id}/results"),
    "responses": (riverbend.AMIRA, "/forms/{site.form_id}/responses"),
    "response": (riverbend.AMIRA, "/forms/{site.form_id}/responses/{site.response_id}"),
    "share": (riverbend.AMIRA, "/forms/{site.form_id}/share"),
    "paper-entry": (riverbend.AMIRA, "/forms/{site.form_id}/paper-entry"),
    "admin-users": (riverbend.ADMIN, "/admin/users"),
    "admin-new-user": (riverbend.ADMIN, "/admin/users/new"),
    "admin-branches": (riverbend.ADMIN, "/admin/branches"),
}
#: Pages whose screenshots a person will want to look at (the flows save more).
SCREENSHOT_PAGES = {"login", "form-en", "form-es-errors", "form-with-show-if", "closed-en",
                    "kiosk-en", "kiosk-ar", "home", "conversations", "my-follow-ups",
                    "focus-community", "organization", "form", "results", "share", "paper-entry",
                    "admin-users"}
#: axe-core rules switched off on a page, each for a stated reason.
ACCEPTED = {
    # The kiosk's thank-you page returns to a blank form for the next person after a few
    # seconds, as the page says; its <meta> refresh does that when JavaScript is off. Nothing
    # is left to read or do there, and nothing of the person's answers is on it.
    "kiosk-thanks": ("meta-refresh",),
}
#: Where focus must show as a person tabs through: public pages and a long staff form.
TAB_THROUGH = {"form-ar": PUBLIC_PAGES["form-ar"], "kiosk-en": PUBLIC_PAGES["kiosk-en"],
               "login": PUBLIC_PAGES["login"]}


@pytest.fixture
def staff_page(new_page, signed_in):
    """Return a function that opens a page logged in as the given demo person."""
    return lambda email, **options: new_page(storage_state=signed_in(email), **options)


def _assert_accessible(axe, page, name: str) -> None:
    """Check the page as loaded with axe-core, then at 320 px wide; save its screenshots."""
    problems = serious_violations(axe, page, except_rules=ACCEPTED.get(name, ()))
    assert problems == [], "axe-core found serious or critical problems:\n" + "\n".join(problems)
    assert broken_references(page) == []
    if name in SCREENSHOT_PAGES:
        save_screenshots(page, name)
    page.set_viewport_size(NARROW)
    assert not scrolls_sideways(page), "at 320 px wide the page scrolls sideways"


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_has_no_serious_axe_problem_and_reflows_at_320_px(page, site, axe, name):
    page.goto(PUBLIC_PAGES[name].format(site=site))

    _assert_accessible(axe, page, name)


def test_a_form_sent_with_problems_ties_each_error_to_its_answer(page, site, axe):
    page.goto(f"/f/{site.form_token}?lang=es")
    page.get_by_role("button", name="Enviar").click()

    summary = page.get_by_role("alert")  # announced, and focused so it is read first
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(1)  # one required question unanswered
    question = page.locator("fieldset.has-error")
    expect(question).to_have_count(1)
    errors = [part for part in question.get_attribute("aria-describedby").split()
              if part.endswith("-error")]
    assert len(errors) == 1
    expect(page.locator(f"#{errors[0]}")).to_be_visible()
    _assert_accessible(axe, page, "form-es-errors")


def test_a_staff_form_sent_with_problems_ties_each_error_to_its_field(page, axe):
    page.goto("/login")
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("alert")).to_contain_text("Email")
    email = page.get_by_label("Email")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_attribute("aria-describedby", "email-error")
    expect(page.locator("#email-error")).to_be_visible()
    _assert_accessible(axe, page, "login-errors")


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_page_has_no_serious_axe_problem_and_reflows_at_320_px(staff_page, site, axe,
                                                                      name):
    email, path = STAFF_PAGES[name]
    page = staff_page(email)
    page.goto(path.format(site=site))

    _assert_accessible(axe, page, name)


@pytest.mark.parametrize("name", TAB_THROUGH)
def test_every_control_shows_where_the_keyboard_focus_is(page, site, name):
    page.goto(TAB_THROUGH[name].format(site=site))

    unmarked = []
    for _ in range(100):
        page.keyboard.press("Tab")
        focused = focused_element(page)
        if focused["tag"] == "body":
            break
        if not shows_focus(focused):
            unmarked.append(focused)
    assert unmarked == []


def test_the_conversation_form_shows_where_the_keyboard_focus_is(staff_page):
    page = staff_page(riverbend.AMIRA)
    page.goto("/conversations/new")

    page.get_by_label("Date").focus()
    for _ in range(25):
        page.keyboard.press("Tab")
        assert shows_focus(focused_element(page)), focused_element(page)
