"""The community map overview, its navigation, and missing records."""

import pytest

from app.extensions import db


def test_the_overview_counts_each_list_and_names_the_focus_communities(
        staff_client, make_focus_community, make_organization, make_contact, make_space):
    make_focus_community(name="Newcomer families, Eastgate")
    make_focus_community(name="Older adults, Northside")
    for _ in range(3):
        make_organization()
    make_contact()
    db.session.commit()
    page = staff_client.get("/community/").get_data(as_text=True)
    assert "2 focus communities" in page
    assert "3 organizations and groups" in page
    assert "1 contact person" in page
    assert "0 spaces" in page
    assert "Newcomer families, Eastgate" in page and "Older adults, Northside" in page


@pytest.mark.parametrize("url", ["/community/", "/community/focus-communities/",
                                 "/community/organizations/", "/community/contacts/",
                                 "/community/spaces/", "/community/organizations/new"])
def test_every_community_page_carries_the_community_navigation(staff_client, url):
    page = staff_client.get(url).get_data(as_text=True)
    assert 'aria-label="Community map"' in page
    for label in ("Overview", "Focus communities", "Organizations", "Contacts", "Spaces"):
        assert f">{label}</a>" in page


@pytest.mark.parametrize("url", [
    "/community/focus-communities/999", "/community/focus-communities/999/edit",
    "/community/organizations/999", "/community/organizations/999/edit",
    "/community/contacts/999", "/community/contacts/999/edit",
    "/community/spaces/999", "/community/spaces/999/edit",
])
def test_a_missing_record_is_not_found(staff_client, url):
    assert staff_client.get(url).status_code == 404


def test_members_cannot_open_the_community_map(member_client):
    assert member_client.get("/community/").status_code == 403
    assert member_client.post("/community/organizations/new", data={"name": "X"}).status_code == 403
