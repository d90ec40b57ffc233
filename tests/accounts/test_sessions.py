"""Logins live on the server: logging out, time-outs and new passwords end them for real."""

from datetime import timedelta

import sqlalchemy as sa

from app.accounts.models import LoginSession
from app.extensions import db
from app.records import utcnow
from tests.conftest import PASSWORD


def _log_in_for_real(client, user) -> str:
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client.get_cookie("session").value


def _browser_with(app, cookie: str):
    browser = app.test_client()
    browser.set_cookie("session", cookie)
    return browser


def test_a_session_cookie_copied_before_logout_is_refused_after_it(app, client, staff):
    db.session.commit()
    copied = _log_in_for_real(client, staff)
    assert _browser_with(app, copied).get("/").status_code == 200
    client.post("/logout")
    assert _browser_with(app, copied).get("/").status_code == 302


def test_logging_in_starts_a_new_session(app, client, staff):
    db.session.commit()
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    _log_in_for_real(client, staff)
    with client.session_transaction() as session:
        assert "planted" not in session


def test_a_session_idle_longer_than_the_limit_ends(app, staff_client, staff):
    assert staff_client.get("/").status_code == 200
    db.session.execute(sa.update(LoginSession).values(
        last_seen_at=utcnow() - timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)))
    db.session.commit()
    assert staff_client.get("/").status_code == 302
    assert db.session.scalar(sa.select(LoginSession.ended_at)) is not None


def test_a_session_ends_after_the_longest_time_even_when_busy(app, staff_client, staff):
    db.session.execute(sa.update(LoginSession).values(
        started_at=utcnow() - timedelta(hours=app.config["SESSION_MAX_HOURS"], minutes=1)))
    db.session.commit()
    assert staff_client.get("/").status_code == 302


def test_a_new_password_ends_the_other_sessions(app, admin_client, staff):
    db.session.commit()
    staff_browser = _browser_with(app, _log_in_for_real(app.test_client(), staff))
    admin_client.post(f"/admin/users/{staff.id}", data={
        "name": staff.name, "email": staff.email, "role": "staff", "branch_id": 0,
        "password": "a brand new long password"})
    assert staff_browser.get("/").status_code == 302


def test_an_ordinary_edit_keeps_the_person_logged_in(app, admin_client, staff):
    db.session.commit()
    staff_browser = _browser_with(app, _log_in_for_real(app.test_client(), staff))
    admin_client.post(f"/admin/users/{staff.id}", data={
        "name": "Sam Renamed", "email": staff.email, "role": "staff", "branch_id": 0})
    assert staff_browser.get("/").status_code == 200


def test_the_browser_holds_a_token_the_database_only_knows_hashed(app, client, staff):
    db.session.commit()
    _log_in_for_real(client, staff)
    with client.session_transaction() as session:
        token = session["login_token"]
    stored = db.session.scalar(sa.select(LoginSession.token_hash))
    assert token not in stored and len(stored) == 64
