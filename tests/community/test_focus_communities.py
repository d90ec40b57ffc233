"""Focus communities: created and edited by staff, with unique names and a timeline."""

from datetime import date

import sqlalchemy as sa
from flask import url_for

from app.community.models import FocusCommunity
from app.extensions import db


def _post(**changes) -> dict:
    data = {"name": "Newcomer families, Eastgate", "status": "active", "branch_ids": [],
            "who": "Newcomer families with school-age children", "why_chosen": "",
            "baseline_notes": ""}
    data.update(changes)
    return data


def test_staff_create_a_focus_community_with_its_branches(staff_client, make_branch):
    eastgate, central = make_branch(name="Eastgate"), make_branch(name="Central")
    db.session.commit()
    response = staff_client.post("/community/focus-communities/new", data=_post(
        branch_ids=[eastgate.id, central.id], why_chosen="Many families are new to the area"))
    community = db.session.scalar(sa.select(FocusCommunity))
    assert response.status_code == 302
    assert response.location == f"/community/focus-communities/{community.id}"
    assert community.name == "Newcomer families, Eastgate"
    assert community.status == "active"
    assert [branch.name for branch in community.branches] == ["Central", "Eastgate"]
    assert community.why_chosen == "Many families are new to the area"
    page = staff_client.get(response.location).get_data(as_text=True)
    assert "Newcomer families, Eastgate" in page
    assert "Central, Eastgate" in page


def test_editing_a_focus_community_changes_its_fields_and_branches(
        staff_client, make_focus_community, make_branch):
    eastgate, northside = make_branch(name="Eastgate"), make_branch(name="Northside")
    community = make_focus_community(name="Older adults", branches=[eastgate])
    db.session.commit()
    form = staff_client.get(f"/community/focus-communities/{community.id}/edit")
    assert form.status_code == 200
    assert 'value="Older adults"' in form.get_data(as_text=True)
    response = staff_client.post(f"/community/focus-communities/{community.id}/edit", data=_post(
        name="Older adults living alone, Northside", status="paused", branch_ids=[northside.id]))
    assert response.status_code == 302
    db.session.refresh(community)
    assert community.name == "Older adults living alone, Northside"
    assert community.status == "paused"
    assert community.branches == [northside]


def test_a_focus_community_name_is_unique_whatever_its_case(staff_client, make_focus_community):
    make_focus_community(name="Teens downtown")
    db.session.commit()
    response = staff_client.post("/community/focus-communities/new", data=_post(
        name="teens DOWNTOWN", who="Young people 13 to 18 after school"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="name-error">Another focus community already has this name.' in page
    assert 'href="#name">Name</a>: Another focus community already has this name.' in page
    assert "Young people 13 to 18 after school" in page
    assert db.session.scalar(sa.select(sa.func.count(FocusCommunity.id))) == 1


def test_a_focus_community_needs_a_name(staff_client):
    response = staff_client.post("/community/focus-communities/new",
                                 data=_post(name="  ", baseline_notes="Census 2021 data"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="name-error"' in page
    assert "Census 2021 data" in page
    assert db.session.scalar(sa.select(FocusCommunity)) is None


def test_the_focus_community_page_shows_its_conversations_and_follow_ups(
        staff_client, make_focus_community, make_conversation, make_organization, make_space):
    community = make_focus_community(name="Farm workers, Millbrook")
    make_organization(name="Millbrook Growers' Co-op", focus_communities=[community])
    make_space(name="General Store porch", focus_communities=[community])
    make_conversation(focus_community=community, happened_on=date(2025, 6, 3),
                      notes="Workers finish at 6 pm, the branch closes at 6 pm.",
                      follow_ups=[{"description": "Ask about a late evening"}])
    make_conversation(notes="A conversation about another community")
    db.session.commit()
    page = staff_client.get(f"/community/focus-communities/{community.id}").get_data(as_text=True)
    assert "Workers finish at 6 pm, the branch closes at 6 pm." in page
    assert "Ask about a late evening" in page
    assert "A conversation about another community" not in page
    assert "Millbrook Growers&#39; Co-op" in page
    assert "General Store porch" in page


def test_the_focus_community_page_links_to_its_printed_documents_and_the_log(
        app, staff_client, make_focus_community):
    community = make_focus_community()
    db.session.commit()
    page = staff_client.get(f"/community/focus-communities/{community.id}").get_data(as_text=True)
    with app.test_request_context():
        links = [url_for(endpoint, focus_community_id=community.id) for endpoint in (
            "community.asset_map_pdf", "community.profile_pdf", "conversations.new")]
    for link in links:
        assert f'href="{link}"' in page


def test_the_focus_community_list_shows_each_with_its_status(staff_client, make_focus_community):
    make_focus_community(name="Older adults", status="exploring")
    db.session.commit()
    page = staff_client.get("/community/focus-communities/").get_data(as_text=True)
    assert "Older adults" in page
    assert "Exploring" in page
