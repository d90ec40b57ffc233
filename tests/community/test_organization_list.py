"""The organization list: search, every filter, pagination and the last contact date."""

from datetime import date

import pytest

from app.accounts.models import Role
from app.extensions import db


@pytest.fixture
def app_overrides() -> dict:
    return {"PAGE_SIZE": 20}


def _names_listed(client, query: str = "") -> list[str]:
    page = client.get(f"/community/organizations/?{query}").get_data(as_text=True)
    return [name for name in ("Alpha", "Bravo", "Charlie") if f"<strong>{name}</strong>" in page]


@pytest.mark.parametrize(("field", "text"), [
    ("name", "alpha"), ("programs_services", "HOMEWORK club"), ("area_served", "eastgate"),
    ("notes", "met at the fair"),
])
def test_search_finds_words_in_each_searched_field_whatever_the_case(
        staff_client, make_organization, field, text):
    make_organization(name="Alpha", **({} if field == "name" else {field: text.title()}))
    make_organization(name="Bravo")
    db.session.commit()
    query = "q=" + text.replace(" ", "+")
    assert _names_listed(staff_client, query) == ["Alpha"]


def test_search_treats_percent_and_underscore_as_plain_characters(
        staff_client, make_organization):
    make_organization(name="Alpha", notes="Gives 100% of donations")
    make_organization(name="Bravo", notes="Gives 1000 meals")
    db.session.commit()
    assert _names_listed(staff_client, "q=100%25") == ["Alpha"]
    assert _names_listed(staff_client, "q=_") == []


def test_each_filter_narrows_the_list(staff_client, make_organization, make_focus_community,
                                      make_user):
    community = make_focus_community()
    lead = make_user(Role.STAFF)
    make_organization(name="Alpha", kind="informal_group", asset_category="faith",
                      relationship_status="partner", engagement_level="partnering",
                      focus_communities=[community], languages=["ti"], staff_lead=lead)
    make_organization(name="Bravo")
    make_organization(name="Charlie", languages=["tl"])
    db.session.commit()
    assert _names_listed(staff_client) == ["Alpha", "Bravo", "Charlie"]
    for query in ("kind=informal_group", "asset_category=faith", "relationship_status=partner",
                  "engagement_level=partnering", f"focus_community_id={community.id}",
                  "language=ti", f"staff_lead_id={lead.id}"):
        assert _names_listed(staff_client, query) == ["Alpha"], query


def test_filters_combine_with_the_search(staff_client, make_organization):
    make_organization(name="Alpha", asset_category="school")
    make_organization(name="Bravo", asset_category="school")
    make_organization(name="Charlie", asset_category="faith")
    db.session.commit()
    assert _names_listed(staff_client, "asset_category=school&q=bra") == ["Bravo"]


def test_an_unknown_filter_value_is_explained_and_ignored(staff_client, make_organization):
    make_organization(name="Alpha")
    db.session.commit()
    response = staff_client.get("/community/organizations/?kind=castle&focus_community_id=x")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="kind-error"' in page
    assert "<strong>Alpha</strong>" in page


def test_thirty_organizations_fill_two_pages_and_the_pager_keeps_the_filters(
        staff_client, make_organization):
    for n in range(30):
        make_organization(name=f"Group {n:02d}", asset_category="school")
    make_organization(name="Not a school", asset_category="faith")
    db.session.commit()
    first = staff_client.get("/community/organizations/?asset_category=school")
    page = first.get_data(as_text=True)
    assert page.count('<strong>Group ') == 20
    assert "Page 1 of 2" in page
    assert "asset_category=school" in page.split('rel="next"')[1].split(">")[0]
    second = staff_client.get("/community/organizations/?asset_category=school&page=2")
    page = second.get_data(as_text=True)
    assert page.count('<strong>Group ') == 10
    assert "Group 29" in page and "Group 19" not in page
    assert "Not a school" not in page


def test_each_row_shows_its_standing_and_last_contact(staff_client, make_organization,
                                                      make_conversation):
    visited = make_organization(name="Alpha", relationship_status="in_relationship",
                                engagement_level="consulting", asset_category="government")
    make_organization(name="Bravo")
    make_conversation(organizations=[visited], happened_on=date(2025, 1, 7))
    make_conversation(place_organization=visited, happened_on=date(2025, 3, 2))
    db.session.commit()
    page = staff_client.get("/community/organizations/").get_data(as_text=True)
    alpha, bravo = page.split("<strong>Alpha</strong>")[1].split("<strong>Bravo</strong>")
    assert "Government" in alpha
    assert "In relationship" in alpha and "Consulting" in alpha
    assert "Last contact Sun 2 Mar 2025" in alpha
    assert "No conversations yet" in bravo


def test_an_empty_list_says_what_to_do(staff_client):
    page = staff_client.get("/community/organizations/").get_data(as_text=True)
    assert "No organizations or groups yet." in page
    page = staff_client.get("/community/organizations/?q=zzz").get_data(as_text=True)
    assert "No organizations match." in page
