"""Organizations: created and edited by staff, with the history of their standing."""

from datetime import date

import sqlalchemy as sa
from flask import url_for

from app.accounts.models import Role
from app.community.models import Organization, OrganizationStatusChange
from app.community.services import ChangeNoteWithoutChange, save_organization
from app.extensions import db
from app.records import utcnow
from tests.community.conftest import checked_values
from tests.conftest import log_in


def _history(organization: Organization) -> list[tuple]:
    rows = db.session.scalars(sa.select(OrganizationStatusChange)
                              .where(OrganizationStatusChange.organization_id == organization.id)
                              .order_by(OrganizationStatusChange.id))
    return [(row.field, row.previous, row.value, row.changed_by.name, row.note) for row in rows]


def test_staff_create_an_organization_with_all_its_fields(
        staff_client, staff, organization_post, make_focus_community, make_user):
    community = make_focus_community(name="Newcomer families, Eastgate")
    lead = make_user(Role.STAFF, name="Amira Haddad")
    db.session.commit()
    response = staff_client.post("/community/organizations/new", data=organization_post(
        kind="informal_group", asset_category="grassroots", staff_lead_id=str(lead.id),
        focus_community_ids=[community.id], gaps_barriers="Waitlists for ESL",
        shareable_resources="A room on Saturdays", notes="Met at the fair",
        relationship_status="contacted", engagement_level="consulting"))
    organization = db.session.scalar(sa.select(Organization))
    assert response.status_code == 302
    assert response.location == f"/community/organizations/{organization.id}"
    assert (organization.name, organization.kind, organization.asset_category) == (
        "Eastgate Settlement Services", "informal_group", "grassroots")
    assert organization.area_served == "Eastgate"
    assert organization.languages == ["ar", "prs"]
    assert organization.programs_services == "Settlement workers, ESL referrals"
    assert organization.gaps_barriers == "Waitlists for ESL"
    assert organization.shareable_resources == "A room on Saturdays"
    assert organization.staff_lead == lead
    assert organization.focus_communities == [community]
    assert (organization.relationship_status, organization.engagement_level) == (
        "contacted", "consulting")
    page = staff_client.get(response.location).get_data(as_text=True)
    assert "Saved Eastgate Settlement Services." in page
    assert "Arabic, Dari" in page
    assert "Amira Haddad" in page


def test_a_new_organization_records_its_starting_standing(staff_client, organization_post):
    staff_client.post("/community/organizations/new", data=organization_post(
        relationship_status="contacted", engagement_level="consulting"))
    organization = db.session.scalar(sa.select(Organization))
    assert _history(organization) == [
        ("relationship_status", None, "contacted", "Sam Staff", ""),
        ("engagement_level", None, "consulting", "Sam Staff", ""),
    ]


def test_two_changes_of_standing_keep_two_history_rows_with_who_made_them(
        client, organization_post, make_organization, make_user):
    organization = make_organization(name="Northside Tenants' Association",
                                     relationship_status="contacted",
                                     engagement_level="informing")
    first, second = make_user(name="Amira Haddad"), make_user(name="Luis Ortega")
    db.session.commit()
    url = f"/community/organizations/{organization.id}/edit"
    log_in(client, first)
    client.post(url, data=organization_post(
        name=organization.name, relationship_status="in_relationship",
        engagement_level="informing", change_note="Second meeting went well"))
    log_in(client, second)
    client.post(url, data=organization_post(
        name=organization.name, relationship_status="in_relationship",
        engagement_level="engaging"))
    assert _history(organization) == [
        ("relationship_status", "contacted", "in_relationship", "Amira Haddad",
         "Second meeting went well"),
        ("engagement_level", "informing", "engaging", "Luis Ortega", ""),
    ]
    page = client.get(f"/community/organizations/{organization.id}").get_data(as_text=True)
    assert "Contacted → In relationship" in page
    assert "Informing → Engaging" in page
    assert "by Amira Haddad" in page
    assert "Second meeting went well" in page


def test_saving_without_a_change_of_standing_adds_no_history(
        staff_client, organization_post, make_organization):
    organization = make_organization(relationship_status="partner", engagement_level="partnering")
    db.session.commit()
    staff_client.post(f"/community/organizations/{organization.id}/edit", data=organization_post(
        relationship_status="partner", engagement_level="partnering", notes="New hours"))
    assert organization.notes == "New hours"
    assert _history(organization) == []


def test_a_note_about_a_change_needs_a_change(staff_client, organization_post, make_organization):
    organization = make_organization(relationship_status="partner", engagement_level="partnering")
    db.session.commit()
    response = staff_client.post(
        f"/community/organizations/{organization.id}/edit", data=organization_post(
            relationship_status="partner", engagement_level="partnering",
            change_note="Phoned them", programs_services="Breakfast and showers"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="change_note-error">Neither the relationship status' in page
    assert "Breakfast and showers" in page
    assert 'value="Phoned them"' in page
    db.session.refresh(organization)
    assert organization.programs_services == ""


def test_the_save_service_refuses_a_note_without_a_change(make_organization, staff):
    organization = make_organization(relationship_status="partner", engagement_level="partnering")
    details = {"relationship_status": "partner", "engagement_level": "partnering",
               "change_note": "Phoned them"}
    try:
        save_organization(organization, details, changed_by=staff)
    except ChangeNoteWithoutChange:
        pass
    else:
        raise AssertionError("a note without a change was accepted")


def test_an_organization_needs_a_name_and_keeps_what_was_typed(staff_client, organization_post):
    response = staff_client.post("/community/organizations/new", data=organization_post(
        name="", gaps_barriers="No bus on Sundays", asset_category="not-a-category"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="name-error"' in page
    assert 'id="asset_category-error"' in page
    assert "No bus on Sundays" in page
    assert checked_values(page, "languages") == {"ar", "prs"}
    assert db.session.scalar(sa.select(Organization)) is None


def test_the_staff_lead_is_chosen_among_active_staff_and_admins(
        staff_client, make_user):
    make_user(Role.ADMIN, name="Ada Admin")
    make_user(Role.MEMBER, name="Mo Member")
    make_user(Role.STAFF, name="Gone Person", disabled_at=utcnow())
    db.session.commit()
    page = staff_client.get("/community/organizations/new").get_data(as_text=True)
    assert ">Ada Admin</option>" in page
    assert ">Sam Staff</option>" in page
    assert "Mo Member" not in page
    assert "Gone Person" not in page


def test_the_organization_page_shows_its_people_spaces_and_conversations(
        app, staff_client, make_organization, make_contact, make_space, make_conversation):
    organization = make_organization(name="Harbour Street Drop-In", area_served="Downtown")
    make_contact(name="Jo Outreach", organization=organization, has_consented=False)
    make_space(name="Breakfast room", organization=organization)
    make_conversation(organizations=[organization], happened_on=date(2025, 2, 11),
                      notes="People need phone charging and a quiet place.",
                      follow_ups=[{"description": "Bring ID replacement forms"}])
    db.session.commit()
    page = staff_client.get(f"/community/organizations/{organization.id}").get_data(as_text=True)
    assert "Downtown" in page
    assert "Jo Outreach" in page
    assert "Do not contact: no consent recorded" in page
    assert "Breakfast room" in page
    assert "People need phone charging and a quiet place." in page
    assert "Bring ID replacement forms" in page
    assert "Last contact" in page and "11 Feb 2025" in page
    with app.test_request_context():
        log_link = url_for("conversations.new", organization_id=organization.id)
    assert f'href="{log_link}">Log a conversation with this organization</a>' in page


def test_editing_an_organization_shows_its_stored_values(staff_client, make_organization,
                                                         make_focus_community):
    community = make_focus_community(name="Older adults")
    organization = make_organization(name="St. Brendan's Thursday Lunch", languages=["en"],
                                     focus_communities=[community])
    db.session.commit()
    page = staff_client.get(
        f"/community/organizations/{organization.id}/edit").get_data(as_text=True)
    assert 'value="St. Brendan&#39;s Thursday Lunch"' in page
    assert checked_values(page, "focus_community_ids") == {str(community.id)}
    assert checked_values(page, "languages") == {"en"}
