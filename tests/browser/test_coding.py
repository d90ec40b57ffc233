"""Coding from the keyboard: select a passage, tick a theme, save, in a few keystrokes."""

import pytest
import sqlalchemy as sa

from app.conversations.models import Conversation
from app.demo import riverbend
from app.extensions import db
from app.themes.models import Excerpt, Theme
from tests.browser.browsing import DESKTOP, NO_PLAYWRIGHT, save_screenshots

expect = pytest.importorskip("playwright.sync_api", reason=NO_PLAYWRIGHT).expect

pytestmark = pytest.mark.browser

NOTES = ("Parents asked for a quiet study corner after school. Most of them work late shifts "
         "and the children wait at the library until six.")
THEME = "Quiet study corners"


def _conversation_and_theme(site) -> tuple[int, int]:
    """Store a demo-like conversation waiting to be coded and a theme to code it to."""
    with site.app.app_context():
        demo = db.session.get(Conversation, site.conversation_id)
        conversation = Conversation(
            happened_on=demo.happened_on, kind="drop_in_visit", purpose="listening",
            focus_community_id=site.focus_community_id, space_id=demo.space_id,
            logged_by_id=demo.logged_by_id, who_description="about 6 parents", notes=NOTES)
        theme = Theme(name=THEME, kind="need")
        db.session.add_all([conversation, theme])
        db.session.commit()
        return conversation.id, theme.id


def test_staff_code_a_passage_with_the_keyboard_alone(new_page, site, signed_in):
    conversation_id, theme_id = _conversation_and_theme(site)
    page = new_page(storage_state=signed_in(riverbend.AMIRA), viewport=DESKTOP)
    page.goto(f"/themes/code/conversation/{conversation_id}")

    # The cursor starts in the text (autofocus is applied after the page loads).
    expect(page.locator(":focus")).to_have_id("source-text")
    page.keyboard.press("Control+Shift+ArrowRight")
    page.keyboard.press("Control+Shift+ArrowRight")
    expect(page.get_by_label("Passage to code")).to_have_value("Parents asked")
    page.keyboard.press("/")
    page.keyboard.type("quiet study")
    page.keyboard.press("Enter")
    expect(page.get_by_label(THEME)).to_be_checked()
    save_screenshots(page, "coding-screen", sizes=(DESKTOP,))
    page.keyboard.press("Control+Enter")

    expect(page.get_by_role("status").first).to_contain_text(f"Coded to “{THEME}”.")
    expect(page.locator("#source-text mark")).to_have_text("Parents asked")
    with site.app.app_context():
        excerpt = db.session.scalars(sa.select(Excerpt).where(
            Excerpt.conversation_id == conversation_id)).one()
        assert (excerpt.text, excerpt.start_offset, excerpt.end_offset) == ("Parents asked", 0, 13)
        assert [theme.id for theme in excerpt.themes] == [theme_id]
        assert excerpt.coded_by.email == riverbend.AMIRA
