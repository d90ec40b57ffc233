"""Deny by default: every endpoint declares who may open it, and the rules hold on every route."""

import pytest
from flask import Flask

from app.accounts.access import Access, access_for


def _url_for_rule(rule) -> str:
    """Build a URL for `rule`, filling each argument with a value its converter accepts."""
    values = {}
    for name in rule.arguments:
        converter = type(rule._converters.get(name)).__name__
        values[name] = 1 if converter == "IntegerConverter" else "x"
    values.update({key: value for key, value in (rule.defaults or {}).items() if value is not None})
    return rule.build(values, append_unknown=False)[1]


def _routes(app: Flask, below: Access | None = None):
    """Yield (endpoint, method, url) for every route, optionally only those above `below`."""
    for rule in app.url_map.iter_rules():
        level = access_for(app, rule.endpoint)
        if below is not None and (level is None or level <= below):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, _url_for_rule(rule)


def test_every_endpoint_declares_who_may_open_it(app):
    undeclared = [rule.endpoint for rule in app.url_map.iter_rules()
                  if access_for(app, rule.endpoint) is None]
    assert undeclared == []


def test_only_the_login_public_forms_static_files_and_health_check_are_public(app):
    public = {rule.endpoint for rule in app.url_map.iter_rules()
              if access_for(app, rule.endpoint) == Access.PUBLIC}
    assert public == {"static", "accounts.login", "main.healthz", "surveys.fill", "surveys.thanks",
                      "surveys.kiosk", "surveys.kiosk_thanks", "surveys.short_link",
                      "plans.accept_invitation"}


def test_anonymous_visitors_are_sent_to_the_login_page_from_every_closed_page(app, client):
    checked = 0
    for endpoint, method, url in _routes(app, below=Access.PUBLIC):
        response = client.open(url, method=method)
        assert response.status_code == 302, (endpoint, method, url, response.status_code)
        assert response.location.startswith("/login?next="), (endpoint, response.location)
        checked += 1
    assert checked > 5


def test_members_get_403_on_every_staff_and_admin_page(app, member_client):
    checked = 0
    for endpoint, method, url in _routes(app, below=Access.MEMBER):
        response = member_client.open(url, method=method)
        assert response.status_code == 403, (endpoint, method, url, response.status_code)
        checked += 1
    assert checked > 5


def test_staff_get_403_on_every_admin_page(app, staff_client):
    checked = 0
    for endpoint, method, url in _routes(app, below=Access.STAFF):
        response = staff_client.open(url, method=method)
        assert response.status_code == 403, (endpoint, method, url)
        checked += 1
    assert checked >= 4


def test_a_forbidden_page_explains_itself_in_plain_words(member_client):
    response = member_client.get("/admin/users")
    assert response.status_code == 403
    assert b"This page is not open to you" in response.data


@pytest.mark.parametrize("path", ["/login", "/healthz", "/static/app.css"])
def test_public_pages_open_without_login(client, path):
    assert client.get(path).status_code == 200
