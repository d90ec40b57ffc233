"""Login attempts are limited per address, in memory or in Redis shared by several workers."""

import os
import uuid

import pytest

REDIS_URL = os.environ.get("TEST_REDIS_URL")
STORAGES = ["memory://"] + ([REDIS_URL] if REDIS_URL else [])


@pytest.fixture(params=STORAGES)
def app_overrides(request):
    return {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": request.param,
            "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            "LOGIN_RATE_LIMIT": "3 per minute", "LOGIN_ACCOUNT_RATE_LIMIT": "5 per minute"}


def test_too_many_login_attempts_get_a_429_in_plain_words(client):
    attempt = {"email": "a@b.example", "password": "x"}
    for _ in range(3):
        assert client.post("/login", data=attempt).status_code == 200
    response = client.post("/login", data=attempt)
    assert response.status_code == 429
    assert b"Too many tries in a short time" in response.data


def test_reading_the_login_page_is_not_limited(client):
    for _ in range(6):
        assert client.get("/login").status_code == 200


def test_attempts_on_one_account_are_limited_whatever_the_address(client):
    attempt = {"email": "Sam@riverbend.example", "password": "guess"}
    for n in range(5):
        address = {"REMOTE_ADDR": f"10.0.0.{n}"}
        assert client.post("/login", data=attempt, environ_base=address).status_code == 200
    response = client.post("/login", data=dict(attempt, email="sam@riverbend.example "),
                           environ_base={"REMOTE_ADDR": "10.0.0.99"})
    assert response.status_code == 429


def test_other_accounts_can_still_log_in_while_one_is_limited(client):
    for n in range(5):
        client.post("/login", data={"email": "sam@riverbend.example", "password": "guess"},
                    environ_base={"REMOTE_ADDR": f"10.0.1.{n}"})
    other = client.post("/login", data={"email": "ada@riverbend.example", "password": "guess"},
                        environ_base={"REMOTE_ADDR": "10.0.1.200"})
    assert other.status_code == 200
