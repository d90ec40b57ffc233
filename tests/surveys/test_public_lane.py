"""The public form's lane (app/surveys/lane.py) answers the usual requests exactly as Flask
does, stores exactly as the view stores, and hands everything else to Flask."""

import logging
import os
import re
import uuid

import pytest
from limits import parse

from app.extensions import db
from app.surveys import lane
from app.surveys.models import Answer
from tests.surveys.filling import good_answers, name_of, responses, submission_id

pytestmark = pytest.mark.usefixtures("public_app")

REDIS_URL = os.environ.get("TEST_REDIS_URL")
SUBMISSION_IDS = re.compile(rb'name="submission_id" type="hidden" value="[^"]+"')


@pytest.fixture(params=["memory://"] + ([REDIS_URL] if REDIS_URL else []))
def app_overrides(request):
    return {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": request.param,
            "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            "PUBLIC_SUBMIT_RATE_LIMIT": "4 per minute", "PROXY_COUNT": 1}


@pytest.fixture
def flask_handled(app, monkeypatch) -> list[str]:
    """The requests Flask's own handling saw ("GET /f/..."); the lane's are not in it."""
    seen: list[str] = []
    dispatch = app.full_dispatch_request

    def recorded():
        from flask import request
        seen.append(f"{request.method} {request.full_path.rstrip('?')}")
        return dispatch()

    monkeypatch.setattr(app, "full_dispatch_request", recorded)
    return seen


def comparable(response) -> tuple:
    """Status, headers and body, with the one thing each blank page has of its own (its
    submission id) taken out. Flask adds `Vary: Cookie` because its sign-in hook reads the
    session; the lane serves only requests without cookies, so it has nothing to vary on."""
    headers = sorted((name, value) for name, value in response.headers.items()
                     if name != "Vary")
    return (response.status_code, headers,
            SUBMISSION_IDS.sub(b'name="submission_id" type="hidden" value=""', response.data))


def both_ways(app, client, method: str, path: str, **kwargs) -> tuple:
    """The same request through the lane, then through Flask alone (PUBLIC_FORM_LANE off)."""
    through_lane = client.open(path, method=method, **kwargs)
    app.config["PUBLIC_FORM_LANE"] = False
    try:
        through_flask = client.open(path, method=method, **kwargs)
    finally:
        app.config["PUBLIC_FORM_LANE"] = True
    return through_lane, through_flask


@pytest.mark.parametrize("query", ["", "?lang=es", "?lang=ar", "?lang=xx"])
def test_blank_page_and_thanks_are_flasks_own(app, client, make_survey, flask_handled, query):
    survey = make_survey()
    for path in (f"/f/{survey.token}{query}", f"/f/{survey.token}/thanks{query}"):
        client.get(path)  # Flask builds the page once and keeps it
        flask_handled.clear()
        through_lane, through_flask = both_ways(app, client, "GET", path)
        assert flask_handled == [f"GET {path}"]  # only the request with the lane off
        assert comparable(through_lane) == comparable(through_flask)
        assert through_lane.status_code == 200
    first, second = client.get(f"/f/{survey.token}{query}"), client.get(f"/f/{survey.token}")
    assert submission_id(first.data) != submission_id(second.data)


def test_a_page_not_built_yet_is_built_by_flask_then_kept(client, make_survey, flask_handled):
    survey = make_survey()
    client.get(f"/f/{survey.token}?lang=es")
    client.get(f"/f/{survey.token}?lang=es")
    assert flask_handled == [f"GET /f/{survey.token}?lang=es"]


def test_a_proper_page_is_stored_once_and_thanked_as_flask_would(app, client, make_survey,
                                                                  flask_handled):
    survey = make_survey()
    data = {**good_answers(survey), "language": "es"}
    sent = []
    for handled_by_lane in (True, False):
        page = client.get(f"/f/{survey.token}?lang=es")
        app.config["PUBLIC_FORM_LANE"] = handled_by_lane
        sent.append(client.post(f"/f/{survey.token}",
                                data={**data, "submission_id": submission_id(page.data)}))
        app.config["PUBLIC_FORM_LANE"] = True
    assert [f"POST /f/{survey.token}"] == [seen for seen in flask_handled
                                            if seen.startswith("POST")]
    assert comparable(sent[0]) == comparable(sent[1])
    assert sent[0].status_code == 303
    assert sent[0].headers["Location"] == f"/f/{survey.token}/thanks?lang=es"
    stored = responses()
    assert [(r.channel, r.language, r.survey_id) for r in stored] == [("web", "es", survey.id)] * 2
    assert stored[0].answers_digest == stored[1].answers_digest
    rows = [sorted((a.question_id, a.option_id, a.rank, a.text_value, a.number_value,
                    a.date_value) for a in db.session.query(Answer).filter_by(response_id=r.id))
            for r in stored]
    assert rows[0] == rows[1] and len(rows[0]) >= 12


def test_the_same_page_sent_twice_is_stored_once_and_thanked_again(client, make_survey,
                                                                    flask_handled):
    survey = make_survey()
    data = {**good_answers(survey), "submission_id": submission_id(
        client.get(f"/f/{survey.token}").data)}
    sent = [client.post(f"/f/{survey.token}", data=data) for _ in range(2)]
    assert [r.status_code for r in sent] == [303, 303]
    assert sent[0].headers["Location"] == sent[1].headers["Location"]
    assert len(responses()) == 1
    assert not [seen for seen in flask_handled if seen.startswith("POST")]


def test_a_conflicting_page_goes_to_flask_counted_once(app, client, make_survey,
                                                         flask_handled):
    survey = make_survey()
    data = {**good_answers(survey), "submission_id": submission_id(
        client.get(f"/f/{survey.token}").data)}
    assert client.post(f"/f/{survey.token}", data=data).status_code == 303
    conflicting = client.post(f"/f/{survey.token}",
                              data={**data, name_of(survey, "short_text"): "Westside"})
    assert conflicting.status_code == 409
    assert flask_handled[-1] == f"POST /f/{survey.token}"
    # Four sends a minute: two sent, so two more pass and the fifth is refused.
    codes = [client.post(f"/f/{survey.token}", data={**good_answers(survey), "submission_id":
                                                      submission_id(client.get(
                                                          f"/f/{survey.token}").data)}
                         ).status_code for _ in range(3)]
    assert codes == [303, 303, 429]


def test_too_many_sends_get_flasks_429_page_and_nothing_is_stored(app, client, make_survey):
    survey = make_survey()
    for _ in range(4):
        client.post(f"/f/{survey.token}", data={
            **good_answers(survey),
            "submission_id": submission_id(client.get(f"/f/{survey.token}").data)})
    data = {**good_answers(survey),
            "submission_id": submission_id(client.get(f"/f/{survey.token}").data)}
    refused = client.post(f"/f/{survey.token}", data=data)
    assert refused.status_code == 429
    assert "Too many tries in a short time" in refused.text
    assert len(responses()) == 4


@pytest.mark.parametrize("case", ["missing required", "bot", "bad utf-8", "nul", "other query",
                                  "multipart", "closed", "unknown", "cookie", "head"])
def test_what_the_lane_is_unsure_of_goes_to_flask_alike(app, client, make_survey,
                                                         flask_handled, case):
    survey = make_survey()
    token = survey.token
    data = {**good_answers(survey), "submission_id": submission_id(
        client.get(f"/f/{token}").data)}
    method, path, kwargs = "POST", f"/f/{token}", {"data": data}
    if case == "missing required":
        data.pop(name_of(survey, "single_choice"))
    elif case == "bot":
        data["website"] = "https://spam.example"
    elif case == "bad utf-8":
        kwargs = {"data": b"submission_id=x&q_1=%ff%fe\xff",
                  "content_type": "application/x-www-form-urlencoded"}
    elif case == "nul":
        data[name_of(survey, "short_text")] = "East\x00gate"
    elif case == "other query":
        path += "?lang=es&utm_source=poster"
    elif case == "multipart":
        kwargs["content_type"] = "multipart/form-data"
    elif case == "closed":
        survey.status = "closed"
        db.session.commit()
        method, kwargs = "GET", {}
    elif case == "unknown":
        path = "/f/not-a-form-token"
    elif case == "cookie":
        client.set_cookie("session", "whatever")
    elif case == "head":
        method, kwargs = "HEAD", {}
    flask_handled.clear()
    through_lane, through_flask = both_ways(app, client, method, path, **kwargs)
    assert len(flask_handled) == 2, flask_handled
    if case in {"missing required", "bad utf-8"}:
        assert through_lane.status_code == through_flask.status_code == 200
        assert b"Please check" in through_lane.data
    if case == "nul":  # Flask takes the NUL out; the response is stored once
        assert through_lane.status_code == 303
        assert [r.id for r in responses()]
    assert comparable(through_lane)[:2] == comparable(through_flask)[:2]


def test_https_and_a_prefix_are_flasks_own_too(app, client, make_survey):
    survey = make_survey()
    page = client.get(f"/f/{survey.token}", headers={"X-Forwarded-Proto": "https"})
    data = {**good_answers(survey), "submission_id": submission_id(page.data)}
    lane_page, flask_page = both_ways(app, client, "GET", f"/f/{survey.token}",
                                      headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in lane_page.headers
    assert comparable(lane_page) == comparable(flask_page)
    sent = client.post(f"/f/{survey.token}", data=data, headers={"X-Forwarded-Proto": "https"},
                       environ_overrides={"SCRIPT_NAME": "/library"})
    assert sent.status_code == 303
    assert sent.headers["Location"] == f"/library/f/{survey.token}/thanks?lang=en"
    assert "Strict-Transport-Security" in sent.headers


def test_an_error_in_the_lane_is_logged_and_flask_stores_once(client, make_survey, monkeypatch,
                                                              caplog, flask_handled):
    survey = make_survey()
    data = {**good_answers(survey), "submission_id": submission_id(
        client.get(f"/f/{survey.token}").data)}

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(lane, "insert_once", broken)
    with caplog.at_level(logging.ERROR):
        sent = client.post(f"/f/{survey.token}", data=data)
    assert sent.status_code == 303
    assert "handed a send on to Flask" in caplog.text
    assert flask_handled[-1] == f"POST /f/{survey.token}"
    assert len(responses()) == 1


def test_a_form_closed_by_another_host_takes_nothing(client, make_survey, flask_handled):
    """The lane trusts the kept form row for a second, but stores only while the form is open
    as it is written; Flask then shows the closed page."""
    survey = make_survey()
    data = {**good_answers(survey), "submission_id": submission_id(
        client.get(f"/f/{survey.token}").data)}
    db.session.execute(survey.__table__.update().where(
        survey.__table__.c.id == survey.id).values(status="closed"))
    db.session.commit()
    sent = client.post(f"/f/{survey.token}", data=data)
    assert sent.status_code == 200
    assert "closed" in sent.text.lower()
    assert responses() == []


def test_a_page_with_something_to_say_is_counted_once(app, client, make_survey, flask_handled):
    """The lane counts a send before reading it, as the view does; a page it hands on for its
    messages is not counted again."""
    survey = make_survey()
    wrong = {**good_answers(survey), name_of(survey, "number"): "lots"}
    codes = [client.post(f"/f/{survey.token}", data={**wrong, "submission_id": submission_id(
        client.get(f"/f/{survey.token}").data)}).status_code for _ in range(4)]
    assert codes == [200] * 4
    assert len([seen for seen in flask_handled if seen.startswith("POST")]) == 4
    assert client.post(f"/f/{survey.token}", data={
        **good_answers(survey),
        "submission_id": submission_id(client.get(f"/f/{survey.token}").data)}
    ).status_code == 429


def test_a_redis_that_has_not_seen_the_count_script_counts_too(app, client, make_survey):
    from app.extensions import limiter

    if not app.config["RATELIMIT_STORAGE_URI"].startswith("redis"):
        pytest.skip("Redis only (set TEST_REDIS_URL)")
    limiter.storage.get_connection().script_flush()
    survey = make_survey()
    sent = client.post(f"/f/{survey.token}", data={
        **good_answers(survey),
        "submission_id": submission_id(client.get(f"/f/{survey.token}").data)})
    assert sent.status_code == 303
    assert len(responses()) == 1
    identifiers = (app.config["RATELIMIT_KEY_PREFIX"], "127.0.0.1", "surveys.fill")
    assert limiter.storage.get(parse("4 per minute").key_for(*identifiers)) == 1
