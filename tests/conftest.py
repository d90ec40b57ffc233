"""Fixtures: the app from the factory on SQLite (default) or PostgreSQL (TEST_DATABASE_URL),
a client, and builders that fill in defaults, add the object and return it."""

import os
import sqlite3
import subprocess
import time
from datetime import date, timedelta
from itertools import count

import pytest
from flask import g
from flask.testing import FlaskClient
from werkzeug.routing import Rule
from werkzeug.security import generate_password_hash

from app import create_app
from app.accounts.access import CONFIRMED_AT_KEY
from app.accounts.models import Branch, Role, User
from app.accounts.sessions import start_session
from app.accounts.views import SESSION_TOKEN_KEY
from app.community.models import Contact, FocusCommunity, Organization, Space
from app.config import database_url
from app.conversations.models import Conversation, FollowUp, Quote
from app.documents import fonts
from app.extensions import db
from app.meetings.models import Decision, Meeting
from app.plans.models import ActionGroup, Membership, Plan
from app.themes.models import Priority, Theme


def _share_compiled_url_builders() -> None:
    """Compile each route's URL builder once per test run instead of once per app.

    Every test builds its own app, and Werkzeug compiles Python code for each of its ~170
    routes' URL builders: a fifth of a second per test. The compiled function depends only on
    the rule's text, its parsed parts and its defaults, and takes the rule as its first
    argument, so rules with the same text in different apps can share it.
    """
    original = Rule._compile_builder
    compiled: dict[tuple, object] = {}

    def compile_once(self, append_unknown: bool = True):
        key = (self.rule, self.host, self.subdomain, tuple(self._trace),
               repr(sorted((self.defaults or {}).items())), append_unknown)
        if key not in compiled:
            compiled[key] = original(self, append_unknown)
        return compiled[key]

    Rule._compile_builder = compile_once


_share_compiled_url_builders()

TEST_DATABASE_URL = database_url(os.environ.get("TEST_DATABASE_URL") or "sqlite://")
IS_SHARED_DATABASE = not TEST_DATABASE_URL.startswith("sqlite://")
PASSWORD = "correct horse battery staple"
_serial = count(1)


def app_config(**overrides) -> dict:
    """Return the configuration tests build the app with."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URL,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "LIBRARY_NAME": "Riverbend Public Library",
    }
    config.update(overrides)
    return config


@pytest.fixture(scope="session")
def password_hash() -> str:
    # One scrypt hash for every test user keeps the suite fast.
    return generate_password_hash(PASSWORD, method="scrypt")


@pytest.fixture(scope="session", autouse=True)
def _fresh_shared_schema():
    """On PostgreSQL, start the run from an empty schema that matches the models."""
    if IS_SHARED_DATABASE:
        app = create_app(app_config())
        with app.app_context():
            db.drop_all()
            db.create_all()
            db.engine.dispose()
    yield


def _empty_all_tables() -> None:
    db.session.rollback()
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def app_overrides() -> dict:
    """Override in a test module to build the app with other settings."""
    return {}


class FreshRequestClient(FlaskClient):
    """A test client whose every request starts with an empty `g`, as in production.

    Requests share the fixture's app context, where Flask-Login's user and Flask-Babel's locale
    would otherwise carry over from an earlier request.
    """

    def open(self, *args, **kwargs):
        for name in list(g):
            g.pop(name)
        return super().open(*args, **kwargs)


#: An in-memory SQLite database holding the empty schema, copied into each test's database.
_schema_template: sqlite3.Connection | None = None


def _create_schema(app) -> None:
    """Create the tables: on in-memory SQLite by copying a template built once per run (a
    page copy is a tenth of the time of running every CREATE TABLE again)."""
    global _schema_template
    if app.config["SQLALCHEMY_DATABASE_URI"] != "sqlite://":
        db.create_all()
        return
    if _schema_template is None:
        db.create_all()
        _schema_template = sqlite3.connect(":memory:", check_same_thread=False)
        with db.engine.connect() as connection:
            connection.connection.driver_connection.backup(_schema_template)
        return
    with db.engine.connect() as connection:
        _schema_template.backup(connection.connection.driver_connection)


@pytest.fixture
def app(app_overrides):
    app = create_app(app_config(**app_overrides))
    app.test_client_class = FreshRequestClient
    with app.app_context():
        _create_schema(app)
        yield app
        if IS_SHARED_DATABASE:
            _empty_all_tables()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def log_in(client, user: User) -> None:
    """Log `user` in on `client` as the login page would."""
    token = start_session(user)
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
        session[SESSION_TOKEN_KEY] = token
        session[CONFIRMED_AT_KEY] = time.time()


@pytest.fixture
def make_branch(app):
    def make(**fields) -> Branch:
        fields.setdefault("name", f"Branch {next(_serial)}")
        branch = Branch(**fields)
        db.session.add(branch)
        db.session.flush()
        return branch

    return make


@pytest.fixture
def make_user(app, password_hash):
    def make(role: str = Role.STAFF, **fields) -> User:
        n = next(_serial)
        fields.setdefault("name", f"Person {n}")
        fields.setdefault("email", f"person{n}@riverbend.example")
        user = User(role=role, password_hash=password_hash, **fields)
        db.session.add(user)
        db.session.flush()
        return user

    return make


@pytest.fixture
def staff(make_user) -> User:
    return make_user(Role.STAFF, name="Sam Staff", email="sam@riverbend.example")


@pytest.fixture
def admin(make_user) -> User:
    return make_user(Role.ADMIN, name="Ada Admin", email="ada@riverbend.example")


@pytest.fixture
def member(make_user) -> User:
    return make_user(Role.MEMBER, name="Mo Member", email="mo@riverbend.example")


@pytest.fixture
def staff_client(client, staff):
    db.session.commit()
    log_in(client, staff)
    return client


@pytest.fixture
def admin_client(client, admin):
    db.session.commit()
    log_in(client, admin)
    return client


@pytest.fixture
def member_client(client, member):
    db.session.commit()
    log_in(client, member)
    return client


@pytest.fixture
def make_focus_community(app):
    def make(**fields) -> FocusCommunity:
        fields.setdefault("name", f"Focus community {next(_serial)}")
        community = FocusCommunity(**fields)
        db.session.add(community)
        db.session.flush()
        return community

    return make


@pytest.fixture
def make_organization(app):
    def make(**fields) -> Organization:
        fields.setdefault("name", f"Organization {next(_serial)}")
        fields.setdefault("asset_category", "association")
        organization = Organization(**fields)
        db.session.add(organization)
        db.session.flush()
        return organization

    return make


@pytest.fixture
def make_contact(app):
    def make(**fields) -> Contact:
        fields.setdefault("name", f"Contact {next(_serial)}")
        contact = Contact(**fields)
        db.session.add(contact)
        db.session.flush()
        return contact

    return make


@pytest.fixture
def make_space(app):
    def make(**fields) -> Space:
        fields.setdefault("name", f"Space {next(_serial)}")
        space = Space(**fields)
        db.session.add(space)
        db.session.flush()
        return space

    return make


@pytest.fixture
def make_conversation(app, make_user):
    def make(quotes: list[dict] = (), follow_ups: list[dict] = (), **fields) -> Conversation:
        fields.setdefault("happened_on", date.today())
        fields.setdefault("kind", "drop_in_visit")
        fields.setdefault("purpose", "listening")
        if "logged_by" not in fields and "logged_by_id" not in fields:
            fields["logged_by"] = make_user()
        conversation = Conversation(**fields)
        conversation.quotes = [Quote(**quote) for quote in quotes]
        conversation.follow_ups = [
            FollowUp(**dict({"owner": conversation.logged_by}, **follow_up))
            for follow_up in follow_ups
        ]
        db.session.add(conversation)
        db.session.flush()
        return conversation

    return make


@pytest.fixture
def make_theme(app):
    def make(**fields) -> Theme:
        fields.setdefault("name", f"Theme {next(_serial)}")
        fields.setdefault("kind", "need")
        theme = Theme(**fields)
        db.session.add(theme)
        db.session.flush()
        return theme

    return make


@pytest.fixture
def make_meeting(app, make_user):
    """Build a meeting; held yesterday unless told otherwise, so it can take decisions."""

    def make(**fields) -> Meeting:
        fields.setdefault("title", f"Meeting {next(_serial)}")
        fields.setdefault("kind", "share_back")
        fields.setdefault("held_on", date.today() - timedelta(days=1))
        fields.setdefault("status", "held")
        if "created_by" not in fields and "created_by_id" not in fields:
            fields["created_by"] = make_user()
        meeting = Meeting(**fields)
        db.session.add(meeting)
        db.session.flush()
        return meeting

    return make


@pytest.fixture
def make_decision(app, make_meeting):
    """Build a decision at a held meeting (a new one unless `meeting` is given)."""

    def make(meeting: Meeting | None = None, **fields) -> Decision:
        meeting = meeting or make_meeting()
        fields.setdefault("text", "We agree.")
        fields.setdefault("method", "consensus")
        fields.setdefault("decided_by", "Everyone present")
        fields.setdefault("recorded_by", meeting.created_by)
        decision = Decision(meeting=meeting, **fields)
        db.session.add(decision)
        db.session.flush()
        return decision

    return make


@pytest.fixture
def make_priority(app):
    def make(**fields) -> Priority:
        fields.setdefault("title", f"Priority {next(_serial)}")
        priority = Priority(**fields)
        db.session.add(priority)
        db.session.flush()
        return priority

    return make


@pytest.fixture
def make_action_group(app):
    def make(members: list[User] = (), **fields) -> ActionGroup:
        """Build a group; each user in `members` joins it with their login."""
        fields.setdefault("name", f"Action group {next(_serial)}")
        fields.setdefault("status", "active")
        group = ActionGroup(**fields)
        group.memberships = [Membership(user=user, display_name=user.name) for user in members]
        db.session.add(group)
        db.session.flush()
        return group

    return make


@pytest.fixture
def make_plan(app):
    def make(**fields) -> Plan:
        fields.setdefault("title", f"Plan {next(_serial)}")
        fields.setdefault("goal", "Kids leave with homework done.")
        plan = Plan(**fields)
        db.session.add(plan)
        db.session.flush()
        return plan

    return make


@pytest.fixture
def fresh_font_lookups():
    """Font lookups made afresh, before and after the test."""
    fonts.has_font_for.cache_clear()
    yield
    fonts.has_font_for.cache_clear()


@pytest.fixture
def no_chinese_font(monkeypatch, fresh_font_lookups):
    """fontconfig as on a server with Latin, Arabic and Ethiopic fonts but none for Chinese."""
    chinese = {f"{ord(letter):x}" for letter in "中文"}
    asked = []

    def fc_list(args, **_kwargs):
        charset = set(args[1].removeprefix(":charset=").split())
        asked.append(charset)
        families = "" if charset & chinese else "Noto Sans\n"
        return subprocess.CompletedProcess(args, 0, stdout=families, stderr="")

    monkeypatch.setattr(fonts.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(fonts.subprocess, "run", fc_list)
    return asked
