"""Sending answers is limited per client address; reading the form is not."""

import uuid

import pytest

from app.accounts.models import Branch
from app.extensions import db
from app.surveys.models import KioskLink
from tests.surveys.filling import good_answers, responses

pytestmark = pytest.mark.usefixtures("public_app")


@pytest.fixture
def app_overrides():
    return {"RATELIMIT_ENABLED": True, "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
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
