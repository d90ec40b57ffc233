"""Staff at work: logging a conversation on a phone between appointments, typing in paper
sheets without touching the mouse, and printing a document from its page."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.conversations.models import FollowUp, Quote
from app.demo import riverbend
from app.surveys.models import SurveyResponse
from tests.browser.browsing import NO_PLAYWRIGHT, log_in, save_screenshots, tab_to

expect = pytest.importorskip("playwright.sync_api", reason=NO_PLAYWRIGHT).expect

pytestmark = pytest.mark.browser

PROMISE = "Bring Arabic picture books to the school family room"
QUOTE = "We come when the library opens after the factory shift"


def test_staff_log_a_conversation_on_a_phone_and_mark_the_follow_up_done(page, site):
    log_in(page, riverbend.AMIRA)
    page.get_by_role("link", name="Log a conversation").click()
    page.get_by_label("Or describe who, without names").fill("About 5 parents waiting")
    page.get_by_label("How many people").fill("5")
    page.get_by_label("Notes").fill("Parents asked about evening hours and homework help.")
    quotes = page.get_by_role("group", name="Quotes")
    quotes.get_by_label("What they said, in their words").first.fill(QUOTE)
    follow_ups = page.get_by_role("group", name="Follow-ups you promised")
    follow_ups.get_by_label("What was promised").first.fill(PROMISE)
    follow_ups.get_by_label("Due by").first.fill((date.today() + timedelta(days=7)).isoformat())
    save_screenshots(page, "conversation-form")
    page.get_by_role("button", name="Save conversation").click()

    expect(page.get_by_role("status")).to_contain_text("Saved the conversation.")
    expect(page.get_by_text(QUOTE)).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My follow-ups").click()
    promise = page.get_by_role("listitem").filter(has_text=PROMISE)
    promise.get_by_role("button", name="Done").click()

    expect(page.get_by_role("status")).to_contain_text(f"Done: {PROMISE}")
    done = page.get_by_role("heading", name="Done in the last 30 days").locator(
        "xpath=following-sibling::ul[1]")
    expect(done).to_contain_text(PROMISE)
    assert site.count(sa.select(sa.func.count(FollowUp.id)).where(
        FollowUp.description == PROMISE, FollowUp.done_at.is_not(None))) == 1
    assert site.count(sa.select(sa.func.count(Quote.id)).where(Quote.text == QUOTE)) == 1


def test_staff_type_in_a_paper_sheet_with_the_keyboard_alone(new_page, site, signed_in):
    page = new_page(storage_state=signed_in(riverbend.AMIRA))
    paper = sa.select(sa.func.count(SurveyResponse.id)).where(
        SurveyResponse.survey_id == site.form_id, SurveyResponse.channel == "paper")
    before = site.count(paper)
    page.goto(f"/forms/{site.form_id}/paper-entry")

    # The branch is remembered, so the cursor starts in the first question (autofocus is
    # applied after the page loads: expect waits for it).
    expect(page.locator(":focus")).to_have_attribute("type", "radio")
    page.keyboard.press("ArrowDown")  # the second choice: "About once a month"
    expect(page.get_by_label("About once a month")).to_be_checked()
    tab_to(page, f"#{page.get_by_label('Books in my language').get_attribute('id')}")
    page.keyboard.press("Space")
    children = page.get_by_label("How many children under 18 live with you?")
    tab_to(page, f"#{children.get_attribute('id')}")
    page.keyboard.type("2")
    tab_to(page, "textarea")
    page.keyboard.type("Large print books, please.")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status").filter(has_text="saved")).to_contain_text("Sheet")
    assert site.count(paper) == before + 1
    assert site.count(paper.where(SurveyResponse.transcribed_by.has(email=riverbend.AMIRA),
                                  SurveyResponse.branch.has(name="Eastgate"))) >= 1
    expect(page.get_by_label("About once a month")).not_to_be_checked()  # the next sheet


def test_staff_print_the_asset_map_from_the_focus_community_page(new_page, site, signed_in):
    page = new_page(storage_state=signed_in(riverbend.AMIRA))
    page.goto(f"/community/focus-communities/{site.focus_community_id}")

    with page.expect_response("**/asset-map.pdf") as printed:
        page.get_by_role("link", name="Print the asset map (PDF)").click()

    response = printed.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    page.wait_for_url("**/asset-map.pdf")  # the browser shows it, ready to print
    # The body Chromium reports is its viewer's page; fetch the document with the same login.
    assert page.context.request.get(response.url).body().startswith(b"%PDF-")
