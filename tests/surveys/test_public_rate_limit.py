"""Sending answers is limited per client address; reading the form is not."""

import os
import uuid

import pytest
from limits import parse_many

from app.accounts.models import Branch
from app.extensions import db
from app.surveys.models import KioskLink
from tests.surveys.filling import good_answers, responses

pytestmark = pytest.mark.usefixtures("public_app")


REDIS_URL = os.environ.get("TEST_REDIS_URL")
#: Counted in memory, and in Redis as several workers count (one trip for all the windows).
STORAGES = ["memory://"] + ([REDIS_URL] if REDIS_URL else [])


@pytest.fixture(params=STORAGES)
def storage(request) -> str:
    return request.param


@pytest.fixture
def app_overrides(storage):
    return {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": storage,
            "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            "PUBLIC_SUBMIT_RATE_LIMIT": "3 per minute"}


def test_too_many_sends_from_one_address_get_a_429_in_plain_words(client, make_survey):
    survey = make_survey()
    for _ in range(3):
        assert client.post(f"/f/{survey.token}", data=good_answers(survey)).status_code == 303
    refused = client.post(f"/f/{survey.token}", data=good_answers(survey))
    assert refused.status_code == 429
    assert "Too many tries in a short time" in refused.text
    assert len(responses()) == 3


def test_other_addresses_and_reading_the_form_are_not_limited(client, make_survey):
    survey = make_survey()
    for _ in range(4):
        client.post(f"/f/{survey.token}", data=good_answers(survey),
                    environ_base={"REMOTE_ADDR": "10.1.1.1"})
    assert client.post(f"/f/{survey.token}", data=good_answers(survey),
                       environ_base={"REMOTE_ADDR": "10.1.1.2"}).status_code == 303
    for _ in range(5):
        assert client.get(f"/f/{survey.token}",
                          environ_base={"REMOTE_ADDR": "10.1.1.1"}).status_code == 200


def test_the_kiosk_is_limited_the_same_way(client, make_survey):
    survey = make_survey()
    link = KioskLink(survey=survey, branch=Branch(name="Eastgate"))
    db.session.add(link)
    db.session.flush()
    codes = [client.post(f"/kiosk/{link.token}", data=good_answers(survey)).status_code
             for _ in range(4)]
    assert codes == [303, 303, 303, 429]


def test_the_limiter_works_only_in_the_views_that_declare_a_limit(app):
    """Flask-Limiter's app-wide hooks are taken off (app.extensions.ViewLimiter): no page pays
    for limits it does not have, while the limits above still hold."""
    from app.extensions import limiter

    hooks = [*app.before_request_funcs[None], *app.after_request_funcs[None],
             *app.teardown_request_funcs[None]]
    names = [getattr(getattr(hook, "func", hook), "__qualname__", "") for hook in hooks]
    assert limiter._check_request_limit not in hooks
    assert not [name for name in names if name.startswith("Limiter.")]


@pytest.mark.parametrize(("limits", "allowed", "counted"), [
    ("3 per minute;5 per hour", 3, [4, 3]),  # refused by the minute: the hour not counted
    ("5 per minute;3 per hour", 3, [4, 4]),  # refused by the hour
])
def test_every_window_counts_shortest_first_as_the_limiter_does(app, client, make_survey,
                                                               limits, allowed, counted):
    """Several windows are counted as Flask-Limiter counts them: shortest first, stopping at the
    first one passed."""
    from app.extensions import limiter

    app.config["PUBLIC_SUBMIT_RATE_LIMIT"] = limits
    survey = make_survey()
    codes = [client.post(f"/f/{survey.token}", data=good_answers(survey)).status_code
             for _ in range(4)]
    assert codes == [303] * allowed + [429] * (4 - allowed)
    assert len(responses()) == allowed
    identifiers = (app.config["RATELIMIT_KEY_PREFIX"], "127.0.0.1", "surveys.fill")
    minute, hour = parse_many(limits)
    assert [limiter.storage.get(item.key_for(*identifiers)) for item in (minute, hour)] == counted
