"""CSRF, walked over the whole URL map with protection on (as in production).

Every POST route answers exactly 400 without a token and writes nothing: the CSRF check runs
before access rules and before the view, so 400 comes first whatever the ids. The only
exemptions are the public form and the kiosk (see EXEMPT); the server-issued submission id
guards those instead.
"""

import time

import pytest
import sqlalchemy as sa
from werkzeug.routing import Rule

from app.extensions import db
from app.surveys.models import KioskLink
from tests.plans.test_member_access import build_world  # noqa: F401 (a fixture)
from tests.surveys.filling import good_answers, name_of, responses, submission_id

pytestmark = pytest.mark.usefixtures("public_app")

#: CSRF-exempt on purpose: a shared kiosk has no cookie, and a half-filled public form must
#: never expire under a respondent. Anonymous answers change nothing anyone could be tricked
#: into; replays are caught by the submission id the server issues with each blank form.
EXEMPT = {"surveys.fill", "surveys.kiosk"}
#: Exempt from the hook but checked by the view itself with csrf.protect(), after it raises its
#: upload limit (app/evaluation/import_views.py). Staff still get 400 without a token; others
#: are stopped by the access rules first (a redirect to the login page) and write nothing.
CHECKED_IN_VIEW = {"evaluation.start_import"}


@pytest.fixture
def app_overrides():
    return {"WTF_CSRF_ENABLED": True}


def _row_counts() -> dict[str, int]:
    db.session.expire_all()
    return {table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


def _post_rules(app) -> list[Rule]:
    return [rule for rule in app.url_map.iter_rules() if "POST" in rule.methods]


def _url(rule: Rule, ids: dict[str, int]) -> str:
    values = {}
    for name in rule.arguments:
        integer = type(rule._converters.get(name)).__name__ == "IntegerConverter"
        values[name] = ids.get(name, 1) if integer else ids.get(name, "x")
    values.update({key: value for key, value in (rule.defaults or {}).items() if value is not None})
    return rule.build(values, append_unknown=False)[1]


@pytest.fixture
def world(build_world, admin, make_survey, make_conversation, make_focus_community,  # noqa: F811
          make_organization, make_contact, make_space, make_theme, make_priority, make_branch):
    """Records of every kind, so ids in URLs name real records."""
    records = build_world("Walk", members=[admin])
    survey = make_survey()
    link = KioskLink(survey=survey, branch=make_branch())
    db.session.add(link)
    conversation = make_conversation(quotes=[{"text": "We need a quiet room."}],
                                     follow_ups=[{"description": "Call back"}])
    db.session.commit()
    ids = {f"{name}_id": record.id for name, record in records.items()}
    ids.update(item_id=records["action_item"].id, survey_id=survey.id,
               conversation_id=conversation.id, quote_id=conversation.quotes[0].id,
               follow_up_id=conversation.follow_ups[0].id,
               focus_community_id=make_focus_community().id,
               organization_id=make_organization().id, contact_id=make_contact().id,
               space_id=make_space().id, theme_id=make_theme().id,
               priority_id=make_priority().id, user_id=admin.id, branch_id=link.branch_id,
               question_id=survey.questions[0].id, link_id=link.id)
    db.session.commit()
    ids["token"] = survey.token
    return ids, link


def test_every_post_route_but_the_public_form_and_kiosk_refuses_a_post_without_a_token(
        app, admin_client, world):
    ids, _link = world
    before = _row_counts()
    wrong, checked = [], 0
    for rule in _post_rules(app):
        if rule.endpoint in EXEMPT:
            continue
        response = admin_client.post(_url(rule, ids), data={"name": "Sneaky", "title": "Sneaky"})
        checked += 1
        if response.status_code != 400:
            wrong.append((rule.endpoint, response.status_code))
    assert wrong == [], "POST routes that did not refuse a post without a CSRF token"
    assert _row_counts() == before
    assert checked > 40


def test_the_refusal_also_holds_for_anonymous_people_and_members(app, client, world):
    ids, _link = world
    before = _row_counts()
    for rule in _post_rules(app):
        if rule.endpoint in EXEMPT:
            continue
        status = client.post(_url(rule, ids)).status_code
        expected = 302 if rule.endpoint in CHECKED_IN_VIEW else 400
        assert status == expected, rule.endpoint
    assert _row_counts() == before


def test_only_the_public_form_and_the_kiosk_are_exempt(app):
    from app.extensions import csrf

    exempt = {endpoint for endpoint, view in app.view_functions.items()
              if f"{view.__module__}.{view.__name__}" in csrf._exempt_views}
    assert exempt == EXEMPT | CHECKED_IN_VIEW


# The exempt routes: the submission id guards them -------------------------------------------

def test_a_public_form_sent_long_after_it_was_opened_is_stored(client, make_survey):
    survey = make_survey()
    db.session.commit()
    page = client.get(f"/f/{survey.token}")
    # An hour later the respondent presses Send with a token that has long expired (or none):
    # nothing about time or tokens stands between them and their answers.
    stale = {**good_answers(survey), "submission_id": submission_id(page.data),
             "csrf_token": "IjU4ZGYi.expired-long-ago"}
    assert client.post(f"/f/{survey.token}", data=stale).status_code == 303
    assert len(responses()) == 1
    assert responses()[0].submitted_at.timestamp() <= time.time() + 5


def test_a_kiosk_send_without_any_cookie_or_token_is_stored(client, world):
    _ids, link = world
    answers = good_answers(link.survey)
    assert client.post(f"/kiosk/{link.token}", data=answers).status_code == 303
    assert [response.channel for response in responses()] == ["kiosk"]
    assert client.get_cookie("session") is None


def test_the_server_issued_submission_id_stops_a_replay(client, make_survey):
    survey = make_survey()
    db.session.commit()
    page = client.get(f"/f/{survey.token}")
    sent = {**good_answers(survey), "submission_id": submission_id(page.data)}
    assert client.post(f"/f/{survey.token}", data=sent).status_code == 303
    assert client.post(f"/f/{survey.token}", data=sent).status_code == 303  # thanked again
    tampered = client.post(f"/f/{survey.token}",
                           data={**sent, name_of(survey, "short_text"): "Elsewhere"})
    assert tampered.status_code == 409
    assert len(responses()) == 1


def test_a_form_sent_with_an_error_comes_back_with_every_answer_filled(client, make_survey):
    survey = make_survey()
    db.session.commit()
    page = client.get(f"/f/{survey.token}")
    data = {**good_answers(survey), "submission_id": submission_id(page.data),
            name_of(survey, "number"): "lots"}
    response = client.post(f"/f/{survey.token}", data=data)
    assert response.status_code == 200
    html = response.text
    assert 'value="Eastgate"' in html
    assert "More evening hours, please.</textarea>" in html
    assert 'value="lots"' in html and 'value="2025-03-01"' in html
    assert submission_id(response.data) == data["submission_id"]
    assert responses() == []
