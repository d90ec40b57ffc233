"""Admin pages ask for the password again when it was typed a while ago; nothing else does."""

import time

import sqlalchemy as sa

from app.accounts.access import CONFIRMED_AT_KEY
from app.accounts.models import Branch
from app.extensions import db
from tests.conftest import PASSWORD


def _typed_password_minutes_ago(client, minutes: int) -> None:
    with client.session_transaction() as session:
        session[CONFIRMED_AT_KEY] = time.time() - minutes * 60


def test_an_admin_page_asks_for_the_password_again_after_fifteen_minutes(admin_client):
    _typed_password_minutes_ago(admin_client, 16)
    page = admin_client.get("/admin/users")
    assert page.status_code == 302
    assert page.headers["Location"].startswith("/account/confirm?next=/admin/users")
    confirm = admin_client.get(page.headers["Location"])
    assert b"Confirm your password" in confirm.data


def test_a_recent_password_opens_admin_pages_without_asking(admin_client):
    _typed_password_minutes_ago(admin_client, 14)
    assert admin_client.get("/admin/users").status_code == 200


def test_the_right_password_returns_to_the_admin_page(admin_client):
    _typed_password_minutes_ago(admin_client, 60)
    response = admin_client.post("/account/confirm?next=/admin/users",
                                 data={"password": PASSWORD})
    assert response.headers["Location"] == "/admin/users"
    assert admin_client.get("/admin/users").status_code == 200


def test_a_wrong_password_is_explained_next_to_the_field(admin_client):
    _typed_password_minutes_ago(admin_client, 60)
    page = admin_client.post("/account/confirm?next=/admin/users", data={"password": "nope"})
    assert page.status_code == 200
    assert b"That is not your password" in page.data
    assert admin_client.get("/admin/users").status_code == 302


def test_five_wrong_passwords_end_the_login(admin_client):
    _typed_password_minutes_ago(admin_client, 60)
    for _ in range(4):
        admin_client.post("/account/confirm", data={"password": "nope"})
    last = admin_client.post("/account/confirm", data={"password": "nope"})
    assert last.headers["Location"] == "/login"
    assert admin_client.get("/").status_code == 302


def test_an_admin_change_sent_after_too_long_changes_nothing_and_asks_first(admin_client):
    _typed_password_minutes_ago(admin_client, 31)
    response = admin_client.post("/admin/branches/new", data={"name": "Lakeside"},
                                 headers={"Referer": "http://localhost/admin/branches/new"})
    assert response.headers["Location"] == "/account/confirm?next=/admin/branches/new"
    assert db.session.scalar(sa.select(Branch).where(Branch.name == "Lakeside")) is None


def test_a_form_opened_in_time_may_be_sent_a_little_later(admin_client):
    _typed_password_minutes_ago(admin_client, 20)
    admin_client.post("/admin/branches/new", data={"name": "Lakeside", "kind": "branch"})
    assert db.session.scalar(sa.select(Branch).where(Branch.name == "Lakeside")) is not None


def test_staff_pages_never_ask(staff_client):
    _typed_password_minutes_ago(staff_client, 600)
    assert staff_client.get("/conversations/").status_code == 200


def test_logging_in_counts_as_typing_the_password(client, admin):
    db.session.commit()
    client.post("/login", data={"email": admin.email, "password": PASSWORD})
    assert client.get("/admin/users").status_code == 200
