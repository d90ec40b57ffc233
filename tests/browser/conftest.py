"""Browser tests: the app served on a loopback port, driven by Debian's Chromium through
Playwright's sync API. One browser serves the whole session and every test gets fresh
contexts, so no cookie or history carries over. When Chromium or Playwright is missing the
tests skip and say how to get them."""

import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from flask import Flask
from werkzeug.serving import make_server

from app import create_app
from app.conversations.models import Conversation
from app.demo.seed import seed_demo
from app.extensions import db
from app.surveys.models import Question, QuestionOption, Survey, SurveyResponse
from tests.browser.browsing import (
    CHROMIUM,
    CHROMIUM_ARGS,
    KEEP_DEFAULTS_OFF,
    NO_CHROMIUM,
    NO_PLAYWRIGHT,
    PHONE,
    SCREENSHOTS,
    log_in,
)
from tests.conftest import app_config
from tests.surveys.conftest import interface_catalogues  # noqa: F401  (a fixture used below)

#: Milliseconds Playwright waits for a page or an element before failing the test.
WAIT_MS = 15000


@dataclass(frozen=True)
class Site:
    """The served app and the records the flows use."""

    url: str
    app: Flask
    form_id: int  #: the demo form in English, Spanish and Arabic
    form_token: str
    kiosk_token: str
    conditional_form_token: str  #: a short form whose second question has a show-if
    conditional_form_id: int
    closed_form_token: str
    focus_community_id: int
    organization_id: int
    conversation_id: int
    response_id: int

    def count(self, statement: sa.Select) -> int:
        """Return the number a count query gives on the served database."""
        with self.app.app_context():
            return db.session.scalar(statement)


@pytest.fixture(scope="session")
def site(interface_catalogues) -> Iterator[Site]:  # noqa: F811
    """Serve the Riverbend demo, plus a form with a show-if and a closed form, on a free port."""
    with tempfile.TemporaryDirectory(prefix="groundwork-browser-") as folder:
        app = create_app(app_config(SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder}/site.sqlite",
                                    WTF_CSRF_ENABLED=True))
        with app.app_context():
            db.create_all()
            records = _seed()
            db.session.commit()
            db.session.remove()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield Site(url=f"http://127.0.0.1:{server.server_port}", app=app, **records)
        finally:
            server.shutdown()
            thread.join()
            with app.app_context():
                db.engine.dispose()


def _seed() -> dict:
    seed_demo()
    demo = db.session.scalar(sa.select(Survey).where(Survey.purpose == "general_input"))
    conditional = Survey(status="open", default_language="en", languages=["en"], texts={
        "en": {"title": "Homework help", "thank_you": "Thanks, we will plan around you."}})
    children = Question(kind="yes_no", position=0, is_required=True,
                        texts={"en": {"prompt": "Do children live with you?"}},
                        options=[QuestionOption(position=0, texts={"en": {"label": "Yes"}}),
                                 QuestionOption(position=1, texts={"en": {"label": "No"}})])
    conditional.questions = [
        children,
        Question(kind="number", position=1, min_value=0, max_value=20, show_if_question=children,
                 texts={"en": {"prompt": "How many of them go to school?"}}),
        Question(kind="short_text", position=2, texts={"en": {"prompt": "Best day for you"}}),
    ]
    closed = Survey(status="closed", default_language="en", languages=["en", "ar"], texts={
        "en": {"title": "Summer reading ideas"}, "ar": {"title": "أفكار للقراءة الصيفية"}})
    db.session.add_all([conditional, closed])
    db.session.flush()
    conditional.questions[1].show_if_option_ids = [children.options[0].id]  # "Yes"
    community = demo.focus_community
    return {
        "form_id": demo.id, "form_token": demo.token, "kiosk_token": demo.kiosk_links[0].token,
        "conditional_form_token": conditional.token, "conditional_form_id": conditional.id,
        "closed_form_token": closed.token, "focus_community_id": community.id,
        "organization_id": community.organizations[0].id,
        "conversation_id": db.session.scalar(sa.select(sa.func.min(Conversation.id))),
        "response_id": db.session.scalar(sa.select(sa.func.min(SurveyResponse.id))),
    }


@pytest.fixture(scope="session", autouse=True)
def _fresh_screenshots() -> None:
    """Empty the screenshots folder, so that what a person finds there is from this run."""
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()


@pytest.fixture(scope="session")
def browser():
    """Launch Chromium once for the session, or skip saying how to get it."""
    if not CHROMIUM.exists():
        pytest.skip(NO_CHROMIUM)
    sync_api = pytest.importorskip("playwright.sync_api", reason=NO_PLAYWRIGHT)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=CHROMIUM_ARGS,
                                             ignore_default_args=KEEP_DEFAULTS_OFF)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, site):
    """Return a function that opens a page in a new browser context on the served site."""
    contexts = []

    def open_page(**options):
        options.setdefault("viewport", PHONE)
        context = browser.new_context(base_url=site.url, **options)
        context.set_default_timeout(WAIT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A page the size of a phone, with nobody logged in."""
    return new_page()


@pytest.fixture(scope="session")
def signed_in(browser, site):
    """Return a function giving the cookies of a demo person, logged in once for the session;
    pass them to new_page(storage_state=...) to start logged in."""
    states = {}

    def state_for(email: str) -> dict:
        if email not in states:
            context = browser.new_context(base_url=site.url)
            log_in(context.new_page(), email)
            states[email] = context.storage_state()
            context.close()
        return states[email]

    return state_for


@pytest.fixture(scope="session")
def axe():
    """Return the axe-core runner, or skip saying how to get it."""
    module = pytest.importorskip("axe_playwright_python.sync_playwright", reason=NO_PLAYWRIGHT)
    return module.Axe()

