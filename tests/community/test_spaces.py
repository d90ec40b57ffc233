"""Community spaces: where people gather, and the conversations staff have there."""

import sqlalchemy as sa
from flask import url_for

from app.community.models import Space
from app.extensions import db
from tests.community.conftest import checked_values


def test_staff_add_a_space_with_its_organization_and_focus_communities(
        staff_client, space_post, make_organization, make_focus_community):
    organization = make_organization(name="Riverbend Food Bank")
    community = make_focus_community(name="Older adults")
    db.session.commit()
    response = staff_client.post("/community/spaces/new", data=space_post(
        kind="food_bank", organization_id=str(organization.id),
        focus_community_ids=[community.id]))
    space = db.session.scalar(sa.select(Space))
    assert response.status_code == 302
    assert response.location == f"/community/spaces/{space.id}"
    assert (space.name, space.kind, space.area) == ("Lavender Laundromat", "food_bank", "Eastgate")
    assert space.when_people_gather == "Saturday mornings"
    assert space.who_is_there == "Mothers with children"
    assert space.accessibility_notes == "Step at the door"
    assert space.organization == organization
    assert space.focus_communities == [community]
    page = staff_client.get(response.location).get_data(as_text=True)
    assert "Riverbend Food Bank" in page and "Older adults" in page


def test_editing_a_space_keeps_and_changes_its_values(staff_client, space_post, make_space,
                                                      make_focus_community):
    community = make_focus_community()
    space = make_space(name="Tower B lobby", kind="housing_lobby", focus_communities=[community])
    db.session.commit()
    form = staff_client.get(f"/community/spaces/{space.id}/edit").get_data(as_text=True)
    assert 'value="Tower B lobby"' in form
    assert checked_values(form, "focus_community_ids") == {str(community.id)}
    response = staff_client.post(f"/community/spaces/{space.id}/edit", data=space_post(
        name="Northside Tower B lobby", kind="housing_lobby"))
    assert response.status_code == 302
    db.session.refresh(space)
    assert space.name == "Northside Tower B lobby"
    assert space.focus_communities == []


def test_a_space_needs_a_name_and_keeps_what_was_typed(staff_client, space_post):
    response = staff_client.post("/community/spaces/new", data=space_post(
        name="", who_is_there="Workers buying lunch"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="name-error"' in page
    assert "Workers buying lunch" in page
    assert db.session.scalar(sa.select(Space)) is None


def test_the_space_list_searches_and_filters(staff_client, make_space, make_focus_community):
    community = make_focus_community()
    make_space(name="Lavender Laundromat", kind="laundromat", area="Eastgate",
               focus_communities=[community])
    make_space(name="Central Mall food court", kind="cafe", who_is_there="Teens after school")

    def listed(query: str) -> list[str]:
        page = staff_client.get(f"/community/spaces/?{query}").get_data(as_text=True)
        return [name for name in ("Lavender Laundromat", "Central Mall food court")
                if name in page]

    db.session.commit()
    assert set(listed("")) == {"Lavender Laundromat", "Central Mall food court"}
    assert listed("q=TEENS") == ["Central Mall food court"]
    assert listed("q=eastgate") == ["Lavender Laundromat"]
    assert listed("kind=cafe") == ["Central Mall food court"]
    assert listed(f"focus_community_id={community.id}") == ["Lavender Laundromat"]


def test_the_space_page_shows_its_conversations_and_a_way_to_log_one(
        app, staff_client, make_space, make_conversation):
    space = make_space(name="General Store porch")
    make_conversation(space=space, notes="Workers want to learn English for safety words.",
                      follow_ups=[{"description": "Find Spanish-English safety glossary"}])
    db.session.commit()
    page = staff_client.get(f"/community/spaces/{space.id}").get_data(as_text=True)
    assert "Workers want to learn English for safety words." in page
    assert "Find Spanish-English safety glossary" in page
    with app.test_request_context():
        log_link = url_for("conversations.new", space_id=space.id)
    assert f'href="{log_link}">Log a conversation here</a>' in page
