"""With CSRF protection on, as in production: a post without a valid token changes nothing."""

import re

import pytest
import sqlalchemy as sa

from app.accounts.models import Branch
from app.extensions import db
from tests.conftest import PASSWORD


@pytest.fixture
def app_overrides():
    return {"WTF_CSRF_ENABLED": True}


def _token(page: bytes) -> str:
    return re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1).decode()


def test_a_post_without_a_token_is_refused_and_writes_nothing(admin_client):
    response = admin_client.post("/admin/branches/new", data={"name": "Sneaky", "kind": "branch"})
    assert response.status_code == 400
    assert b"This form had expired or was sent from another page" in response.data
    assert db.session.scalar(sa.select(sa.func.count(Branch.id))) == 0


def test_a_post_with_the_page_token_goes_through(admin_client):
    token = _token(admin_client.get("/admin/branches/new").data)
    response = admin_client.post("/admin/branches/new", data={
        "name": "Eastgate", "kind": "branch", "csrf_token": token})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Branch.name)) == "Eastgate"


def test_logging_in_needs_the_token_too(client, staff):
    db.session.commit()
    refused = client.post("/login", data={"email": staff.email, "password": PASSWORD})
    assert refused.status_code == 400
    token = _token(client.get("/login").data)
    accepted = client.post("/login", data={"email": staff.email, "password": PASSWORD,
                                           "csrf_token": token})
    assert accepted.status_code == 302


def test_logout_without_a_token_keeps_the_session(staff_client):
    assert staff_client.post("/logout").status_code == 400
    assert staff_client.get("/").status_code == 200
