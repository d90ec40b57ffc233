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
            "LOGIN_RATE_LIMIT": "3 per minute"}


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
