"""Logging in and out."""

import pytest

from app.extensions import db
from tests.conftest import PASSWORD


def _login(client, email, password, next_url=None):
    url = "/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"email": email, "password": password})


def test_staff_log_in_with_email_and_password_and_land_on_home(client, staff):
    db.session.commit()
    response = _login(client, "SAM@riverbend.example ", PASSWORD)
    assert response.status_code == 302
    assert response.location == "/"
    assert b"Hello, Sam Staff" in client.get("/").data


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(client, staff):
    db.session.commit()
    wrong_password = _login(client, "sam@riverbend.example", "not the password at all")
    unknown_email = _login(client, "nobody@riverbend.example", PASSWORD)
    assert wrong_password.status_code == unknown_email.status_code == 200
    assert b"do not match an active account" in wrong_password.data
    assert wrong_password.data == unknown_email.data.replace(
        b"nobody@riverbend.example", b"sam@riverbend.example")


def test_a_disabled_account_cannot_log_in(client, staff):
    staff.disable()
    db.session.commit()
    response = _login(client, "sam@riverbend.example", PASSWORD)
    assert b"do not match an active account" in response.data
    assert client.get("/").status_code == 302


def test_disabling_an_account_ends_its_open_sessions(staff_client, staff):
    assert staff_client.get("/").status_code == 200
    staff.disable()
    db.session.commit()
    assert staff_client.get("/").status_code == 302


@pytest.mark.parametrize("next_url", ["/community/", "/conversations/?branch=2"])
def test_login_returns_to_the_page_that_asked_for_it(client, staff, next_url):
    db.session.commit()
    response = _login(client, "sam@riverbend.example", PASSWORD, next_url)
    assert response.location == next_url


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x",
                                      "/\\evil.example", "javascript:alert(1)"])
def test_login_never_sends_people_to_another_site(client, staff, next_url):
    db.session.commit()
    response = _login(client, "sam@riverbend.example", PASSWORD, next_url)
    assert response.location == "/"


def test_logout_ends_the_session(staff_client):
    response = staff_client.post("/logout")
    assert response.location == "/login"
    assert staff_client.get("/").status_code == 302


def test_logout_is_not_possible_with_a_get(staff_client):
    assert staff_client.get("/logout").status_code == 405
    assert staff_client.get("/").status_code == 200


def test_members_see_their_own_home_page(member_client):
    response = member_client.get("/")
    assert b"You are not on an action group yet" in response.data
    assert b"Community map" not in response.data
