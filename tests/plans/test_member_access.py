"""A member reaches only their own action groups' records, on every route, found from the URL map.

Each member-level route with an id is opened with the ids of ANOTHER group's records and must
answer 404 or 403, by GET and by POST. Routes are placed by their argument names, so routes added
later are checked without editing this file; a route with an id this file cannot place fails the
first test until someone decides which records it belongs to.
"""

from datetime import date

import pytest
from flask import Flask
from werkzeug.routing import Rule

from app.accounts.access import Access, access_for
from app.accounts.models import Role
from app.evaluation.models import Evaluation, Measurement, Story, StorySelection
from app.extensions import db
from app.meetings.models import ActionItem
from app.plans.models import Activity, ActivitySession, Indicator, Membership

#: Which record an id argument names.
RECORD_OF_ARGUMENT = {
    "group_id": "group", "plan_id": "plan", "meeting_id": "meeting", "activity_id": "activity",
    "session_id": "session", "action_item_id": "action_item", "indicator_id": "indicator",
    "decision_id": "decision", "membership_id": "membership", "story_id": "story",
    "selection_id": "selection", "measurement_id": "measurement", "evaluation_id": "evaluation",
}
#: Words that mark another group's records, so list pages can be searched for them.
SECRET = "Zanzibar"


def _record_of(endpoint: str, argument: str) -> str | None:
    """Return the record an argument names; `item_id` means an action item on its routes."""
    if argument == "item_id" and "action_item" in endpoint:
        argument = "action_item_id"
    return RECORD_OF_ARGUMENT.get(argument)


def _int_arguments(rule: Rule) -> list[str]:
    return [name for name in rule.arguments
            if type(rule._converters.get(name)).__name__ == "IntegerConverter"]


def _member_rules(app: Flask) -> list[Rule]:
    return [rule for rule in app.url_map.iter_rules()
            if access_for(app, rule.endpoint) == Access.MEMBER]


def _rules_with_ids(app: Flask) -> list[Rule]:
    """Return the member-level routes whose every id this test can place."""
    return [rule for rule in _member_rules(app) if _int_arguments(rule)
            and all(_record_of(rule.endpoint, name) for name in _int_arguments(rule))]


def _url(rule: Rule, world: dict[str, object]) -> str:
    """Build the rule's URL with the ids of `world`'s records (and "x" for text arguments)."""
    ids = {name: world[_record_of(rule.endpoint, name)].id for name in _int_arguments(rule)}
    return _build(rule, ids)


def _build(rule: Rule, ids: dict[str, int]) -> str:
    values = {name: ids.get(name, "x") for name in rule.arguments}
    values.update({key: value for key, value in (rule.defaults or {}).items()
                   if value is not None})
    return rule.build(values, append_unknown=False)[1]


def _methods(rule: Rule) -> list[str]:
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


@pytest.fixture
def build_world(make_action_group, make_plan, make_meeting, make_decision, make_user):
    """Build an action group with one record of every kind; `members` join it with a login."""

    def build(name: str, members=()) -> dict[str, object]:
        group = make_action_group(name=f"{name} group", members=list(members))
        group.memberships.append(Membership(display_name=f"{name} person",
                                            preferred_contact=f"{name}-contact@example.org"))
        plan = make_plan(title=f"{name} plan", action_group=group)
        meeting = make_meeting(title=f"{name} meeting", action_group=group)
        decision = make_decision(meeting=meeting, text=f"{name} decision")
        action_item = ActionItem(meeting=meeting, description=f"{name} action item")
        indicator = Indicator(plan=plan, statement=f"{name} indicator", kind="story",
                              level="short_term")
        activity = Activity(plan=plan, title=f"{name} activity", kind="program")
        session = ActivitySession(activity=activity, held_on=date(2026, 3, 7), headcount=12,
                                  notes=f"{name} session notes")
        story = Story(plan=plan, title=f"{name} story", what_changed=f"{name} change",
                      teller_role="a parent")
        selection = StorySelection(story=story, panel=f"{name} panel", chosen_on=date(2026, 4, 1),
                                   reason=f"{name} reason")
        measurement = Measurement(indicator=indicator, period_start=date(2026, 3, 1),
                                  period_end=date(2026, 3, 31), value=7, note=f"{name} note")
        evaluation = Evaluation(plan=plan, title=f"{name} evaluation",
                                period_start=date(2026, 1, 1), period_end=date(2026, 6, 30))
        db.session.add_all([action_item, indicator, activity, session, story, selection,
                            measurement, evaluation])
        db.session.commit()
        return {"group": group, "plan": plan, "meeting": meeting, "decision": decision,
                "action_item": action_item, "indicator": indicator, "activity": activity,
                "session": session, "membership": group.memberships[-1], "story": story,
                "selection": selection, "measurement": measurement, "evaluation": evaluation}

    return build


@pytest.fixture
def own(build_world, member):
    return build_world("Own", members=[member])


@pytest.fixture
def other(build_world, make_user):
    return build_world(SECRET, members=[make_user(Role.MEMBER)])


def test_every_member_route_with_an_id_names_a_record_this_test_can_place(app):
    unplaced = [(rule.endpoint, name) for rule in _member_rules(app)
                for name in _int_arguments(rule) if _record_of(rule.endpoint, name) is None]
    assert unplaced == [], (
        "These member-level routes take an id this test cannot place. Scope them to the "
        "member's groups and add the argument to RECORD_OF_ARGUMENT.")


def test_another_groups_records_answer_404_or_403_on_every_member_route(
        app, member_client, own, other):
    refused, checked = [], 0
    for rule in _rules_with_ids(app):
        url = _url(rule, other)
        for method in _methods(rule):
            status = member_client.open(url, method=method).status_code
            checked += 1
            if status not in (403, 404):
                refused.append((rule.endpoint, method, url, status))
    assert refused == [], "A member reached another group's records"
    assert checked >= 2


def test_own_groups_records_open_on_every_member_page(app, member_client, own, other):
    """The control for the test above: the same routes open with the member's own ids."""
    closed, checked = [], 0
    for rule in _rules_with_ids(app):
        if "GET" not in rule.methods:
            continue
        url = _url(rule, own)
        status = member_client.get(url).status_code
        checked += 1
        if status in (403, 404) or status >= 500:
            closed.append((rule.endpoint, url, status))
    assert closed == []
    assert checked >= 2


def test_member_list_pages_show_nothing_of_another_group(app, member_client, own, other):
    leaked, checked = [], 0
    for rule in _member_rules(app):
        if rule.arguments or "GET" not in rule.methods:
            continue
        response = member_client.get(_build(rule, {}))
        checked += 1
        if SECRET.encode() in response.data:
            leaked.append(rule.endpoint)
    assert leaked == []
    assert checked >= 2


def test_own_group_pages_show_no_contact_details(member_client, own):
    page = member_client.get(f"/groups/{own['group'].id}").get_data(as_text=True)
    assert "Own-contact@example.org" not in page
    assert "Own person" not in page  # not listed: no consent


def test_every_community_contact_page_is_closed_to_members(app, member_client, make_contact):
    contact = make_contact(name="Private Contact")
    db.session.commit()
    checked = 0
    for rule in app.url_map.iter_rules():
        if not (rule.endpoint.startswith("community.") and "contact" in rule.endpoint):
            continue
        url = _build(rule, {name: contact.id for name in _int_arguments(rule)})
        for method in _methods(rule):
            response = member_client.open(url, method=method)
            assert response.status_code == 403, (rule.endpoint, method, url)
            assert b"Private Contact" not in response.data
            checked += 1
    assert checked >= 4
